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
  | 'ISSUER_INSTALLATION_CONFLICT'
  // ---- cards and the sandbox register (src/cards, src/residents) ----
  /** A card file (the sandbox's "physical card") cannot be written or read. */
  | 'ISSUER_CARD_FILE'
  /** The operator route needs the admin bearer token, and none or another was sent. */
  | 'ISSUER_UNAUTHORIZED'
  // ---- relying-party clients (src/clients) ----
  /** The relying-party client is authenticated but does not hold the role the endpoint needs. */
  | 'ISSUER_FORBIDDEN'
  // ---- installations (src/installations) ----
  /** The challenge (nonce) was never handed out here, or for another purpose. */
  | 'ISSUER_CHALLENGE_UNKNOWN'
  /** The challenge (nonce) was used before: each is single use. */
  | 'ISSUER_CHALLENGE_REPLAYED'
  /** The challenge (nonce) outlived its lifetime. */
  | 'ISSUER_CHALLENGE_EXPIRED'
  /** The CMS signature or user-authentication signature does not verify over what was sent (tampered, another key, malformed). */
  | 'ISSUER_PROOF_INVALID'
  /** The proof's kind does not fit the card: a card with a signature certificate signs the request. */
  | 'ISSUER_PROOF_NOT_ACCEPTED'
  /** The signer's certificate does not chain to the sandbox JPKI CAs (or breaks their profile). */
  | 'ISSUER_CERTIFICATE_UNTRUSTED'
  /** The signer's certificate (or the card) is outside its validity period. */
  | 'ISSUER_CERTIFICATE_EXPIRED'
  /** The certificate chains to the sandbox CAs but is no card certificate of the register. */
  | 'ISSUER_CARD_UNKNOWN'
  /** The card is no longer the resident's active card (revoked, replaced). */
  | 'ISSUER_CARD_REVOKED'
  /** The installation token is missing, wrong, expired, or for another installation. */
  | 'ISSUER_INSTALLATION_TOKEN_INVALID'
  /** A certificate signing request is malformed, not signed by its key, not RSA-2048, or missing / not expected. */
  | 'ISSUER_CSR_INVALID'
  /** A key attestation does not verify (format, signature, dates, attested keys). */
  | 'ISSUER_ATTESTATION_INVALID'
  /** A key attestation's chain does not lead to the sandbox platform attestation roots. */
  | 'ISSUER_ATTESTATION_UNTRUSTED'
  /** A key attestation's key_storage is below what the issuer requires. */
  | 'ISSUER_ATTESTATION_TOO_WEAK'
  /** A key attestation carries no nonce, or one this installation did not hand out, or one used before. */
  | 'ISSUER_ATTESTATION_NONCE'
  /** The CSR's key is not among the keys its attestation vouches for. */
  | 'ISSUER_KEY_NOT_ATTESTED'
  /** The smartphone certificate is no active credential of this installation. */
  | 'ISSUER_DEVICE_CERTIFICATE_UNKNOWN'
  /** The smartphone certificate was revoked (superseded by another device, or otherwise). */
  | 'ISSUER_DEVICE_CERTIFICATE_REVOKED'
  /** The holder's card carries no signature certificate (under 15): no card-substitute record (DOMAIN.md §4). */
  | 'ISSUER_RECORD_NOT_ELIGIBLE'
  // ---- records (src/records) ----
  /** The resident's registered data cannot make a valid record (a value outside the docType's profile): a data fault of the issuer, 500. */
  | 'ISSUER_RECORD_INVALID'
  // ---- notices to phones (src/notices) ----
  /** The subscription proof does not verify with a key of that installation (or there is no such installation, or it has no key). */
  | 'ISSUER_NOTICES_PROOF_INVALID'
  /** The notices subscription token is missing, wrong or expired. */
  | 'ISSUER_NOTICES_TOKEN_INVALID'
  /** The installation ended (superseded, failed) and the phone has heard its last notice: nothing more will come. */
  | 'ISSUER_NOTICES_ENDED'
  /** The installation has as many notice streams open as allowed. */
  | 'ISSUER_NOTICES_TOO_MANY_STREAMS'
  /** This instance has as many notice streams open as allowed: retry later (or another instance). */
  | 'ISSUER_NOTICES_UNAVAILABLE'
  // ---- online qualification confirmation (src/insurance) ----
  /** The user-authentication certificate is no smartphone certificate the issuer issued. */
  | 'ISSUER_INSURANCE_CERTIFICATE_UNKNOWN'
  /** The user-authentication certificate was revoked or suspended. */
  | 'ISSUER_INSURANCE_CERTIFICATE_REVOKED'
  /** The holder has no health-insurance qualification in force today. */
  | 'ISSUER_INSURANCE_NOT_QUALIFIED'
  // ---- revocation publishing (src/crl, src/ocsp, src/platform-status) ----
  /** The certificate (or the issuer named with a serial) is not from one of the issuer's current JPKI CAs. */
  | 'ISSUER_CERTIFICATE_UNKNOWN_ISSUER'
  /** The certificate register could not be read: the status is undetermined, ask again later. */
  | 'ISSUER_STATUS_UNAVAILABLE'
  // ---- the server (src/server.ts) ----
  /** The port is taken by another process. */
  | 'ISSUER_PORT_IN_USE';

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
