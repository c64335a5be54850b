/**
 * The sandbox bank's backend for its page's Digital Credentials API path, over HTTP without a browser:
 * the page is safe without scripts (the browser-wallet choice hidden and disabled), the SDK's page bundle
 * is served beside it, `api/sessions` opens a session for the bank's own origin (whatever the browser
 * says) with the key kept on the server, `api/sessions/:id/response` passes the verifier's report on with
 * the result page's address — or its problem unchanged — and the result page says who answered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { presentAnnexC, type WalletDevice } from '@mynakit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundles } from '../../../scripts/build-pages.mjs';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { DECLARED_JSON } from './helpers/bank-form.js';

const MNC = 'org.iso.23220.1.jp.mnc';

describe('the sandbox bank’s API for its page', () => {
  let dataDir: string;
  let sandbox: RunningSandbox;
  let iphone: WalletDevice;

  const post = (path: string, body: unknown, contentType = 'application/json') =>
    fetch(`${sandbox.url}/verifier/bank/${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    await buildBundles({ log: () => undefined });
    dataDir = mkdtempSync(join(tmpdir(), 'mynakit-bank-api-'));
    sandbox = await startSandbox({ port: 0, dataDir });
    iphone = sandbox.phones.find((p) => p.id === 'iphone') as WalletDevice;
    const installed = await fetch(`${sandbox.url}/wallet/phones/iphone/install`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        residentId: 'sandbox-ordinary-female',
        newAuthPin: '1234',
        newAuthPinAgain: '1234',
        newSignaturePassword: 'BANKAPI1',
        newSignaturePasswordAgain: 'BANKAPI1',
        liveness: 'confirmed',
      }).toString(),
      redirect: 'manual',
    });
    expect(installed.status).toBe(303);
  }, 120_000);
  afterAll(async () => {
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves a page whose browser-wallet choice is hidden and disabled until its script finds the API', async () => {
    const page = await (await fetch(`${sandbox.url}/verifier/bank/`)).text();
    expect(page).toMatch(/<div data-choice="dc-api" hidden>/);
    expect(page).toMatch(/value="dc-api" disabled>/);
    expect(page).toContain('<script type="module">');
    expect(page).toContain('data-dc-timeout="60000"');
    // The timeout a page asks for is bounded.
    expect(await (await fetch(`${sandbox.url}/verifier/bank/?dcTimeout=1`)).text()).toContain(
      'data-dc-timeout="500"',
    );
    const sdk = await fetch(`${sandbox.url}/verifier/bank/verifier-sdk-dc-api.js`);
    expect(sdk.status).toBe(200);
    expect(sdk.headers.get('content-type')).toContain('text/javascript');
    expect(await sdk.text()).toContain('verifyWithMyNumberCard');
  });

  it('opens a session for its own origin, verifies the answer once, and shows who answered', async () => {
    expect((await post('api/sessions', 'purpose=x', 'application/x-www-form-urlencoded')).status).toBe(415);
    // What the browser says of the origin is not used: the bank binds the session to its own (the
    // answer made for the sandbox's origin verifies below).
    const opened = await post('api/sessions', { origin: 'https://evil.example', ...DECLARED_JSON });
    expect(opened.status).toBe(201);
    const session = (await opened.json()) as {
      sessionId: string;
      request: { protocol: string; data: unknown };
      elements: Record<string, string[]>;
    };
    expect(session.request.protocol).toBe('org-iso-mdoc');
    const { response } = await presentAnnexC({
      device: iphone,
      data: session.request.data,
      origin: sandbox.url,
      consent: { [MNC]: session.elements },
      userAuthentication: { method: 'biometric', matched: true },
    });
    const answered = await post(`api/sessions/${session.sessionId}/response`, { response });
    expect(answered.status).toBe(200);
    const report = (await answered.json()) as { verdict: string; resultUrl: string; methodReasons: string[] };
    expect(report.verdict).toBe('valid');
    expect(report.methodReasons).toContain('KYC_PROGRAM_NOT_CERTIFIED');
    expect(report.resultUrl).toBe(`result/${session.sessionId}`);
    const result = await (await fetch(`${sandbox.url}/verifier/bank/${report.resultUrl}`)).text();
    expect(result).toContain('data-answered-by="dc-api"');
    expect(result).toContain('data-verdict="valid"');
    expect(result).toContain('花子');
    // What the customer declared is shown beside the record that keeps it.
    expect(result).toContain('data-field="transactionPurpose" data-code="living-expenses"');
    expect(result).toContain('data-field="occupation" data-code="company-employee"');

    // The same answer again: the verifier's problem, passed on unchanged.
    const replayed = await post(`api/sessions/${session.sessionId}/response`, { response });
    expect(replayed.status).toBe(409);
    expect(replayed.headers.get('content-type')).toContain('application/problem+json');
    expect(((await replayed.json()) as { code: string }).code).toBe('VERIFIER_SESSION_USED');
  }, 60_000);

  it('asks the purpose of the transaction and the occupation; the verifier refuses without them, and My Number', async () => {
    const page = await (await fetch(`${sandbox.url}/verifier/bank/`)).text();
    expect(page).toContain('<select name="transactionPurpose" required style="max-width:100%">');
    expect(page).toContain('<select name="occupation" required style="max-width:100%">');
    expect(page).toContain('value="company-employee"');
    expect(page).toContain('name="askMyNumber"');
    const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;
    // 取引時確認 under 犯収法: no session without them.
    const bare = await post('api/sessions', {});
    expect(bare.status).toBe(400);
    expect(await codeOf(bare)).toBe('VERIFIER_TRANSACTION_PURPOSE_REQUIRED');
    const noOccupation = await post('api/sessions', { transactionPurpose: DECLARED_JSON.transactionPurpose });
    expect(await codeOf(noOccupation)).toBe('VERIFIER_OCCUPATION_REQUIRED');
    // A detail with a My Number in it is refused, and not echoed.
    const written = await post('api/sessions', {
      ...DECLARED_JSON,
      occupation: { code: 'other', detail: '通訳 1234 5678 9018' },
    });
    const writtenText = await written.text();
    expect(written.status).toBe(422);
    expect(JSON.parse(writtenText).code).toBe('VERIFIER_RECORD_FORBIDDEN_CONTENT');
    expect(writtenText).not.toContain('5678');
    // The developer's switch: the bank has no legal basis, the verifier opens no session.
    const myNumber = await post('api/sessions', { ...DECLARED_JSON, askMyNumber: true });
    expect(myNumber.status).toBe(400);
    expect(await codeOf(myNumber)).toBe('VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS');
    // The same through the bridge's form: refused before any phone is asked, the code on the page.
    const form = (fields: Record<string, string>) =>
      fetch(`${sandbox.url}/verifier/bank/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ phone: 'iphone', ...fields }).toString(),
      });
    const before = (await iphone.store.presentations.list(iphone.id)).length;
    const refused = await form({
      transactionPurpose: 'living-expenses',
      occupation: 'company-employee',
      askMyNumber: 'on',
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('data-error="VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS"');
    const undeclared = await form({});
    expect(undeclared.status).toBe(400);
    expect(await undeclared.text()).toContain('data-error="VERIFIER_TRANSACTION_PURPOSE_REQUIRED"');
    expect(await iphone.store.presentations.list(iphone.id)).toHaveLength(before);
  });

  it('refuses a malformed session id, an unknown result, and answers without JSON', async () => {
    const bad = await post('api/sessions/..%2Fx/response', { response: 'AAAA' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('BANK_BAD_SESSION');
    expect((await post('api/sessions/abc/response', 'response=AAAA', 'text/plain')).status).toBe(415);
    const unknown = await fetch(`${sandbox.url}/verifier/bank/result/no-such-session`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('BANK_NO_RESULT');
  });
});
