import { readFileSync } from 'node:fs';
import type { Report } from '@mynakit/report';
import { exitCodeForVerdict } from './exit-codes.js';
import { UsageError } from './usage-error.js';

/** Reads a file the user named. Any failure is a usage error (exit 64), never a crash. */
export function readInputFile(path: string, what: string): Uint8Array {
  try {
    const buf = readFileSync(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`cannot read ${what} file '${path}' (${code})`);
  }
}

/** Collects repeated options (`--trust A --trust B`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Parses `--at`: an ISO 8601 / RFC 3339 instant. */
export function parseInstant(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const d = new Date(text);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new UsageError(`--at must be an ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z`);
  }
  return d;
}

export interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processOutput: Output = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/**
 * Prints a verification report and returns the exit code.
 * `--json`: exactly one JSON object on stdout; everything else goes to stderr.
 */
export function emitReport(
  report: Report & Record<string, unknown>,
  options: { json: boolean },
  out: Output,
  renderText: (report: Report & Record<string, unknown>) => string = renderReportText,
): number {
  if (options.json) out.stdout(`${JSON.stringify(report)}\n`);
  else out.stdout(renderText(report));
  return exitCodeForVerdict(report.verdict);
}

const MARK: Record<string, string> = {
  passed: 'ok  ',
  failed: 'FAIL',
  undetermined: '??  ',
  warning: 'warn',
  skipped: 'skip',
};

export function renderReportText(report: Report): string {
  const lines = [`verdict: ${report.verdict}`];
  for (const c of report.checks) lines.push(`  [${MARK[c.status] ?? c.status}] ${c.id}: ${c.detail}`);
  return `${lines.join('\n')}\n`;
}
