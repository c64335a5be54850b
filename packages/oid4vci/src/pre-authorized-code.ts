/**
 * The Pre-Authorized Code and its Transaction Code, decided on the issuer's stored record
 * (OpenID4VCI 1.0 §4.1.1, §6.1, §6.3, §13.7.1).
 *
 * §4.1.1: the code "MUST be short lived and single use"; `tx_code` binds it "to a certain transaction to
 * prevent replay of this code by an attacker that, for example, scanned the QR code". §6.3:
 *   invalid_request — "does not expect a Transaction Code … but the Client provides" one, or "expects a
 *                     Transaction Code … but the Client does not provide" one;
 *   invalid_grant   — "expects a Transaction Code … but the Client provides the wrong Transaction Code",
 *                     "the End-User provides the wrong Pre-Authorized Code or the Pre-Authorized Code
 *                     has expired".
 * A short numeric code can be guessed, so the record counts failed attempts and the code dies after
 * `maxFailedAttempts` (the store increments the counter when this throws `tx_code.mismatch`).
 *
 * The store looks the code up (e.g. by `preAuthorizedCodeHash`) and marks it used atomically; an unknown
 * code is `invalid_grant` too — `unknownPreAuthorizedCode()` builds that error.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Oid4vciError } from './errors.js';
import { requireDate } from './json.js';
import type { PreAuthorizedTokenRequest } from './token-request.js';

/** What the issuer stored for one pre-authorized code. */
export interface PreAuthorizedCodeRecord {
  readonly expiresAt: Date;
  /** When the code was exchanged; set → the code is spent. */
  readonly usedAt?: Date | null;
  /**
   * The Transaction Code announced in the offer: the expected value, or a function that checks a
   * given value against a stored verifier. Absent/null: the offer required none.
   */
  readonly txCode?: string | ((given: string) => boolean) | null;
  /** Wrong Transaction Codes so far. */
  readonly failedAttempts?: number;
  /** Wrong Transaction Codes after which the code is dead (default 5). */
  readonly maxFailedAttempts?: number;
}

const DEFAULT_MAX_FAILED_ATTEMPTS = 5;

/** Constant-time comparison of two strings (equal length after hashing). */
function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/**
 * Decides a Token Request against the stored record at `now`. Throws `Oid4vciError`: `invalid_grant`
 * (check `pre_authorized_code.used` / `.expired` / `.attempts`, `tx_code.mismatch`) or `invalid_request`
 * (`tx_code.missing`, `tx_code.unexpected`). Returns normally when the code may be exchanged.
 */
export function checkPreAuthorizedCode(
  record: PreAuthorizedCodeRecord,
  request: Pick<PreAuthorizedTokenRequest, 'txCode'>,
  now: Date,
): void {
  requireDate(now, 'now');
  if (record.usedAt !== undefined && record.usedAt !== null)
    throw new Oid4vciError(
      'invalid_grant',
      'pre_authorized_code.used',
      'the pre-authorized code was already used',
    );
  if (now.getTime() >= requireDate(record.expiresAt, 'record.expiresAt').getTime())
    throw new Oid4vciError(
      'invalid_grant',
      'pre_authorized_code.expired',
      'the pre-authorized code has expired',
    );
  if ((record.failedAttempts ?? 0) >= (record.maxFailedAttempts ?? DEFAULT_MAX_FAILED_ATTEMPTS))
    throw new Oid4vciError(
      'invalid_grant',
      'pre_authorized_code.attempts',
      'too many wrong transaction codes: the pre-authorized code is no longer valid',
    );
  const expected = record.txCode ?? undefined;
  if (expected === undefined) {
    if (request.txCode !== undefined)
      throw new Oid4vciError(
        'invalid_request',
        'tx_code.unexpected',
        'no transaction code is expected for this offer',
      );
    return;
  }
  if (request.txCode === undefined)
    throw new Oid4vciError('invalid_request', 'tx_code.missing', 'the offer requires a transaction code');
  const ok =
    typeof expected === 'string' ? sameSecret(expected, request.txCode) : expected(request.txCode) === true;
  if (!ok) throw new Oid4vciError('invalid_grant', 'tx_code.mismatch', 'the transaction code is wrong');
}

/** The `invalid_grant` error for a pre-authorized code the store does not know (§6.3). */
export function unknownPreAuthorizedCode(): Oid4vciError {
  return new Oid4vciError(
    'invalid_grant',
    'token_request.pre-authorized_code',
    'the pre-authorized code is not valid',
  );
}

/** SHA-256 of a pre-authorized code (base64url), for storing and looking it up without keeping the code. */
export function preAuthorizedCodeHash(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('base64url');
}

/**
 * A Transaction Code of `length` digits (numeric input mode) from the caller's randomness, without
 * modulo bias (bytes ≥ 250 are drawn again).
 */
export function createTxCode(length: number, random: (size: number) => Uint8Array): string {
  if (!Number.isSafeInteger(length) || length < 4 || length > 16) throw new TypeError('length must be 4..16');
  let out = '';
  for (let round = 0; round < 64 && out.length < length; round++) {
    for (const b of random(length * 2)) {
      if (b < 250) out += String(b % 10);
      if (out.length === length) break;
    }
  }
  if (out.length < length) throw new TypeError('the random source returned too few usable bytes');
  return out;
}
