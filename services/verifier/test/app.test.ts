/**
 * The verifier app through app.request(): the operator's relying-party routes, the auditor's record routes
 * with their access log, problems with stable codes that echo nothing sent, one log line per request
 * without personal data, and the routes not built yet answering 404.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifierApp } from '../src/app.js';
import { listRecordAccess } from '../src/records/access-log.js';
import { appendVerificationRecord } from '../src/records/record-chains.js';
import { openVerifierStore, type VerifierStore } from '../src/store/index.js';
import { recordContent, rpConfig } from './store.cases.js';

const ADMIN = 'operator-token-for-tests';
/** 2026-12-01T03:00:00Z = 12:00 in Japan. */
const NOW = Date.UTC(2026, 11, 1, 3);
const dir = mkdtempSync(join(tmpdir(), 'mynakit-verifier-app-'));
let store: VerifierStore;
let app: ReturnType<typeof createVerifierApp>;
const lines: string[] = [];

beforeAll(async () => {
  store = await openVerifierStore({ url: `sqlite:${join(dir, 'verifier.sqlite')}` });
  app = createVerifierApp({
    store,
    config: { origin: 'http://127.0.0.1:8403', adminToken: ADMIN, maxBodyBytes: 16 * 1024 },
    clock: () => new Date(NOW),
    log: (line) => lines.push(line),
  });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const asOperator = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function createParty(overrides: Record<string, unknown> = {}) {
  const res = await app.request('/relying-parties', {
    method: 'POST',
    headers: asOperator,
    body: JSON.stringify({ ...rpConfig(), ...overrides }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as {
    relyingParty: { id: string; config: Record<string, unknown> };
    apiKey: { apiKey: string; role: string; credentialId: string };
  };
}

async function auditorKey(id: string): Promise<string> {
  const res = await app.request(`/relying-parties/${id}/api-keys`, {
    method: 'POST',
    headers: asOperator,
    body: JSON.stringify({ role: 'auditor' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { apiKey: string }).apiKey;
}

describe('verifier app: /relying-parties', () => {
  it('needs the operator token', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${ADMIN}` }]) {
      const res = await app.request('/relying-parties', { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      expect(((await res.json()) as { code: string }).code).toBe('VERIFIER_UNAUTHORIZED');
    }
  });

  it('creates, lists, reads and updates a relying party; the API key is answered once', async () => {
    const created = await createParty({ law: 'keitai', retentionYears: 5 });
    expect(created.apiKey.role).toBe('rp');
    expect(created.relyingParty.config).toMatchObject({
      law: 'keitai',
      retentionYears: 5,
      isSignatureVerifier: false,
      revocation: { check: 'required', undetermined: 'reject' },
      verificationProgram: { certified: false },
    });
    const id = created.relyingParty.id;
    const list = (await (await app.request('/relying-parties', { headers: asOperator })).json()) as {
      relyingParties: { id: string }[];
    };
    expect(list.relyingParties.map((r) => r.id)).toContain(id);
    const one = await app.request(`/relying-parties/${id}`, { headers: asOperator });
    expect(one.status).toBe(200);
    expect(JSON.stringify(await one.json())).not.toContain(created.apiKey.apiKey);
    const updated = await app.request(`/relying-parties/${id}`, {
      method: 'PUT',
      headers: asOperator,
      body: JSON.stringify({
        ...rpConfig({ name: 'Renamed Bank' }),
        myNumberLegalBasis: '番号法 §9(1) 別表第一',
        revocation: { check: 'required', undetermined: 'accept-flagged' },
      }),
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({
      name: 'Renamed Bank',
      config: { myNumberLegalBasis: '番号法 §9(1) 別表第一', revocation: { undetermined: 'accept-flagged' } },
    });
    const missing = await app.request('/relying-parties/00000000-0000-4000-8000-000000000000', {
      headers: asOperator,
    });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('VERIFIER_NOT_FOUND');
  });

  it('refuses a configuration out of its schema with 400 VERIFIER_INVALID_BODY, naming the field, not the value', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ law: 'secret-law-試験' }, 'law'],
      [{ revocation: { check: 'required', undetermined: 'maybe-試験' } }, 'revocation.undetermined'],
      [{ trustAnchors: ['bm90IGEgY2VydGlmaWNhdGU='] }, 'trustAnchors.0'],
      [{ readerCertificate: '試験' }, 'readerCertificate'],
      [{ unexpected: '試験' }, ''],
      [
        { verificationProgram: { name: 'x', version: '1', certified: 'yes-試験' } },
        'verificationProgram.certified',
      ],
    ];
    for (const [overrides, field] of cases) {
      const res = await app.request('/relying-parties', {
        method: 'POST',
        headers: asOperator,
        body: JSON.stringify({ ...rpConfig(), ...overrides }),
      });
      expect(res.status, field).toBe(400);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ code: 'VERIFIER_INVALID_BODY', status: 400 });
      if (field !== '') expect(JSON.parse(text).detail).toContain(field);
      expect(text).not.toContain('試験');
    }
    const taken = rpConfig();
    await createParty({ clientId: taken.clientId });
    const dup = await app.request('/relying-parties', {
      method: 'POST',
      headers: asOperator,
      body: JSON.stringify(taken),
    });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { code: string }).code).toBe('VERIFIER_DUPLICATE');
  });

  it('accepts a DER certificate as a trust anchor and reader certificate', async () => {
    const key = join(dir, 'anchor.key');
    const pem = execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-subj',
        '/CN=Test IACA',
        '-days',
        '30',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64');
    const created = await createParty({ trustAnchors: [der], readerCertificate: der });
    expect(created.relyingParty.config.trustAnchors).toEqual([der]);
  });

  it('bounds the body with 413', async () => {
    const res = await app.request('/relying-parties', {
      method: 'POST',
      headers: asOperator,
      body: JSON.stringify({ ...rpConfig(), name: 'x'.repeat(20_000) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('VERIFIER_BODY_TOO_LARGE');
  });
});

describe('verifier app: /records', () => {
  let partyId: string;
  let rpKey: string;
  let auditor: string;
  let otherAuditor: string;
  const ids: string[] = [];

  beforeAll(async () => {
    const created = await createParty();
    partyId = created.relyingParty.id;
    rpKey = created.apiKey.apiKey;
    auditor = await auditorKey(partyId);
    const other = await createParty();
    otherAuditor = await auditorKey(other.relyingParty.id);
    for (let i = 0; i < 3; i++)
      ids.push(
        (
          await appendVerificationRecord(store, {
            relyingPartyId: partyId,
            writerId: 'app',
            content: recordContent(i) as never,
            // 2026-12-01 in Japan, an hour apart.
            now: NOW + i * 3_600_000,
          })
        ).id,
      );
    await appendVerificationRecord(store, {
      relyingPartyId: other.relyingParty.id,
      writerId: 'app',
      content: recordContent(9) as never,
      now: NOW,
    });
  });

  it('needs an auditor key: 401 without one, 403 with the rp key', async () => {
    const none = await app.request('/records?from=2026-12-01&to=2026-12-01');
    expect(none.status).toBe(401);
    expect(((await none.json()) as { code: string }).code).toBe('VERIFIER_UNAUTHORIZED');
    const rp = await app.request('/records?from=2026-12-01&to=2026-12-01', { headers: bearer(rpKey) });
    expect(rp.status).toBe(403);
    expect(((await rp.json()) as { code: string }).code).toBe('VERIFIER_FORBIDDEN');
    const operator = await app.request('/records?from=2026-12-01&to=2026-12-01', { headers: bearer(ADMIN) });
    expect(operator.status).toBe(401);
  });

  it('lists its own records by Japan day with paging, reads one, and logs each read', async () => {
    const before = (await listRecordAccess(store, { relyingPartyId: partyId })).length;
    const first = await app.request('/records?from=2026-12-01&to=2026-12-01&limit=2', {
      headers: bearer(auditor),
    });
    expect(first.status).toBe(200);
    const page = (await first.json()) as { records: { id: string; content: unknown }[]; next: string };
    expect(page.records.map((r) => r.id)).toEqual(ids.slice(0, 2));
    const second = (await (
      await app.request(
        `/records?from=2026-12-01&to=2026-12-01&limit=2&after=${encodeURIComponent(page.next)}`,
        {
          headers: bearer(auditor),
        },
      )
    ).json()) as { records: { id: string }[]; next?: string };
    expect(second.records.map((r) => r.id)).toEqual([ids[2]]);
    expect(second.next).toBeUndefined();
    // The day before in Japan holds nothing.
    const empty = (await (
      await app.request('/records?from=2026-11-30&to=2026-11-30', { headers: bearer(auditor) })
    ).json()) as { records: unknown[] };
    expect(empty.records).toEqual([]);
    const one = await app.request(`/records/${ids[1]}`, { headers: bearer(auditor) });
    expect(one.status).toBe(200);
    expect(((await one.json()) as { content: unknown }).content).toEqual(recordContent(1));
    // Another relying party's auditor does not see it.
    const foreign = await app.request(`/records/${ids[1]}`, { headers: bearer(otherAuditor) });
    expect(foreign.status).toBe(404);

    const log = await listRecordAccess(store, { relyingPartyId: partyId });
    expect(log.slice(before).map((e) => [e.action, e.recordCount])).toEqual([
      ['list', 2],
      ['list', 1],
      ['list', 0],
      ['read', 1],
    ]);
    expect(log.at(-1)?.recordIds).toEqual([ids[1]]);
    expect(log.at(-1)?.actor).toMatch(/^credential:/);
  });

  it('exports JSON and CSV, each logged', async () => {
    const before = (await listRecordAccess(store, { relyingPartyId: partyId })).length;
    const json = await app.request('/records/export?from=2026-12-01&to=2026-12-31', {
      headers: bearer(auditor),
    });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json');
    const body = (await json.json()) as { records: { id: string; hash: string }[] };
    expect(body.records.map((r) => r.id)).toEqual(ids);
    const csv = await app.request('/records/export?from=2026-12-01&to=2026-12-31&format=csv', {
      headers: bearer(auditor),
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    const rows = text.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'id,relying_party_id,chain_id,seq,recorded_at,retain_until,tombstoned_at,legal_hold,prev_hash,content_hash,hash,content,transaction_purpose,transaction_purpose_detail,occupation,occupation_detail',
    );
    expect(rows).toHaveLength(4);
    expect(rows[1]).toContain(ids[0]);
    expect(rows[1]).toContain('"{""identity"":');
    const log = await listRecordAccess(store, { relyingPartyId: partyId });
    expect(log.slice(before).map((e) => [e.action, e.recordCount, e.scope])).toEqual([
      ['export', 3, '2026-12-01..2026-12-31 json'],
      ['export', 3, '2026-12-01..2026-12-31 csv'],
    ]);
    const bad = await app.request('/records/export?from=2026-02-30&to=2026-12-31', {
      headers: bearer(auditor),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('VERIFIER_INVALID_INPUT');
    const format = await app.request('/records/export?from=2026-12-01&to=2026-12-31&format=xml', {
      headers: bearer(auditor),
    });
    expect(format.status).toBe(400);
  });
});

describe('verifier app: the rest', () => {
  it('answers 404 problems for unknown paths', async () => {
    const res = await app.request('/nothing-here');
    expect(((await res.json()) as { code: string }).code).toBe('VERIFIER_NOT_FOUND');
    // /sessions and /passkeys are built: they need a relying party's rp key.
    for (const path of ['/sessions', '/sessions/abc/response', '/passkeys/registration/options'])
      expect((await app.request(path, { method: 'POST' })).status).toBe(401);
  });

  it('serves /openapi.json and /health', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/relying-parties',
        '/relying-parties/{id}',
        '/records',
        '/records/export',
        '/records/{id}',
        '/sessions',
        '/sessions/{id}',
        '/sessions/{id}/response',
      ]),
    );
    expect(await (await app.request('/health')).json()).toEqual({ status: 'ok' });
  });

  it('logs one line per request with the route pattern, never personal data nor a secret', () => {
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      expect(line).toMatch(/^[A-Z]+ \S+ \d{3} [\d.]+ms$/);
      expect(line).not.toContain('試験');
      expect(line).not.toContain(ADMIN);
      expect(line).not.toContain('mvk_');
    }
    expect(lines).toContain(lines.find((l) => l.startsWith('GET /records/:id 200')));
    expect(readFileSync(join(dir, 'verifier.sqlite')).length).toBeGreaterThan(0);
  });
});
