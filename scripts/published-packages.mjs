// The packages users install, and the checks every one of them must pass before it can be published:
// publint (package.json against the packed files) and arethetypeswrong (the types resolve for ESM
// consumers under node16 and bundler resolution; CommonJS `require` is out of scope: ESM only).
// `npm test` runs this after the type check; `node scripts/published-packages.mjs` runs it alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PUBLISHED = [
  'packages/report',
  'packages/cbor',
  'packages/cose',
  'packages/pki',
  'packages/mdoc',
  'packages/status-list',
  'packages/oid4vp',
  'packages/oid4vci',
  'packages/jpki',
  'packages/kyc',
  'packages/db',
  'packages/verifier-sdk',
  'apps/cli',
];

const root = fileURLToPath(new URL('..', import.meta.url));

/** Packs one package with `npm pack` into `destination` and returns the tarball's path. */
export function pack(dir, destination) {
  const r = spawnSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: join(root, dir),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm pack ${dir} failed:\n${r.stderr}`);
  return join(destination, JSON.parse(r.stdout)[0].filename);
}

async function checkAll() {
  const { publint } = await import('publint');
  const { formatMessage } = await import('publint/utils');
  // The browser SDK packs its page bundles (dist/browser), which Vite builds, not tsc.
  const { buildBundles } = await import('./build-pages.mjs');
  await buildBundles({ log: () => undefined });
  const work = mkdtempSync(join(tmpdir(), 'mynakit-packages-'));
  let failures = 0;
  try {
    for (const dir of PUBLISHED) {
      const pkgDir = join(root, dir);
      const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
      const tarball = pack(dir, work);
      const data = readFileSync(tarball);
      const lint = await publint({
        pkgDir: 'package', // npm's tarball root
        strict: true,
        pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
      });
      const problems = lint.messages.map((m) => `publint: ${formatMessage(m, pkg) ?? m.code}`);
      // A command-line application has no importable entry point: arethetypeswrong applies to libraries.
      if (pkg.exports !== undefined) {
        const attw = spawnSync(
          join(root, 'node_modules', '.bin', 'attw'),
          [tarball, '--profile', 'esm-only', '--format', 'ascii'],
          { encoding: 'utf8' },
        );
        if (attw.status !== 0) problems.push(`arethetypeswrong:\n${attw.stdout}${attw.stderr}`);
      }
      if (problems.length === 0) console.error(`  ok  ${pkg.name}`);
      else {
        failures++;
        console.error(`  FAIL ${pkg.name}\n${problems.map((p) => `    ${p}`).join('\n')}`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return failures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const failures = await checkAll();
  process.exit(failures === 0 ? 0 : 1);
}
