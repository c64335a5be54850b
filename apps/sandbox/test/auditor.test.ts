/**
 * The auditor's view in the sandbox (auditor-pages.ts, built-page.ts): after the bank verifies a phone's
 * record, the JSON routes under `/verifier/auditor/api/` list the record of the day (method letter, law,
 * channel, verdict, the customer's declaration), give it in full, export the day as CSV and JSON, and the
 * chain check says the chains are intact — until a record's content is edited in the database, when it names
 * the broken record by id. Every read went to the verifier's access log. Bad input gets a problem with a
 * stable code that echoes nothing. The page itself is the Vite build, served with its cache headers; without
 * a build the page says how to make one.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listRecordAccess, type OpenedVerifier, openVerifierStore } from '@mynakit/verifier';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCalendarDay, japanToday, registerAuditorPages } from '../src/auditor-pages.js';
import { BUILD_PAGES_COMMAND, registerBuiltPage } from '../src/built-page.js';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { DECLARED_FIELDS, verifyAtBank } from './helpers/bank-form.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-sandbox-auditor-'));
let sandbox: RunningSandbox;

beforeAll(async () => {
  // The page itself: built when missing or older than its sources.
  const build = spawnSync('node', ['scripts/build-pages.mjs'], { cwd: REPO, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build-pages failed: ${build.stderr}`);
  sandbox = await startSandbox({ port: 0, dataDir, log: () => undefined });
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (path: string) => fetch(`${sandbox.url}${path}`, { redirect: 'manual' });
// biome-ignore lint/suspicious/noExplicitAny: the answers are read loosely and asserted field by field
type Json = any;
const json = async (path: string) => {
  const r = await get(path);
  return { status: r.status, type: r.headers.get('content-type'), body: (await r.json()) as Json };
};
const form = (path: string, fields: Record<string, string>) =>
  fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });

describe('the auditor’s view of the bank’s verification records', () => {
  it('lists, shows, exports and chain-checks the records, and names a record edited in the database', async () => {
    const installed = await form('/wallet/phones/iphone/install', {
      residentId: 'sandbox-ordinary-female',
      newAuthPin: '1234',
      newAuthPinAgain: '1234',
      newSignaturePassword: 'AUDIT2026',
      newSignaturePasswordAgain: 'AUDIT2026',
      liveness: 'confirmed',
    });
    expect(installed.status).toBe(303);
    const verified = await verifyAtBank(sandbox.url, 'iphone');
    expect(verified.status, JSON.stringify(verified.body).slice(0, 300)).toBe(200);
    const recordId = verified.body.recordId as string;
    expect(recordId).toMatch(/\S/);

    // The day's list (today in Japan by default), with what an auditor scans for and no identity facts.
    const list = await json('/verifier/auditor/api/records');
    expect(list.status).toBe(200);
    const today = japanToday(new Date());
    expect(list.body).toMatchObject({ from: today, to: today, more: false });
    const line = list.body.records.find((r: { id: string }) => r.id === recordId);
    expect(line).toMatchObject({
      outcome: 'verified',
      verdict: 'valid',
      channel: expect.stringMatching(/^dc-api-/),
      law: expect.any(String),
      // The sandbox's program is not certified: no letter, and the reason says so.
      method: null,
      methodReasons: expect.arrayContaining(['KYC_PROGRAM_NOT_CERTIFIED']),
      transactionType: 'account-opening',
      transactionPurpose: { code: DECLARED_FIELDS.transactionPurpose, name_ja: '生計費決済' },
      occupation: { code: DECLARED_FIELDS.occupation, name_ja: '会社員' },
      tombstoned: false,
    });
    expect(JSON.stringify(list.body)).not.toMatch(/"name"|"address"|"birthDate"|individual_number/);
    const ranged = await json(`/verifier/auditor/api/records?from=${today}&to=${today}`);
    expect(ranged.body.records.map((r: { id: string }) => r.id)).toContain(recordId);

    // One record in full.
    const detail = await json(`/verifier/auditor/api/records/${recordId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.id).toBe(recordId);
    expect(detail.body.content.transactionType).toBe('account-opening');
    expect(JSON.stringify(detail.body)).not.toContain('individual_number');
    for (const bad of ['zz-unknown-9f3a', '..%2F..%2Fetc', 'x'.repeat(65)]) {
      const missing = await json(`/verifier/auditor/api/records/${bad}`);
      expect(missing.status).toBe(404);
      expect(missing.type).toContain('application/problem+json');
      expect(missing.body.code).toBe('AUDITOR_NO_SUCH_RECORD');
      expect(JSON.stringify(missing.body)).not.toContain(bad);
    }

    // Exports as downloads.
    const csv = await get('/verifier/auditor/api/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename="verification-records-.+\.csv"$/,
    );
    expect(await csv.text()).toContain(recordId);
    const exported = await get(`/verifier/auditor/api/export?format=json&from=${today}&to=${today}`);
    expect(exported.headers.get('content-type')).toContain('application/json');
    expect(await exported.text()).toContain(recordId);

    // Bad ranges and formats: problems with stable codes, the input not echoed.
    for (const query of [
      'from=2026-13-01&to=x',
      'from=2026-02-30&to=2026-03-01',
      'from=2026-03-02&to=2026-03-01',
    ]) {
      const bad = await json(`/verifier/auditor/api/records?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.type).toContain('application/problem+json');
      expect(bad.body.code).toBe('AUDITOR_INVALID_RANGE');
      expect(JSON.stringify(bad.body)).not.toContain('2026-13-01');
      expect((await json(`/verifier/auditor/api/export?${query}`)).body.code).toBe('AUDITOR_INVALID_RANGE');
    }
    expect((await json('/verifier/auditor/api/export?format=xml')).body.code).toBe('AUDITOR_INVALID_FORMAT');
    expect((await json('/verifier/auditor/api/nothing')).body.code).toBe('AUDITOR_NOT_FOUND');

    const intact = await json('/verifier/auditor/api/chains');
    expect(intact.status).toBe(200);
    expect(intact.body.verdict).toBe('valid');
    expect(intact.body.firstBroken).toBeNull();
    expect(intact.body.counts.records).toBeGreaterThan(0);

    // Someone edits the record's content in the database: the chain check names it.
    const store = await openVerifierStore({ url: `sqlite:${join(dataDir, 'verifier', 'verifier.sqlite')}` });
    try {
      const row = await store.db
        .selectFrom('verification_records')
        .select(['content', 'seq', 'chain_id'])
        .where('id', '=', recordId)
        .executeTakeFirstOrThrow();
      await store.db
        .updateTable('verification_records')
        .set({ content: String(row.content).replace('account-opening', 'loan') })
        .where('id', '=', recordId)
        .execute();
      const broken = await json('/verifier/auditor/api/chains');
      expect(broken.body.verdict).toBe('invalid');
      expect(broken.body.firstBroken).toMatchObject({ chainId: row.chain_id, seq: row.seq, recordId });
      expect(broken.body.checks.find((k: { id: string }) => k.id === 'chain.content')?.status).toBe('failed');
      // Every read above was logged by the verifier as an auditor's access.
      const access = await listRecordAccess(store);
      expect(access.map((a) => a.action)).toEqual(expect.arrayContaining(['list', 'read', 'export']));
      expect(access.every((a) => a.actor.startsWith('credential:'))).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('serves the built page at /verifier/auditor/ with its cache headers, and no other file', async () => {
    const bare = await get('/verifier/auditor');
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('auditor/');
    const page = await get('/verifier/auditor/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('lang="ja"');
    expect(html).toContain('確認記録の監査');
    const script = /src="\.\/(assets\/index-[\w-]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await get(`/verifier/auditor/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const path of ['..%2F..%2Fpackage.json', '%2e%2e/index.html', 'assets%2Fx.js', 'nothing.js']) {
      const refused = await get(`/verifier/auditor/${path}`);
      expect(refused.status, path).not.toBe(200);
    }
    const missing = await json('/verifier/auditor/nothing.js');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('AUDITOR_NOT_FOUND');
    // The verifier's page still links it.
    expect(await (await get('/verifier/')).text()).toContain('href="/verifier/auditor/"');
  });

  it('says how to build the page when its build is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mynakit-built-page-'));
    try {
      const app = new Hono();
      const pageDir = join(dir, 'auditor');
      registerBuiltPage(app, {
        prefix: '/verifier/auditor',
        dir: pageDir,
        titleJa: '確認記録の監査',
        titleEn: 'Auditing the verification records',
        notFoundCode: 'AUDITOR_NOT_FOUND',
      });
      const before = await app.request('/verifier/auditor/');
      expect(before.status).toBe(200);
      expect(before.headers.get('cache-control')).toBe('no-store');
      const text = await before.text();
      expect(text).toContain('data-page-not-built');
      expect(text).toContain(BUILD_PAGES_COMMAND);
      // A build appears: the page is served from then on, without a restart.
      mkdirSync(pageDir, { recursive: true });
      writeFileSync(join(pageDir, 'index.html'), '<!doctype html><p>built</p>');
      expect(await (await app.request('/verifier/auditor/')).text()).toContain('built');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers problems when the verifier refuses the key or knows no such record', async () => {
    const seen: string[] = [];
    const app = new Hono();
    let keyStatus = 401;
    registerAuditorPages(app, {
      url: 'http://sandbox.test',
      // Only the clock is read outside the verifier's routes here: 01:00 on 1 April in Japan, still 31 March in UTC.
      verifier: { deps: { clock: () => new Date('2026-03-31T16:00:00Z') } } as unknown as OpenedVerifier,
      verifierFetch: (request) => {
        const path = new URL(request.url).pathname;
        seen.push(`${path}${new URL(request.url).search} ${request.headers.get('authorization') ?? ''}`);
        const body = (status: number, code: string) =>
          new Response(JSON.stringify({ code }), {
            status,
            headers: { 'content-type': 'application/problem+json' },
          });
        if (path.endsWith('/api-keys'))
          return keyStatus === 201
            ? new Response(JSON.stringify({ apiKey: { apiKey: 'auditor-key-1' } }), { status: 201 })
            : body(keyStatus, 'VERIFIER_UNAUTHORIZED');
        if (path.startsWith('/verifier/records/')) return body(404, 'VERIFIER_NOT_FOUND');
        return body(500, 'VERIFIER_INTERNAL');
      },
      adminToken: 'operator-token',
      relyingPartyId: 'sandbox-bank',
      pageDir: join(dataDir, 'no-build-here'),
    });
    const read = async (path: string) => {
      const r = await app.request(path);
      return { status: r.status, type: r.headers.get('content-type'), body: (await r.json()) as Json };
    };
    // No key: 502, and the key is asked for again on the next request.
    const noKey = await read('/verifier/auditor/api/records');
    expect(noKey.status).toBe(502);
    expect(noKey.type).toContain('application/problem+json');
    expect(noKey.body).toMatchObject({
      code: 'AUDITOR_RECORDS_UNAVAILABLE',
      detail: expect.stringContaining('AUDITOR_KEY_UNAVAILABLE'),
    });
    keyStatus = 201;
    const failing = await read('/verifier/auditor/api/records?from=2026-03-01&to=2026-03-31');
    expect(failing.status).toBe(502);
    expect(failing.body.detail).toContain('VERIFIER_INTERNAL');
    expect(seen.filter((s) => s.endsWith('/api-keys Bearer operator-token'))).toHaveLength(2);
    // The records were asked for with the auditor key, never the operator token; by default for today in Japan.
    expect(seen).toContain('/verifier/records?from=2026-03-01&to=2026-03-31&limit=200 Bearer auditor-key-1');
    expect((await read('/verifier/auditor/api/records')).status).toBe(502);
    expect(seen).toContain('/verifier/records?from=2026-04-01&to=2026-04-01&limit=200 Bearer auditor-key-1');
    expect((await read('/verifier/auditor/api/records/abc-123')).body.code).toBe('AUDITOR_NO_SUCH_RECORD');
    expect((await read('/verifier/auditor/api/export?format=csv')).body.code).toBe(
      'AUDITOR_RECORDS_UNAVAILABLE',
    );
  });

  it('takes only calendar days', () => {
    expect(isCalendarDay('2026-02-28')).toBe(true);
    expect(isCalendarDay('2028-02-29')).toBe(true);
    expect(isCalendarDay('2026-02-29')).toBe(false);
    expect(isCalendarDay('2026-13-01')).toBe(false);
    expect(isCalendarDay('2026-1-01')).toBe(false);
    expect(japanToday(new Date('2026-03-31T15:00:00Z'))).toBe('2026-04-01');
  });
});
