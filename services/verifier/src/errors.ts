/**
 * The verifier service's one error class (ARCHITECTURE.md rule 5): a stable `code` from one union, and the
 * underlying error as `cause`. The HTTP boundary maps codes to RFC 9457 problem documents; messages never
 * carry submitted personal data, API keys or key material.
 */

/** Every stable error code of the verifier service. Add new codes here, grouped by area. */
export type VerifierErrorCode =
  // ---- store (src/store) ----
  /** A value handed to the store is out of its domain (ids, instants, limits, a configuration). */
  | 'VERIFIER_INVALID_INPUT'
  /** The relying party or record does not exist (or belongs to another relying party). */
  | 'VERIFIER_NOT_FOUND'
  /** A row with the same identifier exists (a relying party's client id). */
  | 'VERIFIER_DUPLICATE'
  // ---- verification records (src/records) ----
  /**
   * The record content holds what a verification record must never keep: the My Number
   * (`individual_number_unicode` or a field named like it) or a PIN / password (DOMAIN.md §5).
   */
  | 'VERIFIER_RECORD_FORBIDDEN_CONTENT'
  /** The record content is no JSON object the canonical encoding accepts (RFC 8785 I-JSON), or too large / deep. */
  | 'VERIFIER_RECORD_INVALID'
  /** Appending kept losing the compare-and-set on its chain head (another writer with the same writer id). */
  | 'VERIFIER_RECORD_CONFLICT'
  /**
   * The record was committed but the disk did not confirm it (a failed fsync of the write-ahead log): the
   * result is withheld, and no later record is reported as made until the service restarts (@mynakit/db
   * `DB_DURABILITY_LOST`).
   */
  | 'VERIFIER_RECORD_NOT_DURABLE'
  /** An export would hold more records than one export may: narrow the date range. */
  | 'VERIFIER_EXPORT_TOO_LARGE'
  // ---- verification sessions (src/sessions, src/verification) ----
  /** The session exists but its response was already submitted (single use). */
  | 'VERIFIER_SESSION_USED'
  /** The session's lifetime is over; open a new one. */
  | 'VERIFIER_SESSION_EXPIRED'
  /** The origin is not one of the relying party's configured `origins`. */
  | 'VERIFIER_ORIGIN_NOT_ALLOWED'
  /** My Number (individual_number_unicode) was requested, and the relying party has no legal basis configured. */
  | 'VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS'
  /** A requested element is not one of the card-substitute record's elements. */
  | 'VERIFIER_ELEMENT_UNKNOWN'
  /** A requested element was not disclosed in the response (the verdict is invalid; the names are listed). */
  | 'VERIFIER_CLAIMS_MISSING'
  /** The record's status list says revoked or suspended (an answer's errorCode; the verdict is invalid). */
  | 'VERIFIER_REVOKED'
  /** The revocation status could not be determined and the policy rejects (an answer's errorCode). */
  | 'VERIFIER_REVOCATION_UNDETERMINED'
  /** The revocation status could not be determined and the relying party's policy says retry later. */
  | 'VERIFIER_REVOCATION_UNAVAILABLE'
  /** A JPKI answer's certificate or CMS cannot be read (an answer's errorCode; the verdict is invalid). */
  | 'VERIFIER_JPKI_MALFORMED'
  /**
   * A JPKI signature does not verify over this session's challenge or document — made for another
   * session, or altered (an answer's errorCode).
   */
  | 'VERIFIER_JPKI_SIGNATURE_INVALID'
  /** The certificate is not of the profile the channel needs (e.g. a signature certificate for log-in). */
  | 'VERIFIER_JPKI_PROFILE_MISMATCH'
  /** The certificate does not chain to a configured JPKI trust anchor, or is outside its validity. */
  | 'VERIFIER_JPKI_CERTIFICATE_INVALID'
  /** The stored session key cannot be decrypted (wrong or missing session key-encryption key). */
  | 'VERIFIER_SESSION_KEY_UNAVAILABLE'
  /** A cross-device session's result was asked before the wallet answered; ask again later. */
  | 'VERIFIER_SESSION_PENDING'
  /**
   * No cross-device OpenID4VP request can be made for the relying party: no active reader key, a client id
   * other than `x509_san_dns:` naming the reader certificate, or the verifier's origin on another host than
   * the client id (a wallet would refuse the response URI, OpenID4VP 1.0 §5.9.3).
   */
  | 'VERIFIER_CROSS_DEVICE_UNAVAILABLE'
  /**
   * No JPKI request by link can be signed for the relying party: no active reader key, or a client id other
   * than `x509_san_dns:` naming the reader certificate and the verifier's own host (jpki/jpki-request-link.ts).
   */
  | 'VERIFIER_JPKI_LINK_UNAVAILABLE'
  /**
   * A session that is a 取引時確認 under 犯収法 was opened without the purpose of the transaction the
   * customer declared (取引を行う目的; sessions/customer-declaration.ts).
   */
  | 'VERIFIER_TRANSACTION_PURPOSE_REQUIRED'
  /** A session that is a 取引時確認 under 犯収法 was opened without the customer's occupation (職業). */
  | 'VERIFIER_OCCUPATION_REQUIRED'
  // ---- proximity sessions (src/proximity) ----
  /** The engagement is no `mdoc:` DeviceEngagement, or it names no WebSocket transport to connect to. */
  | 'VERIFIER_PROXIMITY_ENGAGEMENT_INVALID'
  /**
   * The transport the engagement names is neither loopback nor on the configured allow-list of proximity
   * transport hosts (ARCHITECTURE.md rule 9): nothing was connected.
   */
  | 'VERIFIER_PROXIMITY_HOST_NOT_ALLOWED'
  /** The phone's transport could not be reached, or closed before the session was established. */
  | 'VERIFIER_PROXIMITY_UNREACHABLE'
  /** The phone ended the session without answering (the holder declined, or the phone refused the request). */
  | 'VERIFIER_PROXIMITY_DECLINED'
  /** The phone did not answer within the reader's time limit. */
  | 'VERIFIER_PROXIMITY_TIMEOUT'
  /** A message of the phone was larger than the reader accepts, or could not be decrypted or read. */
  | 'VERIFIER_PROXIMITY_MESSAGE_INVALID'
  // ---- reader authentication keys (src/relying-parties/reader-key.ts) ----
  /**
   * No reader key-encryption key is configured (a reader key is never stored in the clear), or the stored
   * reader key cannot be opened with it.
   */
  | 'VERIFIER_READER_KEY_UNAVAILABLE'
  /**
   * The certificate chain does not fit the pending reader key: another public key, not the ISO/IEC 18013-5
   * reader-authentication profile, a client id it does not name, or outside its validity.
   */
  | 'VERIFIER_READER_CERTIFICATE_INVALID'
  // ---- passkeys (src/passkeys) ----
  /** The session did not end in a valid verification (not done, or its verdict is not valid). */
  | 'VERIFIER_PASSKEY_SESSION_NOT_VALID'
  /** The session's verification already bound a passkey or completed a step-up (single use). */
  | 'VERIFIER_PASSKEY_SESSION_USED'
  /** The verification is older than the window in which it may bind a passkey or complete a step-up. */
  | 'VERIFIER_PASSKEY_OFFER_EXPIRED'
  /** The verification record holds no name and birth date to bind the account to (or was purged). */
  | 'VERIFIER_PASSKEY_IDENTITY_UNAVAILABLE'
  /** The step-up verification is of another person than the one the account is bound to. */
  | 'VERIFIER_PASSKEY_IDENTITY_MISMATCH'
  /** A step-up was completed for an account that has none pending. */
  | 'VERIFIER_PASSKEY_STEP_UP_NOT_REQUESTED'
  /** The WebAuthn challenge was never issued (by this relying party, for this ceremony). */
  | 'VERIFIER_PASSKEY_CHALLENGE_UNKNOWN'
  /** The WebAuthn challenge was already answered once (a replay). */
  | 'VERIFIER_PASSKEY_CHALLENGE_USED'
  /** The WebAuthn challenge's lifetime is over. */
  | 'VERIFIER_PASSKEY_CHALLENGE_EXPIRED'
  /** The ceremony ran on an origin that is not the expected one (clientDataJSON.origin). */
  | 'VERIFIER_PASSKEY_ORIGIN_MISMATCH'
  /** The authenticator data is for another RP ID (rpIdHash). */
  | 'VERIFIER_PASSKEY_RP_ID_MISMATCH'
  /** The authenticator did not verify the user (UV flag clear). */
  | 'VERIFIER_PASSKEY_USER_NOT_VERIFIED'
  /** The passkey is not registered with this relying party. */
  | 'VERIFIER_PASSKEY_CREDENTIAL_UNKNOWN'
  /** The signature counter did not grow: a cloned authenticator is suspected (WebAuthn L3 §6.1.1). */
  | 'VERIFIER_PASSKEY_COUNTER_REGRESSION'
  /** The attestation or assertion does not verify (signature, type, malformed data). */
  | 'VERIFIER_PASSKEY_INVALID'
  /** No key to bind identities with is configured (passkeyIdentityKey or the session key-encryption key). */
  | 'VERIFIER_PASSKEY_NOT_CONFIGURED'
  // ---- identity cross-checks (src/cross-checks) ----
  /** A session named for a cross-check did not end in a valid verification (not done, or not valid). */
  | 'VERIFIER_CROSS_CHECK_SESSION_NOT_VALID'
  /** A verification named for a cross-check is older than the cross-check window. */
  | 'VERIFIER_CROSS_CHECK_EXPIRED'
  /** A session named for a cross-check was already cross-checked (single use). */
  | 'VERIFIER_CROSS_CHECK_USED'
  /** A verification record named for a cross-check holds no identity facts (purged, or none requested). */
  | 'VERIFIER_CROSS_CHECK_IDENTITY_UNAVAILABLE'
  // ---- HTTP authentication (src/http/auth.ts) ----
  /** The route needs the operator token or a relying party's API key, and none or another was sent. */
  | 'VERIFIER_UNAUTHORIZED'
  /** The API key is valid but its role may not use this route. */
  | 'VERIFIER_FORBIDDEN'
  // ---- the checkpoint key and the sealed secrets (src/keys) ----
  /** The checkpoint key is no P-256 private key, or a sealed secret does not decrypt (altered, truncated). */
  | 'VERIFIER_KEY_CORRUPT'
  /** The key-encryption key (`MYNAKIT_KEK`, or the stored one) is not 32 bytes (base64url for MYNAKIT_KEK). */
  | 'VERIFIER_KEY_INVALID_KEK'
  /** The key-encryption key is not the one the verifier's secrets were sealed with: the start fails. */
  | 'VERIFIER_KEY_WRONG_KEK'
  // ---- the server (src/server.ts) ----
  /** The port is taken by another process. */
  | 'VERIFIER_PORT_IN_USE';

/** An error of the verifier service, with a stable code and the underlying error as `cause`. */
export class VerifierError extends Error {
  /** The stable code (see VerifierErrorCode). */
  readonly code: VerifierErrorCode;

  /** `message` is for operators: never personal data, never key material. */
  constructor(code: VerifierErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VerifierError';
    this.code = code;
  }
}
