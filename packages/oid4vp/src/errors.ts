/**
 * Errors of @mynakit/oid4vp.
 *
 * Two kinds of code share one union:
 * - the error codes OpenID for Verifiable Presentations 1.0 §8.5 (and RFC 6749 §4.1.2.1) puts on the
 *   wire, in lower case, exactly as the spec spells them;
 * - precise causes in upper case (`ORIGIN_MISMATCH`, `NONCE_REUSED`, `HPKE_OPEN_FAILED`…), so callers
 *   and tests can tell failures apart. Each maps to one wire code (`oauthError`) for the response a
 *   wallet or verifier sends.
 *
 * Messages describe structure and protocol values chosen by the relying party (client ids, origins,
 * URIs) — never credential contents or anything the holder submitted.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'access_denied'
  | 'vp_formats_not_supported'
  | 'invalid_request_uri_method'
  | 'invalid_transaction_data'
  | 'wallet_unavailable';

export type Oid4vpErrorCode =
  | OAuthErrorCode
  /** Malformed input: not the CBOR/JSON/JWT structure the protocol defines. */
  | 'DECODE'
  /** A value or feature the protocol allows but mynakit does not implement (e.g. another HPKE suite). */
  | 'UNSUPPORTED'
  /** A key that cannot be used (wrong curve, not on the curve, private part missing). */
  | 'KEY_INVALID'
  /** The origin the browser reports is not one the request allows (`expected_origins`), or differs from the session's. */
  | 'ORIGIN_MISMATCH'
  /** `client_id` does not match the request object, its certificate (x509_san_dns, x509_hash) or the session. */
  | 'CLIENT_ID_MISMATCH'
  /** `response_uri` does not belong to the client (x509_san_dns) or is not the session's. */
  | 'RESPONSE_URI_MISMATCH'
  /** The nonce does not belong to this transaction. */
  | 'NONCE_MISMATCH'
  /** The nonce was already used once. */
  | 'NONCE_REUSED'
  /** The nonce was never issued here. */
  | 'NONCE_UNKNOWN'
  /** The nonce's lifetime is over. */
  | 'NONCE_EXPIRED'
  /** A signed request object whose signature, `typ` or certificate chain does not verify. */
  | 'REQUEST_SIGNATURE_INVALID'
  /** The request object's certificate chain does not lead to a trust anchor the wallet accepts. */
  | 'REQUEST_CERTIFICATE_UNTRUSTED'
  /** A signed request whose `exp` has passed (or whose `iat` is still ahead), beyond the allowed clock skew. */
  | 'REQUEST_EXPIRED'
  /** A DCQL query that breaks OpenID4VP 1.0 §6 rules. */
  | 'DCQL_INVALID'
  /** The held documents cannot satisfy the DCQL query. */
  | 'DCQL_NO_MATCH'
  /** The private key offered for decryption is not the one the request published (Annex C EncryptionInfo, JWKS). */
  | 'HPKE_KEY_MISMATCH'
  /** HPKE open failed: the response was sealed to another key or with another SessionTranscript (origin, nonce…). */
  | 'HPKE_OPEN_FAILED'
  /** A JWE response that cannot be decrypted with the verifier's key or uses an algorithm not offered. */
  | 'JWE_DECRYPT_FAILED'
  /** Device authentication failed against the SessionTranscript the verifier rebuilt from what it sent. */
  | 'TRANSCRIPT_MISMATCH'
  /** A DeviceResponse that does not verify for another reason (issuer signature, digests, validity…; see its checks). */
  | 'PRESENTATION_INVALID'
  /** ISO 18013-5 session encryption: a message that does not decrypt with the expected key and counter. */
  | 'SESSION_DECRYPT_FAILED'
  /** ISO 18013-5 session encryption: a message encrypted under a counter already used (a replay). */
  | 'SESSION_COUNTER_REPLAYED'
  /** ISO 18013-5 session encryption: a message from a later counter arrived before the expected one. */
  | 'SESSION_COUNTER_OUT_OF_ORDER'
  /** ISO 18013-5: the peer ended the session (status 20) or sent an error status (10, 11). */
  | 'SESSION_TERMINATED'
  /** The transport closed or timed out before the exchange finished. */
  | 'TRANSPORT_CLOSED';

const WIRE: Record<Exclude<Oid4vpErrorCode, OAuthErrorCode>, OAuthErrorCode> = {
  DECODE: 'invalid_request',
  UNSUPPORTED: 'invalid_request',
  KEY_INVALID: 'invalid_request',
  ORIGIN_MISMATCH: 'invalid_request',
  CLIENT_ID_MISMATCH: 'invalid_client',
  RESPONSE_URI_MISMATCH: 'invalid_request',
  NONCE_MISMATCH: 'invalid_request',
  NONCE_REUSED: 'invalid_request',
  NONCE_UNKNOWN: 'invalid_request',
  NONCE_EXPIRED: 'invalid_request',
  REQUEST_SIGNATURE_INVALID: 'invalid_client',
  REQUEST_CERTIFICATE_UNTRUSTED: 'invalid_client',
  REQUEST_EXPIRED: 'invalid_request',
  DCQL_INVALID: 'invalid_request',
  DCQL_NO_MATCH: 'access_denied',
  HPKE_KEY_MISMATCH: 'invalid_request',
  HPKE_OPEN_FAILED: 'invalid_request',
  JWE_DECRYPT_FAILED: 'invalid_request',
  TRANSCRIPT_MISMATCH: 'invalid_request',
  PRESENTATION_INVALID: 'invalid_request',
  SESSION_DECRYPT_FAILED: 'invalid_request',
  SESSION_COUNTER_REPLAYED: 'invalid_request',
  SESSION_COUNTER_OUT_OF_ORDER: 'invalid_request',
  SESSION_TERMINATED: 'access_denied',
  TRANSPORT_CLOSED: 'wallet_unavailable',
};

const OAUTH_CODES: ReadonlySet<string> = new Set<OAuthErrorCode>([
  'invalid_request',
  'invalid_client',
  'access_denied',
  'vp_formats_not_supported',
  'invalid_request_uri_method',
  'invalid_transaction_data',
  'wallet_unavailable',
]);

export function isOAuthErrorCode(code: string): code is OAuthErrorCode {
  return OAUTH_CODES.has(code);
}

/** The error body an OpenID4VP authorization response carries (RFC 6749 §4.1.2.1). */
export interface AuthorizationErrorResponse {
  readonly error: OAuthErrorCode;
  readonly error_description?: string;
  readonly state?: string;
}

export class Oid4vpError extends Error {
  override readonly name = 'Oid4vpError';
  readonly code: Oid4vpErrorCode;

  constructor(code: Oid4vpErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** The OpenID4VP wire error this failure is reported as. */
  get oauthError(): OAuthErrorCode {
    return isOAuthErrorCode(this.code) ? this.code : WIRE[this.code];
  }

  /** `{error, error_description}` for an error authorization response; the message never holds holder data. */
  toErrorResponse(state?: string): AuthorizationErrorResponse {
    return state === undefined
      ? { error: this.oauthError, error_description: this.message }
      : { error: this.oauthError, error_description: this.message, state };
  }
}
