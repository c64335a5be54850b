/**
 * The sandbox's stories in Debian's Chromium, walked as a person would: the sandbox runs in this process
 * (startSandbox, 127.0.0.1, port 0, a fresh data directory), and every step is a click or a keystroke on
 * the pages it serves — the phones at /wallet/, the bank at /verifier/bank/, the operator console at
 * /issuer/console/ — with what the pages show asserted, and where it is cheap what the stores hold.
 *
 *  - Story 1: the card is installed on the iPhone-like phone, then on the Android-like phone (certificates,
 *    then the record without the card); the iPhone, unlocked, hears it was superseded.
 *  - Story 2: the bank verifies the Android phone's record through the labelled bridge; on the sandbox's
 *    localhost twin (WebAuthn takes no IP address) the result page creates a passkey with Chromium's CDP
 *    virtual authenticator and the sign-in page signs in with it.
 *  - Story 5: three wrong auth PINs lock the Android phone's auth key.
 *  - Story 4: the Android phone goes offline, the operator records the holder's move in the console, and
 *    the bank catches the record the offline phone still presents (status list).
 *
 * The landing page and the phones page fit a 390 px wide screen. With MYNAKIT_SCREENSHOTS=1 the last page
 * of each story, the landing page and the phones page are saved to docs/screenshots/ (`npm run
 * screenshots`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { sandboxBankOrigins } from '../src/sandbox-bank.js';
import { chooseDeclaration } from './helpers/bank-form.js';
import { answerOnPhonePage } from './helpers/phone-consent.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SHOTS = join(REPO, 'docs', 'screenshots');
const SCREENSHOTS = process.env.MYNAKIT_SCREENSHOTS === '1';
const RESIDENT = 'sandbox-ordinary-female';
const NEW_ADDRESS = '東京都千代田区試験町一丁目1番1号';

interface PhoneState {
  documents: { docType: string; state: string; invalidationReason?: string }[];
  certificates: { purpose: string; state: string }[];
  secrets: { authPin: { locked?: boolean; remaining?: number } };
}

describe('the sandbox stories in Chromium', () => {
  let dataDir: string;
  let sandbox: RunningSandbox;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const lines: string[] = [];

  const phone = async (id: string) =>
    (await (await fetch(`${sandbox.url}/wallet/phones/${id}`)).json()) as PhoneState;

  /** Saves the page as one of the documentation's screenshots, only when asked to. */
  const shot = async (name: string) => {
    if (!SCREENSHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, name), fullPage: true });
  };

  /** Opens one screen of a phone on the phones page (its tab bar). */
  const screen = async (id: string, tab: 'home' | 'install' | 'history' | 'settings') => {
    const section = page.locator(`section[data-phone="${id}"]`);
    await section.locator(`button[data-tab="${tab}"]`).click();
    await page.locator(`section[data-phone="${id}"][data-screen="${tab}"]`).waitFor();
    return section;
  };

  /** Answers the phone's biometric prompt with a match. */
  const biometricMatch = (id: string) =>
    page
      .locator(`section[data-phone="${id}"] [data-biometric-prompt] button[data-biometric="matched"]`)
      .click();

  /** Fills the install screen of one phone and sends it; the phone shows its home screen when done. */
  const install = async (id: string) => {
    const section = await screen(id, 'install');
    const form = section.locator('form.install');
    await form.locator('select[name="residentId"]').selectOption(RESIDENT);
    await form.locator('input[name="newAuthPin"]').fill('1234');
    await form.locator('input[name="newAuthPinAgain"]').fill('1234');
    await form.locator('input[name="newSignaturePassword"]').fill('STORYPASS1');
    await form.locator('input[name="newSignaturePasswordAgain"]').fill('STORYPASS1');
    await form.locator('input[name="liveness"]').check();
    await form.locator('button').click();
    await section.locator('[data-done="install"]').waitFor({ timeout: 60_000 });
  };

  const overflowAt390 = async (path: string, ready?: string) => {
    const small = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
    try {
      await small.goto(`${sandbox.url}${path}`);
      if (ready !== undefined) await small.locator(ready).first().waitFor();
      return await small.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    } finally {
      await small.close();
    }
  };

  beforeAll(async () => {
    // The operator console is a built page: built when missing or older than its sources.
    const build = spawnSync('node', ['scripts/build-pages.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build-pages failed: ${build.stderr}`);
    dataDir = mkdtempSync(join(tmpdir(), 'mynakit-stories-'));
    sandbox = await startSandbox({ port: 0, dataDir, log: (l) => lines.push(l) });
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
  }, 120_000);
  afterAll(async () => {
    await closeBrowser?.();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the landing page in Japanese, linking every part, without sideways scrolling', async () => {
    await page.goto(`${sandbox.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    for (const href of ['/issuer/', '/wallet/', '/verifier/'])
      expect(await page.locator(`a[href="${href}"]`).count(), href).toBeGreaterThan(0);
    expect(await page.locator('body').textContent()).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    await shot('landing.png');
    expect(await overflowAt390('/')).toBeLessThanOrEqual(0);
  });

  it('shows the two phones in Japanese, without sideways scrolling', async () => {
    await page.goto(`${sandbox.url}/wallet/`);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.locator('h1').textContent()).toContain('スマートフォン');
    await page.locator('section[data-phone="iphone"]').waitFor();
    await page.locator('section[data-phone="android"]').waitFor();
    expect(await page.locator('[data-issuer="reachable"]').count()).toBe(1);
    expect(await page.locator('section[data-phone="iphone"] button', { hasText: '搭載する' }).count()).toBe(
      1,
    );
    await shot('phones.png');
    expect(await overflowAt390('/wallet/', 'section[data-phone="android"]')).toBeLessThanOrEqual(0);
  });

  it('story 1: installs on the iPhone, then on the Android phone, and the iPhone loses its record', async () => {
    await page.goto(`${sandbox.url}/wallet/`);
    await install('iphone');
    const iphone = page.locator('section[data-phone="iphone"]');
    await iphone.locator('li[data-doctype="org.iso.23220.1.jp.mnc"][data-state="active"]').waitFor();
    expect(await iphone.textContent()).toContain('有効');

    // The Android-like phone: the card gives the certificates, then the record is added without it.
    await install('android');
    const android = page.locator('section[data-phone="android"]');
    expect(await android.locator('li[data-certificate][data-state="active"]').count()).toBe(2);
    expect(await android.locator('li[data-doctype]').count()).toBe(0);
    await android.locator('form[action="phones/android/record"] button').click();
    await biometricMatch('android');
    await android.locator('li[data-doctype="org.iso.23220.1.jp.mnc"][data-state="active"]').waitFor();

    // The iPhone shows its record until it hears the issuer.
    expect(await iphone.locator('li[data-doctype][data-state="active"]').count()).toBe(1);
    await screen('iphone', 'settings');
    await iphone.locator('form[action="phones/iphone/notices/sync"] button').click();
    await biometricMatch('iphone');
    const lost = iphone.locator('li[data-doctype="org.iso.23220.1.jp.mnc"][data-state="invalidated"]');
    await lost.waitFor();
    expect(await lost.textContent()).toContain('superseded');
    expect(await lost.textContent()).toContain('無効');
    await shot('story-1-second-phone.png');

    const stored = await phone('iphone');
    expect(stored.documents.map((d) => `${d.state}:${d.invalidationReason}`)).toEqual([
      'invalidated:superseded',
    ]);
    expect(stored.certificates.every((c) => c.state === 'invalidated')).toBe(true);
    expect((await phone('android')).documents.map((d) => d.state)).toEqual(['active']);
    // What was typed into the forms went into no log line.
    expect(lines.join('\n')).not.toContain('STORYPASS1');
  }, 120_000);

  it('story 2: the bank verifies the Android phone’s record through the bridge', async () => {
    await page.goto(`${sandbox.url}/verifier/bank/`);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.locator('.bridge').textContent()).toContain('ブリッジ');
    await page.locator('input[name="phone"][value="android"]').check();
    await chooseDeclaration(page);
    await Promise.all([
      page.waitForURL(/\/verifier\/bank\/result\/[A-Za-z0-9-]+$/),
      page.locator('form button').click(),
      // The phone's own consent screen for the bank's request (saved with MYNAKIT_SCREENSHOTS=1).
      answerOnPhonePage(
        browser,
        sandbox.url,
        'android',
        'approve',
        SCREENSHOTS ? { screenshot: join(SHOTS, 'story-2-phone-consent.png') } : {},
      ),
    ]);
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    const body = await page.locator('body').textContent();
    expect(body).toContain('番号');
    expect(body).toContain('花子');
    expect(body).toContain('1986');
    const portrait = page.locator('img.portrait');
    expect(await portrait.count()).toBe(1);
    // The photo decodes: the browser gave it a size.
    expect(await portrait.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(await page.locator('[data-method]').getAttribute('data-method')).toBe('none');
    expect(await page.locator('[data-method]').textContent()).toContain('KYC_PROGRAM_NOT_CERTIFIED');
    expect(await page.locator('tr[data-check="status.revocation"] td.passed').count()).toBe(1);
    expect(await page.locator('[data-record]').getAttribute('data-record')).toMatch(/.+/);
    await shot('story-2-bank-verified.png');
  }, 60_000);

  it('story 2: a passkey made on the result page, and a sign-in with it', async () => {
    const twin = sandboxBankOrigins(sandbox.url)[1] as string;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    try {
      await page.goto(`${twin}/verifier/bank/`);
      await page.locator('input[name="phone"][value="android"]').check();
      await chooseDeclaration(page);
      await Promise.all([
        page.waitForURL(/\/verifier\/bank\/result\/[A-Za-z0-9-]+$/),
        page.locator('form button').click(),
        answerOnPhonePage(browser, sandbox.url, 'android'),
      ]);
      expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
      await page.locator('[data-passkey-offer][data-ready="create-passkey"]').waitFor();
      await page.locator('button[data-action="create-passkey"]').click();
      const created = page.locator('[data-passkey-status][data-account-id]');
      await created.waitFor();
      const accountId = await created.getAttribute('data-account-id');
      await Promise.all([
        page.waitForURL(`${twin}/verifier/bank/signin/`),
        page.locator('[data-signin-link] a').click(),
      ]);
      await page.locator('body[data-ready="sign-in"]').waitFor();
      await page.locator('button[data-action="sign-in"]').click();
      const shown = page.locator('[data-signed-in]:not([hidden])');
      await shown.waitFor();
      expect(await shown.getAttribute('data-account-id')).toBe(accountId);
      expect(await shown.getAttribute('data-step-up-required')).toBe('false');
      await shot('story-2-passkey-signed-in.png');
    } finally {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
      await cdp.detach();
    }
  }, 60_000);

  it('the Android phone shows its record’s contents only after the biometric, and what it shared', async () => {
    await page.goto(`${sandbox.url}/wallet/`);
    const android = page.locator('section[data-phone="android"]');
    const record = android.locator('li[data-doctype="org.iso.23220.1.jp.mnc"][data-state="active"]');
    await record.waitFor();
    // Nothing of the holder is on the screen before the owner's biometric.
    expect(await android.textContent()).not.toContain('花子');
    await record.locator('button[data-show-elements]').click();
    await android.locator('[data-biometric-prompt] button[data-biometric="failed"]').click();
    await android.locator('[data-refusal="WALLET_BIOMETRIC_FAILED"]').waitFor();
    expect(await android.locator('[data-elements]').count()).toBe(0);
    await record.locator('button[data-show-elements]').click();
    await biometricMatch('android');
    const elements = android.locator('[data-elements]');
    await elements.waitFor();
    expect(await elements.textContent()).toContain('花子');
    // My Number is not shown even to the owner.
    expect(await elements.textContent()).not.toMatch(/\d{12}/);

    // The history: the bank's presentation of story 2, element names only.
    await screen('android', 'history');
    const lines = android.locator('ul.history li[data-channel]');
    await lines.first().waitFor();
    expect(await lines.count()).toBeGreaterThanOrEqual(1);
    expect(await android.locator('ul.history').textContent()).not.toContain('花子');
  }, 60_000);

  it('story 5: three wrong auth PINs lock the Android phone’s auth key', async () => {
    const remaining: number[] = [];
    for (const wrong of ['0000', '1111', '2222']) {
      await page.goto(`${sandbox.url}/wallet/`);
      const settings = await screen('android', 'settings');
      const form = settings.locator('form[action="phones/android/keys/auth/unlock"]');
      await form.locator('input[name="pin"]').fill(wrong);
      await form.locator('button[type="submit"]').click();
      // The refusal names its code.
      await settings.locator('[data-refusal]').waitFor();
      expect(await page.locator('body').textContent()).toMatch(/WALLET_SECRET_(WRONG|LOCKED)/);
      const pin = (await phone('android')).secrets.authPin;
      remaining.push(pin.locked ? 0 : (pin.remaining ?? -1));
    }
    expect(remaining).toEqual([2, 1, 0]);
    await page.goto(`${sandbox.url}/wallet/`);
    const android = page.locator('section[data-phone="android"]');
    const locked = android.locator('li.warn', { hasText: 'ロック中' });
    await locked.waitFor();
    expect(await locked.textContent()).toContain('利用者証明用暗証番号');
    // The iPhone, which lost everything, has nothing locked.
    expect(await page.locator('section[data-phone="iphone"]').textContent()).not.toContain('ロック中');
    await shot('story-5-pin-locked.png');
  }, 60_000);

  it('story 4: the offline phone still presents, the operator records a move, and the bank catches it', async () => {
    await page.goto(`${sandbox.url}/wallet/`);
    const android = await screen('android', 'settings');
    await android.locator('form[action="phones/android/offline"] button').click();
    await android.locator('[data-offline="yes"]').waitFor();
    expect(await android.locator('[data-offline="yes"]').textContent()).toContain('オフライン');

    // The operator console takes the sandbox's token by itself.
    await page.goto(`${sandbox.url}/issuer/console/`);
    await page.locator(`button[data-resident-id="${RESIDENT}"]`).waitFor({ timeout: 30_000 });
    await page.fill('input[name="resident-search"]', '花子');
    await expect.poll(() => page.locator('button[data-resident-id]').count()).toBe(1);
    await page.click(`button[data-resident-id="${RESIDENT}"]`);
    await page.locator('.resident-name').waitFor();
    await page.selectOption('select[name="event"]', 'addressChanged');
    await page.fill('input[name="change-address"]', NEW_ADDRESS);
    await page.fill('input[name="change-municipalityCode"]', '131016');
    await page.fill('input[name="change-municipalityName"]', '千代田区');
    await page.click('form.life-event button[type="submit"]');
    const result = page.locator('.result');
    await result.waitFor({ timeout: 30_000 });
    const count = Number(await result.locator('[data-revoked-count]').getAttribute('data-revoked-count'));
    expect(count).toBeGreaterThanOrEqual(1);
    const kinds = await result
      .locator('[data-revoked-kind]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-revoked-kind')));
    expect(kinds).toHaveLength(count);
    expect(kinds).toContain('jpki-sign');
    await page.locator('.installation tr[data-credential-state="revoked"]').first().waitFor();

    // The offline phone heard nothing: it still holds its record in force.
    expect((await phone('android')).documents.map((d) => d.state)).toEqual(['active']);

    await page.goto(`${sandbox.url}/verifier/bank/`);
    await page.locator('input[name="phone"][value="android"]').check();
    await chooseDeclaration(page);
    await Promise.all([
      page.waitForURL(/\/verifier\/bank\/result\/[A-Za-z0-9-]+$/),
      page.locator('form button').click(),
      answerOnPhonePage(browser, sandbox.url, 'android'),
    ]);
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('invalid');
    expect(await page.locator('tr[data-check="status.revocation"] td.failed').count()).toBe(1);
    // Nothing of the holder is shown for a record that failed.
    expect(await page.locator('img.portrait').count()).toBe(0);
    await shot('story-4-bank-catches-revoked.png');
  }, 90_000);
});
