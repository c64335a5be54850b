/**
 * Credential Response (OpenID4VCI 1.0 §8.3) carrying `mso_mdoc` Credentials (Appendix A.2.4).
 *
 *   HTTP/1.1 200 OK   Content-Type: application/json   Cache-Control: no-store
 *   { "credentials": [{ "credential": <string | object> }, …]  ("MUST NOT be used if the transaction_id
 *                                                                parameter is present"),
 *     "transaction_id"?: string, "interval"?: seconds   (deferred issuance, HTTP 202),
 *     "notification_id"?: string  ("MUST not be used if the credentials parameter is not present") }
 *
 * A.2.4: "The value of the credential claim in the Credential Response MUST be a string that is the
 * base64url-encoded representation of the CBOR-encoded IssuerSigned structure". "The number of elements
 * in the credentials array matches the number of keys that the Wallet has provided via the proofs
 * parameter … unless the Issuer decides to issue fewer". "The Wallet MUST ignore any unrecognized
 * parameters."
 */
import { fromBase64url, isObject, type JsonObject, LIMITS, own, Reader, toBase64url } from './json.js';

/** A Credential Response body (§8.3) with issued Credentials. */
export interface CredentialResponse {
  readonly credentials: readonly { readonly credential: string }[];
  readonly notification_id?: string;
}

/** Input of `createCredentialResponse`. */
export interface CreateCredentialResponseInput {
  /** The issued Credentials: mdoc IssuerSigned CBOR bytes (base64url-encoded here) or ready strings. */
  readonly credentials: readonly (Uint8Array | string)[];
  /** Identifies this issuance for the Notification Endpoint (§11). */
  readonly notificationId?: string;
}

/** Issuer: the Credential Response body. Send it with `Cache-Control: no-store`. */
export function createCredentialResponse(input: CreateCredentialResponseInput): CredentialResponse {
  if (!Array.isArray(input.credentials) || input.credentials.length === 0)
    throw new TypeError('credentials must be a non-empty array');
  return {
    credentials: input.credentials.map((c) => ({ credential: typeof c === 'string' ? c : toBase64url(c) })),
    ...(input.notificationId === undefined ? {} : { notification_id: input.notificationId }),
  };
}

/** A Credential Response as the Wallet reads it. */
export interface ParsedCredentialResponse {
  /** Each `credential` value as received (a string, or an object for JSON formats). */
  readonly credentials: readonly (string | JsonObject)[];
  readonly notificationId?: string;
  /** Deferred issuance (HTTP 202): the transaction to ask the Deferred Credential Endpoint about. */
  readonly transactionId?: string;
  readonly interval?: number;
}

/** Largest Credential Response body read from text (mdocs with portraits, several of them). */
const MAX_RESPONSE_CHARS = 16_000_000;
const MAX_CREDENTIAL_CHARS = 4_000_000;

/** Wallet: reads a Credential Response body (parsed JSON or text). */
export function parseCredentialResponse(body: unknown): ParsedCredentialResponse {
  const r: Reader = new Reader('invalid_request', 'credential_response.decode', 'Credential Response');
  if (typeof body === 'string' && body.length > MAX_RESPONSE_CHARS) r.fail('the body is too large');
  let o: JsonObject;
  if (typeof body === 'string') {
    try {
      o = r.object(JSON.parse(body));
    } catch (e) {
      if (e instanceof SyntaxError) r.fail('the body is not JSON');
      throw e;
    }
  } else o = r.object(body);
  const list = own(o, 'credentials');
  const transactionId = r.optionalString(o, 'transaction_id');
  if (list !== undefined && transactionId !== undefined)
    r.fail('credentials and transaction_id exclude each other');
  if (transactionId !== undefined) {
    const interval = r.optionalInteger(o, 'interval', 1, 10 ** 9);
    if (interval === undefined) r.fail('interval is required with transaction_id');
    return { credentials: [], transactionId, interval };
  }
  if (!Array.isArray(list) || list.length === 0 || list.length > LIMITS.maxArrayItems)
    return r.fail(`credentials is not an array of 1..${LIMITS.maxArrayItems} entries`);
  const credentials: (string | JsonObject)[] = [];
  for (const entry of list) {
    if (!isObject(entry)) r.fail('a credentials entry is not an object');
    const c = own(entry, 'credential');
    if (typeof c === 'string' && c.length > 0 && c.length <= MAX_CREDENTIAL_CHARS) credentials.push(c);
    else if (isObject(c)) credentials.push(c);
    else r.fail('a credential is neither a string of acceptable size nor an object');
  }
  const notificationId = r.optionalString(o, 'notification_id');
  return { credentials, ...(notificationId === undefined ? {} : { notificationId }) };
}

/**
 * Wallet: the IssuerSigned CBOR bytes of each `mso_mdoc` Credential in a response (Appendix A.2.4,
 * base64url → bytes; the bytes are kept exactly as received for later hashing).
 */
export function mdocCredentialsOf(response: ParsedCredentialResponse): Uint8Array[] {
  const r: Reader = new Reader('invalid_request', 'credential_response.decode', 'Credential Response');
  return response.credentials.map((c) => {
    const bytes = typeof c === 'string' ? fromBase64url(c) : undefined;
    if (bytes === undefined || bytes.length === 0) return r.fail('an mso_mdoc credential is not base64url');
    return bytes;
  });
}
