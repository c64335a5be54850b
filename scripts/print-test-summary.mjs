// Prints the closing line `N passed, N failed, N skipped` from vitest's JSON report, counting as vitest's
// own summary does: every failed test once, plus once each test file that failed without a failed test
// of its own (it could not be loaded, or a suite hook failed) — such a file would otherwise hide a failure.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/vitest.json';
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(0);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
let passed = 0;
let failed = 0;
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
