/**
 * A Vite + Preact page served as static files from its build (`<package>/dist-pages/<name>`, written by
 * scripts/build-pages.mjs) — the one implementation behind the issuer's operator console and the sandbox's
 * pages:
 *
 *   GET <prefix>     → 302 to `<last segment>/` (relative, so the page's relative asset URLs resolve under it,
 *                      also when the service is mounted under a prefix of its own, e.g. `/issuer/console/`)
 *   GET <prefix>/*   → a file of the build, or a problem 404; without a build, `<prefix>/` says how to build it
 *
 * Only files listed from the build folder are served: the list is made once, and again whenever the
 * build's index.html changes (a rebuild renames the hashed assets). A request names a key of that list or
 * nothing — never a path the server resolves — so `..`, `%2e%2e`, `..%2f` or an absolute path cannot reach
 * another file; anything percent-encoded is refused outright (the build's names need no escaping).
 */
import { type Dirent, lstatSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import { problem } from './problem.js';

/** The content types of the files a Vite build writes; a file of any other extension is not served. */
export const BUILT_PAGE_CONTENT_TYPES: ReadonlyMap<string, string> = new Map([
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

/** The command that builds the pages, named by the page shown when a build is missing. */
export const BUILD_PAGES_COMMAND = 'npm run build:pages';

/**
 * The build folder of a page of the package that holds `moduleUrl` (pass `import.meta.url`):
 * `<package>/dist-pages/<name>`, found from src/ or from dist/src/.
 */
export function builtPageDir(moduleUrl: string, name: string): string {
  const here = dirname(fileURLToPath(moduleUrl));
  let dir = here;
  for (let i = 0; i < 5; i++) {
    if (isFile(join(dir, 'package.json'))) return join(dir, 'dist-pages', name);
    dir = dirname(dir);
  }
  return join(here, '..', 'dist-pages', name);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A file of a build: where it is and how it is served. */
export interface BuiltPageFile {
  readonly path: string;
  readonly contentType: string;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}

/** The regular files of a build (no symbolic links), by their path relative to it with `/`. */
export function listBuiltPageFiles(root: string): Map<string, BuiltPageFile> {
  const files = new Map<string, BuiltPageFile>();
  const walk = (dir: string, prefix: string, depth: number) => {
    if (depth > MAX_DEPTH) return;
    let entries: Dirent[];
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
        const contentType = BUILT_PAGE_CONTENT_TYPES.get(extensionOf(entry.name));
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

/** What registerBuiltPage serves. */
export interface BuiltPage {
  /** The URL path of the page in its app, without a trailing slash, e.g. `/console`, `/verifier/auditor`. */
  readonly prefix: string;
  /** The build folder (builtPageDir). */
  readonly dir: string;
  /** The page's title, Japanese then English, for the page shown when the build is missing. */
  readonly titleJa: string;
  readonly titleEn: string;
  /** Who serves it, for that page's title (e.g. `mynakit issuer`). */
  readonly servedBy: string;
  /** The stable code of its 404 problems (e.g. `ISSUER_NOT_FOUND`). */
  readonly notFoundCode: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function notBuiltPage(page: BuiltPage): string {
  const ja = escapeHtml(page.titleJa);
  const en = escapeHtml(page.titleEn);
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${ja} (${en}) — ${escapeHtml(page.servedBy)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1 data-page-not-built>${ja}は未ビルドです <small>(${en}: the page is not built)</small></h1>
<p>リポジトリのルートで次のコマンドを実行してから、このページを再読み込みしてください。<br>
Run this at the repository's root, then reload this page:</p>
<pre><code>${BUILD_PAGES_COMMAND}</code></pre>
<p><code>npm start</code> builds it too.</p>
</body></html>
`;
}

/** Registers `<prefix>` and `<prefix>/*` (register the page's own API routes before this). */
export function registerBuiltPage(app: Hono, page: BuiltPage): void {
  let listing: { indexMtime: number | undefined; files: ReadonlyMap<string, BuiltPageFile> } = {
    indexMtime: undefined,
    files: new Map(),
  };
  const relist = () => {
    const indexMtime = indexMtimeOf(page.dir);
    if (indexMtime !== listing.indexMtime)
      listing = { indexMtime, files: indexMtime === undefined ? new Map() : listBuiltPageFiles(page.dir) };
  };
  relist();
  const folder = `${page.prefix}/`;
  const notFound = (c: Context) => problem(c, 404, page.notFoundCode, 'Not found');

  app.get(page.prefix, (c) => {
    c.header('Location', `${page.prefix.slice(page.prefix.lastIndexOf('/') + 1)}/`);
    return c.body(null, 302);
  });
  app.get(`${folder}*`, async (c) => {
    // The app may be mounted under a prefix of its own: the page's folder is found in the full path.
    const pathname = new URL(c.req.url).pathname;
    const at = pathname.indexOf(folder);
    if (at < 0) return notFound(c);
    const rest = pathname.slice(at + folder.length);
    const name = rest === '' ? 'index.html' : rest;
    if (name === 'index.html') relist();
    if (listing.indexMtime === undefined && name === 'index.html')
      return c.body(notBuiltPage(page), 200, {
        ...PAGE_HEADERS,
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
      });
    // Keys of the listing only; the name is never joined to a path here.
    const file = name.includes('%') || name.includes('\\') ? undefined : listing.files.get(name);
    if (file === undefined) return notFound(c);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file.path);
    } catch {
      return notFound(c);
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
