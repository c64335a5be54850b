/**
 * What both Status List Token forms share (draft-ietf-oauth-status-list-20 §5): the verification
 * result, the options, the check ids, and the claim rules of §5.1 (which §5.2 reuses for CWT):
 *
 *   sub  REQUIRED  the URI of the Status List Token; MUST equal the Referenced Token's `uri` (§8.3 5a)
 *   iat  REQUIRED  issued at
 *   exp  OPTIONAL  if present the token MUST NOT be used after it (§8.3 5c)
 *   ttl  OPTIONAL  positive number of seconds a consumer may cache the token (§8.3 5d)
 *
 * A token is usable only when every check passed: the verdict is `valid`.
 */
import type { Report, ReportBuilder } from '@mynakit/report';
import type { KeyInput } from './keys.js';
import type { StatusList } from './status-list.js';

export type StatusListTokenFormat = 'jwt' | 'cwt';

/** Stable check ids of a Status List Token verification. */
export const StatusListTokenCheck = {
  decode: 'status_list.decode',
  type: 'status_list.type',
  signature: 'status_list.signature',
  certificatePath: 'status_list.certificate_path',
  subject: 'status_list.subject',
  issuedAt: 'status_list.issued_at',
  expiry: 'status_list.expiry',
  freshness: 'status_list.ttl',
  list: 'status_list.list',
} as const;

export interface VerifyStatusListTokenOptions {
  /** The verification time. Required: libraries never read the clock. */
  readonly now: Date;
  /** Verify the signature under this key (takes precedence over an x5chain/x5c in the token). */
  readonly key?: KeyInput;
  /**
   * Trust anchors (DER or PEM certificates) for the certificate chain the token carries (CWT x5chain,
   * label 33; JWT x5c). The chain is validated from one of these anchors to the leaf at `now`;
   * certificates in the token are only path candidates, never trusted by themselves.
   */
  readonly trustAnchors?: readonly (Uint8Array | string)[];
  /** Extended key usage the signing certificate must carry, if any. */
  readonly requiredEku?: string;
  /** The `uri` of the Referenced Token's status reference: `sub` must equal it. */
  readonly expectedUri?: string;
  /** Bound on the decompressed list in bytes (default 2^27). */
  readonly maxDecompressedBytes?: number;
  /** When this copy of the token was fetched; with `ttl` it decides whether a cached copy is stale. */
  readonly fetchedAt?: Date;
  /** Tolerance for `iat` in the future, in seconds (default 300). */
  readonly clockSkewSeconds?: number;
}

export interface StatusListTokenVerification {
  /** True when every check passed (verdict `valid`): the list may be used. */
  readonly ok: boolean;
  readonly report: Report;
  readonly format: StatusListTokenFormat;
  /** The decoded Status List (present whenever it could be decoded after a good signature). */
  readonly list?: StatusList;
  readonly sub?: string;
  readonly iss?: string;
  readonly iat?: Date;
  readonly exp?: Date;
  /** Seconds. */
  readonly ttl?: number;
  readonly aggregationUri?: string;
  /** DER of the certificate whose key verified the signature, when a chain was used. */
  readonly signerCertificate?: Uint8Array;
}

export function requireNow(options: { now?: unknown; fetchedAt?: unknown } | undefined): Date {
  const now = options?.now;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new TypeError('options.now (a valid Date) is required');
  }
  const fetchedAt = options?.fetchedAt;
  if (fetchedAt !== undefined && (!(fetchedAt instanceof Date) || Number.isNaN(fetchedAt.getTime()))) {
    throw new TypeError('options.fetchedAt must be a valid Date');
  }
  return now;
}

export interface ClaimValues {
  readonly sub: unknown;
  readonly iat: unknown;
  readonly exp: unknown;
  readonly ttl: unknown;
  readonly iss: unknown;
}

export interface CheckedClaims {
  sub?: string;
  iss?: string;
  iat?: Date;
  exp?: Date;
  ttl?: number;
}

function isNumericDate(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/**
 * The last second a Date can hold: time values span ±8.64e15 ms (ECMA-262, "Time Values and Time
 * Range"). A NumericDate (RFC 7519 §2, RFC 8392 §2) may be any finite number, so a signed token can
 * carry one that has no Date; such a claim fails its check with a reason instead of turning into an
 * Invalid Date whose `toISOString()` throws a RangeError.
 */
export const MAX_DATE_SECONDS = 8.64e12;

const REPRESENTABLE = `beyond the date range a verifier can represent (${MAX_DATE_SECONDS} s after 1970)`;

const fromNumericDate = (v: number): Date => new Date(v * 1000);

/** Adds the subject, issued-at, expiry and ttl checks of §5.1 / §8.3 step 5 to `b`. */
export function checkStatusListClaims(
  b: ReportBuilder,
  claims: ClaimValues,
  options: VerifyStatusListTokenOptions,
): CheckedClaims {
  const out: CheckedClaims = {};
  const now = options.now.getTime();
  const skewMs = (options.clockSkewSeconds ?? 300) * 1000;

  if (typeof claims.iss === 'string') out.iss = claims.iss;

  // sub (§5.1; §8.3 step 5a — Simple String Comparison, RFC 3986 §6.2.1)
  if (typeof claims.sub !== 'string') {
    b.failed(StatusListTokenCheck.subject, 'the token has no sub (subject) claim naming the list URI');
  } else {
    out.sub = claims.sub;
    if (options.expectedUri === undefined) {
      b.passed(StatusListTokenCheck.subject, `sub ${claims.sub} (no referenced uri to compare with)`);
    } else if (claims.sub === options.expectedUri) {
      b.passed(StatusListTokenCheck.subject, `sub equals the referenced uri ${options.expectedUri}`);
    } else {
      b.failed(
        StatusListTokenCheck.subject,
        `sub ${claims.sub} differs from the referenced uri ${options.expectedUri}`,
      );
    }
  }

  // iat (§5.1 REQUIRED)
  if (!isNumericDate(claims.iat)) {
    b.failed(StatusListTokenCheck.issuedAt, 'the token has no valid iat (issued at) claim');
  } else if (claims.iat > MAX_DATE_SECONDS) {
    b.failed(StatusListTokenCheck.issuedAt, `iat ${claims.iat} is ${REPRESENTABLE}`);
  } else {
    out.iat = fromNumericDate(claims.iat);
    if (claims.iat * 1000 > now + skewMs) {
      b.failed(
        StatusListTokenCheck.issuedAt,
        `issued at ${out.iat.toISOString()}, after the verification time`,
      );
    } else {
      b.passed(StatusListTokenCheck.issuedAt, `issued at ${out.iat.toISOString()}`);
    }
  }

  // exp (§5.1 OPTIONAL; RFC 7519 §4.1.4 / RFC 8392 §3.1.4: not on or after exp)
  if (claims.exp === undefined) {
    b.passed(StatusListTokenCheck.expiry, 'the token has no exp claim');
  } else if (!isNumericDate(claims.exp)) {
    b.failed(StatusListTokenCheck.expiry, 'the exp claim is not a NumericDate');
  } else if (claims.exp > MAX_DATE_SECONDS) {
    // Not "valid for ever": an expiry no Date can hold is read as a malformed claim (§8.3 step 5c).
    b.failed(StatusListTokenCheck.expiry, `exp ${claims.exp} is ${REPRESENTABLE}`);
  } else {
    out.exp = fromNumericDate(claims.exp);
    if (now >= claims.exp * 1000) {
      b.failed(StatusListTokenCheck.expiry, `the token expired at ${out.exp.toISOString()}`);
    } else {
      b.passed(StatusListTokenCheck.expiry, `valid until ${out.exp.toISOString()}`);
    }
  }

  // ttl (§5.1 OPTIONAL, positive; §8.3 step 5d)
  if (claims.ttl === undefined) {
    b.skipped(StatusListTokenCheck.freshness, 'the token has no ttl claim');
  } else if (typeof claims.ttl !== 'number' || !Number.isFinite(claims.ttl) || claims.ttl <= 0) {
    b.failed(StatusListTokenCheck.freshness, 'the ttl claim is not a positive number');
  } else if (claims.ttl > MAX_DATE_SECONDS) {
    // A caller computes the end of caching as fetchedAt + ttl: that instant must be a Date.
    b.failed(StatusListTokenCheck.freshness, `ttl ${claims.ttl} s is ${REPRESENTABLE}`);
  } else {
    out.ttl = claims.ttl;
    if (options.fetchedAt === undefined) {
      b.passed(StatusListTokenCheck.freshness, `ttl ${claims.ttl} s`);
    } else if (now > options.fetchedAt.getTime() + claims.ttl * 1000) {
      b.undetermined(
        StatusListTokenCheck.freshness,
        `the copy fetched at ${options.fetchedAt.toISOString()} is older than its ttl of ${claims.ttl} s; fetch a fresh one`,
      );
    } else {
      b.passed(
        StatusListTokenCheck.freshness,
        `fetched ${options.fetchedAt.toISOString()}, within ttl ${claims.ttl} s`,
      );
    }
  }
  return out;
}

/** Builds the final result object from a builder and what was learnt. */
export function finishVerification(
  b: ReportBuilder,
  format: StatusListTokenFormat,
  parts: CheckedClaims & { list?: StatusList; aggregationUri?: string; signerCertificate?: Uint8Array },
): StatusListTokenVerification {
  const report = b.report();
  const result: {
    -readonly [K in keyof StatusListTokenVerification]: StatusListTokenVerification[K];
  } = { ok: report.verdict === 'valid', report, format };
  if (parts.list !== undefined) result.list = parts.list;
  if (parts.sub !== undefined) result.sub = parts.sub;
  if (parts.iss !== undefined) result.iss = parts.iss;
  if (parts.iat !== undefined) result.iat = parts.iat;
  if (parts.exp !== undefined) result.exp = parts.exp;
  if (parts.ttl !== undefined) result.ttl = parts.ttl;
  if (parts.aggregationUri !== undefined) result.aggregationUri = parts.aggregationUri;
  if (parts.signerCertificate !== undefined) result.signerCertificate = parts.signerCertificate;
  return result;
}

/** Marks the checks that could not run because an earlier step failed. */
export function skipRemaining(b: ReportBuilder, ids: readonly string[], reason: string): void {
  const seen = new Set(b.checks.map((c) => c.id));
  for (const id of ids) if (!seen.has(id)) b.skipped(id, reason);
}
