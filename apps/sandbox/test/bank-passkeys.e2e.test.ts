/**
 * Story 2 to its end in Debian's Chromium: the bank verifies the card-substitute record through the
 * browser's Digital Credentials API (Chromium's CDP virtual wallet answering with what the real wallet
 * engine made from the bank's request, as in bank-dc-api.e2e.test.ts), the result page creates a passkey
 * with Chromium's CDP virtual authenticator (ctap2, internal, resident keys, user verification;
 * ARCHITECTURE.md "Browser facts"), the sign-in page signs in with it and shows the account, a sign-in
 * without user verification is refused, and the address change asks for a step-up that a second
 * verification of the same person — this time through the labelled bridge — completes (another
 * person's does not: VERIFIER_PASSKEY_IDENTITY_MISMATCH).
 *
 * The pages run on the sandbox's localhost twin: WebAuthn takes no IP address as RP ID, and the pages on
 * http://127.0.0.1 say so and link the twin.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { presentAnnexC, type WalletDevice } from '@mynakit/wallet';
import type { Browser, CDPSession, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { sandboxBankOrigins } from '../src/sandbox-bank.js';
import { chooseDeclaration } from './helpers/bank-form.js';
import { answerOnPhonePage } from './helpers/phone-consent.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const MNC = 'org.iso.23220.1.jp.mnc';
const RESIDENT = 'sandbox-ordinary-female';
const OTHER_RESIDENT = 'sandbox-ordinary-male';

interface CreatedSession {
  sessionId: string;
  request: { protocol: string; data: { deviceRequest: string; encryptionInfo: string } };
  elements: Record<string, string[]>;
}

describe('story 2 in Chromium: verify, create a passkey, sign in, step up', () => {
  let dataDir: string;
  let sandbox: RunningSandbox;
  /** The localhost twin of the sandbox URL, where WebAuthn runs. */
  let twin: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  let iphone: WalletDevice;

  /** The session-opening endpoint on its way to the page: the virtual wallet answers that very request. */
  const onSessionOpened = async (route: Route) => {
    const response = await route.fetch();
    const session = (await response.json()) as CreatedSession;
    const presented = await presentAnnexC({
      device: iphone,
      data: session.request.data,
      origin: twin,
      consent: { [MNC]: session.elements },
      userAuthentication: { method: 'biometric', matched: true },
    });
    await (cdp.send as unknown as (method: string, params: object) => Promise<unknown>)(
      'DigitalCredentials.setVirtualWalletBehavior',
      { action: 'respond', protocol: 'org-iso-mdoc', response: { response: presented.response } },
    );
    await route.fulfill({ response, json: session });
  };

  /** Signs in on the sign-in page; resolves the status element's data once settled. */
  const signIn = async () => {
    await page.goto(`${twin}/verifier/bank/signin/`);
    await page.locator('body[data-ready="sign-in"]').waitFor();
    await page.locator('button[data-action="sign-in"]').click();
    const status = page.locator('#passkey-status[data-error], #passkey-status[data-progress="done"]');
    await status.waitFor();
    return {
      error: await status.getAttribute('data-error'),
      problem: await status.getAttribute('data-problem'),
    };
  };

  beforeAll(async () => {
    const build = spawnSync('node', ['scripts/build-pages.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build-pages failed: ${build.stderr}`);
    dataDir = mkdtempSync(join(tmpdir(), 'mynakit-bank-passkeys-'));
    sandbox = await startSandbox({ port: 0, dataDir });
    twin = sandboxBankOrigins(sandbox.url)[1] as string;
    expect(twin).toMatch(/^http:\/\/localhost:\d+$/);
    iphone = sandbox.phones.find((p) => p.id === 'iphone') as WalletDevice;
    // The iPhone holds the customer's record; the Android phone another resident's.
    for (const [phoneId, residentId] of [
      ['iphone', RESIDENT],
      ['android', OTHER_RESIDENT],
    ] as const) {
      const installed = await fetch(`${sandbox.url}/wallet/phones/${phoneId}/install`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          residentId,
          newAuthPin: '1234',
          newAuthPinAgain: '1234',
          newSignaturePassword: 'PASSKEYE2E1',
          newSignaturePasswordAgain: 'PASSKEYE2E1',
          liveness: 'confirmed',
        }).toString(),
        redirect: 'manual',
      });
      expect(installed.status, phoneId).toBe(303);
    }
    // The Android phone takes the record in a second step, after its certificates, with its biometric.
    const record = await fetch(`${sandbox.url}/wallet/phones/android/record`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ biometric: 'matched' }).toString(),
      redirect: 'manual',
    });
    expect(record.status).toBe(303);
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    }));
    await page.route('**/verifier/bank/api/sessions', onSessionOpened);
  }, 120_000);
  afterAll(async () => {
    await closeBrowser?.();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a page on 127.0.0.1 says passkeys need a domain name and links the localhost twin', async () => {
    await page.goto(`${sandbox.url}/verifier/bank/signin/`);
    const status = page.locator('#passkey-status[data-error="ip-host"]');
    await status.waitFor();
    expect(await status.locator('a').getAttribute('href')).toBe(`${twin}/verifier/bank/`);
    expect(await page.locator('button[data-action="sign-in"]').isDisabled()).toBe(true);
  });

  it('verifies through the DC API, creates a passkey, signs in, is refused without user verification, and steps up', async () => {
    // 1. The browser's wallet answers the bank; the result page offers a passkey.
    await page.goto(`${twin}/verifier/bank/?dcTimeout=5000`);
    await page.locator('body[data-dc-api="present"]').waitFor();
    await chooseDeclaration(page);
    await page.locator('form button').click();
    await page.waitForURL(/\/verifier\/bank\/result\/[A-Za-z0-9-]+$/);
    expect(await page.locator('[data-answered-by]').getAttribute('data-answered-by')).toBe('dc-api');
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    expect(await page.locator('[data-needs-script]').isHidden()).toBe(true);
    await page.locator('[data-passkey-offer][data-ready="create-passkey"]').waitFor();

    // 2. A passkey bound to this verification: the account id is shown, the authenticator holds it.
    await page.locator('button[data-action="create-passkey"]').click();
    const settled = page.locator('[data-passkey-status][data-account-id], [data-passkey-status][data-error]');
    await settled.waitFor();
    expect(await settled.getAttribute('data-error'), (await settled.textContent()) ?? '').toBeNull();
    const created = page.locator('[data-passkey-status][data-account-id]');
    const accountId = (await created.getAttribute('data-account-id')) as string;
    expect(accountId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await created.textContent()).toContain(accountId);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.rpId).toBe('localhost');
    await page.locator('[data-signin-link] a').click();

    // 3. Signing in shows the account, no step-up required.
    await page.waitForURL(`${twin}/verifier/bank/signin/`);
    expect(await signIn()).toEqual({ error: null, problem: null });
    const shown = page.locator('[data-signed-in]');
    expect(await shown.getAttribute('data-account-id')).toBe(accountId);
    expect(await shown.getAttribute('data-step-up-required')).toBe('false');
    expect(await shown.locator('[data-field="account"]').textContent()).toBe(accountId);

    // 4. The authenticator no longer verifies the user: refused, nothing signed in.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    expect(await signIn()).toMatchObject({ error: 'not-allowed' });
    expect(await page.locator('[data-signed-in]').isHidden()).toBe(true);
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });

    // 5. The address change asks for a step-up …
    expect(await signIn()).toEqual({ error: null, problem: null });
    await page.locator('[data-signed-in] a[href="/verifier/bank/account/"]').click();
    await page.waitForURL(`${twin}/verifier/bank/account/`);
    expect(await page.locator('[data-account]').getAttribute('data-account')).toBe(accountId);
    await Promise.all([
      page.waitForURL(`${twin}/verifier/bank/account/`),
      page.locator('button[data-action="address-change"]').click(),
    ]);
    await page.locator('[data-step-up="required"]').waitFor();
    expect(await page.locator('[data-step-up-required]').getAttribute('data-step-up-required')).toBe('true');
    // … which the sign-in now reports too.
    expect(await signIn()).toEqual({ error: null, problem: null });
    expect(await page.locator('[data-signed-in]').getAttribute('data-step-up-required')).toBe('true');

    // 6. Another person's verification does not complete it: the verifier's code is shown.
    await page.goto(`${twin}/verifier/bank/`);
    await page.locator('input[name="phone"][value="android"]').check();
    await chooseDeclaration(page);
    await Promise.all([
      page.waitForURL(/\/verifier\/bank\/result\/[A-Za-z0-9-]+$/),
      page.locator('form.bank button').click(),
      answerOnPhonePage(browser, sandbox.url, 'android'),
    ]);
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    await page.locator('[data-passkey-offer][data-ready="complete-step-up"]').waitFor();
    await page.locator('button[data-action="complete-step-up"]').click();
    const mismatch = page.locator('[data-passkey-status][data-error]');
    await mismatch.waitFor();
    expect(await mismatch.getAttribute('data-problem')).toBe('VERIFIER_PASSKEY_IDENTITY_MISMATCH');

    // 7. The same person verifies the card again (the bridge this time) and completes the step-up.
    await page.goto(`${twin}/verifier/bank/account/`);
    expect(await page.locator('[data-step-up-required]').getAttribute('data-step-up-required')).toBe('true');
    await page.locator('a[data-action="verify-again"]').click();
    await page.waitForURL(`${twin}/verifier/bank/`);
    await page.locator('input[name="phone"][value="iphone"]').check();
    await chooseDeclaration(page);
    await Promise.all([
      page.waitForURL(/\/verifier\/bank\/result\/[A-Za-z0-9-]+$/),
      page.locator('form.bank button').click(),
      answerOnPhonePage(browser, sandbox.url, 'iphone'),
    ]);
    expect(await page.locator('[data-answered-by]').getAttribute('data-answered-by')).toBe('bridge');
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    await page.locator('[data-passkey-offer][data-ready="complete-step-up"]').waitFor();
    expect(await page.locator('button[data-action="create-passkey"]').isHidden()).toBe(true);
    await Promise.all([
      page.waitForURL(`${twin}/verifier/bank/account/`),
      page.locator('button[data-action="complete-step-up"]').click(),
    ]);
    await page.locator('[data-step-up="completed"]').waitFor();
    expect(await page.locator('[data-step-up-required]').getAttribute('data-step-up-required')).toBe('false');
    expect(await signIn()).toEqual({ error: null, problem: null });
    expect(await page.locator('[data-signed-in]').getAttribute('data-step-up-required')).toBe('false');
  }, 120_000);
});
