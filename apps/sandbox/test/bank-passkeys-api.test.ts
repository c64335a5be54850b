/**
 * The sandbox bank's passkey backend over HTTP, without a browser: a valid verification's result carries the
 * session its passkey binds, the sign-in and account views are served, the routes take JSON only, never an
 * origin or an account from the browser (the options' RP ID is the host the page is served on — the sandbox
 * URL or its localhost twin), pass the verifier's refusals on unchanged, and keep the account view, the
 * address change and the step-up behind the sign-in cookie.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { presentAnnexC, type WalletDevice } from '@mynakit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPages, PAGES } from '../../../scripts/build-pages.mjs';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { sandboxBankOrigins } from '../src/sandbox-bank.js';
import { DECLARED_JSON } from './helpers/bank-form.js';

const MNC = 'org.iso.23220.1.jp.mnc';

interface Problem {
  code: string;
}

describe('the sandbox bank’s passkey backend', () => {
  let dataDir: string;
  let sandbox: RunningSandbox;
  let iphone: WalletDevice;

  const post = (path: string, body: unknown, contentType = 'application/json', base = sandbox.url) =>
    fetch(`${base}/verifier/bank/${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    });

  /** Opens a session at the bank's API and, unless `answer` is false, answers it from the iPhone. */
  const verified = async (answer = true) => {
    const opened = await post('api/sessions', DECLARED_JSON);
    expect(opened.status).toBe(201);
    const session = (await opened.json()) as {
      sessionId: string;
      request: { data: unknown };
      elements: Record<string, string[]>;
    };
    if (!answer) return session.sessionId;
    const { response } = await presentAnnexC({
      device: iphone,
      data: session.request.data,
      origin: sandbox.url,
      consent: { [MNC]: session.elements },
      userAuthentication: { method: 'biometric', matched: true },
    });
    const res = await post(`api/sessions/${session.sessionId}/response`, { response });
    expect(((await res.json()) as { verdict: string }).verdict).toBe('valid');
    return session.sessionId;
  };

  beforeAll(async () => {
    await buildPages({ pages: PAGES.filter((p) => p.name === 'bank'), log: () => undefined });
    dataDir = mkdtempSync(join(tmpdir(), 'mynakit-bank-passkeys-api-'));
    sandbox = await startSandbox({ port: 0, dataDir });
    iphone = sandbox.phones.find((p) => p.id === 'iphone') as WalletDevice;
    const installed = await fetch(`${sandbox.url}/wallet/phones/iphone/install`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        residentId: 'sandbox-ordinary-female',
        newAuthPin: '1234',
        newAuthPinAgain: '1234',
        newSignaturePassword: 'PASSKEY1',
        newSignaturePasswordAgain: 'PASSKEY1',
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

  it('is configured for the sandbox URL and its localhost twin (WebAuthn takes no IP address)', () => {
    const port = new URL(sandbox.url).port;
    expect(sandboxBankOrigins(sandbox.url)).toEqual([sandbox.url, `http://localhost:${port}`]);
    expect(sandboxBankOrigins('http://localhost:9')).toEqual(['http://localhost:9']);
  });

  it('keeps a valid verification’s result with the session its passkey binds, and serves the sign-in view', async () => {
    const sessionId = await verified();
    const result = (await (await fetch(`${sandbox.url}/verifier/bank/api/results/${sessionId}`)).json()) as {
      verdict: string;
      sessionId: string;
    };
    expect(result).toMatchObject({ verdict: 'valid', sessionId });
    const signin = await fetch(`${sandbox.url}/verifier/bank/signin/`);
    expect(signin.status).toBe(200);
    expect(await signin.text()).toContain('<div id="app">');
  }, 60_000);

  it('makes options for a valid verification with the RP ID of the host the page is on', async () => {
    const sessionId = await verified();
    const res = await post('api/passkeys/registration/options', {
      sessionId,
      origin: 'https://evil.example',
    });
    expect(res.status).toBe(200);
    const { options } = (await res.json()) as { options: { rp: { id: string } } };
    expect(options.rp.id).toBe('127.0.0.1');
    // Sign-in options: what the body says of the origin is not used; the twin's page gets `localhost`.
    const twin = sandboxBankOrigins(sandbox.url)[1] as string;
    for (const [base, rpId] of [
      [sandbox.url, '127.0.0.1'],
      [twin, 'localhost'],
    ] as const) {
      const signIn = await post(
        'api/passkeys/authentication/options',
        { origin: 'https://evil.example' },
        'application/json',
        base,
      );
      expect(signIn.status).toBe(200);
      expect(((await signIn.json()) as { options: { rpId: string } }).options.rpId).toBe(rpId);
    }
  }, 60_000);

  it('passes the verifier’s refusals on: no valid verification, no such session', async () => {
    const unanswered = await verified(false);
    const notValid = await post('api/passkeys/registration/options', { sessionId: unanswered });
    expect(notValid.status).toBe(409);
    expect(notValid.headers.get('content-type')).toContain('application/problem+json');
    expect(((await notValid.json()) as Problem).code).toBe('VERIFIER_PASSKEY_SESSION_NOT_VALID');
    const unknown = await post('api/passkeys/registration/options', { sessionId: 'no-such-session' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as Problem).code).toBe('VERIFIER_NOT_FOUND');
    // A response that is no WebAuthn answer: the verifier's validation problem, unchanged.
    const bogus = await post('api/passkeys/authentication/verify', { response: { id: 'x' } });
    expect(bogus.status).toBe(400);
    expect(bogus.headers.get('content-type')).toContain('application/problem+json');
  }, 60_000);

  it('refuses a form, a bad session id and a step-up without a sign-in', async () => {
    for (const path of [
      'api/passkeys/registration/options',
      'api/passkeys/registration/verify',
      'api/passkeys/authentication/options',
      'api/passkeys/authentication/verify',
      'api/passkeys/step-up/verify',
    ]) {
      const form = await post(path, 'sessionId=abc', 'application/x-www-form-urlencoded');
      expect(form.status, path).toBe(415);
      expect(((await form.json()) as Problem).code, path).toBe('BANK_JSON_ONLY');
    }
    const bad = await post('api/passkeys/registration/options', { sessionId: '../x' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Problem).code).toBe('BANK_BAD_SESSION');
    expect((await post('api/passkeys/registration/options', '[1,', 'application/json')).status).toBe(400);
    const stepUp = await post('api/passkeys/step-up/verify', { sessionId: 'abc' });
    expect(stepUp.status).toBe(401);
    expect(((await stepUp.json()) as Problem).code).toBe('BANK_NOT_SIGNED_IN');
    expect(await (await fetch(`${sandbox.url}/verifier/bank/api/passkeys/me`)).json()).toEqual({
      signedIn: false,
    });
    const account = await fetch(`${sandbox.url}/verifier/bank/account/`, { redirect: 'manual' });
    expect(account.status).toBe(302);
    expect(account.headers.get('location')).toBe('/verifier/bank/signin/');
    for (const [path, body] of [
      ['api/account/address-change', {}],
      ['api/account/sign-out', 'x=1'],
    ] as const) {
      const form = await post(path, 'x=1', 'application/x-www-form-urlencoded');
      expect(form.status, path).toBe(415);
      expect(((await form.json()) as Problem).code, path).toBe('BANK_JSON_ONLY');
      void body;
    }
    const change = await post('api/account/address-change', {});
    expect(change.status).toBe(401);
    expect(((await change.json()) as Problem).code).toBe('BANK_NOT_SIGNED_IN');
    const read = await fetch(`${sandbox.url}/verifier/bank/api/account`);
    expect(read.status).toBe(401);
    expect(((await read.json()) as Problem).code).toBe('BANK_NOT_SIGNED_IN');
  });
});
