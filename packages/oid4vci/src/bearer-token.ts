/**
 * The access token on the Credential and Notification Endpoints (OpenID4VCI 1.0 §8, §11; RFC 6750 §2.1).
 *
 *   Authorization: Bearer <b64token>    b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
 *
 * RFC 6750 §3.1 `invalid_token`: "The access token provided is expired, revoked, malformed, or invalid
 * for other reasons." The token's validity is the store's call (`invalidAccessToken()` builds the error);
 * this reads the header only. DPoP-bound tokens (RFC 9449) are not handled here.
 */
import { Oid4vciError } from './errors.js';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const MAX_HEADER_CHARS = 8192;

/** The access token of an `Authorization: Bearer …` header; throws `invalid_token` when absent or malformed. */
export function readBearerToken(authorization: string | null | undefined): string {
  if (authorization === undefined || authorization === null || authorization === '')
    throw new Oid4vciError(
      'invalid_token',
      'access_token.missing',
      'an access token is required (Authorization: Bearer)',
    );
  const m = authorization.length <= MAX_HEADER_CHARS ? BEARER.exec(authorization) : null;
  if (m === null)
    throw new Oid4vciError(
      'invalid_token',
      'access_token.malformed',
      'the Authorization header is not a Bearer token',
    );
  return m[1] as string;
}

/** The `invalid_token` error for an access token the store does not know or that has expired. */
export function invalidAccessToken(): Oid4vciError {
  return new Oid4vciError(
    'invalid_token',
    'access_token.invalid',
    'the access token is not valid or has expired',
  );
}
