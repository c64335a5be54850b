// `npm test`: every test from a fresh clone — the type check and build (`tsc -b`), the published packages'
// checks (publint, arethetypeswrong), the linter, the browser pages (Vite), and the unit,
// PostgreSQL (a throwaway cluster from the system binaries) and Chromium end-to-end suites.
// Extra arguments go to vitest and skip the type check and lint (e.g. `npm test -- --project unit`).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { ensureBrowser } from './ensure-browser.mjs';

const extra = process.argv.slice(2);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;

if (!ensureBrowser()) process.exit(1);

let failed = false;
if (extra.length === 0) {
  console.error('› tsc -b (type check)');
  if (run('npx', ['tsc', '-b']) !== 0) {
    console.error('type check failed');
    failed = true;
  }
  console.error('› publint and arethetypeswrong (the packages users install)');
  if (run('node', ['scripts/published-packages.mjs']) !== 0) {
    console.error('package checks failed');
    failed = true;
  }
  console.error('› typedoc (every exported symbol documented, links valid)');
  if (run('npx', ['typedoc', '--emit', 'none', '--logLevel', 'Warn']) !== 0) {
    console.error('documentation check failed');
    failed = true;
  }
  console.error('› biome lint');
  if (run('npx', ['biome', 'lint', '.']) !== 0) {
    console.error('lint failed');
    failed = true;
  }
}

// The browser pages the services serve (and the end-to-end tests open), built when missing or stale.
console.error('› pages (vite build)');
if (run('node', ['scripts/build-pages.mjs']) !== 0) {
  console.error('page build failed');
  failed = true;
}

mkdirSync('reports', { recursive: true });
const status = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=reports/vitest.json',
  ...extra,
]);
process.exit(failed || status !== 0 ? 1 : 0);
