// Prints the closing line `N passed, N failed, N skipped` from vitest's JSON report, counting as vitest's
// own summary does: every failed test once, plus once each test file that failed without a failed test
// of its own (it could not be loaded, or a suite hook failed) — such a file would otherwise hide a failure.
// `--also-passed` / `--also-failed` add one check CI ran outside vitest (the quick start, .ci/run).
import { existsSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--')) ?? 'reports/vitest.json';
const alsoPassed = args.includes('--also-passed') ? 1 : 0;
const alsoFailed = args.includes('--also-failed') ? 1 : 0;
if (!existsSync(file)) {
  console.log(`${alsoPassed} passed, ${1 + alsoFailed} failed`);
  process.exit(0);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
let passed = alsoPassed;
let failed = alsoFailed;
let skipped = 0;
for (const testFile of report.testResults ?? []) {
  const results = testFile.assertionResults ?? [];
  let failedHere = 0;
  for (const test of results) {
    if (test.status === 'passed') passed++;
    else if (test.status === 'failed') failedHere++;
    else skipped++; // skipped, pending, todo, disabled
  }
  failed += failedHere;
  if (testFile.status === 'failed' && failedHere === 0) failed++;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
