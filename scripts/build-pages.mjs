// Builds the repository's browser pages (Vite + Preact) into `<service>/dist-pages/<name>/`, the folder the
// service serves them from. A page whose output is newer than every one of its sources (and this script)
// is skipped, so `npm start` and `npm test` call this every time at little cost. One line per page on stderr.
//
//   node scripts/build-pages.mjs            build what is missing or stale
//   node scripts/build-pages.mjs --force    build every page
//
// Each page is a Vite root of its own (ARCHITECTURE.md: `vite build <dir>` with an explicit root inside
// workspaces), built through Vite's JS API with no config file: JSX is compiled by Vite's own transform
// (oxc) with the automatic runtime of Preact, so no framework plugin is needed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);

/**
 * Folders whose every sub-folder with an `index.html` is a page of one service, found when this script
 * runs (a new page needs no entry here). `shared` holds what the folder's pages import in common: a
 * change there makes every one of them stale.
 */
export const PAGE_FOLDERS = [
  { service: 'apps/sandbox', folder: 'apps/sandbox/pages' },
  { service: 'services/wallet', folder: 'services/wallet/pages' },
];

/**
 * The `src` folders of the workspace projects a page's tsconfig.json references (the libraries it bundles
 * from their sources, e.g. packages/verifier-sdk): a change there makes the page stale too.
 */
function referencedSources(pageRoot) {
  let config;
  try {
    config = JSON.parse(readFileSync(resolve(REPO, pageRoot, 'tsconfig.json'), 'utf8'));
  } catch {
    return [];
  }
  return (Array.isArray(config.references) ? config.references : [])
    .filter((r) => typeof r?.path === 'string')
    .map((r) => relative(REPO, resolve(REPO, pageRoot, r.path, 'src')))
    .filter((dir) => mtimeOf(resolve(REPO, dir)) !== undefined);
}

/** The pages under one of PAGE_FOLDERS, by name. */
function pagesIn({ service, folder }) {
  let entries;
  try {
    entries = readdirSync(resolve(REPO, folder), { withFileTypes: true });
  } catch {
    return [];
  }
  const sharedDir = `${folder}/shared`;
  const hasShared = entries.some((e) => e.isDirectory() && e.name === 'shared');
  return entries
    .filter((e) => e.isDirectory() && e.name !== 'shared')
    .filter((e) => mtimeOf(resolve(REPO, folder, e.name, 'index.html')) !== undefined)
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const also = [...(hasShared ? [sharedDir] : []), ...referencedSources(`${folder}/${name}`)];
      return { name, service, root: `${folder}/${name}`, ...(also.length > 0 ? { also } : {}) };
    });
}

/** Every page the repository has: its name, the service that serves it, its Vite root (from the repository). */
export const PAGES = [
  { name: 'console', service: 'services/issuer', root: 'services/issuer/console' },
  ...PAGE_FOLDERS.flatMap(pagesIn),
];

/**
 * Browser bundles of libraries: one minified ES module each (Vite library mode), for a page that loads a
 * script without a build of its own — the verifier SDK's `dist/browser`, packed with the published package
 * (a page of this repository bundles the SDK from its sources instead).
 */
export const BUNDLES = [
  {
    name: 'verifier-sdk',
    root: 'packages/verifier-sdk',
    entry: 'src/index.ts',
    out: 'packages/verifier-sdk/dist/browser/verifier-sdk.js',
  },
  // The Digital Credentials API part alone, for pages that need no passkeys.
  {
    name: 'verifier-sdk-dc-api',
    root: 'packages/verifier-sdk',
    entry: 'src/verify-with-my-number-card.ts',
    out: 'packages/verifier-sdk/dist/browser/verifier-sdk-dc-api.js',
  },
];

/** Newest modification time (ms) of the files under `dir`, skipping node_modules; bounded depth. */
function newestMtime(dir, depth = 0) {
  if (depth > 8) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path, depth + 1));
    else if (entry.isFile()) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function mtimeOf(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Where a page's build goes. */
export function outDirOf(page) {
  return resolve(REPO, page.service, 'dist-pages', page.name);
}

/** Whether the page's build is missing or older than its sources. */
export function isStale(page) {
  const built = mtimeOf(join(outDirOf(page), 'index.html'));
  if (built === undefined) return true;
  const sources = Math.max(
    newestMtime(resolve(REPO, page.root)),
    ...(page.also ?? []).map((dir) => newestMtime(resolve(REPO, dir))),
    mtimeOf(SELF) ?? 0,
  );
  return sources >= built;
}

/** Builds the missing or stale pages (all with `force`) of `pages`; resolves to the names built. */
export async function buildPages({
  force = false,
  pages = PAGES,
  log = (line) => process.stderr.write(`${line}\n`),
} = {}) {
  const built = [];
  let vite;
  for (const page of pages) {
    const outDir = outDirOf(page);
    const shown = relative(REPO, outDir);
    if (!force && !isStale(page)) {
      log(`pages: ${page.name} up to date (${shown})`);
      continue;
    }
    vite ??= await import('vite');
    const started = performance.now();
    await vite.build({
      root: resolve(REPO, page.root),
      base: './',
      configFile: false,
      envDir: false,
      logLevel: 'warn',
      clearScreen: false,
      mode: 'production',
      // A workspace library a page imports is bundled from its sources (its `source` export condition).
      resolve: { conditions: ['source', ...vite.defaultClientConditions] },
      // Production JSX even when NODE_ENV says otherwise (vitest sets `test`).
      oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
      build: { outDir, emptyOutDir: true, reportCompressedSize: false },
    });
    log(`pages: ${page.name} built in ${((performance.now() - started) / 1000).toFixed(1)} s → ${shown}`);
    built.push(page.name);
  }
  return built;
}

/** Builds the missing or stale library bundles (all with `force`); resolves to the names built. */
export async function buildBundles({
  force = false,
  bundles = BUNDLES,
  log = (line) => process.stderr.write(`${line}\n`),
} = {}) {
  const built = [];
  let vite;
  for (const bundle of bundles) {
    const out = resolve(REPO, bundle.out);
    const made = mtimeOf(out);
    const sources = Math.max(newestMtime(resolve(REPO, bundle.root, 'src')), mtimeOf(SELF) ?? 0);
    if (!force && made !== undefined && made > sources) {
      log(`pages: ${bundle.name} bundle up to date (${bundle.out})`);
      continue;
    }
    vite ??= await import('vite');
    await vite.build({
      root: resolve(REPO, bundle.root),
      configFile: false,
      envDir: false,
      logLevel: 'warn',
      clearScreen: false,
      mode: 'production',
      resolve: { conditions: ['source', 'browser', 'module', 'import', 'default'] },
      build: {
        outDir: dirname(out),
        // Several bundles may share a folder.
        emptyOutDir: false,
        minify: true,
        target: 'es2022',
        reportCompressedSize: false,
        lib: {
          entry: resolve(REPO, bundle.root, bundle.entry),
          formats: ['es'],
          fileName: () => basename(out),
        },
        // Library mode keeps whitespace in ES output by default; a page bundle has no use for it.
        rolldownOptions: { output: { minify: true } },
      },
    });
    log(`pages: ${bundle.name} bundle built → ${bundle.out}`);
    built.push(bundle.name);
  }
  return built;
}

if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  const force = process.argv.includes('--force');
  Promise.all([buildPages({ force }), buildBundles({ force })]).catch((e) => {
    process.stderr.write(`pages: build failed: ${e?.message ?? e}\n`);
    process.exit(1);
  });
}
