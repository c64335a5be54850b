/**
 * The one error class of @mynakit/cose, with stable codes. Messages name structure (labels, algorithm
 * ids, key types), never payload content.
 */
export type CoseErrorCode =
  /** Not a COSE structure of the expected shape (RFC 9052 §4.2, §6.2), or its CBOR is malformed. */
  | 'COSE_DECODE'
  /** A header is missing, of the wrong type, or marked critical without being understood (RFC 9052 §3). */
  | 'COSE_HEADER'
  /** The protected header names an algorithm this package does not implement (or none at all). */
  | 'COSE_UNSUPPORTED_ALG'
  /** A key (COSE_Key, JWK, KeyObject) is malformed or of an unsupported type or curve. */
  | 'COSE_KEY_INVALID'
  /** The key does not fit the algorithm (e.g. a P-384 key for ES256, an RSA key for EdDSA). */
  | 'COSE_ALG_KEY_MISMATCH'
  /** No payload: it is detached (nil) and none was supplied. */
  | 'COSE_MISSING_PAYLOAD'
  /** A payload is attached and a different detached payload was supplied. */
  | 'COSE_PAYLOAD_MISMATCH'
  /** Signing or key agreement failed in the crypto library. */
  | 'COSE_CRYPTO'
  /** Received input holds more than a bound allows (an x5chain longer than its limit). */
  | 'COSE_LIMIT';

export class CoseError extends Error {
  override readonly name = 'CoseError';
  readonly code: CoseErrorCode;

  constructor(code: CoseErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
