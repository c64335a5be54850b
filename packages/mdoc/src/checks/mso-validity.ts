/**
 * `mso.validity` (ISO/IEC 18013-5 §9.3.1: validFrom ≤ now ≤ validUntil), with a tolerance for device
 * clocks that run ahead: a validFrom or MSO `signed` time at most `clockSkewSeconds` after `now` is
 * accepted and said so; validUntil gets no grace.
 */
import type { Check } from '@mynakit/report';
import type { ValidityInfo } from '../validity-info.js';

const iso = (d: Date) => d.toISOString();

/**
 * The default `clockSkewSeconds`: 60. Phones' clocks run ahead of servers' by seconds and an mdoc is
 * often minted moments before it is shown — a real Android capture carries a validFrom 2.2 s after
 * the instant it was presented — so a verifier with no tolerance calls fresh documents "not yet
 * valid". A minute covers that and no more; expiry gets no grace at all.
 */
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;

function seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}

/**
 * `mso.validity` (ISO/IEC 18013-5 §9.3.1: validFrom ≤ now ≤ validUntil), tolerating a validFrom or an
 * MSO `signed` time at most `skewSeconds` after `now` (a device clock ahead of ours) — reported in the
 * detail when used. validUntil is never stretched.
 */
export function validityCheck(vi: ValidityInfo, now: Date, skewSeconds: number): Check {
  const t = now.getTime();
  const skewMs = skewSeconds * 1000;
  const from = vi.validFrom.getTime();
  const signedAt = vi.signed.getTime();
  if (from - t > skewMs)
    return {
      id: 'mso.validity',
      status: 'failed',
      detail: `not yet valid: validFrom ${iso(vi.validFrom)} is after ${iso(now)}${skewMs > 0 ? ` by more than the ${seconds(skewMs)} s clock skew allowed` : ''}`,
    };
  if (t > vi.validUntil.getTime())
    return {
      id: 'mso.validity',
      status: 'failed',
      detail: `expired: validUntil ${iso(vi.validUntil)} is before ${iso(now)}`,
    };
  if (signedAt - t > skewMs)
    return {
      id: 'mso.validity',
      status: 'failed',
      detail: `signed in the future: signed ${iso(vi.signed)} is after ${iso(now)}${skewMs > 0 ? ` by more than the ${seconds(skewMs)} s clock skew allowed` : ''}`,
    };
  if (from <= t && signedAt <= t) return validityPassed(vi.validFrom, vi.validUntil);
  const ahead: string[] = [];
  if (from > t) ahead.push(`validFrom is ${seconds(from - t)} s after the verification time`);
  if (signedAt > t) ahead.push(`signed ${seconds(signedAt - t)} s after the verification time`);
  return {
    id: 'mso.validity',
    status: 'passed',
    detail: `valid from ${iso(vi.validFrom)} until ${iso(vi.validUntil)}; ${ahead.join(', ')}, within the ${seconds(skewMs)} s clock skew allowed`,
  };
}

/** The passed `mso.validity` check for a validity window (memoised per window). */
const validityChecks = new Map<number, Map<number, Check>>();

function validityPassed(from: Date, until: Date): Check {
  const a = from.getTime();
  const b = until.getTime();
  let byUntil = validityChecks.get(a);
  const hit = byUntil?.get(b);
  if (hit) return hit;
  if (validityChecks.size >= 512) validityChecks.clear();
  if (!byUntil) {
    byUntil = new Map();
    validityChecks.set(a, byUntil);
  }
  const c: Check = Object.freeze({
    id: 'mso.validity',
    status: 'passed',
    detail: `valid from ${iso(from)} until ${iso(until)}`,
  });
  byUntil.set(b, c);
  return c;
}
