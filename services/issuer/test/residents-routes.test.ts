/**
 * /residents for the sandbox operator: the bearer token (none, wrong, right), keyset paging, one resident
 * with their cards, registration with a card and its card file — and problems that never repeat what was
 * submitted. Outside sandbox mode the routes do not exist.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssuerApp } from '../src/app.js';
import { readCardFile } from '../src/cards/card-file.js';
import { isAdminToken } from '../src/residents/admin-auth.js';
import { seedSandbox } from '../src/residents/seed-sandbox.js';
import { SEED_RESIDENTS } from '../src/residents/seed-residents.js';
import {
  ADMIN_TOKEN,
  post,
  TEST_PIN_KDF,
  type TestIssuer,
  testIssuer,
} from './helpers/installation-fixtures.js';

const NOW = new Date('2026-05-10T03:00:00Z');
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
let t: TestIssuer;
beforeAll(async () => {
  t = await testIssuer({ now: NOW });
});
afterAll(async () => t.close());

const get = async (path: string, headers: Record<string, string> = auth) => {
  const res = await t.app.request(path, { headers });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
};

describe('sandbox seeding', () => {
  it('seeds an empty register with the test residents and their cards once; later starts reuse them', async () => {
    const first = await seedSandbox(t.deps, { now: NOW, pinKdf: TEST_PIN_KDF });
    expect(first.seededResidents).toBe(SEED_RESIDENTS.length);
    expect(first.issuedCards).toBe(SEED_RESIDENTS.length);
    expect(first.cardDirectory).toBe(t.deps.config.cardDirectory);
    expect([...first.cardFiles.keys()].sort()).toEqual(SEED_RESIDENTS.map((s) => s.id).sort());
    expect(first.missingCardFiles).toEqual([]);
    const child = await readCardFile(first.cardFiles.get('sandbox-under-15') as string);
    expect(child.signature).toBeUndefined();
    const substituted = await t.store.cards.activeForResident('sandbox-substituted-characters');
    expect(substituted?.signCert).not.toBeNull();

    const again = await seedSandbox(t.deps, { now: new Date(NOW.getTime() + 1000), pinKdf: TEST_PIN_KDF });
    expect(again).toMatchObject({ seededResidents: 0, issuedCards: 0, missingCardFiles: [] });
    expect((await t.store.cards.listForResident('sandbox-ordinary-female')).length).toBe(1);
    expect(await t.store.residents.count()).toBe(SEED_RESIDENTS.length);
  });
});

describe('/residents', () => {
  it('needs the operator token: none or a wrong one is 401 with a Bearer challenge', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: `Basic ${ADMIN_TOKEN}` },
    ]) {
      const r = await get('/residents', headers);
      expect(r.status).toBe(401);
      expect(r.json.code).toBe('ISSUER_UNAUTHORIZED');
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
    expect((await post(t.app, '/residents', {}, {})).status).toBe(401);
    expect(isAdminToken(undefined, 'x')).toBe(false);
    expect(isAdminToken('', '')).toBe(false);
    expect(isAdminToken('abc', 'abc')).toBe(true);
    expect(isAdminToken('abc', 'abcd')).toBe(false);
  });

  it('lists the register in pages', async () => {
    const one = await get('/residents?limit=4');
    expect(one.status).toBe(200);
    const page1 = one.json.residents as { id: string }[];
    expect(page1).toHaveLength(4);
    expect(one.json.next).toBe(page1[3]?.id);
    const two = await get(`/residents?limit=4&after=${one.json.next}`);
    const page2 = two.json.residents as { id: string }[];
    expect(page2[0]!.id > page1[3]!.id).toBe(true);
    expect((await get('/residents?limit=0')).json.code).toBe('ISSUER_INVALID_INPUT');
    expect((await get('/residents?limit=abc')).json.code).toBe('ISSUER_INVALID_INPUT');
    expect((await get('/residents?after=%27%3B--')).json.code).toBe('ISSUER_INVALID_INPUT');
  });

  it('reads one resident with their cards, and 404s an unknown one', async () => {
    const r = await get('/residents/sandbox-under-15');
    expect(r.status).toBe(200);
    expect((r.json.resident as Record<string, unknown>).birthDate).toBe('2016-05-05');
    const cards = r.json.cards as Record<string, unknown>[];
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ state: 'active', signatureCertificate: false });
    expect(r.json.activeInstallation).toBeUndefined();
    const missing = await get('/residents/nobody-here');
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe('ISSUER_NOT_FOUND');
  });

  it('registers a resident with a card and its card file, and never echoes submitted data in a problem', async () => {
    const body = {
      id: 'operator-made-1',
      fullName: '見本\u3000一郎',
      address: '大阪府見本市サンドボックス町三丁目４番５号',
      birthDate: '1975-03-03',
      sex: 1,
      municipalityCode: '279901',
      municipalityName: '見本市',
    };
    const r = await post(t.app, '/residents', body, auth);
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.resident).toMatchObject({ id: 'operator-made-1', fullName: body.fullName });
    expect(r.json.card).toMatchObject({ state: 'active', signatureCertificate: true });
    expect(existsSync(r.json.cardFile as string)).toBe(true);
    expect((await readCardFile(r.json.cardFile as string)).residentId).toBe('operator-made-1');

    const taken = await post(t.app, '/residents', body, auth);
    expect(taken.status).toBe(409);
    expect(taken.json.code).toBe('ISSUER_DUPLICATE');
    expect(JSON.stringify(taken.json)).not.toContain('一郎');

    const bad = await post(t.app, '/residents', { ...body, id: undefined, birthDate: '1975-02-30' }, auth);
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('ISSUER_INVALID_INPUT');
    const wrongShape = await post(t.app, '/residents', { ...body, sex: 4, address: 42 }, auth);
    expect(wrongShape.json.code).toBe('ISSUER_INVALID_BODY');
    for (const p of [bad, wrongShape]) {
      const text = JSON.stringify(p.json);
      for (const secret of ['一郎', '大阪府', '1975']) expect(text).not.toContain(secret);
    }
  });

  it('does not exist outside sandbox mode', async () => {
    const app = createIssuerApp({ ...t.deps, config: { ...t.deps.config, sandbox: false } });
    const res = await app.request('/residents', { headers: auth });
    expect(res.status).toBe(404);
  });

  it('is described in the OpenAPI document with the operator scheme', async () => {
    const doc = (await (await t.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security: unknown[] }>>;
    };
    expect(doc.paths['/residents']?.get?.security).toEqual([{ sandboxAdmin: [] }]);
    expect(doc.paths['/residents/{id}']?.get).toBeDefined();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/installations',
        '/installations/challenges',
        '/installations/{id}/jpki-certificates',
        '/installations/{id}/record-offer',
      ]),
    );
    expect(doc.paths['/installations/{id}/jpki-certificates']?.post?.security).toEqual([
      { installationToken: [] },
    ]);
  });
});
