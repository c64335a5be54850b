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
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import type { IssuerDeps } from '../context.js';
import type { OpenApiRegistry } from '../http/openapi.js';
import { problem } from '../http/problem.js';

/** The content types of the files a Vite build writes; a file of any other extension is not served. */
export const CONSOLE_CONTENT_TYPES: ReadonlyMap<string, string> = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.mjs', 'text/javascript; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.ico', 'image/x-icon'],
  ['.json', 'application/json'],
  ['.txt', 'text/plain; charset=utf-8'],
  ['.woff2', 'font/woff2'],
]);

/** At most this many files are listed from the build, at most this deep. */
const MAX_FILES = 1000;
const MAX_DEPTH = 4;

/** The page's own policy: its scripts and styles are files of the build, its requests go to this origin. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

const PAGE_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
} as const;

/** The command that builds the console, named by the page shown when it is missing. */
export const BUILD_PAGES_COMMAND = 'npm run build:pages';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>運用コンソール (Operator console) — mynakit issuer</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>運用コンソールは未ビルドです <small>(The console is not built)</small></h1>
<p>リポジトリのルートで次のコマンドを実行してから、このページを再読み込みしてください。<br>
Run this at the repository's root, then reload this page:</p>
<pre><code>${BUILD_PAGES_COMMAND}</code></pre>
<p><code>npm start</code> builds it too.</p>
</body></html>
`;

/** The build folder of this package: `<package>/dist-pages/console`, from src/ or from dist/src/. */
export function defaultConsoleDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsFile(join(dir, 'package.json'))) return join(dir, 'dist-pages', 'console');
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist-pages', 'console');
}

function existsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

interface ListedFile {
  readonly path: string;
  readonly contentType: string;
}

interface Listing {
  /** mtime of index.html when listed; undefined: no build. */
  readonly indexMtime: number | undefined;
  readonly files: ReadonlyMap<string, ListedFile>;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}

/** The regular files of the build (no symbolic links), by their path relative to it with `/`. */
export function listConsoleFiles(root: string): Map<string, ListedFile> {
  const files = new Map<string, ListedFile>();
  const walk = (dir: string, prefix: string, depth: number) => {
    if (depth > MAX_DEPTH) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (files.size >= MAX_FILES) return;
      if (!/^[A-Za-z0-9._-]+$/.test(entry.name) || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, `${prefix}${entry.name}/`, depth + 1);
      else if (entry.isFile()) {
        const contentType = CONSOLE_CONTENT_TYPES.get(extensionOf(entry.name));
        if (contentType !== undefined) files.set(`${prefix}${entry.name}`, { path, contentType });
      }
    }
  };
  walk(root, '', 0);
  return files;
}

function indexMtimeOf(root: string): number | undefined {
  try {
    const s = lstatSync(join(root, 'index.html'));
    return s.isFile() ? s.mtimeMs : undefined;
  } catch {
    return undefined;
  }
}

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
  const root = deps.config.consoleDir ?? defaultConsoleDir();
  let listing: Listing = { indexMtime: undefined, files: new Map() };
  const relist = () => {
    const indexMtime = indexMtimeOf(root);
    if (indexMtime !== listing.indexMtime)
      listing = { indexMtime, files: indexMtime === undefined ? new Map() : listConsoleFiles(root) };
  };
  relist();

  app.get('/console', (c) => {
    // Relative to `/console` this is `/console/`, and `/issuer/console/` behind the sandbox's prefix.
    c.header('Location', 'console/');
    return c.body(null, 302);
  });

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

  app.get('/console/*', async (c) => {
    const pathname = new URL(c.req.url).pathname;
    const at = pathname.indexOf('/console/');
    const rest = at < 0 ? undefined : pathname.slice(at + '/console/'.length);
    if (rest === undefined) return problem(c, 404, 'ISSUER_NOT_FOUND', 'Not found');
    const name = rest === '' ? 'index.html' : rest;
    if (name === 'index.html') relist();
    if (listing.indexMtime === undefined && name === 'index.html') {
      return c.body(NOT_BUILT_PAGE, 200, {
        ...PAGE_HEADERS,
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
      });
    }
    // Keys of the listing only; the name is never joined to a path here.
    const file = name.includes('%') || name.includes('\\') ? undefined : listing.files.get(name);
    if (file === undefined) return problem(c, 404, 'ISSUER_NOT_FOUND', 'Not found');
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file.path);
    } catch {
      return problem(c, 404, 'ISSUER_NOT_FOUND', 'Not found');
    }
    // Vite puts content-hashed names under assets/: they never change. Everything else is revalidated.
    const cacheControl = name.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      ...(file.contentType.startsWith('text/html') ? PAGE_HEADERS : { 'X-Content-Type-Options': 'nosniff' }),
      'Content-Type': file.contentType,
      'Cache-Control': cacheControl,
    });
  });
}
