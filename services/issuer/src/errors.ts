/**
 * The issuer service's one error class (ARCHITECTURE.md rule 5): a stable `code` from one union, and the
 * underlying error as `cause`. The HTTP boundary maps codes to RFC 9457 problem documents; messages never
 * carry submitted personal data or key material.
 */

/** Every stable error code of the issuer service. Add new codes here, grouped by area. */
export type IssuerErrorCode =
  // ---- signing keys (src/keys) ----
  /** A key name outside [a-z0-9-]{1,64}. */
  | 'ISSUER_KEY_INVALID_NAME'
  /** A key-encryption key that is not 32 bytes (or not base64url when read from configuration). */
  | 'ISSUER_KEY_INVALID_KEK'
  /** The key-encryption key is not the one the key store was created with. */
  | 'ISSUER_KEY_WRONG_KEK'
  /** No key of that name. */
  | 'ISSUER_KEY_NOT_FOUND'
  /** A key file that does not decrypt and authenticate (tampered, truncated, another store's file). */
  | 'ISSUER_KEY_CORRUPT'
  /** The named key exists with another algorithm or size than the one asked for. */
  | 'ISSUER_KEY_SPEC_MISMATCH'
  /** The named key cannot sign with the requested signature algorithm. */
  | 'ISSUER_KEY_ALGORITHM_MISMATCH'
  // ---- the sandbox CA hierarchy (src/ca) ----
  /** A stored CA certificate or the hierarchy epoch cannot be read. */
  | 'ISSUER_CA_STORE_CORRUPT'
  /** A stored CA certificate does not certify the key of the same name (keys lost or replaced). */
  | 'ISSUER_CA_KEY_MISMATCH'
  /** No CA of the hierarchy can issue what was asked (e.g. a document signer for another docType). */
  | 'ISSUER_CA_UNAVAILABLE'
  // ---- store (src/store) ----
  /** A value handed to the store is out of its domain (sex, dates, municipality code, kinds, limits). */
  | 'ISSUER_INVALID_INPUT'
  /** The resident, card, installation or credential does not exist. */
  | 'ISSUER_NOT_FOUND'
  /** A row with the same identifier exists (id, card number, certificate serial, MSO digest, code hash). */
  | 'ISSUER_DUPLICATE'
  /** The resident already holds an active card. */
  | 'ISSUER_CARD_CONFLICT'
  /** The installation is not in the state the step needs (completing one that is not pending, adding to one that is not active). */
  | 'ISSUER_INSTALLATION_STATE'
  /** Another installation of the same resident completed first: the one-device rule lets one completion per base generation win. */
  | 'ISSUER_INSTALLATION_CONFLICT';

/** An error of the issuer service, with a stable code and the underlying error as `cause`. */
export class IssuerError extends Error {
  /** The stable code (see IssuerErrorCode). */
  readonly code: IssuerErrorCode;

  /** `message` is for operators: never personal data, never key material. */
  constructor(code: IssuerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IssuerError';
    this.code = code;
  }
}
