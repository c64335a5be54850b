/**
 * The wallet's Vite + Preact pages (`services/wallet/pages/<name>`, built by scripts/build-pages.mjs into
 * `services/wallet/dist-pages/<name>`), served by the one implementation the issuer's console and the
 * sandbox's pages use too (@mynakit/http-kit `registerBuiltPage`): without a build, the page says which
 * command builds it.
 */
import {
  BUILD_PAGES_COMMAND,
  type BuiltPage,
  builtPageDir,
  registerBuiltPage as registerPage,
} from '@mynakit/http-kit';
import { Hono } from 'hono';

export { BUILD_PAGES_COMMAND };

/** The build folder of a page of the wallet: `services/wallet/dist-pages/<name>`. */
export function walletPageDir(name: string): string {
  return builtPageDir(import.meta.url, name);
}

/** What a wallet page is: its folder under the app, its build, its titles. */
export type WalletPage = Omit<BuiltPage, 'servedBy' | 'notFoundCode'>;

/** Registers `<prefix>` and `<prefix>/*` of a wallet page (register the page's JSON routes before this). */
export function registerBuiltPage(app: Hono, page: WalletPage): void {
  registerPage(app, { ...page, servedBy: 'mynakit wallet', notFoundCode: 'WALLET_NOT_FOUND' });
}

/**
 * Serves a page at the app's root: `GET /` is its index.html (HTTP 200, also when the build is missing —
 * then the page names the build command) and `GET /assets/*` its hashed files, which the build's relative
 * URLs reach from `/` wherever the app is mounted (the sandbox mounts the wallet at `/wallet/`). The page
 * itself is served by registerBuiltPage in an app of its own, so `/` and `/assets/*` are all it takes here.
 */
export function registerRootPage(
  app: Hono,
  page: Omit<WalletPage, 'prefix'> & { readonly name: string },
): void {
  const inner = new Hono();
  const prefix = `/${page.name}`;
  registerBuiltPage(inner, { prefix, dir: page.dir, titleJa: page.titleJa, titleEn: page.titleEn });
  const serve = (request: Request, rest: string) => {
    const url = new URL(request.url);
    url.pathname = `${prefix}/${rest}`;
    return inner.fetch(new Request(url, { method: 'GET', headers: request.headers }));
  };
  app.get('/', (c) => serve(c.req.raw, ''));
  app.get('/assets/*', (c) => {
    const pathname = new URL(c.req.url).pathname;
    return serve(c.req.raw, pathname.slice(pathname.lastIndexOf('/assets/') + 1));
  });
}
