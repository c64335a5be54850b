/**
 * The status of one Referenced Token, as the single `status.revocation` check of a verification
 * (draft-ietf-oauth-status-list-20 §8.3 Validation Rules, steps 3–8):
 *
 *   3. resolve the Status List Token from `uri` (the caller fetches; no I/O here)
 *   4. validate the token (signature, type) — §5.1 / §5.2
 *   5. sub = uri; iat; exp not passed; ttl for cached copies
 *   6. decompress (ZLIB)
 *   7. read the status at `idx`; "fail if the provided index is out of bound"
 *   8. interpret the value (§7)
 *   "If any of these checks fails, no statement about the status of the Referenced Token can be made."
 *
 * Hence the mapping: VALID → passed; INVALID → failed (revoked); SUSPENDED → failed (suspended);
 * anything that prevents a statement — fetch failure, bad signature, untrusted signer, wrong sub,
 * expired list (expiry beats VALID, §7), index out of range, undecodable list, application-specific
 * or unassigned values — → undetermined. Never "valid" and never "revoked" without a verified list.
 * Details name the list URI and the outcome; never the index or anything about the holder.
 */
import type { Check, CheckStatus } from '@mynakit/report';
import type { StatusReference } from './referenced-token.js';
import { verifyStatusListCwt } from './status-list-cwt.js';
import { verifyStatusListJwt } from './status-list-jwt.js';
import {
  requireNow,
  type StatusListTokenFormat,
  type StatusListTokenVerification,
  type VerifyStatusListTokenOptions,
} from './status-list-token.js';
import { describeStatus, StatusType, statusTypeName } from './status-types.js';

export const STATUS_REVOCATION_CHECK = 'status.revocation';

export type ReferencedStatusOutcome = 'valid' | 'invalid' | 'suspended' | 'other' | 'unknown';

export interface CheckReferencedStatusInput extends Omit<VerifyStatusListTokenOptions, 'expectedUri'> {
  readonly reference: Pick<StatusReference, 'idx' | 'uri'>;
  /** The Status List Token as fetched from `reference.uri` (CWT bytes or a compact JWT). */
  readonly token?: Uint8Array | string;
  /** Set by the caller when fetching the token failed (e.g. "HTTP 503", "timeout"). */
  readonly fetchError?: string;
  /** Force the token format instead of detecting it. */
  readonly format?: StatusListTokenFormat;
}

export interface ReferencedStatusCheck extends Check {
  readonly id: typeof STATUS_REVOCATION_CHECK;
  readonly outcome: ReferencedStatusOutcome;
  /** The status value read from the list, when one could be read from a verified list. */
  readonly statusValue?: number;
  /** The list URI consulted. */
  readonly source: string;
  /** The Status List Token verification, when a token was examined. */
  readonly token?: StatusListTokenVerification;
}

function result(
  status: CheckStatus,
  outcome: ReferencedStatusOutcome,
  source: string,
  detail: string,
  extra: { statusValue?: number; token?: StatusListTokenVerification } = {},
): ReferencedStatusCheck {
  return {
    id: STATUS_REVOCATION_CHECK,
    status,
    detail: `status list ${source}: ${detail}`,
    outcome,
    source,
    ...extra,
  };
}

/** CWT unless the bytes are the ASCII of a compact JWS (which always starts with base64url `{"` = `ey`). */
export function detectTokenFormat(token: Uint8Array | string): StatusListTokenFormat {
  if (typeof token === 'string') return 'jwt';
  return token.length > 2 && token[0] === 0x65 && token[1] === 0x79 ? 'jwt' : 'cwt';
}

export async function checkReferencedStatus(
  input: CheckReferencedStatusInput,
): Promise<ReferencedStatusCheck> {
  requireNow(input);
  const { reference, token, fetchError, format, ...verifyOptions } = input;
  const source = reference.uri;

  if (fetchError !== undefined || token === undefined) {
    return result(
      'undetermined',
      'unknown',
      source,
      `could not be fetched (${fetchError ?? 'no token'}); status unknown`,
    );
  }

  const options: VerifyStatusListTokenOptions = { ...verifyOptions, expectedUri: reference.uri };
  const kind = format ?? detectTokenFormat(token);
  const verification =
    kind === 'jwt'
      ? await verifyStatusListJwt(token, options)
      : await verifyStatusListCwt(
          typeof token === 'string' ? new TextEncoder().encode(token) : token,
          options,
        );

  if (!verification.ok || verification.list === undefined) {
    const reasons = verification.report.checks
      .filter((c) => c.status === 'failed' || c.status === 'undetermined')
      .map((c) => `${c.id}: ${c.detail}`);
    return result(
      'undetermined',
      'unknown',
      source,
      `the status list token is not usable (${reasons.join('; ') || 'no list'}); status unknown`,
      { token: verification },
    );
  }

  const list = verification.list;
  // §6.2/§6.3: idx is a non-negative integer; whatever else the caller passes reads nothing.
  if (typeof reference.idx !== 'number' || !Number.isSafeInteger(reference.idx) || reference.idx < 0) {
    return result(
      'undetermined',
      'unknown',
      source,
      'the referenced index is not a non-negative integer; status unknown',
      { token: verification },
    );
  }
  if (!list.has(reference.idx)) {
    return result(
      'undetermined',
      'unknown',
      source,
      `the referenced index is outside the list (${list.size} entries); status unknown`,
      { token: verification },
    );
  }
  const value = list.get(reference.idx);
  const extra = { statusValue: value, token: verification };
  switch (value) {
    case StatusType.VALID:
      return result('passed', 'valid', source, `${describeStatus(value)}: not revoked`, extra);
    case StatusType.INVALID:
      return result('failed', 'invalid', source, `${describeStatus(value)}: revoked`, extra);
    case StatusType.SUSPENDED:
      return result(
        'failed',
        'suspended',
        source,
        `${describeStatus(value)}: suspended (temporarily invalid)`,
        extra,
      );
    default:
      return result(
        'undetermined',
        'other',
        source,
        `${describeStatus(value)}: ${statusTypeName(value) === 'APPLICATION_SPECIFIC' ? 'application-specific status' : 'unassigned status value'}; the relying party's policy decides`,
        extra,
      );
  }
}
