/**
 * The phone's JPKI request screen (services/wallet/pages/request) in Debian's Chromium, against the real
 * verifier's JPKI link sessions: the wallet app is served on 127.0.0.1 and its phone reaches the bank's
 * verifier app in this process. The holder opens the `mynakit-jpki://` link on the phone's screen URL and
 * sees who asks and why; for a user authentication a wrong PIN typed on the pad is refused on screen with
 * the tries left, the right one sends the proof, and a face that does not match is refused too; for a
 * signature the document is shown, no biometric is offered, and the signature password signs; five wrong
 * passwords lock the key, which the screen then says. The screens fit a 390 px wide screen.
 */
import { getRequestListener } from '@hono/node-server';
import { SANDBOX_JPKI_POLICY_CONFIG } from '@mynakit/issuer';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { serveOnLoopback } from '../../../test/helpers/serve.js';
// The verifier's own app and test helpers: the session flow is the verifier's, not a stand-in for it.
import { createVerifierApp } from '../../verifier/src/app.js';
import type { VerifierStore } from '../../verifier/src/store/index.js';
import { testClock } from '../../verifier/test/helpers/issuer-and-phone.js';
import {
  AUTH_PIN,
  type JpkiIssuerAndPhone,
  jpkiIssuerAndPhone,
  SIGNATURE_PASSWORD,
} from '../../verifier/test/helpers/jpki-issuer-and-phone.js';
import { certifyReaderKey } from '../../verifier/test/helpers/reader-key-party.js';
import { ADMIN, DECLARED, verifierStore } from '../../verifier/test/helpers/verifier-fixture.js';
import { createWalletApp, type WalletDevice } from '../src/index.js';

const START = new Date('2026-12-02T03:00:00Z');
const DAY = 86_400_000;
const BANK_HOST = 'verifier.bank.example';
const APPLICATION = '普通預金口座開設申込書\n申込日: 2026年12月2日\n取引の目的: 生計費決済';

describe('the phone answers a JPKI request by link in Chromium', () => {
  let env: JpkiIssuerAndPhone;
  let store: VerifierStore;
  let removeStore: () => Promise<void>;
  let verifier: ReturnType<typeof createVerifierApp>;
  let bankKey: string;
  let phone: WalletDevice;
  let origin: string;
  let closeWallet: () => Promise<void>;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;

  async function open(
    kind: 'authentication' | 'signature',
  ): Promise<{ sessionId: string; walletUrl: string }> {
    const res = await verifier.request(
      kind === 'authentication' ? '/sessions/jpki-authentication' : '/sessions/jpki-signature',
      {
        method: 'POST',
        headers: { authorization: `Bearer ${bankKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(
          kind === 'authentication'
            ? { purpose: 'log-in' }
            : { purpose: 'account-opening', text: APPLICATION, ...DECLARED },
        ),
      },
    );
    expect(res.status).toBe(201);
    return (await res.json()) as { sessionId: string; walletUrl: string };
  }
  const verdictOf = async (id: string) => {
    const res = await verifier.request(`/sessions/${id}/jpki-result`, {
      headers: { authorization: `Bearer ${bankKey}` },
    });
    return res.status === 200 ? ((await res.json()) as { verdict: string }).verdict : res.status;
  };
  const screenUrl = (link: string) =>
    `${origin}/phones/${phone.id}/jpki-request?url=${encodeURIComponent(link)}`;
  const overflow = () =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  beforeAll(async () => {
    const clock = testClock(START);
    env = await jpkiIssuerAndPhone(clock, 'sandbox-ordinary-female');
    ({ store, remove: removeStore } = await verifierStore());
    verifier = createVerifierApp({
      store,
      config: {
        origin: `https://${BANK_HOST}`,
        adminToken: ADMIN,
        jpkiPolicies: SANDBOX_JPKI_POLICY_CONFIG,
        readerKeyEncryptionKey: new Uint8Array(32).fill(3),
        sessionKeyEncryptionKey: new Uint8Array(32).fill(4),
      },
      clock: clock.read,
      writerId: 'wallet-jpki-page-writer',
      jpkiStatus: { origins: [env.origin] },
    });
    const operator = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const res = await verifier.request('/relying-parties', {
      method: 'POST',
      headers: operator,
      body: JSON.stringify({
        name: 'サンドボックス銀行',
        clientId: `x509_san_dns:${BANK_HOST}`,
        law: 'hanshu',
        isSignatureVerifier: true,
        trustAnchors: env.jpkiAnchors.map((a) => Buffer.from(a).toString('base64')),
        verificationProgram: { name: 'mynakit', version: '0.1.0', certified: true },
      }),
    });
    expect(res.status).toBe(201);
    const bank = (await res.json()) as { relyingParty: { id: string }; apiKey: { apiKey: string } };
    bankKey = bank.apiKey.apiKey;
    await certifyReaderKey(verifier, {
      relyingPartyId: bank.relyingParty.id,
      operator,
      ca: env.issuer.deps.hierarchy.reader.root,
      notBefore: new Date(START.getTime() - DAY),
      notAfter: new Date(START.getTime() + 90 * DAY),
    });
    phone = { ...env.phone, readerTrustAnchors: [env.issuer.deps.hierarchy.reader.root.der] };
    const wallet = createWalletApp({
      phones: [phone],
      verifierFetch: async (url, init) => {
        if (new URL(url).hostname !== BANK_HOST) throw new TypeError('no such host');
        return verifier.request(url, init);
      },
    });
    const served = await serveOnLoopback(getRequestListener(wallet.fetch));
    origin = served.origin;
    closeWallet = served.close;
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
  }, 180_000);
  afterAll(async () => {
    await closeBrowser?.();
    await closeWallet?.();
    await removeStore?.();
    await env?.close();
  });

  it('a user authentication: a wrong PIN on the pad is refused with the tries left, the right one sends the proof', async () => {
    const s = await open('authentication');
    await page.goto(screenUrl(s.walletUrl));
    await page.locator('h1[data-request-type="jpki-user-authentication"]').waitFor();
    expect(await page.locator('[data-reader-subject]').textContent()).toContain('サンドボックス銀行');
    expect(await page.locator('[data-client-id]').textContent()).toBe(`x509_san_dns:${BANK_HOST}`);
    expect(await page.locator('[data-purpose="log-in"]').textContent()).toContain('ログイン');
    expect(await page.locator('time[data-expires]').textContent()).toMatch(/^2026-12-02 12:\d\d JST$/);
    expect(await page.locator('[data-remaining-tries]').getAttribute('data-remaining-tries')).toBe('3');
    expect(await page.locator('input[name="password"]').count()).toBe(0);
    expect(await page.locator('[data-document]').count()).toBe(0);
    expect(await overflow()).toBeLessThanOrEqual(0);

    // A wrong PIN typed on the pad's keys: refused on the screen, counted, the field emptied, nothing sent.
    for (const key of '1357') await page.locator(`.pad button[data-key="${key}"]`).click();
    expect(await page.locator('input[name="pin"]').inputValue()).toBe('1357');
    await page.locator('.pad button[type="submit"]').click();
    await page.locator('[data-refusal="WALLET_SECRET_WRONG"]').waitFor();
    expect(await page.locator('[data-remaining-tries]').getAttribute('data-remaining-tries')).toBe('2');
    expect(await page.locator('input[name="pin"]').inputValue()).toBe('');
    expect(await verdictOf(s.sessionId)).toBe(409);

    await page.locator('input[name="pin"]').fill(AUTH_PIN);
    await page.locator('.pad button[type="submit"]').click();
    await page.locator('[data-sent="jpki-user-authentication"]').waitFor();
    expect(await page.locator('body').textContent()).not.toContain(AUTH_PIN);
    expect(await verdictOf(s.sessionId)).toBe('valid');
    expect((await phone.secrets.status('authPin')).remaining).toBe(3);
  }, 60_000);

  it('a user authentication with the biometric: a face that does not match is refused, a match sends', async () => {
    const s = await open('authentication');
    await page.goto(screenUrl(s.walletUrl));
    await page.locator('button[data-approve]').click();
    await page.locator('[data-biometric-prompt] button[data-biometric="failed"]').click();
    const refusal = page.locator('[data-refusal="WALLET_BIOMETRIC_FAILED"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Nothing was sent');
    expect(await verdictOf(s.sessionId)).toBe(409);
    await page.locator('button[data-approve]').click();
    await page.locator('[data-biometric-prompt] button[data-biometric="matched"]').click();
    await page.locator('[data-sent="jpki-user-authentication"]').waitFor();
    expect(await verdictOf(s.sessionId)).toBe('valid');
  }, 60_000);

  it('a signature: the document, the password (never a biometric), then five wrong passwords lock the key', async () => {
    const s = await open('signature');
    await page.goto(screenUrl(s.walletUrl));
    await page.locator('h1[data-request-type="jpki-signature"]').waitFor();
    expect(await page.locator('pre[data-document="text"]').textContent()).toContain('普通預金口座開設申込書');
    expect(await page.locator('[data-document-sha256]').textContent()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await page.locator('button[data-approve]').count()).toBe(0);
    expect(await page.locator('input[name="pin"]').count()).toBe(0);
    expect(await page.locator('[data-remaining-tries]').getAttribute('data-remaining-tries')).toBe('5');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.locator('input[name="password"]').fill(SIGNATURE_PASSWORD);
    await page.locator('.pad button[type="submit"]').click();
    await page.locator('[data-sent="jpki-signature"]').waitFor();
    expect(await verdictOf(s.sessionId)).toBe('valid');

    const next = await open('signature');
    await page.goto(screenUrl(next.walletUrl));
    for (let left = 4; left >= 0; left--) {
      await page.locator('input[name="password"]').fill('WRONG0');
      await page.locator('.pad button[type="submit"]').click();
      if (left > 0) await page.locator(`[data-remaining-tries="${left}"]`).waitFor();
    }
    await page.locator('[data-refusal="WALLET_SECRET_LOCKED"]').waitFor();
    expect(await page.locator('input[name="password"]').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('WRONG0');
    // Opened again, the screen still says the key is locked.
    await page.goto(screenUrl(next.walletUrl));
    await page.locator('[data-refusal="WALLET_SECRET_LOCKED"]').waitFor();
    expect(await verdictOf(next.sessionId)).toBe(409);
  }, 60_000);
});
