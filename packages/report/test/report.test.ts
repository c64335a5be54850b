import { describe, expect, it } from 'vitest';
import { ReportBuilder, verdictOf } from '../src/index.js';

describe('verdictOf', () => {
  it('is invalid when any check failed, even beside undetermined ones', () => {
    expect(verdictOf([{ status: 'undetermined' }, { status: 'failed' }, { status: 'passed' }])).toBe(
      'invalid',
    );
  });
  it('is undetermined when nothing failed and something is undetermined', () => {
    expect(verdictOf([{ status: 'passed' }, { status: 'undetermined' }, { status: 'warning' }])).toBe(
      'undetermined',
    );
  });
  it('is valid when only passed, warning and skipped checks remain', () => {
    expect(verdictOf([{ status: 'passed' }, { status: 'warning' }, { status: 'skipped' }])).toBe('valid');
  });
  it('builder keeps order and applies the rule', () => {
    const b = new ReportBuilder();
    b.passed('a', 'x');
    expect(b.ok).toBe(true);
    b.failed('b', 'y');
    expect(b.ok).toBe(false);
    const r = b.report();
    expect(r.verdict).toBe('invalid');
    expect(r.checks.map((c) => c.id)).toEqual(['a', 'b']);
  });
});
