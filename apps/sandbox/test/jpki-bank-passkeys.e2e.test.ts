/**
 * Story 3 to its end in Debian's Chromium: the iPhone signs the bank's application with its JPKI
 * signature key through the labelled bridge — the holder types the signature password on the phone's own
 * screen (helpers/phone-consent.ts), never on the bank's page —, the verifier verifies the signature, and the result page
 * creates a passkey bound to that JPKI signature session with Chromium's CDP virtual authenticator (ctap2,
 * internal, resident keys, user verification); the sign-in page signs in with it, and the address change's
 * step-up is completed by a second JPKI signature of the same person.
 *
 * The pages run on the sandbox's localhost twin: WebAuthn takes no IP address as RP ID.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { sandboxBankOrigins } from '../src/sandbox-bank.js';
import { chooseDeclaration } from './helpers/bank-form.js';
import { answerOnPhonePage } from './helpers/phone-consent.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PASSWORD = 'JPKIE2E26';

describe('story 3 in Chromium: sign the application with JPKI, create a passkey, sign in, step up', () => {
  let dataDir: string;
  let sandbox: RunningSandbox;
  /** The localhost twin of the sandbox URL, where WebAuthn runs. */
  let twin: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;

  /**
   * Sends the application from the bank's JPKI page to the iPhone, where the holder types the signature
   * password on the phone's own page; waits for the valid result page.
   */
  const signApplication = async () => {
    await page.goto(`${twin}/verifier/bank/jpki/`);
    await page.locator('input[name="phone"][value="iphone"]').check();
    await chooseDeclaration(page);
    expect(await page.locator('input[name="password"]').count()).toBe(0);
    await Promise.all([
      page.waitForURL(/\/verifier\/bank\/jpki\/result\/[A-Za-z0-9-]+$/),
      page.locator('form[data-form="jpki-sign"] button').click(),
      answerOnPhonePage(browser, sandbox.url, 'iphone', { password: PASSWORD }),
    ]);
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
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
    dataDir = mkdtempSync(join(tmpdir(), 'mynakit-jpki-bank-passkeys-'));
    sandbox = await startSandbox({ port: 0, dataDir });
    twin = sandboxBankOrigins(sandbox.url)[1] as string;
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
  }, 120_000);
  afterAll(async () => {
    await closeBrowser?.();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs with JPKI, creates a passkey, signs in, and completes the step-up with a second signature', async () => {
    // 1. The signature verifies; the result page offers a passkey.
    await signApplication();
    expect(await page.locator('[data-needs-script]').isHidden()).toBe(true);
    await page.locator('[data-passkey-offer][data-ready="create-passkey"]').waitFor();

    // 2. A passkey bound to the JPKI signature session.
    await page.locator('button[data-action="create-passkey"]').click();
    const settled = page.locator('[data-passkey-status][data-account-id], [data-passkey-status][data-error]');
    await settled.waitFor();
    expect(await settled.getAttribute('data-error'), (await settled.textContent()) ?? '').toBeNull();
    const accountId = (await page
      .locator('[data-passkey-status][data-account-id]')
      .getAttribute('data-account-id')) as string;
    expect(accountId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.rpId).toBe('localhost');

    // 3. Signing in shows the account.
    expect(await signIn()).toEqual({ error: null, problem: null });
    expect(await page.locator('[data-signed-in]').getAttribute('data-account-id')).toBe(accountId);

    // 4. The address change asks for a step-up; a second JPKI signature of the same person completes it.
    await page.locator('[data-signed-in] a[href="/verifier/bank/account/"]').click();
    await page.waitForURL(`${twin}/verifier/bank/account/`);
    await Promise.all([
      page.waitForURL(`${twin}/verifier/bank/account/`),
      page.locator('button[data-action="address-change"]').click(),
    ]);
    await page.locator('[data-step-up="required"]').waitFor();
    await signApplication();
    await page.locator('[data-passkey-offer][data-ready="complete-step-up"]').waitFor();
    await Promise.all([
      page.waitForURL(`${twin}/verifier/bank/account/`),
      page.locator('button[data-action="complete-step-up"]').click(),
    ]);
    await page.locator('[data-step-up="completed"]').waitFor();
    expect(await page.locator('[data-step-up-required]').getAttribute('data-step-up-required')).toBe('false');
  }, 120_000);
});
