/**
 * The government portal's sign-in by QR code in Debian's Chromium, walked as a person would: the sandbox runs
 * in this process (127.0.0.1, port 0, a fresh data directory, both phones installed); the portal's page shows
 * the QR code of a `mynakit-jpki://` link — painted by Chromium and read back from its pixels by jsQR, it
 * holds the link the page prints — the "open on phone android" button opens that phone's request screen in a
 * new tab, which names the portal by its reader certificate; the holder types the auth PIN on the phone's pad,
 * and the portal's page, which polls, shows the signed-in view keyed by the opaque certificate id. The pages
 * fit a 390 px wide screen.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { decodeQrPixels } from './helpers/qr-decode.js';
import { installTwoPhones, type PageClient, startPageClient, TWO_PHONES } from './helpers/two-phones.js';

describe('the portal’s sign-in by QR code in Chromium (mynakit-jpki link)', () => {
  let client: PageClient;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;

  const overflowAt390 = async (p: Page) =>
    p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  beforeAll(async () => {
    client = await startPageClient('mynakit-sandbox-portal-link-e2e-');
    await installTwoPhones(client);
    ({ browser, close: closeBrowser } = await launchChromium());
    context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 390, height: 844 } });
    page = await context.newPage();
  }, 300_000);
  afterAll(async () => {
    await closeBrowser?.();
    await client?.close();
  });

  it('shows the QR code, the phone opens its link and answers with the PIN, and the portal signs in', async () => {
    await page.goto(`${client.sandbox.url}/verifier/portal/`);
    const start = page.locator('[data-link-sign-in]');
    expect(await start.locator('h2').textContent()).toContain('スマートフォンで読み取る');
    await start.locator('button[data-show-qr]').click();
    const linkCode = page.locator('[data-wallet-url]');
    await linkCode.waitFor();
    const link = (await linkCode.textContent()) as string;
    expect(link.startsWith('mynakit-jpki://?client_id=x509_san_dns%3Aportal.localhost&request_uri=')).toBe(
      true,
    );
    // No session id or anything else of the sign-in in the portal's address.
    expect(new URL(page.url()).pathname).toBe('/verifier/portal/');
    expect(new URL(page.url()).search).toBe('');

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
    expect(await page.locator('#portal-link-status').getAttribute('data-state')).toBe('pending');
    expect(await overflowAt390(page)).toBeLessThanOrEqual(0);

    // The labelled button hands the link to the Android emulator's request screen, in a new tab.
    const [phone] = await Promise.all([
      context.waitForEvent('page'),
      page.locator('[data-open-on="android"]').click(),
    ]);
    await phone.waitForLoadState();
    expect(phone.url()).toContain('/wallet/phones/android/jpki-request?url=');
    await phone.locator('h1[data-request-type="jpki-user-authentication"]').waitFor();
    expect(await phone.locator('[data-reader-subject]').textContent()).toMatch(/\S/);
    expect(await phone.locator('[data-client-id]').textContent()).toBe('x509_san_dns:portal.localhost');
    expect(await phone.locator('[data-client-name]').textContent()).toContain('行政ポータル');
    expect(await phone.locator('[data-purpose="log-in"]').textContent()).toContain('ログイン');
    expect(await overflowAt390(phone)).toBeLessThanOrEqual(0);
    // The auth PIN typed on the phone's pad.
    for (const key of TWO_PHONES.androidPin) await phone.locator(`.pad button[data-key="${key}"]`).click();
    await phone.locator('.pad button[type="submit"]').click();
    await phone.locator('[data-sent="jpki-user-authentication"]').waitFor();
    await phone.close();

    // The portal's page polls and shows the signed-in view without a click.
    const signedIn = page.locator('[data-signed-in]');
    await signedIn.waitFor({ timeout: 30_000 });
    const subject = (await signedIn.getAttribute('data-signed-in')) as string;
    expect(subject).toMatch(/\S/);
    expect(await page.locator('[data-subject-id]').textContent()).toBe(subject);
    expect(await page.locator('[data-how="link"]').count()).toBe(1);
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    expect(await page.locator('tr[data-check="status.revocation"] td.passed').count()).toBe(1);
    expect(await page.locator('[data-field="name"]').count()).toBe(0);
    const cookies = await context.cookies(`${client.sandbox.url}/verifier/portal/`);
    const session = cookies.find((c) => c.name === 'mynakit_portal');
    expect(session?.httpOnly).toBe(true);
    // A reload keeps the sign-in (the cookie session), and the page still fits 390 px.
    await page.reload();
    await page.locator('[data-signed-in]').waitFor();
    expect(await overflowAt390(page)).toBeLessThanOrEqual(0);
  }, 120_000);
});
