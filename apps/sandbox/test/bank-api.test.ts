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
    const opened = await post('api/sessions', { origin: 'https://evil.example' });
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

    // The same answer again: the verifier's problem, passed on unchanged.
    const replayed = await post(`api/sessions/${session.sessionId}/response`, { response });
    expect(replayed.status).toBe(409);
    expect(replayed.headers.get('content-type')).toContain('application/problem+json');
    expect(((await replayed.json()) as { code: string }).code).toBe('VERIFIER_SESSION_USED');
  }, 60_000);

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
