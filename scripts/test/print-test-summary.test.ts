/**
 * The CI closing line is read by machines: it must count failures the way vitest's own summary does,
 * including test files that fail to load and suites whose hooks fail (files with no failed test).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../print-test-summary.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mynakit-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const summaryOf = (report: unknown, ...flags: string[]): string => {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(report));
  const r = spawnSync(process.execPath, [script, file, ...flags], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout.trim();
};

const test = (title: string, status: string) => ({ title, status });

describe('print-test-summary', () => {
  it('counts failed tests, files that failed to load and files whose hooks failed, once each', () => {
    const line = summaryOf({
      numFailedTests: 1,
      numPassedTests: 2,
      testResults: [
        { name: 'a.test.ts', status: 'failed', message: 'load fail', assertionResults: [] },
        {
          name: 'b.test.ts',
          status: 'failed',
          assertionResults: [test('x1', 'skipped'), test('x2', 'skipped'), test('ok', 'passed')],
        },
        {
          name: 'c.test.ts',
          status: 'failed',
          assertionResults: [
            test('fails', 'failed'),
            test('passes', 'passed'),
            test('skipped', 'skipped'),
            test('todo', 'todo'),
          ],
        },
        { name: 'd.test.ts', status: 'passed', assertionResults: [test('p', 'passed')] },
      ],
    });
    expect(line).toBe('3 passed, 3 failed, 4 skipped');
  });

  it('a file with several failed tests counts each test, not the file again', () => {
    const line = summaryOf({
      testResults: [
        {
          name: 'e.test.ts',
          status: 'failed',
          assertionResults: [test('f1', 'failed'), test('f2', 'failed'), test('f3', 'failed')],
        },
      ],
    });
    expect(line).toBe('0 passed, 3 failed, 0 skipped');
  });

  it('a missing report is a failure, never a silent pass', () => {
    const r = spawnSync(process.execPath, [script, join(dir, 'absent.json')], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('0 passed, 1 failed');
  });

  it('counts the quick start CI ran outside vitest as one more test', () => {
    const report = {
      testResults: [{ name: 'd.test.ts', status: 'passed', assertionResults: [test('p', 'passed')] }],
    };
    expect(summaryOf(report, '--also-passed')).toBe('2 passed, 0 failed, 0 skipped');
    expect(summaryOf(report, '--also-failed')).toBe('1 passed, 1 failed, 0 skipped');
    const r = spawnSync(process.execPath, [script, join(dir, 'absent.json'), '--also-failed'], {
      encoding: 'utf8',
    });
    expect(r.stdout.trim()).toBe('0 passed, 2 failed');
  });
});
