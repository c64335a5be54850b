/**
 * Errors of @mynakit/oid4vci.
 *
 * Every endpoint of OpenID for Verifiable Credential Issuance 1.0 answers a failure with one OAuth-style
 * error object, so the package has one error class whose `code` is exactly the error name the
 * specification puts on the wire:
 * - Token Endpoint (§6.3, RFC 6749 §5.2): `invalid_request`, `invalid_client`, `invalid_grant`,
 *   `unsupported_grant_type`;
 * - Credential Endpoint (§8.3.1.1, RFC 6750 §3.1 for the access token): `invalid_token`,
 *   `invalid_credential_request`, `unknown_credential_configuration`, `unknown_credential_identifier`,
 *   `invalid_proof`, `invalid_nonce`, `invalid_encryption_parameters`, `credential_request_denied`;
 * - Notification Endpoint (§11.3): `invalid_notification_id`, `invalid_notification_request`.
 *
 * `check` says precisely which rule failed (`proof.signature`, `key_attestation.chain`, `tx_code.mismatch`…)
 * so callers, logs and tests can tell failures apart without parsing messages. Messages describe the
 * structure and the rule — never a value the other party submitted (codes, nonces, keys, claims).
 */

/** The error names OpenID4VCI 1.0 (and the OAuth RFCs it builds on) defines for its endpoints. */
export type Oid4vciErrorCode =
  /** §6.3 / RFC 6749 §5.2: malformed Token Request; also a tx_code sent when none is expected or missing when one is. */
  | 'invalid_request'
  /** §6.3: wrong, expired or used Pre-Authorized Code, or a wrong Transaction Code. */
  | 'invalid_grant'
  /** §6.3: a Token Request without client_id where anonymous access is not supported. */
  | 'invalid_client'
  /** RFC 6749 §5.2: a grant type the Authorization Server does not support. */
  | 'unsupported_grant_type'
  /** RFC 6750 §3.1: the access token is missing, malformed, expired or unknown. */
  | 'invalid_token'
  /** §8.3.1.1: the Credential Request is malformed, repeats or combines parameters that exclude each other. */
  | 'invalid_credential_request'
  /** §8.3.1.1: `credential_configuration_id` names no configuration of this issuer. */
  | 'unknown_credential_configuration'
  /** §8.3.1.1: `credential_identifier` names no Credential Dataset of this access token. */
  | 'unknown_credential_identifier'
  /** §8.3.1.1: proofs missing, a key proof invalid, or a key proof without a c_nonce. */
  | 'invalid_proof'
  /** §8.3.1.1: a key proof carries a c_nonce that is not (or no longer) valid. */
  | 'invalid_nonce'
  /** §8.3.1.1: encryption parameters the issuer does not support, or missing when it requires them. */
  | 'invalid_encryption_parameters'
  /** §8.3.1.1: the issuer does not accept the request (unrecoverable for the Wallet). */
  | 'credential_request_denied'
  /** §11.3: the `notification_id` is not one this issuer handed out for this access token. */
  | 'invalid_notification_id'
  /** §11.3: the Notification Request is malformed. */
  | 'invalid_notification_request';

/**
 * Which rule failed — stable identifiers in the style of the verifiers' check ids. The `code` is what
 * goes on the wire; the check is for logs, metrics and tests.
 */
export type Oid4vciCheck =
  // Token Endpoint (§6)
  | 'token_request.decode'
  | 'token_request.grant_type'
  | 'token_request.pre-authorized_code'
  | 'token_request.client_id'
  | 'token_request.tx_code'
  | 'pre_authorized_code.expired'
  | 'pre_authorized_code.used'
  | 'pre_authorized_code.attempts'
  | 'tx_code.missing'
  | 'tx_code.unexpected'
  | 'tx_code.mismatch'
  // Access token (RFC 6750)
  | 'access_token.missing'
  | 'access_token.malformed'
  | 'access_token.invalid'
  // Credential Request (§8.2)
  | 'credential_request.decode'
  | 'credential_request.identifier'
  | 'credential_request.configuration'
  | 'credential_request.proofs'
  | 'credential_request.proof_count'
  | 'credential_request.encryption'
  // Key proof (Appendix F.1, F.4)
  | 'proof.decode'
  | 'proof.typ'
  | 'proof.alg'
  | 'proof.key'
  | 'proof.signature'
  | 'proof.aud'
  | 'proof.iat'
  | 'proof.iss'
  | 'proof.nonce_missing'
  | 'proof.nonce'
  | 'proof.unattested_key'
  // Key attestation (Appendix D)
  | 'key_attestation.missing'
  | 'key_attestation.decode'
  | 'key_attestation.typ'
  | 'key_attestation.alg'
  | 'key_attestation.chain'
  | 'key_attestation.signature'
  | 'key_attestation.iat'
  | 'key_attestation.exp'
  | 'key_attestation.attested_keys'
  | 'key_attestation.key_storage'
  | 'key_attestation.user_authentication'
  | 'key_attestation.nonce_missing'
  | 'key_attestation.nonce'
  // Notification Request (§11.1)
  | 'notification_request.decode'
  | 'notification_request.notification_id'
  | 'notification_request.event'
  | 'notification_request.event_description'
  // What a Wallet reads from the issuer (offer, metadata, responses)
  | 'credential_offer.decode'
  | 'issuer_metadata.decode'
  | 'token_response.decode'
  | 'nonce_response.decode'
  | 'credential_response.decode';

/** The error body an OpenID4VCI endpoint answers with (RFC 6749 §5.2, §8.3.1.1, §11.3). */
export interface OAuthErrorBody {
  /** The spec's error name. */
  readonly error: Oid4vciErrorCode;
  /** Human-readable ASCII in `%x20-21 / %x23-5B / %x5D-7E`; never a submitted value. */
  readonly error_description: string;
}

/** The one error class of @mynakit/oid4vci: `code` is the wire error, `check` the precise rule. */
export class Oid4vciError extends Error {
  override readonly name = 'Oid4vciError';
  /** The error name OpenID4VCI defines, exactly as it goes on the wire. */
  readonly code: Oid4vciErrorCode;
  /** The rule that failed. */
  readonly check: Oid4vciCheck;

  constructor(code: Oid4vciErrorCode, check: Oid4vciCheck, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.check = check;
  }

  /** The HTTP status the endpoint answers with: 401 for client and token failures, else 400. */
  get httpStatus(): 400 | 401 {
    return this.code === 'invalid_client' || this.code === 'invalid_token' ? 401 : 400;
  }
}

/**
 * §8.3.1.1 and §11.3: "The values for the error_description parameter MUST NOT include characters
 * outside the set %x20-21 / %x23-5B / %x5D-7E" (printable ASCII without `"` and `\`).
 */
function describe(message: string): string {
  let out = '';
  for (const ch of message) {
    const c = ch.codePointAt(0) as number;
    out += c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c ? ch : c === 0x22 ? "'" : '?';
    if (out.length >= 300) break;
  }
  return out;
}

/**
 * The JSON body for a failed request (`{error, error_description}`). Send it with the error's
 * `httpStatus`, `Content-Type: application/json` and `Cache-Control: no-store`.
 */
export function oauthErrorBody(error: Oid4vciError): OAuthErrorBody {
  return { error: error.code, error_description: describe(error.message) };
}
