/**
 * Story 3 in full, over HTTP without a browser: after the phone signs the bank's application through the
 * bridge (the holder types the signature password on the phone's screen) and the verifier verifies the JPKI
 * signature, the result page offers the same passkey as story 2
 * (bank-passkeys.ts) bound to that JPKI session, and the bank's backend gets registration options for it
 * from the verifier — the RP ID the host the page is on (the sandbox URL or its localhost twin), never an
 * origin the browser names. A refused signature (a wrong password counted on the phone, then the holder's
 * decline) has no result and no session to bind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPages, PAGES } from '../../../scripts/build-pages.mjs';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { sandboxBankOrigins } from '../src/sandbox-bank.js';
import { DECLARED_JSON } from './helpers/bank-form.js';
import { answerOnPhone, sandboxFetch, withHolderAnswer } from './helpers/phone-consent.js';

const PASSWORD = 'JPKIPASS1';

describe('story 3: a passkey after the JPKI-signed application', () => {
  let dataDir: string;
  let sandbox: RunningSandbox;

  /** The bank's JPKI signature as its page asks it: the application waits on the iPhone's screen. */
  const sign = () =>
    fetch(`${sandbox.url}/verifier/bank/api/jpki/sign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: 'iphone', ...DECLARED_JSON }),
    });
  const options = (sessionId: string, base: string) =>
    fetch(`${base}/verifier/bank/api/passkeys/registration/options`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId, origin: 'https://evil.example' }),
    });

  beforeAll(async () => {
    await buildPages({ pages: PAGES.filter((p) => p.name === 'bank'), log: () => undefined });
    dataDir = mkdtempSync(join(tmpdir(), 'mynakit-jpki-bank-passkeys-'));
    sandbox = await startSandbox({ port: 0, dataDir });
    const installed = await fetch(`${sandbox.url}/wallet/phones/iphone/install`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        residentId: 'sandbox-ordinary-female',
        newAuthPin: '1234',
        newAuthPinAgain: '1234',
        newSignaturePassword: PASSWORD,
        newSignaturePasswordAgain: PASSWORD,
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

  it('offers the passkey with the JPKI session id; the backend’s options for it answer 200', async () => {
    const { result: res } = await withHolderAnswer(sandboxFetch(sandbox.url), 'iphone', sign, {
      password: PASSWORD,
    });
    const text = await res.text();
    expect(res.status, text.slice(0, 600)).toBe(200);
    const result = JSON.parse(text) as { verdict: string; sessionId: string; resultUrl: string };
    expect(result.verdict).toBe('valid');
    const sessionId = result.sessionId;
    expect(result.resultUrl).toBe(`jpki/result/${sessionId}`);
    // The result's view reads it again, with the session its passkey offer binds.
    const kept = await fetch(`${sandbox.url}/verifier/bank/api/jpki/results/${sessionId}`);
    expect(((await kept.json()) as { sessionId: string }).sessionId).toBe(sessionId);
    const twin = sandboxBankOrigins(sandbox.url)[1] as string;
    for (const [base, rpId] of [
      [sandbox.url, '127.0.0.1'],
      [twin, 'localhost'],
    ] as const) {
      const answer = await options(sessionId as string, base);
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as { options: { rp: { id: string }; user: { id: string } } };
      expect(body.options.rp.id).toBe(rpId);
    }
  }, 60_000);

  it('offers no passkey when the signature is refused', async () => {
    const at = sandboxFetch(sandbox.url);
    const pending = sign();
    // A wrong password is counted on the phone, whose screen stays up; the holder then declines.
    const wrong = await answerOnPhone(at, 'iphone', { password: 'WRONG2026' });
    expect(wrong.status).toBe(401);
    const counted = wrong.body as { code: string; remainingTries: number };
    expect(counted.code).toBe('WALLET_SECRET_WRONG');
    expect(counted.remainingTries).toBe(4);
    expect((await answerOnPhone(at, 'iphone', { decline: true, signature: true })).status).toBe(200);
    const res = await pending;
    expect(res.status).toBe(409);
    const refused = (await res.json()) as { code: string; sessionId?: string; resultUrl?: string };
    expect(refused.code).toBe('WALLET_DECLINED');
    expect(refused.sessionId).toBeUndefined();
    expect(refused.resultUrl).toBeUndefined();
  }, 60_000);
});
