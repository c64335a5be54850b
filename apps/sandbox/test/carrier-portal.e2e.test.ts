/**
 * The carrier's contract and the portal's sign-in in Debian's Chromium, walked as a person would from the
 * verifier's page: the sandbox runs in this process (startSandbox, 127.0.0.1, port 0, a fresh data
 * directory); the cards are installed through the phones' form routes, and every step is a click or a
 * keystroke on the pages:
 *
 *  - the carrier (the Vite + Preact page at /verifier/carrier/): チ from the iPhone, approved on the phone's
 *    own screen while the page links it (valid, the four facts and the photo, no letter because the program
 *    is not certified), チ from the Android phone declined there (the customer's refusal, with a button to
 *    ask again), then ト from the Android phone — no password field on the carrier's page: the contract
 *    waits on the phone's own screen while the page says to type the signature password there; a wrong one
 *    typed on the phone is refused there with the tries left (the carrier's page still waits and never sees
 *    it), then the right one (valid, the basic four);
 *  - the portal (the Vite + Preact page at /verifier/portal/): no PIN field and no Face ID button on the
 *    portal's page — the sign-in waits on the phone's own screen while the page says to confirm there with
 *    the auth PIN or the biometric, with the link to it; the Android holder types a wrong auth PIN on the
 *    phone's page (refused there with the tries left, the portal's page still waiting and never seeing it),
 *    then the right one; the signed-in page shows the opaque subject id and no name, the cookie is HttpOnly
 *    (no script sees it) and SameSite=Lax, the page stores nothing, and sign-out ends it; the iPhone holder
 *    signs in with Face ID on the phone's page; a decline there leaves the portal's page saying so.
 *
 * Both pages fit a 390 px wide screen.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { answerOnPhonePage } from './helpers/phone-consent.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PASSWORD = 'CARRIER2026';
const PIN = '5678';

describe('the carrier and the portal in Chromium', () => {
  let dataDir: string;
  let sandbox: RunningSandbox;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;

  const install = (path: string, fields: Record<string, string>) =>
    fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
  const overflowAt390 = async (path: string) => {
    // In the signed-in browser, so the portal's page at 390 px is the signed-in one with its long ids.
    const small = await context.newPage();
    await small.setViewportSize({ width: 390, height: 844 });
    try {
      await small.goto(`${sandbox.url}${path}`);
      await small.waitForLoadState('networkidle');
      return await small.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    } finally {
      await small.close();
    }
  };

  beforeAll(async () => {
    // The portal's page: built when missing or older than its sources.
    const build = spawnSync('node', ['scripts/build-pages.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build-pages failed: ${build.stderr}`);
    dataDir = mkdtempSync(join(tmpdir(), 'mynakit-carrier-portal-'));
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
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    page = await context.newPage();
  }, 180_000);
  afterAll(async () => {
    await closeBrowser?.();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the carrier: チ from the iPhone, チ declined on the Android phone, then ト from it after a wrong password on the phone', async () => {
    await page.goto(`${sandbox.url}/verifier/`);
    await Promise.all([
      page.waitForURL(/\/verifier\/carrier\/$/),
      page.click('a[href="/verifier/carrier/"]'),
    ]);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    const chi = page.locator('form[data-method-form="chi"]');
    await chi.waitFor();
    await chi.locator('input[name="phone"][value="iphone"]').check();
    await chi.locator('button[type="submit"]').click();
    // The request waits on the iPhone's own screen: the page says so and links it; the holder approves there.
    const waiting = page.locator('[data-waiting-phone="iphone"]');
    await waiting.waitFor();
    expect(await waiting.locator('[data-open-phone]').getAttribute('href')).toBe(
      '/wallet/phones/iphone/incoming',
    );
    await answerOnPhonePage(context, sandbox.url, 'iphone');
    const chiResult = page.locator('[data-result="chi"]');
    await chiResult.waitFor();
    expect(await waiting.count()).toBe(0);
    expect(await chiResult.locator('[data-answered-by="bridge"][data-phone="iphone"]').count()).toBe(1);
    expect(await chiResult.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    expect(await chiResult.locator('[data-field="name"]').textContent()).toMatch(/\S/);
    expect(await chiResult.locator('[data-field="address"]').textContent()).toMatch(/\S/);
    expect(
      await chiResult.locator('img.portrait').evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBeGreaterThan(0);
    expect(await chiResult.locator('[data-method]').getAttribute('data-method')).toBe('none');
    expect(await chiResult.textContent()).toContain('KYC_PROGRAM_NOT_CERTIFIED');
    expect(await chiResult.locator('[data-record]').getAttribute('data-record')).toMatch(/.+/);

    // チ from the Android phone, declined by its holder: the page shows the customer's refusal and offers
    // to ask the phone again.
    await chi.locator('input[name="phone"][value="android"]').check();
    await Promise.all([
      chi.locator('button[type="submit"]').click(),
      answerOnPhonePage(context, sandbox.url, 'android', 'decline'),
    ]);
    const declined = page.locator('[data-error="CARRIER_DECLINED"]');
    await declined.waitFor();
    expect(await declined.textContent()).toContain('お客さまがスマートフォンで送信を断りました');
    expect(await declined.textContent()).toContain('WALLET_DECLINED');
    expect(await declined.locator('button[data-try-again]').count()).toBe(1);
    expect(await page.locator('[data-waiting-phone]').count()).toBe(0);

    const to = page.locator('form[data-method-form="to"]');
    await to.locator('input[name="phone"][value="android"]').check();
    // The signature password is never typed on the carrier's page.
    expect(await to.locator('input[name="password"], input[type="password"]').count()).toBe(0);
    await to.locator('button[type="submit"]').click();
    const signing = page.locator('[data-waiting-phone="android"][data-waiting-for="sign"]');
    await signing.waitFor();
    expect(await signing.textContent()).toContain(
      'スマートフォンで署名用パスワードを入力して署名してください',
    );
    const phone = await context.newPage();
    try {
      await phone.goto(`${sandbox.url}/wallet/phones/android/incoming`);
      const screen = phone.locator('section[data-incoming]');
      await screen.waitFor({ timeout: 20_000 });
      expect(await screen.locator('[data-relying-party-name]').textContent()).toContain('サンドボックス携帯');
      expect(await screen.locator('[data-document="text"]').textContent()).toContain(
        '携帯電話利用契約申込書',
      );
      // A wrong password: refused on the phone with the tries left; the carrier's page still waits.
      await screen.locator('input[name="password"]').fill('WRONG2026');
      await screen.locator('button[data-approve]').click();
      await phone.locator('[data-refusal="WALLET_SECRET_WRONG"]').waitFor();
      await screen.locator('[data-remaining-tries="4"]').waitFor();
      expect(await signing.count()).toBe(1);
      expect(await page.locator('body').textContent()).not.toContain('WRONG2026');
      await screen.locator('input[name="password"]').fill(PASSWORD);
      await screen.locator('button[data-approve]').click();
      await phone.locator('[data-sent]').waitFor();
    } finally {
      await phone.close();
    }
    const toResult = page.locator('[data-result="to"]');
    await toResult.waitFor();
    expect(await toResult.locator('[data-answered-by="bridge"][data-phone="android"]').count()).toBe(1);
    expect(await toResult.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    expect(await toResult.locator('[data-field="sex"]').textContent()).toContain('男性');
    expect(await toResult.locator('tr[data-check="status.revocation"] td.passed').count()).toBe(1);
    expect(await toResult.textContent()).toContain('KYC_NOT_A_SIGNATURE_VERIFIER');
    expect(await overflowAt390('/verifier/carrier/')).toBeLessThanOrEqual(0);
    // The result too, with its long ids, fits 390 px.
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
  }, 90_000);

  it('the portal: the Android holder signs in with the PIN typed on the phone, sees no personal data, signs out; the iPhone declines, then uses Face ID on the phone', async () => {
    await page.goto(`${sandbox.url}/verifier/`);
    await Promise.all([page.waitForURL(/\/verifier\/portal\/$/), page.click('a[href="/verifier/portal/"]')]);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    const android = page.locator('form[data-phone-form="android"]');
    await android.waitFor();
    // The labelled bridge: which phone answers, and that the key is unlocked on the phone.
    expect(await android.locator('[data-answered-by="bridge"]').textContent()).toContain('ブリッジ経由');
    expect(await page.locator('p.bridge').textContent()).toContain('Face ID');
    // Neither a PIN field nor a Face ID button on the portal's page.
    expect(await page.locator('input[name="pin"]').count()).toBe(0);
    expect(await page.locator('button[value="matched"], button[value="failed"]').count()).toBe(0);

    // The sign-in waits on the phone's screen: the page says to confirm there, with the link to it.
    await android.locator('button[type="submit"]').click();
    const waiting = android.locator('[data-waiting-phone="android"][data-waiting-for="authenticate"]');
    await waiting.waitFor();
    expect(await waiting.textContent()).toContain('スマートフォンで暗証番号または生体認証で確認してください');
    expect(await waiting.locator('a[data-open-phone="android"]').getAttribute('href')).toBe(
      '/wallet/phones/android/incoming',
    );
    // A wrong PIN first, typed on the phone's page: refused there with the tries left, the portal still waits.
    const phonePage = await context.newPage();
    await phonePage.goto(`${sandbox.url}/wallet/phones/android/incoming`);
    const request = phonePage.locator('section[data-incoming]');
    await request.waitFor();
    expect(await request.getAttribute('data-unlock')).toBe('pin-or-biometric');
    expect(await request.locator('[data-relying-party]').textContent()).toContain(
      'サンドボックス行政ポータル',
    );
    await phonePage.locator('input[name="pin"]').fill('0000');
    await phonePage.locator('button[data-approve]').click();
    await phonePage.locator('[data-refusal="WALLET_SECRET_WRONG"]').waitFor();
    await phonePage.locator('[data-remaining-tries="2"]').first().waitFor();
    expect(await waiting.isVisible()).toBe(true);
    expect(await page.locator('body').textContent()).not.toContain('0000');
    await phonePage.locator('input[name="pin"]').fill(PIN);
    await phonePage.locator('button[data-approve]').click();
    await phonePage.locator('[data-sent]').waitFor();
    await phonePage.close();
    const signedIn = page.locator('[data-signed-in]');
    await signedIn.waitFor();
    const subject = await signedIn.getAttribute('data-signed-in');
    expect(subject).toMatch(/\S/);
    expect(await page.locator('[data-how="pin"] [data-phone="android"]').count()).toBe(1);
    expect(await page.locator('[data-field="name"]').count()).toBe(0);
    expect(await page.locator('tr[data-check="status.revocation"] td.passed').count()).toBe(1);
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    const cookies = await context.cookies(`${sandbox.url}/verifier/portal/`);
    const session = cookies.find((c) => c.name === 'mynakit_portal');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    expect(await page.evaluate(() => document.cookie)).not.toContain('mynakit_portal');
    // The page keeps nothing itself.
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    // Reloading keeps the sign-in (the server's cookie); sign-out ends it.
    await page.reload();
    await signedIn.waitFor();
    expect(await signedIn.getAttribute('data-signed-in')).toBe(subject);
    await page.click('button[data-sign-out]');
    await page.locator('form[data-phone-form="iphone"]').waitFor();
    expect(await page.locator('[data-signed-in]').count()).toBe(0);
    expect(
      (await context.cookies(`${sandbox.url}/verifier/portal/`)).some((c) => c.name === 'mynakit_portal'),
    ).toBe(false);

    // The iPhone holder declines on the phone first: the portal's page says so, nobody is signed in.
    await Promise.all([
      page.click('form[data-phone-form="iphone"] button[type="submit"]'),
      answerOnPhonePage(context, sandbox.url, 'iphone', 'decline'),
    ]);
    await page.locator('[data-error="PORTAL_DECLINED"]').waitFor();
    expect(await page.locator('[data-signed-in]').count()).toBe(0);
    // Then Face ID on the phone's page.
    await Promise.all([
      page.click('form[data-phone-form="iphone"] button[type="submit"]'),
      answerOnPhonePage(context, sandbox.url, 'iphone', { biometric: 'matched', authentication: true }),
    ]);
    await signedIn.waitFor();
    const iphoneSubject = await signedIn.getAttribute('data-signed-in');
    expect(iphoneSubject).toMatch(/\S/);
    expect(iphoneSubject).not.toBe(subject);
    expect(await page.locator('[data-how="biometric"] [data-phone="iphone"]').count()).toBe(1);
    expect(await overflowAt390('/verifier/portal/')).toBeLessThanOrEqual(0);
  }, 90_000);
});
