import type { Verdict } from '@mynakit/report';

/**
 * Exit codes of every `verify` subcommand — relying parties and conformance suites script against them.
 * 64 is EX_USAGE from sysexits(3): a bad flag, a missing or unreadable file.
 */
export const EXIT = {
  valid: 0,
  invalid: 1,
  undetermined: 2,
  usage: 64,
  software: 70,
} as const;

export function exitCodeForVerdict(verdict: Verdict): number {
  return EXIT[verdict];
}
