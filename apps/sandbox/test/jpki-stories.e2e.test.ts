/**
 * Stories 3 and 6 in Debian's Chromium, walked as a person would from the verifier's page: the sandbox runs
 * in this process (startSandbox, 127.0.0.1, port 0, a fresh data directory); the cards are installed
 * through the phones' form routes (story 1 walks that part in stories.e2e.test.ts), and every step of the
 * stories is a click or a keystroke on the pages:
 *
 *  - Story 3: from /verifier/ to the bank's JPKI page (no password field on it), the iPhone chosen; the
 *    application waits on the phone's own screen — the bank's page shows the waiting line that says to type
 *    the signature password on the phone, with the link to its screen — where the holder first declines
 *    (the bank's page says so and asks the phone again on a click), then types a wrong signature password
 *    (the phone says how many tries are left, the bank's page still waits and never sees it), then the
 *    right one: valid, the basic four from the certificate. Five wrong on the phone lock the signature
 *    password: the bank's page says the certificate is unusable until it is installed again, with no
 *    button to ask that phone again.
 *  - Story 6: from /verifier/ to the clinic's desk (a Vite + Preact page: `node scripts/build-pages.mjs`
 *    first); the Android holder types a wrong auth PIN on the reader page (counted), then the right one;
 *    the iPhone's form has no Face ID button and takes nothing: the user authentication waits on the
 *    phone's screen, where the holder first declines (the desk says so), then confirms with Face ID (no
 *    PIN pad there): valid, the insurance
 *    qualification and the photo. Each face check waits on the phone's screen — the desk shows the waiting
 *    line with the link to it — until the holder approves there (the phone's own page,
 *    `/wallet/phones/<id>/incoming`, in another tab).
 *
 * Both pages fit a 390 px wide screen. With MYNAKIT_SCREENSHOTS=1 the result pages are saved to
 * docs/screenshots/.
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
import { chooseDeclaration } from './helpers/bank-form.js';
import { answerOnPhone, answerOnPhonePage, sandboxFetch } from './helpers/phone-consent.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SHOTS = join(REPO, 'docs', 'screenshots');
const SCREENSHOTS = process.env.MYNAKIT_SCREENSHOTS === '1';
const PASSWORD = 'JPKISTORY3';
const PIN = '4321';

describe('stories 3 and 6 in Chromium', () => {
  let dataDir: string;
  let sandbox: RunningSandbox;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;

  const shot = async (name: string) => {
    if (!SCREENSHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, name), fullPage: true });
  };
  const install = (path: string, fields: Record<string, string>) =>
    fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
  const overflowAt390 = async (path: string) => {
    const small = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
    try {
      await small.goto(`${sandbox.url}${path}`);
      // A built page draws itself after its API calls: measure what it drew.
      await small.waitForLoadState('networkidle');
      return await small.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    } finally {
      await small.close();
    }
  };

  /**
   * Runs `start` (the click that sends the desk's check) while the holder approves the face check on the
   * phone's page; the desk's form shows the waiting line naming the phone, with the link to its screen.
   */
  const checkWithHolder = async (family: string, start: () => Promise<void>) => {
    const waiting = page.locator(`[data-desk-steps="${family}"] [data-waiting-phone="${family}"]`);
    await Promise.all([
      start(),
      (async () => {
        await waiting.waitFor();
        expect(await waiting.locator(`a[data-open-phone="${family}"]`).getAttribute('href')).toBe(
          `/wallet/phones/${family}/incoming`,
        );
        await answerOnPhonePage(browser, sandbox.url, family);
      })(),
    ]);
  };

  beforeAll(async () => {
    // The bank's and the clinic's pages are built pages: built when missing or older than their sources.
    const build = spawnSync('node', ['scripts/build-pages.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build-pages failed: ${build.stderr}`);
    dataDir = mkdtempSync(join(tmpdir(), 'mynakit-jpki-stories-'));
    sandbox = await startSandbox({ port: 0, dataDir, log: () => undefined });
    const holder = (residentId: string) => ({
      residentId,
      newAuthPin: PIN,
      newAuthPinAgain: PIN,
      newSignaturePassword: PASSWORD,
      newSignaturePasswordAgain: PASSWORD,
      liveness: 'confirmed',
    });
    expect((await install('/wallet/phones/iphone/install', holder('sandbox-ordinary-female'))).status).toBe(
      303,
    );
    expect((await install('/wallet/phones/android/install', holder('sandbox-ordinary-male'))).status).toBe(
      303,
    );
    expect((await install('/wallet/phones/android/record', { biometric: 'matched' })).status).toBe(303);
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
  }, 180_000);
  afterAll(async () => {
    await closeBrowser?.();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('story 3: the iPhone signs the bank’s application on its own screen; a decline, then a wrong password first, counted there', async () => {
    await page.goto(`${sandbox.url}/verifier/`);
    await Promise.all([
      page.waitForURL(/\/verifier\/bank\/jpki\/$/),
      page.click('a[href="/verifier/bank/jpki/"]'),
    ]);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.locator('pre[data-document]').textContent()).toContain('普通預金口座開設申込書');
    // The signature password is never typed on the bank's page.
    expect(await page.locator('input[name="password"], input[type="password"]').count()).toBe(0);
    await page.locator('input[name="phone"][value="iphone"]').check();
    await chooseDeclaration(page);

    // The holder declines on the phone: the bank's page says so, with a button that asks the phone again.
    await Promise.all([
      page.click('form button'),
      answerOnPhonePage(browser, sandbox.url, 'iphone', 'decline'),
    ]);
    const declined = page.locator('[data-error="WALLET_DECLINED"]');
    await declined.waitFor();
    expect(await declined.textContent()).toContain('お客さまがスマートフォンで署名を断りました');
    expect(await page.locator('[data-waiting-phone]').count()).toBe(0);

    // Asked again: the waiting line says to type the signature password on the phone, and links its screen.
    await declined.locator('button[data-try-again]').click();
    const waiting = page.locator('[data-waiting-phone="iphone"][data-waiting-for="sign"]');
    await waiting.waitFor();
    expect(await waiting.textContent()).toContain(
      'スマートフォンで署名用パスワードを入力して署名してください',
    );
    expect(await waiting.locator('a[data-open-phone="iphone"]').getAttribute('href')).toBe(
      '/wallet/phones/iphone/incoming',
    );
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
    try {
      await phone.goto(`${sandbox.url}/wallet/phones/iphone/incoming`);
      // The phone names the bank (as the bridge named it) and shows the application with what was declared.
      const screen = phone.locator('section[data-incoming]');
      await screen.waitFor({ timeout: 20_000 });
      expect(await screen.locator('[data-relying-party-name]').textContent()).toContain('サンドボックス銀行');
      const signedText = (await screen.locator('[data-document="text"]').textContent()) ?? '';
      expect(signedText).toContain('普通預金口座開設申込書');
      expect(signedText).toContain('職業 / occupation: 会社員 / Company employee');
      // A wrong password first: counted on the phone, which keeps its screen with the tries left.
      await screen.locator('input[name="password"]').fill('WRONG12345');
      await screen.locator('button[data-approve]').click();
      await phone.locator('[data-refusal="WALLET_SECRET_WRONG"]').waitFor();
      await screen.locator('[data-remaining-tries="4"]').waitFor();
      // The bank's page still waits and knows nothing of it.
      expect(await waiting.count()).toBe(1);
      expect(await page.locator('[data-error]').count()).toBe(0);
      expect(await page.locator('body').textContent()).not.toContain('WRONG12345');
      await screen.locator('input[name="password"]').fill(PASSWORD);
      await Promise.all([
        page.waitForURL(/\/verifier\/bank\/jpki\/result\/[A-Za-z0-9-]+$/),
        screen.locator('button[data-approve]').click(),
      ]);
      await phone.locator('[data-sent]').waitFor();
    } finally {
      await phone.close();
    }
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    expect(await page.locator('[data-field="name"]').textContent()).toMatch(/\S/);
    expect(await page.locator('[data-field="address"]').textContent()).toMatch(/\S/);
    expect(await page.locator('[data-field="birthDate"]').textContent()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('[data-field="sex"]').textContent()).toContain('女性');
    expect(await page.locator('tr[data-check="status.revocation"] td.passed').count()).toBe(1);
    expect(await page.locator('[data-method]').getAttribute('data-method')).toBe('none');
    expect(await page.locator('body').textContent()).toContain('KYC_NOT_A_SIGNATURE_VERIFIER');
    expect(await page.locator('[data-record]').getAttribute('data-record')).toMatch(/.+/);
    expect(await page.locator('[data-field="occupation"]').getAttribute('data-code')).toBe(
      'company-employee',
    );
    await shot('story-3-bank-jpki-signature.png');
    // The result stays at its address and fits a 390 px wide screen, as the page does.
    expect(await overflowAt390(new URL(page.url()).pathname)).toBeLessThanOrEqual(0);
    expect(await overflowAt390('/verifier/bank/jpki/')).toBeLessThanOrEqual(0);
    // The card-substitute record page asks the same declaration: it fits too.
    expect(await overflowAt390('/verifier/bank/')).toBeLessThanOrEqual(0);
  }, 90_000);

  it('story 6: the Android holder types the PIN on the reader, the iPhone holder uses Face ID on the phone; qualification and photo shown', async () => {
    await page.goto(`${sandbox.url}/verifier/`);
    await Promise.all([page.waitForURL(/\/verifier\/clinic\/$/), page.click('a[href="/verifier/clinic/"]')]);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    const android = page.locator('form[data-phone-form="android"]');
    // A wrong PIN first: refused, counted by the phone, the PIN typed cleared.
    await android.locator('input[name="pin"]').fill('0000');
    await android.locator('button').click();
    const refusal = page.locator('[data-error="CLINIC_PIN_WRONG"]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-wallet-code')).toBe('WALLET_SECRET_WRONG');
    expect(await page.locator('[data-remaining-tries]').getAttribute('data-remaining-tries')).toBe('2');
    expect(await android.locator('input[name="pin"]').inputValue()).toBe('');
    await android.locator('input[name="pin"]').fill(PIN);
    await checkWithHolder('android', () => android.locator('button').click());
    const result = page.locator('[data-result]');
    await result.waitFor();
    // No personal data in the URL: the page stays where it was.
    expect(page.url()).toBe(`${sandbox.url}/verifier/clinic/`);
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    expect(await page.locator('[data-field="insurerNumber"]').textContent()).toMatch(/^99\d{6}$/);
    const portrait = page.locator('img.portrait');
    expect(await portrait.count()).toBe(1);
    expect(await portrait.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await shot('story-6-clinic-desk.png');
    // The result too, with its long ids and the photo, fits 390 px.
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        ),
      ).toBeLessThanOrEqual(0);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }

    // The next holder: back to the desk's forms.
    await page.locator('button[data-next]').click();
    const iphone = page.locator('form[data-phone-form="iphone"]');
    // Nothing to type or choose on the reader for the iPhone: Face ID is on the phone.
    expect(await iphone.locator('input, button[name="biometric"]').count()).toBe(0);
    // The holder declines on the phone first: the desk says so, with nothing asked of the insurer.
    await Promise.all([
      iphone.locator('button[type="submit"]').click(),
      answerOnPhonePage(browser, sandbox.url, 'iphone', 'decline'),
    ]);
    const declined = page.locator('[data-error="CLINIC_DECLINED"]');
    await declined.waitFor();
    expect(await declined.getAttribute('data-wallet-code')).toBe('WALLET_DECLINED');
    expect(await page.locator('[data-result]').count()).toBe(0);
    const faceId = iphone.locator('[data-waiting-phone="iphone"][data-waiting-for="face-id"]');
    await Promise.all([
      iphone.locator('button[type="submit"]').click(),
      (async () => {
        await faceId.waitFor();
        expect(await faceId.textContent()).toContain('Face ID');
        // The phone's page: who asks, the biometric only (no PIN pad), Face ID matched.
        const phonePage = await browser.newPage();
        try {
          await phonePage.goto(`${sandbox.url}/wallet/phones/iphone/incoming`);
          const request = phonePage.locator('section[data-incoming][data-unlock="biometric"]');
          await request.waitFor();
          expect(await request.locator('[data-relying-party]').textContent()).toContain(
            'サンドボックス診療所',
          );
          expect(await phonePage.locator('input[name="pin"]').count()).toBe(0);
          await phonePage.locator('button[data-use-biometric]').click();
          await phonePage.locator('[data-biometric-prompt] button[data-biometric="matched"]').click();
          await phonePage.locator('[data-sent]').waitFor();
        } finally {
          await phonePage.close();
        }
        // Then the face check's request, approved on the phone's page too.
        await answerOnPhonePage(browser, sandbox.url, 'iphone');
      })(),
    ]);
    await result.waitFor();
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    expect(await page.locator('[data-qualification]').getAttribute('data-qualification')).toBe('confirmed');
    expect(await page.locator('[data-face-check]').getAttribute('data-face-check')).toBe('valid');
    expect(await page.locator('[data-face-channel="proximity"]').textContent()).toContain(
      'proximity read (radio simulated over WebSocket)',
    );
    expect(await overflowAt390('/verifier/clinic/')).toBeLessThanOrEqual(0);
  }, 90_000);

  it('story 3, locked: five wrong signature passwords on the phone end the bank’s wait; the page says the certificate is unusable until installed again', async () => {
    await page.goto(`${sandbox.url}/verifier/bank/jpki/`);
    await page.locator('input[name="phone"][value="iphone"]').check();
    await chooseDeclaration(page);
    await page.click('form button');
    await page.locator('[data-waiting-phone="iphone"][data-waiting-for="sign"]').waitFor();
    // The holder's five wrong tries on the phone (through its page's own JSON calls).
    const at = sandboxFetch(sandbox.url);
    for (const password of ['WRONG1', 'WRONG2', 'WRONG3', 'WRONG4'])
      expect((await answerOnPhone(at, 'iphone', { password })).status).toBe(401);
    expect((await answerOnPhone(at, 'iphone', { password: 'WRONG5' })).status).toBe(423);
    const locked = page.locator('[data-error="WALLET_SECRET_LOCKED"]');
    await locked.waitFor();
    expect(await locked.textContent()).toContain('搭載し直すまで使えません');
    expect(await locked.textContent()).toContain('until it is installed again');
    // No asking the same phone again: another phone, or installing again, is what is left.
    expect(await locked.locator('button[data-try-again]').count()).toBe(0);
    expect(await locked.locator('[data-locked-next] a').first().getAttribute('href')).toBe('/wallet/');
    expect(await page.locator('[data-waiting-phone]').count()).toBe(0);
    expect(await page.locator('form button').isEnabled()).toBe(true);
  }, 90_000);
});
