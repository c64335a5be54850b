/**
 * The bank's branch counter in Debian's Chromium, walked as staff would from the verifier's page: the
 * sandbox runs in this process (startSandbox, 127.0.0.1, port 0, a fresh data directory), the cards are
 * installed through the phones' form routes, and for each phone family staff click "read the phone" — the
 * verifier service reads the phone emulator over ISO/IEC 18013-5 proximity — and the counter shows the
 * waiting line with the link to the phone's screen, where the customer approves with the biometric (the
 * phone's own page, `/wallet/phones/<id>/incoming`, in another tab); staff see the photo (a decodable JPEG)
 * and the facts, click "顔写真と一致 / face matches", and see the record with why no KYC letter applies face
 * to face. A customer who declines on the phone is shown as such, and the phone is read again. The counter
 * page fits a 390 px wide screen. With MYNAKIT_SCREENSHOTS=1 the pages are saved to docs/screenshots/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { answerOnPhonePage } from './helpers/phone-consent.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SHOTS = join(REPO, 'docs', 'screenshots');
const SCREENSHOTS = process.env.MYNAKIT_SCREENSHOTS === '1';
const PASSWORD = 'BRANCH2027';
const PIN = '4321';

describe('the bank’s branch counter in Chromium', () => {
  let dataDir: string;
  let sandbox: RunningSandbox;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;

  const install = (path: string, fields: Record<string, string>) =>
    fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });

  /**
   * Clicks "read the phone" in `family`'s form while the customer answers on the phone's page: the counter
   * shows the waiting line naming the phone, with the link to its screen, until the customer has answered.
   */
  const readWithCustomer = async (family: string, answer: 'approve' | 'decline') => {
    const waiting = page.locator(`[data-waiting-phone="${family}"]`);
    await Promise.all([
      page.locator(`form[data-phone-form="${family}"] button[data-read]`).click(),
      (async () => {
        await waiting.waitFor();
        expect(await waiting.locator(`a[data-open-phone="${family}"]`).getAttribute('href')).toBe(
          `/wallet/phones/${family}/incoming`,
        );
        await answerOnPhonePage(browser, sandbox.url, family, answer);
      })(),
    ]);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mynakit-branch-e2e-'));
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

  for (const family of ['iphone', 'android'])
    it(`staff read the ${family} at the counter, check the face and see the record`, async () => {
      await page.goto(`${sandbox.url}/verifier/`);
      await Promise.all([
        page.waitForURL(/\/verifier\/bank\/branch\/$/),
        page.click('a[href="/verifier/bank/branch/"]'),
      ]);
      expect(await page.getAttribute('html', 'lang')).toBe('ja');
      await Promise.all([page.waitForURL(/\/branch\/read$/), readWithCustomer(family, 'approve')]);
      expect(await page.locator('[data-waiting-phone]').count()).toBe(0);
      expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
      const portrait = page.locator('img[data-portrait]');
      expect(await portrait.count()).toBe(1);
      expect(await portrait.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      expect(await page.locator('[data-field="name"]').textContent()).toMatch(/\S/);
      expect(await page.locator('[data-field="address"]').textContent()).toMatch(/\S/);
      const recordId = await page.locator('[data-record]').getAttribute('data-record');
      expect(recordId).toMatch(/.+/);
      if (SCREENSHOTS) {
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, `bank-branch-read-${family}.png`), fullPage: true });
      }
      await Promise.all([
        page.waitForURL(/\/branch\/confirm$/),
        page.click('form[data-face-confirm] button[value="match"]'),
      ]);
      expect(await page.locator('[data-face-match]').getAttribute('data-face-match')).toBe('match');
      expect(await page.locator('[data-record]').getAttribute('data-record')).toBe(recordId);
      expect(await page.locator('[data-method]').getAttribute('data-method')).toBe('none');
      expect(await page.locator('body').textContent()).toContain('KYC_IN_PERSON_NOT_TABULATED');
      expect(await page.locator('[data-field="occupation"]').textContent()).toMatch(/\S/);
      expect(await page.locator('img').count()).toBe(0);
    }, 90_000);

  it('the customer declines on the phone: the counter says so, and reads the phone again', async () => {
    await page.goto(`${sandbox.url}/verifier/bank/branch/`);
    await Promise.all([page.waitForURL(/\/branch\/read$/), readWithCustomer('iphone', 'decline')]);
    const refusal = page.locator('[data-error="BRANCH_NOT_READ"]');
    expect(await refusal.getAttribute('data-reason')).toBe('WALLET_DECLINED');
    expect(await refusal.locator('[data-declined]').textContent()).toContain(
      'お客さまがスマートフォンで提示を断りました',
    );
    expect(await page.locator('img').count()).toBe(0);
    if (SCREENSHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'bank-branch-declined.png'), fullPage: true });
    }
    // Read again: back at the counter, and this time the customer approves.
    await Promise.all([page.waitForURL(/\/branch\/$/), page.locator('button[data-read-again]').click()]);
    await Promise.all([page.waitForURL(/\/branch\/read$/), readWithCustomer('iphone', 'approve')]);
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    expect(await page.locator('img[data-portrait]').count()).toBe(1);
  }, 90_000);

  it('fits a 390 px wide screen', async () => {
    const small = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
    try {
      await small.goto(`${sandbox.url}/verifier/bank/branch/`);
      expect(
        await small.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        ),
      ).toBeLessThanOrEqual(0);
    } finally {
      await small.close();
    }
  }, 60_000);
});
