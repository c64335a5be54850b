/**
 * scripts/build-pages.mjs: a page is built when its output is missing or older than a source, skipped
 * otherwise, and the build is a Vite build of Preact JSX (automatic runtime) with relative asset URLs.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPages, isStale, outDirOf, PAGES } from '../build-pages.mjs';

// Inside the repository (its tmp/ is ignored), so the page resolves preact from the workspace's node_modules.
const repoTmp = fileURLToPath(new URL('../../tmp/', import.meta.url));
mkdirSync(repoTmp, { recursive: true });
const dir = mkdtempSync(join(repoTmp, 'pages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('build-pages', () => {
  it('knows the issuer console, built into services/issuer/dist-pages/console', () => {
    const console = PAGES.find((p) => p.name === 'console');
    expect(console).toMatchObject({ service: 'services/issuer', root: 'services/issuer/console' });
    expect(outDirOf(console!)).toMatch(/services\/issuer\/dist-pages\/console$/);
  });

  it('knows the sandbox auditor’s view, built into apps/sandbox/dist-pages/auditor', () => {
    const auditor = PAGES.find((p) => p.name === 'auditor');
    expect(auditor).toMatchObject({ service: 'apps/sandbox', root: 'apps/sandbox/pages/auditor' });
    expect(outDirOf(auditor!)).toMatch(/apps\/sandbox\/dist-pages\/auditor$/);
  });

  it('knows the sandbox portal’s sign-in, built into apps/sandbox/dist-pages/portal', () => {
    const portal = PAGES.find((p) => p.name === 'portal');
    expect(portal).toMatchObject({ service: 'apps/sandbox', root: 'apps/sandbox/pages/portal' });
    expect(outDirOf(portal!)).toMatch(/apps\/sandbox\/dist-pages\/portal$/);
  });

  it('knows the sandbox carrier’s contract page, built into apps/sandbox/dist-pages/carrier', () => {
    const carrier = PAGES.find((p) => p.name === 'carrier');
    expect(carrier).toMatchObject({ service: 'apps/sandbox', root: 'apps/sandbox/pages/carrier' });
    expect(outDirOf(carrier!)).toMatch(/apps\/sandbox\/dist-pages\/carrier$/);
    // Every folder with an index.html under apps/sandbox/pages (but shared) is a page, in name order.
    const sandboxPages = PAGES.filter((p) => p.service === 'apps/sandbox').map((p) => p.name);
    expect(sandboxPages).toEqual([...sandboxPages].sort());
    expect(sandboxPages).toEqual(expect.arrayContaining(['auditor', 'carrier', 'portal']));
    expect(sandboxPages).not.toContain('shared');
  });

  it('builds a missing page, skips it while up to date, rebuilds it when a source changes', async () => {
    const page = { name: 'probe', service: join(dir, 'service'), root: join(dir, 'service', 'probe') };
    mkdirSync(join(page.root, 'src'), { recursive: true });
    writeFileSync(
      join(page.root, 'index.html'),
      '<!doctype html><div id="app"></div><script type="module" src="./src/main.tsx"></script>',
    );
    writeFileSync(
      join(page.root, 'src', 'main.tsx'),
      'const el = <p class="x">こんにちは</p>;\nexport default el;\nconsole.log(el);\n',
    );
    // The sources are older than anything the build writes.
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(page.root, 'src', 'main.tsx'), past, past);
    utimesSync(join(page.root, 'index.html'), past, past);
    expect(isStale(page)).toBe(true);

    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    expect(await buildPages({ pages: [page], log })).toEqual(['probe']);
    const out = outDirOf(page);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toMatch(/src="\.\/assets\/index-[\w-]+\.js"/);
    const [js] = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js'));
    // JSX went through Preact's production runtime (bundled), not React's.
    const bundle = readFileSync(join(out, 'assets', js as string), 'utf8');
    expect(bundle).toContain('こんにちは');
    expect(bundle).not.toMatch(/react|jsxDEV/);
    expect(isStale(page)).toBe(false);
    expect(await buildPages({ pages: [page], log })).toEqual([]);
    expect(lines.at(-1)).toContain('probe up to date');

    const future = new Date(Date.now() + 60_000);
    utimesSync(join(page.root, 'src', 'main.tsx'), future, future);
    expect(isStale(page)).toBe(true);
  }, 60_000);

  it('counts a folder the page also imports from (the sandbox pages’ shared code) among its sources', async () => {
    const shared = join(dir, 'shared-probe');
    mkdirSync(shared, { recursive: true });
    writeFileSync(join(shared, 'style.css'), 'p { color: black; }\n');
    const page = {
      name: 'probe-shared',
      service: join(dir, 'service'),
      root: join(dir, 'service', 'probe-shared'),
      also: [shared],
    };
    mkdirSync(join(page.root, 'src'), { recursive: true });
    writeFileSync(
      join(page.root, 'index.html'),
      '<!doctype html><div id="app"></div><script type="module" src="./src/main.tsx"></script>',
    );
    writeFileSync(
      join(page.root, 'src', 'main.tsx'),
      "import '../../../shared-probe/style.css';\nconsole.log(1);\n",
    );
    const past = new Date(Date.now() - 60_000);
    for (const f of [
      join(page.root, 'src', 'main.tsx'),
      join(page.root, 'index.html'),
      join(shared, 'style.css'),
    ])
      utimesSync(f, past, past);
    expect(await buildPages({ pages: [page], log: () => undefined })).toEqual(['probe-shared']);
    expect(isStale(page)).toBe(false);
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(shared, 'style.css'), future, future);
    expect(isStale(page)).toBe(true);
    expect(
      PAGES.filter((p) => p.service === 'apps/sandbox').every((p) =>
        p.also?.includes('apps/sandbox/pages/shared'),
      ),
    ).toBe(true);
  }, 60_000);

  it('counts the sources of the libraries a page bundles (its tsconfig.json references) among its sources', () => {
    // The bank's page bundles @mynakit/verifier-sdk from its sources: a change there makes the page stale.
    const bank = PAGES.find((p) => p.name === 'bank');
    expect(bank?.also).toEqual(['apps/sandbox/pages/shared', 'packages/verifier-sdk/src']);
    // A page that references nothing has only the shared folder.
    expect(PAGES.find((p) => p.name === 'carrier')?.also).toEqual(['apps/sandbox/pages/shared']);
  });
});
