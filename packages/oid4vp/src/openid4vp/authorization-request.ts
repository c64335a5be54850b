import type { JWK } from 'jose';
import { Oid4vpError } from '../errors.js';
import { type DcqlQuery, validateDcqlQuery } from './dcql-query.js';

/**
 * The OpenID4VP 1.0 Authorization Request (§5) as mynakit sends and accepts it for mdoc credentials.
 *
 * - `response_type` is always `vp_token`; the query is `dcql_query` (§5.1; `presentation_definition`
 *   is gone from 1.0).
 * - Redirect/cross-device (§5, §8.2): `client_id`, `response_mode` `direct_post` or `direct_post.jwt`,
 *   `response_uri`, `nonce`, optional `state`; the wallet gets the request by value or by `request_uri`.
 * - Digital Credentials API (Appendix A): `response_mode` `dc_api` or `dc_api.jwt`; no `response_uri`;
 *   unsigned requests carry no `client_id` (the wallet uses the origin); signed ones carry
 *   `client_id` and `expected_origins`.
 * - `client_metadata` (§5.1, §11.1): `jwks` with the response-encryption key for the `.jwt` modes,
 *   `encrypted_response_enc_values_supported`, and `vp_formats_supported` (`mso_mdoc` algorithms).
 */
export type ResponseMode = 'direct_post' | 'direct_post.jwt' | 'dc_api' | 'dc_api.jwt';
const RESPONSE_MODES: readonly ResponseMode[] = ['direct_post', 'direct_post.jwt', 'dc_api', 'dc_api.jwt'];

export interface ClientMetadata {
  readonly jwks?: { readonly keys: readonly JWK[] };
  readonly encrypted_response_enc_values_supported?: readonly string[];
  readonly vp_formats_supported?: Readonly<Record<string, unknown>>;
  readonly client_name?: string;
  readonly logo_uri?: string;
}

export interface AuthorizationRequest {
  readonly response_type: 'vp_token';
  readonly client_id?: string;
  readonly response_mode: ResponseMode;
  readonly response_uri?: string;
  readonly redirect_uri?: string;
  readonly nonce: string;
  readonly state?: string;
  readonly dcql_query: DcqlQuery;
  readonly client_metadata?: ClientMetadata;
  readonly expected_origins?: readonly string[];
  readonly transaction_data?: readonly string[];
  readonly wallet_nonce?: string;
  readonly aud?: string;
  readonly iat?: number;
  readonly exp?: number;
}

/** `vp_formats_supported` for mdoc (Appendix B.2.2): COSE algorithm ids accepted for issuerAuth and device auth. */
export const MSO_MDOC_VP_FORMATS = {
  mso_mdoc: { issuerauth_alg_values: [-7, -35, -36, -8], deviceauth_alg_values: [-7, -35, -36, -8] },
} as const;

export function isEncryptedMode(mode: ResponseMode): boolean {
  return mode === 'direct_post.jwt' || mode === 'dc_api.jwt';
}

export function isDcApiMode(mode: ResponseMode): boolean {
  return mode === 'dc_api' || mode === 'dc_api.jwt';
}

function bad(message: string): never {
  throw new Oid4vpError('invalid_request', message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optString(o: Record<string, unknown>, key: string): void {
  if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key] === ''))
    bad(`${key} must be a non-empty string`);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

/**
 * `client_metadata` (§5.1, §11.1): every member mynakit reads has the type the spec gives it, so the
 * code that uses an accepted request never meets a null or a number where it expects an object:
 * `jwks` a JWK Set (RFC 7517 §5: `keys` an array of JWK objects), `encrypted_response_enc_values_supported`
 * an array of strings, `vp_formats_supported` an object (its `mso_mdoc` member an object), `client_name`
 * and `logo_uri` strings.
 * Members it does not read are left alone.
 */
function checkClientMetadata(md: unknown): asserts md is ClientMetadata {
  if (!isObject(md)) bad('client_metadata must be an object');
  if (md.jwks !== undefined) {
    if (!isObject(md.jwks) || !Array.isArray(md.jwks.keys) || !md.jwks.keys.every(isObject)) {
      bad('client_metadata.jwks must be a JWK Set: {keys: [JWK objects]}');
    }
  }
  const enc = md.encrypted_response_enc_values_supported;
  if (enc !== undefined && (!isStringArray(enc) || enc.length === 0)) {
    bad('client_metadata.encrypted_response_enc_values_supported must be a non-empty array of strings');
  }
  const formats = md.vp_formats_supported;
  if (formats !== undefined) {
    if (!isObject(formats)) bad('client_metadata.vp_formats_supported must be an object');
    if (Object.hasOwn(formats, 'mso_mdoc') && !isObject(formats.mso_mdoc)) {
      bad('client_metadata.vp_formats_supported.mso_mdoc must be an object');
    }
  }
  for (const k of ['client_name', 'logo_uri']) {
    if (md[k] !== undefined && typeof md[k] !== 'string') bad(`client_metadata.${k} must be a string`);
  }
}

function isHttpsUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (
      u.protocol === 'https:' ||
      (u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost'))
    );
  } catch {
    return false;
  }
}

/**
 * Checks an Authorization Request (the parameters object, or a request object's claims) and returns
 * it typed. Throws `invalid_request`, `DCQL_INVALID`, `vp_formats_not_supported` or
 * `invalid_transaction_data` — the codes §8.5 asks the wallet to answer with.
 */
export function validateAuthorizationRequest(value: unknown): AuthorizationRequest {
  if (!isObject(value)) bad('the authorization request must be an object');
  if (value.response_type !== 'vp_token') bad('response_type must be vp_token');
  const mode = value.response_mode;
  if (typeof mode !== 'string' || !(RESPONSE_MODES as readonly string[]).includes(mode)) {
    bad('response_mode must be direct_post, direct_post.jwt, dc_api or dc_api.jwt');
  }
  const responseMode = mode as ResponseMode;
  for (const k of ['client_id', 'response_uri', 'redirect_uri', 'state', 'wallet_nonce', 'aud'])
    optString(value, k);
  if (typeof value.nonce !== 'string' || value.nonce.length === 0) bad('nonce is required');
  if (value.presentation_definition !== undefined || value.scope !== undefined) {
    bad('only dcql_query is supported (no presentation_definition or scope)');
  }
  let dcql: unknown = value.dcql_query;
  if (typeof dcql === 'string') {
    try {
      dcql = JSON.parse(dcql);
    } catch {
      bad('dcql_query is not valid JSON');
    }
  }
  const dcqlQuery = validateDcqlQuery(dcql);

  if (isDcApiMode(responseMode)) {
    if (value.response_uri !== undefined || value.redirect_uri !== undefined) {
      bad('response_uri and redirect_uri are not used with the Digital Credentials API');
    }
  } else {
    if (typeof value.client_id !== 'string') bad('client_id is required');
    if (typeof value.response_uri !== 'string') bad(`response_uri is required for ${responseMode}`);
    if (value.redirect_uri !== undefined) bad('redirect_uri must not be present with response_uri');
    if (!isHttpsUrl(value.response_uri)) bad('response_uri must be an https URL');
  }
  if (value.expected_origins !== undefined) {
    if (!Array.isArray(value.expected_origins) || value.expected_origins.some((o) => typeof o !== 'string')) {
      bad('expected_origins must be an array of strings');
    }
  }
  if (value.iat !== undefined && !isFiniteNumber(value.iat)) bad('iat must be a NumericDate');
  if (value.exp !== undefined && !isFiniteNumber(value.exp)) bad('exp must be a NumericDate');
  if (value.client_metadata !== undefined) checkClientMetadata(value.client_metadata);
  if (isEncryptedMode(responseMode)) {
    const md = value.client_metadata as ClientMetadata | undefined;
    if (md?.jwks === undefined || md.jwks.keys.length === 0) {
      bad(`${responseMode} needs client_metadata.jwks with an encryption key`);
    }
  }
  const formats = (value.client_metadata as ClientMetadata | undefined)?.vp_formats_supported;
  if (formats !== undefined && !Object.hasOwn(formats, 'mso_mdoc')) {
    throw new Oid4vpError('vp_formats_not_supported', 'the verifier accepts no mso_mdoc presentation');
  }
  if (value.transaction_data !== undefined) {
    // No transaction data type is defined for the card-substitute record; refusing is what §8.4 asks.
    throw new Oid4vpError('invalid_transaction_data', 'transaction_data types are not supported');
  }
  return { ...(value as unknown as AuthorizationRequest), dcql_query: dcqlQuery };
}

export interface BuildAuthorizationRequestInput {
  readonly responseMode: ResponseMode;
  readonly nonce: string;
  readonly dcqlQuery: DcqlQuery;
  readonly clientId?: string;
  readonly responseUri?: string;
  readonly state?: string;
  /** Public encryption JWK(s) for `.jwt` modes (with `alg: "ECDH-ES"` and, ideally, a `kid`). */
  readonly encryptionKeys?: readonly JWK[];
  readonly encryptedResponseEncValues?: readonly ('A128GCM' | 'A256GCM')[];
  readonly expectedOrigins?: readonly string[];
  readonly clientName?: string;
}

/** Verifier side: builds and validates a request. */
export function buildAuthorizationRequest(input: BuildAuthorizationRequestInput): AuthorizationRequest {
  const client_metadata: Record<string, unknown> = { vp_formats_supported: MSO_MDOC_VP_FORMATS };
  if (input.encryptionKeys) {
    client_metadata.jwks = {
      keys: input.encryptionKeys.map((k) => {
        if ('d' in k) throw new Oid4vpError('KEY_INVALID', 'encryption keys in a request must be public');
        return { use: 'enc', alg: 'ECDH-ES', ...k };
      }),
    };
    client_metadata.encrypted_response_enc_values_supported = input.encryptedResponseEncValues ?? ['A128GCM'];
  }
  if (input.clientName !== undefined) client_metadata.client_name = input.clientName;
  const req: Record<string, unknown> = {
    response_type: 'vp_token',
    response_mode: input.responseMode,
    nonce: input.nonce,
    dcql_query: input.dcqlQuery,
    client_metadata,
  };
  if (input.clientId !== undefined) req.client_id = input.clientId;
  if (input.responseUri !== undefined) req.response_uri = input.responseUri;
  if (input.state !== undefined) req.state = input.state;
  if (input.expectedOrigins !== undefined) req.expected_origins = [...input.expectedOrigins];
  return validateAuthorizationRequest(req);
}
