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

/**
 * Parses `--at`: an RFC 3339 date-time with an explicit zone (`Z` or `±hh:mm`). A time without a zone
 * would silently take the machine's local zone, and `new Date()` rolls impossible dates over
 * (2021-02-30 → 2 March): both are usage errors, never a different instant than the one written.
 */
export function parseInstant(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const m = RFC3339.exec(text);
  const usage = (why: string) =>
    new UsageError(
      `--at '${text}' ${why}: give an RFC 3339 date-time with a zone, e.g. 2026-01-01T00:00:00Z`,
    );
  if (m === null)
    throw usage(
      /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)
        ? 'has no time zone'
        : 'is not a date-time',
    );
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as string[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) throw usage('is not a calendar date');
  if (hour > 23 || minute > 59 || second > 59) throw usage('is not a time of day');
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) throw usage('has an impossible zone offset');
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = frac === undefined ? 0 : Math.floor(Number(`0${frac}`) * 1000);
  const instant = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) throw usage('is out of range');
  return date;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

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
