/**
 * A sandbox resident's My Number (個人番号): 12 digits, the last a check digit (番号法施行令 §8), derived
 * from the resident id so the same resident always carries the same number and different residents almost
 * never share one.
 *
 * Only the sandbox may do this. A real My Number comes from the resident register (住民基本台帳) and is never
 * computed; the sandbox's residents are fictional, and verifiers and wallets still need a well-formed number
 * to exercise the My Number guard (DOMAIN.md §2). The resident table deliberately has no My Number column:
 * the number is derived when a record is issued and is written nowhere else (no log, no event).
 */
import { createHash } from 'node:crypto';

/**
 * The check digit of eleven digits (番号法施行令 §8): with Pₙ the n-th digit counted from the right and
 * Qₙ = n + 1 for 1 ≤ n ≤ 6, n − 5 for 7 ≤ n ≤ 11, r = Σ Pₙ·Qₙ mod 11, the check digit is 0 when r ≤ 1,
 * else 11 − r.
 */
export function myNumberCheckDigit(elevenDigits: string): number {
  if (!/^[0-9]{11}$/.test(elevenDigits)) throw new RangeError('eleven ASCII digits expected');
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = elevenDigits.charCodeAt(11 - n) - 48;
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

/** The sandbox My Number of a resident: eleven digits from SHA-256 of the id, and the check digit. */
export function sandboxMyNumber(residentId: string): string {
  const digest = createHash('sha256').update(`mynakit sandbox my number\u0000${residentId}`, 'utf8').digest();
  // 64 bits of the digest modulo 10^11: the bias (2^64 mod 10^11 over 2^64) is below 10^-8.
  const eleven = (digest.readBigUInt64BE(0) % 100_000_000_000n).toString().padStart(11, '0');
  return `${eleven}${myNumberCheckDigit(eleven)}`;
}
