import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { serveOnLoopback } from '../helpers/serve.js';

/**
 * The browser facts the verifier pages and SDK are built on, checked in the real Debian Chromium the
 * suite installs: the Digital Credentials API protocols, WebAuthn, and Japanese text rendering.
 */
describe('Chromium platform', () => {
  let env: Awaited<ReturnType<typeof launchChromium>>;
  let site: Awaited<ReturnType<typeof serveOnLoopback>>;

  beforeAll(async () => {
    env = await launchChromium();
    site = await serveOnLoopback((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        '<!doctype html><html lang="ja"><body><p id="name" style="font-size:32px">番号　花子</p></body></html>',
      );
    });
  });
  afterAll(async () => {
    await env?.close();
    await site?.close();
  });

  it('offers both DC API protocols the verifier uses (Annex C and OpenID4VP)', async () => {
    const page = await env.browser.newPage();
    await page.goto(site.origin);
    const result = await page.evaluate(() => {
      const dc = (globalThis as { DigitalCredential?: { userAgentAllowsProtocol?: (p: string) => boolean } })
        .DigitalCredential;
      return {
        secure: window.isSecureContext,
        mdoc: dc?.userAgentAllowsProtocol?.('org-iso-mdoc') ?? null,
        oid4vp: dc?.userAgentAllowsProtocol?.('openid4vp-v1-unsigned') ?? null,
        webauthn: typeof PublicKeyCredential === 'function',
      };
    });
    expect(result).toEqual({ secure: true, mdoc: true, oid4vp: true, webauthn: true });
    await page.close();
  });

  it('renders Japanese names with a real CJK font, not replacement boxes', async () => {
    const page = await env.browser.newPage();
    await page.goto(site.origin);
    const width = await page.evaluate(() => {
      const el = document.getElementById('name')!;
      return el.getBoundingClientRect().width;
    });
    // Five full-width glyphs at 32px are about 160px wide; missing-glyph boxes or a fallback to nothing are not.
    expect(width).toBeGreaterThan(140);
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      return document.fonts.check('32px "IPAGothic"') || document.fonts.check('32px "IPAPGothic"');
    });
    expect(fonts).toBe(true);
    await page.close();
  });
});
