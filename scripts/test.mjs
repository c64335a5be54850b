// `npm test`: every test — unit, PostgreSQL (a throwaway cluster from the system binaries) and Chromium
// end-to-end — from a fresh clone. Extra arguments go to vitest (e.g. `npm test -- --project unit`).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { ensureBrowser } from './ensure-browser.mjs';

if (!ensureBrowser()) process.exit(1);

mkdirSync('reports', { recursive: true });
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=reports/vitest.json',
  ...process.argv.slice(2),
];
const res = spawnSync('npx', args, { stdio: 'inherit' });
process.exit(res.status ?? 1);
