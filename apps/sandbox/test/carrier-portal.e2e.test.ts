/**
 * The carrier's contract and the portal's sign-in in Debian's Chromium, walked as a person would from the
 * verifier's page: the sandbox runs in this process (startSandbox, 127.0.0.1, port 0, a fresh data
 * directory); the cards are installed through the phones' form routes, and every step is a click or a
 * keystroke on the pages:
 *
 *  - the carrier: チ from the iPhone (valid, the four facts and the photo, no letter because the program is
 *    not certified), then ト from the Android phone with its signature password (valid, the basic four);
 *  - the portal: the Android holder types the auth PIN, the signed-in page shows the opaque subject id and
 *    no name, the cookie is HttpOnly (no script sees it) and SameSite=Lax, and sign-out ends it; the iPhone
 *    holder signs in with the biometric.
 *
 * Both pages fit a 390 px wide screen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { type RunningSandbox, startSandbox } from '../src/index.js';

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
    const small = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
    try {
      await small.goto(`${sandbox.url}${path}`);
      return await small.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    } finally {
      await small.close();
    }
  };

  beforeAll(async () => {
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

  it('the carrier: チ from the iPhone, then ト from the Android phone', async () => {
    await page.goto(`${sandbox.url}/verifier/`);
    await Promise.all([
      page.waitForURL(/\/verifier\/carrier\/$/),
      page.click('a[href="/verifier/carrier/"]'),
    ]);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    const chi = page.locator('form[data-method-form="chi"]');
    await chi.locator('input[name="phone"][value="iphone"]').check();
    await Promise.all([page.waitForURL(/\/record$/), chi.locator('button').click()]);
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    expect(await page.locator('[data-field="name"]').textContent()).toMatch(/\S/);
    expect(await page.locator('[data-field="address"]').textContent()).toMatch(/\S/);
    expect(
      await page.locator('img.portrait').evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBeGreaterThan(0);
    expect(await page.locator('[data-method]').getAttribute('data-method')).toBe('none');
    expect(await page.locator('body').textContent()).toContain('KYC_PROGRAM_NOT_CERTIFIED');
    expect(await page.locator('[data-record]').getAttribute('data-record')).toMatch(/.+/);

    await page.goto(`${sandbox.url}/verifier/carrier/`);
    const to = page.locator('form[data-method-form="to"]');
    await to.locator('input[name="phone"][value="android"]').check();
    await to.locator('input[name="password"]').fill(PASSWORD);
    await Promise.all([page.waitForURL(/\/sign$/), to.locator('button').click()]);
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    expect(await page.locator('[data-field="sex"]').textContent()).toContain('男性');
    expect(await page.locator('tr[data-check="status.revocation"] td.passed').count()).toBe(1);
    expect(await page.locator('body').textContent()).toContain('KYC_NOT_A_SIGNATURE_VERIFIER');
    expect(await overflowAt390('/verifier/carrier/')).toBeLessThanOrEqual(0);
  }, 90_000);

  it('the portal: the Android holder signs in with the PIN, sees no personal data, signs out; the iPhone with the biometric', async () => {
    await page.goto(`${sandbox.url}/verifier/`);
    await Promise.all([page.waitForURL(/\/verifier\/portal\/$/), page.click('a[href="/verifier/portal/"]')]);
    const android = page.locator('form[data-phone-form="android"]');
    await android.locator('input[name="pin"]').fill(PIN);
    await Promise.all([page.waitForURL(/\/verifier\/portal\/$/), android.locator('button').click()]);
    const subject = await page.locator('[data-signed-in]').getAttribute('data-signed-in');
    expect(subject).toMatch(/\S/);
    expect(await page.locator('[data-field="name"]').count()).toBe(0);
    expect(await page.locator('tr[data-check="status.revocation"] td.passed').count()).toBe(1);
    const cookies = await context.cookies(`${sandbox.url}/verifier/portal/`);
    const session = cookies.find((c) => c.name === 'mynakit_portal');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    expect(await page.evaluate(() => document.cookie)).not.toContain('mynakit_portal');
    // Reloading keeps the sign-in; sign-out ends it.
    await page.reload();
    expect(await page.locator('[data-signed-in]').getAttribute('data-signed-in')).toBe(subject);
    await Promise.all([page.waitForURL(/\/verifier\/portal\/$/), page.click('form[action="logout"] button')]);
    expect(await page.locator('[data-signed-in]').count()).toBe(0);
    expect(await page.locator('form[data-phone-form="iphone"]').count()).toBe(1);

    await Promise.all([
      page.waitForURL(/\/verifier\/portal\/$/),
      page.click('form[data-phone-form="iphone"] button[value="matched"]'),
    ]);
    const iphoneSubject = await page.locator('[data-signed-in]').getAttribute('data-signed-in');
    expect(iphoneSubject).toMatch(/\S/);
    expect(iphoneSubject).not.toBe(subject);
    expect(await overflowAt390('/verifier/portal/')).toBeLessThanOrEqual(0);
  }, 90_000);
});
