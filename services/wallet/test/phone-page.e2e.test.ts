/**
 * The phone page in Debian's Chromium, served by the wallet alone (`mynakit wallet`: startWallet, no issuer
 * configured, then one that is unreachable): it shows both phones, phone-shaped, with the issuer's state,
 * the install screen says why it installs nothing, the settings screen has the offline switch, and it fits
 * a 390 px wide screen. The page's build is made first (scripts/build-pages.mjs).
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { startWallet } from '../src/index.js';
import { tempDir } from './helpers/wallet-fixtures.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the phone page of the wallet alone, in Chromium', () => {
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  beforeAll(async () => {
    const build = spawnSync('node', ['scripts/build-pages.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build-pages failed: ${build.stderr}`);
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 120_000);
  afterAll(async () => {
    await closeBrowser?.();
  });

  it('shows both phones and that no issuer is configured; installs nothing; switches offline', async () => {
    const dir = tempDir('mynakit-phone-page-e2e-');
    const wallet = await startWallet({ dataDir: dir.path, port: 0 });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
    try {
      await page.goto(`${wallet.url}/`);
      expect(await page.getAttribute('html', 'lang')).toBe('ja');
      await page.locator('[data-issuer="not-configured"]').waitFor();
      expect(await page.locator('[data-issuer="not-configured"]').textContent()).toContain(
        '発行者が設定されていません',
      );
      for (const id of ['iphone', 'android']) await page.locator(`section[data-phone="${id}"]`).waitFor();
      const iphone = page.locator('section[data-phone="iphone"]');
      expect(await iphone.textContent()).toContain('まだ何も搭載されていません');
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        ),
      ).toBeLessThanOrEqual(0);

      await iphone.locator('button[data-tab="install"]').click();
      await iphone.locator('[data-install="unavailable"]').waitFor();
      expect(await iphone.locator('form.install').count()).toBe(0);

      // No issuer: the settings screen offers no notices, and no key to unlock; the switch works.
      await iphone.locator('button[data-tab="settings"]').click();
      expect(await iphone.textContent()).toContain('発行者が設定されていません');
      await iphone.locator('form[action="phones/iphone/offline"] button').click();
      await iphone.locator('[data-offline="yes"]').waitFor();
      expect(await iphone.locator('[data-offline="yes"]').textContent()).toContain('オフライン');
      expect(await page.locator('section[data-phone="android"] [data-offline="no"]').count()).toBe(1);

      // One phone alone, by the page's fragment.
      await page.locator('a[data-open-phone="android"]').click();
      await page.locator('section[data-phone="android"]').waitFor();
      await expect.poll(() => page.locator('section[data-phone]').count()).toBe(1);
    } finally {
      await page.close();
      await wallet.close();
      dir.remove();
    }
  }, 60_000);

  it('says the issuer is unreachable and still shows the phones', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((done) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => done(p));
      });
    });
    const dir = tempDir('mynakit-phone-page-e2e-');
    const wallet = await startWallet({ dataDir: dir.path, port: 0, issuerUrl: `http://127.0.0.1:${port}` });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
    try {
      await page.goto(`${wallet.url}/`);
      await page.locator('[data-issuer="unreachable"]').waitFor();
      expect(await page.locator('[data-issuer="unreachable"]').textContent()).toContain('接続できません');
      expect(await page.locator('section[data-phone]').count()).toBe(2);
    } finally {
      await page.close();
      await wallet.close();
      dir.remove();
    }
  }, 60_000);
});
