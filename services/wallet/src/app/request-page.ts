/**
 * The phone's screen for a request scanned from a QR code or opened by link — an OpenID4VP cross-device
 * request (`openid4vp://`, cross-device-routes.ts) or a JPKI request (`mynakit-jpki://`,
 * jpki-request-routes.ts) — or handed to it by its OS (incoming-routes.ts): a Vite + Preact page
 * (`services/wallet/pages/request`, built by scripts/build-pages.mjs into `dist-pages/request`) served by
 * @mynakit/http-kit `registerBuiltPage`:
 *
 *   GET /request/                          the page's build (its assets under /request/assets/)
 *   GET /phones/:id/openid4vp[?url=…]      the same page, for a browser (the scan screen without a link,
 *   GET /phones/:id/jpki-request?url=…     the consent screen with one) — the URLs the other device's
 *                                          "open on this phone" links and the scan form open
 *   GET /phones/:id/incoming               the same page: the requests the phone's OS hands it
 *                                          (incoming-routes.ts), polled, each as a consent screen
 *   GET /phones/:id/assets/*               the build's assets as the page at those URLs names them (a
 *                                          Vite build's URLs are relative: `./assets/…`)
 *
 * The page reads the phone and the link from its own URL and calls the JSON routes beside it
 * (`openid4vp/screen`, `jpki-request/screen`, `incoming`, and the answers `openid4vp`, `jpki-request`,
 * `incoming/<request>`). Only the build's listed files are served (registerBuiltPage), with its
 * Content-Security-Policy.
 */
import { builtPageDir, registerBuiltPage } from '@mynakit/http-kit';
import type { Context, Hono } from 'hono';

/** The page's folder in the wallet app. */
export const REQUEST_PAGE_PREFIX = '/request';

/** Serves the request page's build; answers the shell that the screens' URLs serve. */
export function registerRequestPage(
  app: Hono,
  dir: string = builtPageDir(import.meta.url, 'request'),
): (c: Context) => Promise<Response> {
  registerBuiltPage(app, {
    prefix: REQUEST_PAGE_PREFIX,
    dir,
    titleJa: '要求の確認',
    titleEn: 'A request to this phone',
    servedBy: 'mynakit wallet',
    notFoundCode: 'WALLET_NOT_FOUND',
  });
  // The build's own route answers: the file list, its headers and its 404s stay in one place.
  app.get('/phones/:id/assets/*', (c) => {
    const pathname = new URL(c.req.url).pathname;
    const at = pathname.indexOf('/assets/');
    return app.request(`${REQUEST_PAGE_PREFIX}${pathname.slice(at)}`);
  });
  return async () => {
    const shell = await app.request(`${REQUEST_PAGE_PREFIX}/index.html`);
    // The screen's URL carries a request link: neither it nor the page is kept by a cache.
    const headers = new Headers(shell.headers);
    headers.set('Cache-Control', 'no-store');
    return new Response(shell.body, { status: shell.status, headers });
  };
}
