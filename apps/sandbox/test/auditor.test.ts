/**
 * The auditor's view in the sandbox (auditor-pages.ts): after the bank verifies a phone's record, the
 * auditor sees the record of the day with its outcome, reads it in full, exports the day as CSV, and the
 * chain check says the chains are intact — until a record's content is edited in the database, when it names
 * the broken record. Every read went to the verifier's access log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listRecordAccess, openVerifierStore } from '@mynakit/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { DECLARED_FIELDS } from './helpers/bank-form.js';

const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-sandbox-auditor-'));
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, dataDir, log: () => undefined });
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (path: string) => fetch(`${sandbox.url}${path}`);
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
    const verified = await form('/verifier/bank/verify', { phone: 'iphone', ...DECLARED_FIELDS });
    const result = await verified.text();
    expect(verified.status, result.slice(0, 300)).toBe(200);
    const recordId = /data-record="([^"]+)"/.exec(result)?.[1];
    expect(recordId).toBeDefined();

    const list = await get('/verifier/auditor/');
    const listPage = await list.text();
    expect(list.status).toBe(200);
    expect(listPage).toContain('lang="ja"');
    expect(listPage).toContain(`href="/verifier/auditor/records/${recordId}"`);
    expect(listPage).toContain('verified');

    const detail = await get(`/verifier/auditor/records/${recordId}`);
    const detailPage = await detail.text();
    expect(detail.status).toBe(200);
    expect(detailPage).toContain(recordId as string);
    expect(detailPage).toContain('&quot;transactionType&quot;: &quot;account-opening&quot;');
    expect(detailPage).not.toContain('individual_number');
    expect((await get('/verifier/auditor/records/no-such-record')).status).toBe(404);
    expect((await get('/verifier/auditor/records/..%2F..%2Fetc')).status).toBe(404);

    const csv = await get('/verifier/auditor/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toContain(recordId as string);
    expect((await get('/verifier/auditor/?from=2026-13-01&to=x')).status).toBe(400);

    const intact = await (await get('/verifier/auditor/chains')).text();
    expect(intact).toContain('class="verdict valid"');

    // Someone edits the record's content in the database: the chain check names it.
    const store = await openVerifierStore({ url: `sqlite:${join(dataDir, 'verifier', 'verifier.sqlite')}` });
    try {
      const row = await store.db
        .selectFrom('verification_records')
        .select('content')
        .where('id', '=', recordId as string)
        .executeTakeFirstOrThrow();
      await store.db
        .updateTable('verification_records')
        .set({ content: String(row.content).replace('account-opening', 'loan') })
        .where('id', '=', recordId as string)
        .execute();
      const broken = await (await get('/verifier/auditor/chains')).text();
      expect(broken).toContain('class="verdict invalid"');
      const seq = /#(\d+) — /.exec(broken);
      expect(seq).not.toBeNull();
      // Every read above was logged by the verifier as an auditor's access.
      const access = await listRecordAccess(store);
      expect(access.map((a) => a.action)).toEqual(expect.arrayContaining(['list', 'read', 'export']));
      expect(access.every((a) => a.actor.startsWith('credential:'))).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000);
});
