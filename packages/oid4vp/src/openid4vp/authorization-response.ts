import type { JWK } from 'jose';
import { type AuthorizationErrorResponse, isOAuthErrorCode, Oid4vpError } from '../errors.js';
import { dictionary } from '../own-keys.js';
import { type AuthorizationRequest, isEncryptedMode } from './authorization-request.js';
import type { Fetcher } from './request-uri.js';
import { decryptAuthorizationResponse, encryptAuthorizationResponse } from './response-encryption.js';

/**
 * The Authorization Response — OpenID4VP 1.0 §8. For DCQL the `vp_token` is a JSON object mapping each
 * credential query id to an array of presentations (§8.1); an mdoc presentation is the base64url
 * (no padding) DeviceResponse (Appendix B.2.5).
 *
 * Transport by response mode:
 * - `direct_post` (§8.2): the wallet POSTs `application/x-www-form-urlencoded` `vp_token` (JSON text)
 *   and `state` to `response_uri`;
 * - `direct_post.jwt` (§8.3.1): one form parameter `response` = a JWE whose plaintext holds them;
 * - `dc_api` / `dc_api.jwt` (Appendix A.4): the same object (or `{response: JWE}`) is the `data` of the
 *   DigitalCredential the browser returns to the page.
 * An error response carries `error`, `error_description`, `state` instead.
 */
export type VpToken = Readonly<Record<string, readonly string[]>>;

export interface AuthorizationResponseBody {
  readonly vp_token?: VpToken;
  readonly response?: string;
  readonly state?: string;
}

/** Wallet side: the response for `request`, encrypted when its mode asks for it. */
export async function createAuthorizationResponse(
  request: AuthorizationRequest,
  vpToken: VpToken,
): Promise<AuthorizationResponseBody> {
  const payload: Record<string, unknown> = { vp_token: vpToken };
  if (request.state !== undefined) payload.state = request.state;
  if (!isEncryptedMode(request.response_mode)) return payload as AuthorizationResponseBody;
  const md = request.client_metadata;
  if (!md?.jwks)
    throw new Oid4vpError('invalid_request', `${request.response_mode} needs client_metadata.jwks`);
  const { response } = await encryptAuthorizationResponse(payload, {
    jwks: { keys: md.jwks.keys as JWK[] },
    ...(md.encrypted_response_enc_values_supported
      ? { encrypted_response_enc_values_supported: md.encrypted_response_enc_values_supported }
      : {}),
  });
  // `state` stays inside the JWE; direct_post.jwt sends only `response`.
  return { response };
}

/** Wallet side: an error response (§8.5) for `request`. */
export function createErrorResponse(
  request: AuthorizationRequest,
  error: Oid4vpError,
): AuthorizationErrorResponse {
  return error.toErrorResponse(request.state);
}

/** Form encoding for direct_post(.jwt): objects become JSON text. */
export function toFormBody(body: object): string {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined) continue;
    form.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  return form.toString();
}

/** Wallet side: POSTs the response to `response_uri`; returns the verifier's `redirect_uri`, if any. */
export async function postAuthorizationResponse(
  responseUri: string,
  body: AuthorizationResponseBody | AuthorizationErrorResponse | object,
  fetcher: Fetcher,
): Promise<{ redirectUri?: string }> {
  const res = await fetcher(responseUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: toFormBody(body),
  });
  let json: Record<string, unknown> = {};
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    json = {};
  }
  if (!res.ok) {
    const err = typeof json.error === 'string' ? json.error : 'invalid_request';
    throw new Oid4vpError(
      isOAuthErrorCode(err) ? err : 'invalid_request',
      `the verifier refused the response (HTTP ${res.status})`,
    );
  }
  return typeof json.redirect_uri === 'string' ? { redirectUri: json.redirect_uri } : {};
}

export interface ParsedAuthorizationResponse {
  readonly vpToken: VpToken;
  readonly state?: string;
}

function parseVpToken(v: unknown): VpToken {
  let token = v;
  if (typeof token === 'string') {
    try {
      token = JSON.parse(token);
    } catch (e) {
      throw new Oid4vpError('DECODE', 'vp_token is not JSON', { cause: e });
    }
  }
  if (typeof token !== 'object' || token === null || Array.isArray(token)) {
    throw new Oid4vpError('DECODE', 'vp_token must be an object of credential query ids');
  }
  // The ids are the wallet's text: a dictionary without a prototype keeps `__proto__` an ordinary entry.
  const out = dictionary<string[]>();
  for (const [id, list] of Object.entries(token)) {
    if (!Array.isArray(list) || list.length === 0 || list.some((p) => typeof p !== 'string')) {
      throw new Oid4vpError('DECODE', `vp_token.${id} must be a non-empty array of strings`);
    }
    out[id] = list as string[];
  }
  return out;
}

/**
 * Verifier side: reads the response body (a parsed form, or the DC API `data` object). Decrypts the
 * `.jwt` modes with `decryptionKey`. A wallet error response is thrown as an Oid4vpError with its code.
 */
export async function parseAuthorizationResponse(
  body: Readonly<Record<string, unknown>>,
  request: AuthorizationRequest,
  decryptionKey?: JWK,
): Promise<ParsedAuthorizationResponse> {
  // The body is what the wallet (or a page) sent: anything but an object is malformed, not a crash.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Oid4vpError('DECODE', 'the authorization response must be an object');
  }
  if (typeof body.error === 'string') {
    const code = isOAuthErrorCode(body.error) ? body.error : 'invalid_request';
    throw new Oid4vpError(code, 'the wallet answered with an error response');
  }
  let payload: Readonly<Record<string, unknown>> = body;
  if (isEncryptedMode(request.response_mode)) {
    if (typeof body.response !== 'string')
      throw new Oid4vpError('DECODE', `${request.response_mode} expects a response JWE`);
    if (!decryptionKey) throw new Oid4vpError('KEY_INVALID', 'no decryption key for an encrypted response');
    payload = await decryptAuthorizationResponse(
      body.response,
      decryptionKey,
      request.client_metadata?.encrypted_response_enc_values_supported ?? ['A128GCM'],
    );
  } else if (body.response !== undefined) {
    throw new Oid4vpError('DECODE', `${request.response_mode} expects vp_token, not an encrypted response`);
  }
  const vpToken = parseVpToken(payload.vp_token);
  const state = payload.state;
  if (state !== undefined && typeof state !== 'string')
    throw new Oid4vpError('DECODE', 'state must be a string');
  return state === undefined ? { vpToken } : { vpToken, state };
}
