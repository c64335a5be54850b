/**
 * Token Request in the Pre-Authorized Code Flow (OpenID4VCI 1.0 §6.1, RFC 6749 §4.1.3 / §3.2).
 *
 *   POST /token   Content-Type: application/x-www-form-urlencoded
 *   grant_type=urn:ietf:params:oauth:grant-type:pre-authorized_code
 *   &pre-authorized_code=…   ("MUST be present if the grant_type is …pre-authorized_code")
 *   &tx_code=…               ("MUST be present if a tx_code object was present in the Credential Offer")
 *   &client_id=…             (only with client authentication; optional for this grant, §6.1)
 *
 * RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than once." §6.1: "The
 * Authorization Server MUST ignore any unrecognized parameters." §6.3 error mapping: a malformed request
 * → `invalid_request`; another grant type → `unsupported_grant_type`; no client_id where anonymous
 * access is not supported → `invalid_client`. Whether the code is valid is the issuer's store's call,
 * with `checkPreAuthorizedCode` (pre-authorized-code.ts) deciding on the record it found.
 */
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from './credential-offer.js';
import { Oid4vciError } from './errors.js';
import { LIMITS } from './json.js';

/** A Token Request of the Pre-Authorized Code Flow, read. */
export interface PreAuthorizedTokenRequest {
  readonly grantType: typeof PRE_AUTHORIZED_CODE_GRANT_TYPE;
  readonly preAuthorizedCode: string;
  /** The Transaction Code the End-User entered, when sent. */
  readonly txCode?: string;
  /** The client identifier, when the Wallet sent one. */
  readonly clientId?: string;
}

/** Input of `buildTokenRequest` (Wallet). */
export interface BuildTokenRequestInput {
  readonly preAuthorizedCode: string;
  readonly txCode?: string;
  readonly clientId?: string;
}

/** Wallet: the form body of a pre-authorized code Token Request. */
export function buildTokenRequest(input: BuildTokenRequestInput): URLSearchParams {
  if (typeof input.preAuthorizedCode !== 'string' || input.preAuthorizedCode.length === 0)
    throw new TypeError('preAuthorizedCode is required');
  const body = new URLSearchParams();
  body.set('grant_type', PRE_AUTHORIZED_CODE_GRANT_TYPE);
  body.set('pre-authorized_code', input.preAuthorizedCode);
  if (input.txCode !== undefined) body.set('tx_code', input.txCode);
  if (input.clientId !== undefined) body.set('client_id', input.clientId);
  return body;
}

/** Options of `parseTokenRequest`. */
export interface ParseTokenRequestOptions {
  /** `pre-authorized_grant_anonymous_access_supported` (§12.3): requests without client_id accepted. Default true. */
  readonly anonymousAccessSupported?: boolean;
}

const MAX_PARAMETERS = 32;
const MAX_FORM_CHARS = 65_536;

/**
 * Issuer: reads a Token Request body (URLSearchParams or the form-encoded text). Throws `Oid4vciError`
 * (`invalid_request`, `unsupported_grant_type`, `invalid_client`).
 */
export function parseTokenRequest(
  body: URLSearchParams | string,
  options: ParseTokenRequestOptions = {},
): PreAuthorizedTokenRequest {
  const bad = (
    message: string,
    check:
      | 'token_request.decode'
      | 'token_request.pre-authorized_code'
      | 'token_request.tx_code' = 'token_request.decode',
  ): never => {
    throw new Oid4vciError('invalid_request', check, `Token Request: ${message}`);
  };
  if (typeof body === 'string' && body.length > MAX_FORM_CHARS) bad('the body is too large');
  const params = typeof body === 'string' ? new URLSearchParams(body) : body;
  if (!(params instanceof URLSearchParams)) return bad('the body is not form-encoded');
  const seen = new Map<string, string>();
  let count = 0;
  for (const [name, value] of params) {
    if (++count > MAX_PARAMETERS) bad('too many parameters');
    if (seen.has(name)) bad('a parameter is repeated (RFC 6749 §3.2)');
    if (value.length > LIMITS.maxStringChars) bad('a parameter value is too long');
    seen.set(name, value);
  }
  const grantType = seen.get('grant_type');
  if (grantType === undefined || grantType === '')
    throw new Oid4vciError(
      'invalid_request',
      'token_request.grant_type',
      'Token Request: grant_type is missing',
    );
  if (grantType !== PRE_AUTHORIZED_CODE_GRANT_TYPE)
    throw new Oid4vciError(
      'unsupported_grant_type',
      'token_request.grant_type',
      'Token Request: only the pre-authorized code grant is supported',
    );
  const code = seen.get('pre-authorized_code');
  if (code === undefined || code === '')
    return bad('pre-authorized_code is missing', 'token_request.pre-authorized_code');
  const txCode = seen.get('tx_code');
  if (txCode === '') bad('tx_code is empty', 'token_request.tx_code');
  const clientId = seen.get('client_id');
  if (clientId === '') bad('client_id is empty');
  if (clientId === undefined && options.anonymousAccessSupported === false)
    throw new Oid4vciError(
      'invalid_client',
      'token_request.client_id',
      'Token Request: a client_id is required (anonymous access is not supported)',
    );
  return {
    grantType: PRE_AUTHORIZED_CODE_GRANT_TYPE,
    preAuthorizedCode: code,
    ...(txCode === undefined ? {} : { txCode }),
    ...(clientId === undefined ? {} : { clientId }),
  };
}
