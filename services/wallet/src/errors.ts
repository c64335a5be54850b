/**
 * The wallet engine's one error class (ARCHITECTURE.md rule 5): a stable `code` from one union and the
 * underlying error as `cause`. Messages never carry a PIN, a password, key material or personal data.
 */

/** Every stable error code of the wallet engine, grouped by area. */
export type WalletErrorCode =
  // ---- secure area (src/secure-area) ----
  /** No key of that alias on this device. */
  | 'WALLET_KEY_NOT_FOUND'
  /** A key of that alias exists already (keys are never overwritten). */
  | 'WALLET_KEY_EXISTS'
  /** An alias outside [a-z0-9-]{1,64}, or a key spec the secure area does not make. */
  | 'WALLET_KEY_INVALID'
  /** A key file that does not decrypt and authenticate (tampered, truncated, another device's). */
  | 'WALLET_KEY_CORRUPT'
  /** The key cannot sign with the asked algorithm (an EC key asked for RSA, …). */
  | 'WALLET_KEY_ALGORITHM_MISMATCH'
  /** The key needs user authentication and no (valid) ticket came with the request. */
  | 'WALLET_AUTHENTICATION_REQUIRED'
  /** The ticket was used before, has expired, or was issued for another key. */
  | 'WALLET_TICKET_INVALID'
  /** The user authentication offered is not one the key's policy accepts (a biometric for the signature key). */
  | 'WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED'
  /** The biometric did not match (sandbox: the emulator said so). */
  | 'WALLET_BIOMETRIC_FAILED'
  /** No platform attestation signer was configured: keys cannot be attested. */
  | 'WALLET_ATTESTATION_UNAVAILABLE'
  // ---- secrets (src/secrets) ----
  /** The entered PIN or password does not have the required format (no try is used). */
  | 'WALLET_SECRET_FORMAT'
  /** The two entries of a new PIN or password differ. */
  | 'WALLET_SECRET_MISMATCH'
  /** Wrong PIN or password; one try used (the detail says how many remain). */
  | 'WALLET_SECRET_WRONG'
  /** No tries left: the credential is locked until it is installed again. */
  | 'WALLET_SECRET_LOCKED'
  /** Another attempt holds the last try at this moment; try again. */
  | 'WALLET_SECRET_BUSY'
  /** No such secret was set on this device (nothing installed yet, or a holder under 15 has no signature password). */
  | 'WALLET_SECRET_NOT_SET'
  // ---- store (src/store) ----
  /** A value handed to the store is outside its domain. */
  | 'WALLET_INVALID_INPUT'
  /** The device, document or certificate does not exist. */
  | 'WALLET_NOT_FOUND'
  // ---- the physical card (src/card) ----
  /** The card file cannot be read or is not a sandbox card. */
  | 'WALLET_CARD_UNREADABLE'
  /** A card PIN entered wrongly (the card counts its own tries). */
  | 'WALLET_CARD_PIN_WRONG'
  /** A card PIN has no tries left on the card. */
  | 'WALLET_CARD_PIN_LOCKED'
  /** The card's try counters file is too large, malformed or cannot be written: no PIN is checked. */
  | 'WALLET_CARD_COUNTERS_UNUSABLE'
  // ---- installation (src/installation) ----
  /** The liveness step was not confirmed. */
  | 'WALLET_LIVENESS_REQUIRED'
  /** The issuer answered with an error (the problem or OAuth code is in `issuerCode`). */
  | 'WALLET_ISSUER_REFUSED'
  /** The issuer's answer is not what the protocol says (malformed JSON, missing members). */
  | 'WALLET_ISSUER_RESPONSE'
  /** A received IssuerSigned does not verify against the configured IACAs: it is not stored. */
  | 'WALLET_CREDENTIAL_INVALID'
  /** The step does not fit this device's state (no installation, a record held already, no offer). */
  | 'WALLET_INSTALLATION_STATE'
  // ---- the service (src/server.ts) ----
  /** The port the wallet was asked to listen on is taken. */
  | 'WALLET_PORT_IN_USE'
  /** The issuer URL given by option or MYNAKIT_ISSUER_URL is not an http(s) URL. */
  | 'WALLET_ISSUER_URL'
  /** The phone is switched offline in the emulator: it does not contact the issuer. */
  | 'WALLET_OFFLINE'
  /** The step needs the issuer and none is configured. */
  | 'WALLET_ISSUER_NOT_CONFIGURED'
  // ---- presentation (src/presentation) ----
  /** My Number was approved for a relying party without a verified legal basis (DOMAIN.md §2). */
  | 'WALLET_MY_NUMBER_WITHHELD'
  /** The request's reader authentication does not verify to a trusted reader root: it is refused. */
  | 'WALLET_READER_AUTH_INVALID'
  /** The request cannot be read or breaks its protocol (a malformed request object, DCQL query or mode; expired). */
  | 'WALLET_REQUEST_INVALID'
  /** A signed request whose lifetime (`exp`, with the allowed clock skew) is over, or not begun (`iat`). */
  | 'WALLET_REQUEST_EXPIRED'
  /** The page's origin is not one the signed request names (OpenID4VP 1.0 Appendix A `expected_origins`). */
  | 'WALLET_ORIGIN_MISMATCH'
  /** The request names a Digital Credentials API protocol the phone does not answer. */
  | 'WALLET_PROTOCOL_UNSUPPORTED'
  /** The verifier's response endpoint refused the answer (used, expired or unknown session; OpenID4VP 1.0 §8.2). */
  | 'WALLET_VERIFIER_REFUSED'
  /** The holder declined a request on the phone's consent screen: nothing was sent. */
  | 'WALLET_DECLINED'
  /** The phone already has as many requests waiting for its holder as it keeps. */
  | 'WALLET_PHONE_BUSY'
  /**
   * The phone holds no document in force of any docType a request asks for (an unknown docType among them):
   * there is nothing to consent to, so no consent screen is raised.
   */
  | 'WALLET_DOCUMENT_NOT_HELD';

/** The wallet engine's error: a stable code, a safe message, and the cause. */
export class WalletError extends Error {
  /** The stable code (see WalletErrorCode). */
  readonly code: WalletErrorCode;
  /** For WALLET_ISSUER_REFUSED: the issuer's problem `code` or OAuth `error`. */
  readonly issuerCode?: string;
  /** For WALLET_SECRET_WRONG / WALLET_SECRET_LOCKED: the tries left. */
  readonly remainingTries?: number;

  /** Creates an error with a stable code; `issuerCode` only for issuer refusals. */
  constructor(
    code: WalletErrorCode,
    message: string,
    options: { cause?: unknown; issuerCode?: string; remainingTries?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WalletError';
    this.code = code;
    if (options.issuerCode !== undefined) this.issuerCode = options.issuerCode;
    if (options.remainingTries !== undefined) this.remainingTries = options.remainingTries;
  }
}
