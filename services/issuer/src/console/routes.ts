/**
 * `/console/` — the operator console: a Vite + Preact page (`services/issuer/console`, built by
 * `npm run build:pages` into `dist-pages/console`) served as static files. The files are public (the page
 * holds no data); every API call it makes carries the operator token (`config.adminToken`).
 *
 *   GET /console                  → 302 to `console/` (relative: the page also works under a prefix, e.g.
 *                                   the sandbox's `/issuer/console/`)
 *   GET /console/sandbox-session  → `{token}` — sandbox mode only, to a page on a loopback origin (below)
 *   GET /console/*                → a file of the build, or 404; without a build, `/console/` says how to
 *                                   build it
 *
 * Only files listed from the build folder are served: the list is made once, and again whenever the
 * build's index.html changes (a rebuild renames the hashed assets). A request names a key of that list or
 * nothing — never a path the server resolves — so `..`, `%2e%2e`, `..%2f` or an absolute path cannot reach
 * another file; anything percent-encoded is refused outright (the build's names need no escaping).
 *
 * Why handing the token out is acceptable only in the sandbox: the sandbox binds to loopback, its data are
 * invented, and the token already lies in a file of the same user (`<dataDir>/issuer/admin-token`), so a
 * page on this machine learns nothing its user could not read. The route checks that the Host header names
 * a loopback host — a DNS-rebinding page (`evil.example` resolving to 127.0.0.1) sends its own name and is
 * refused — that the connection itself comes from loopback when the server knows it, and that the browser
 * says the request is same-origin (`Sec-Fetch-Site`), and it answers `no-store`. Outside the sandbox the
 * route does not exist: a real operator types the token, which never sits in a page or a URL.
 */
import {
  BUILD_PAGES_COMMAND,
  BUILT_PAGE_CONTENT_TYPES,
  builtPageDir,
  listBuiltPageFiles,
  registerBuiltPage,
} from '@mynakit/http-kit';
import type { Context, Hono } from 'hono';
import type { IssuerDeps } from '../context.js';
import type { OpenApiRegistry } from '../http/openapi.js';
import { problem } from '../http/problem.js';

/** The content types of the files a Vite build writes (@mynakit/http-kit); others are not served. */
export const CONSOLE_CONTENT_TYPES = BUILT_PAGE_CONTENT_TYPES;

/** The command that builds the console, named by the page shown when it is missing. */
export { BUILD_PAGES_COMMAND };

/** The build folder of this package: `<package>/dist-pages/console`, from src/ or from dist/src/. */
export function defaultConsoleDir(): string {
  return builtPageDir(import.meta.url, 'console');
}

/** The regular files of the console's build (no symbolic links), by their path relative to it with `/`. */
export const listConsoleFiles = listBuiltPageFiles;

/** Whether `host` (a Host header or URL host, with or without port) names a loopback host. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined || host.length > 300) return false;
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::\d{1,5})?$/.exec(host.trim());
  if (!m) return false;
  const name = (m[1] ?? m[2] ?? '').toLowerCase();
  if (m[1] !== undefined) return name === '::1';
  return name === 'localhost' || /^127(?:\.\d{1,3}){3}$/.test(name);
}

/** Whether a socket's remote address is loopback (`127.0.0.0/8`, `::1`, IPv4-mapped loopback). */
export function isLoopbackAddress(address: string): boolean {
  return address === '::1' || /^(?:::ffff:)?127(?:\.\d{1,3}){3}$/.test(address);
}

/** The remote address of the connection when the Node adapter passed it (`c.env.incoming`), else undefined. */
function remoteAddressOf(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/** Registers /console, /console/sandbox-session and /console/*. */
export function registerConsoleRoutes(app: Hono, _registry: OpenApiRegistry, deps: IssuerDeps): void {
  if (deps.config.sandbox) {
    app.get('/console/sandbox-session', (c) => {
      c.header('Cache-Control', 'no-store');
      const remote = remoteAddressOf(c);
      const site = c.req.header('sec-fetch-site');
      const allowed =
        deps.config.adminToken !== undefined &&
        deps.config.adminToken !== '' &&
        isLoopbackHost(c.req.header('host')) &&
        isLoopbackHost(new URL(c.req.url).host) &&
        (remote === undefined || isLoopbackAddress(remote)) &&
        (site === undefined || site === 'same-origin');
      if (!allowed)
        return problem(
          c,
          403,
          'ISSUER_FORBIDDEN',
          'Forbidden',
          'the sandbox hands the operator token only to a same-origin page on a loopback host',
        );
      return c.json({ token: deps.config.adminToken });
    });
  }
  // Relative to `/console` the redirect is `/console/`, and `/issuer/console/` behind the sandbox's prefix.
  registerBuiltPage(app, {
    prefix: '/console',
    dir: deps.config.consoleDir ?? defaultConsoleDir(),
    titleJa: '運用コンソール',
    titleEn: 'Operator console',
    servedBy: 'mynakit issuer',
    notFoundCode: 'ISSUER_NOT_FOUND',
  });
}
