/**
 * The bank's account opening on another device in Debian's Chromium, walked as a person would: the sandbox
 * runs in this process (127.0.0.1, port 0, a fresh data directory, both phones installed), the bank's page
 * shows a QR code — painted by Chromium and read back from its pixels by jsQR, it holds the link the page
 * prints — the "open on phone iphone" button hands the link to that phone's screen in a new tab, where the
 * holder sees the bank named by its certificate and approves with the biometric, and the bank's page, which
 * polls, shows the verified record and why no method applies. The pages fit a 390 px wide screen.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { decodeQrPixels } from './helpers/qr-decode.js';
import { installTwoPhones, type PageClient, startPageClient } from './helpers/two-phones.js';

describe('the bank on another device in Chromium (QR code, OpenID4VP cross-device)', () => {
  let client: PageClient;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;

  const overflowAt390 = async (url: string) => {
    const small = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
    try {
      // The phone's screens read their request after loading: measured once the page is idle.
      await small.goto(url, { waitUntil: 'networkidle' });
      return await small.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    } finally {
      await small.close();
    }
  };

  /** Fills the start page's declaration and shows a QR code; answers the session page's URL. */
  const showQr = async (p: Page) => {
    await p.goto(`${client.sandbox.url}/verifier/bank/cross-device/`);
    await p.locator('select[name="transactionPurpose"]').selectOption('salary-or-pension');
    await p.locator('select[name="occupation"]').selectOption('company-employee');
    await Promise.all([
      p.waitForURL(/\/verifier\/bank\/cross-device\/sessions\/[A-Za-z0-9-]+$/),
      p.locator('form button').click(),
    ]);
    return p.url();
  };

  beforeAll(async () => {
    client = await startPageClient('mynakit-sandbox-cross-device-e2e-');
    await installTwoPhones(client);
    ({ browser, close: closeBrowser } = await launchChromium());
    context = await browser.newContext({ locale: 'ja-JP' });
    page = await context.newPage();
  }, 300_000);
  afterAll(async () => {
    await closeBrowser?.();
    await client?.close();
  });

  it('shows the QR code, the phone opens its link and approves, and the page shows the result', async () => {
    const sessionUrl = await showQr(page);
    const link = (await page.locator('[data-wallet-url]').textContent()) as string;
    expect(link.startsWith('openid4vp://?client_id=x509_san_dns%3Alocalhost&request_uri=')).toBe(true);

    // What Chromium paints of the SVG, read back by an independent decoder.
    const painted = await page.locator('[data-qr] svg').evaluate(async (svg) => {
      const side = 6 * Number((svg.getAttribute('viewBox') ?? '').split(' ')[2]);
      const image = new Image();
      image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.outerHTML)}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = side;
      canvas.height = side;
      const g = canvas.getContext('2d') as CanvasRenderingContext2D;
      g.drawImage(image, 0, 0, side, side);
      return { side, pixels: Array.from(g.getImageData(0, 0, side, side).data) };
    });
    expect(decodeQrPixels(new Uint8ClampedArray(painted.pixels), painted.side)?.data).toBe(link);
    await expect.poll(() => page.locator('#cross-device-status').getAttribute('data-state')).toBe('pending');

    // The labelled button hands the link to the iPhone emulator's screen, in a new tab.
    const [phone] = await Promise.all([
      context.waitForEvent('page'),
      page.locator('[data-open-on="iphone"]').click(),
    ]);
    await phone.waitForLoadState();
    expect(phone.url()).toContain('/wallet/phones/iphone/openid4vp?url=');
    expect(await phone.locator('[data-reader-subject]').textContent()).toContain('Sandbox Bank');
    expect(await phone.locator('[data-client-id]').textContent()).toBe('x509_san_dns:localhost');
    expect(await phone.locator('input[name="element"]:checked').count()).toBeGreaterThanOrEqual(4);
    // Approving asks the owner's biometric; the emulator's prompt offers the match.
    await phone.locator('button[data-approve]').click();
    await Promise.all([
      phone.waitForSelector('[data-sent]'),
      phone.locator('[data-biometric-prompt] button[data-biometric="matched"]').click(),
    ]);
    expect(await phone.locator('[data-disclosed="full_name_unicode"]').count()).toBe(1);
    await phone.close();

    // The used session's link, opened again on the other phone, is refused on its screen with the code.
    const replayed = await context.newPage();
    try {
      await replayed.goto(
        `${client.sandbox.url}/wallet/phones/android/openid4vp?url=${encodeURIComponent(link)}`,
      );
      const refusal = replayed.locator('[data-refusal="WALLET_REQUEST_INVALID"]');
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain('受け付けられません');
      expect(await refusal.textContent()).toContain('Nothing was sent');
      expect(await replayed.locator('input[name="element"]').count()).toBe(0);
      expect(await replayed.locator('button[data-approve]').count()).toBe(0);
      expect(await replayed.locator('a[href="../../"]').count()).toBe(1);
    } finally {
      await replayed.close();
    }

    // The bank's page polls and shows the result without a click.
    await page.waitForSelector('[data-verdict="valid"]', { timeout: 30_000 });
    expect(page.url()).toBe(sessionUrl);
    expect(await page.locator('[data-answered-by="cross-device"]').count()).toBe(1);
    expect(((await page.locator('[data-field="name"]').textContent()) ?? '').length).toBeGreaterThan(0);
    expect(await page.locator('[data-method="none"]').textContent()).toContain('KYC_PROGRAM_NOT_CERTIFIED');
    expect(await page.locator('[data-check="device.signature"] .passed').count()).toBe(1);
    expect(await overflowAt390(sessionUrl)).toBeLessThanOrEqual(0);
  }, 120_000);

  it('shows a refusal on the consent screen: a requester on a host the phone cannot reach, the face that does not match', async () => {
    const phone = await context.newPage();
    try {
      // The scan screen takes the link a QR code holds and opens its consent screen.
      await phone.goto(`${client.sandbox.url}/wallet/phones/iphone/openid4vp`);
      const elsewhere = `openid4vp://?client_id=x509_san_dns%3Aexample.com&request_uri=${encodeURIComponent('https://example.com/request-object')}`;
      await phone.locator('textarea[name="url"]').fill(elsewhere);
      await Promise.all([
        phone.waitForURL(/\/wallet\/phones\/iphone\/openid4vp\?url=/),
        phone.locator('form[data-scan] button').click(),
      ]);
      const refusal = phone.locator('[data-refusal="WALLET_REQUEST_INVALID"]');
      await refusal.waitFor();
      expect(await refusal.getAttribute('role')).toBe('alert');
      expect(await phone.locator('button[data-approve]').count()).toBe(0);

      // A face that does not match: the screen says so with the code, and the session still waits.
      const sessionUrl = await showQr(page);
      const link = (await page.locator('[data-wallet-url]').textContent()) as string;
      await phone.goto(
        `${client.sandbox.url}/wallet/phones/iphone/openid4vp?url=${encodeURIComponent(link)}`,
      );
      await phone.locator('[data-reader-subject]').waitFor();
      await phone.locator('button[data-approve]').click();
      await phone.locator('[data-biometric-prompt] button[data-biometric="failed"]').click();
      const failed = phone.locator('[data-refusal="WALLET_BIOMETRIC_FAILED"]');
      await failed.waitFor();
      expect(await failed.textContent()).toContain('Nothing was sent');
      expect(await phone.locator('[data-sent]').count()).toBe(0);
      expect(await phone.locator('input[name="element"]:checked').count()).toBeGreaterThanOrEqual(4);
      expect(await (await fetch(`${sessionUrl}/state`)).json()).toEqual({ state: 'pending' });
    } finally {
      await phone.close();
    }
  }, 120_000);

  it('fits a 390 px wide screen: the start page, the phones with their scan form, the QR page and the consent screen', async () => {
    expect(await overflowAt390(`${client.sandbox.url}/verifier/bank/cross-device/`)).toBeLessThanOrEqual(0);
    // The phones' overview with its scan form.
    expect(await overflowAt390(`${client.sandbox.url}/wallet/`)).toBeLessThanOrEqual(0);
    const other = await context.newPage();
    try {
      const sessionUrl = await showQr(other);
      expect(await overflowAt390(sessionUrl)).toBeLessThanOrEqual(0);
      const href = (await other.locator('[data-open-on="android"]').getAttribute('href')) as string;
      expect(await overflowAt390(`${client.sandbox.url}${href}`)).toBeLessThanOrEqual(0);
    } finally {
      await other.close();
    }
  }, 120_000);
});
