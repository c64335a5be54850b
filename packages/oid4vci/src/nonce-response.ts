/**
 * Nonce Endpoint (OpenID4VCI 1.0 §7) and the c_nonce a key proof carries.
 *
 * §7.2: "The Credential Issuer provides a nonce value in an HTTP response with a 2xx status code and the
 * following parameters … `c_nonce`: REQUIRED. String containing a challenge to be used when creating a
 * proof of possession of the key … New challenge values MUST be unpredictable." "Due to the temporal
 * nature of the `c_nonce` value, the Credential Issuer MUST make the response uncacheable by adding a
 * `Cache-Control` header field including the value `no-store`."
 *
 * The value itself comes from the caller (this package draws no randomness); the issuer's store decides
 * whether a value a proof carries is one it handed out and still valid (single use, lifetime) — the
 * verifier asks it through a `NonceCheck`.
 */
import { Oid4vciError } from './errors.js';
import { LIMITS, Reader } from './json.js';

/** The `Cache-Control` value for Nonce, Token and Credential responses (§7.2, RFC 6749 §5.1). */
export const CACHE_CONTROL_NO_STORE = 'no-store';

/** The Nonce Response body (§7.2). */
export interface NonceResponse {
  readonly c_nonce: string;
}

/**
 * Asks the issuer's nonce store about a c_nonce found in a key proof or key attestation: true when it
 * was issued here and is still valid (the store may consume it); false when unknown, used or expired
 * (→ `invalid_nonce`).
 */
export type NonceCheck = (nonce: string) => boolean | Promise<boolean>;

/** What a verifier expects as c_nonce: the exact value, or a check against the issuer's store. */
export type ExpectedNonce = string | NonceCheck;

/** The Nonce Response body for a fresh c_nonce the caller generated (at least 16 characters). */
export function createNonceResponse(cNonce: string): NonceResponse {
  if (typeof cNonce !== 'string' || cNonce.length < 16 || cNonce.length > LIMITS.maxStringChars)
    throw new TypeError('c_nonce must be an unpredictable string of 16 or more characters');
  return { c_nonce: cNonce };
}

/** Wallet: the c_nonce from a Nonce Response body. */
export function parseNonceResponse(body: unknown): string {
  const r: Reader = new Reader('invalid_request', 'nonce_response.decode', 'Nonce Response');
  return r.string(r.object(body), 'c_nonce');
}

/**
 * Checks every distinct nonce once against the expectation (a batch of proofs usually shares one
 * c_nonce, and a single-use store must not see it twice). The first one refused → `invalid_nonce`.
 */
export async function checkNonces(
  nonces: ReadonlySet<string>,
  expected: ExpectedNonce,
  where: 'proof.nonce' | 'key_attestation.nonce',
): Promise<void> {
  for (const nonce of nonces) {
    const ok = typeof expected === 'string' ? nonce === expected : (await expected(nonce)) === true;
    if (!ok)
      throw new Oid4vciError(
        'invalid_nonce',
        where,
        'the c_nonce is not valid (unknown, already used or expired): get a fresh one from the Nonce Endpoint',
      );
  }
}
