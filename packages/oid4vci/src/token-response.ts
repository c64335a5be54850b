/**
 * Successful Token Response (OpenID4VCI 1.0 §6.2, RFC 6749 §5.1).
 *
 *   HTTP/1.1 200 OK   Content-Type: application/json   Cache-Control: no-store
 *   { "access_token": string, "token_type": "Bearer" | "DPoP", "expires_in"?: seconds,
 *     "authorization_details"?: [{ "type": "openid_credential", "credential_configuration_id",
 *                                   "credential_identifiers": [string, …] }] }
 *
 * §13.8: "Long-lived Access Tokens giving access to Credentials MUST not be issued unless
 * sender-constrained. Access Tokens with lifetimes longer than 5 minutes are, in general, considered
 * long lived." The access token value comes from the caller. "The Wallet MUST ignore any unrecognized
 * parameters in the Token Response."
 */
import { isObject, own, Reader } from './json.js';

/** One `openid_credential` authorization detail of a Token Response (§6.2). */
export interface CredentialAuthorizationDetail {
  readonly type: 'openid_credential';
  readonly credential_configuration_id: string;
  readonly credential_identifiers: readonly string[];
}

/** A Token Response body (§6.2). */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer' | 'DPoP';
  readonly expires_in?: number;
  readonly authorization_details?: readonly CredentialAuthorizationDetail[];
}

/** Input of `createTokenResponse`. */
export interface CreateTokenResponseInput {
  readonly accessToken: string;
  /** Lifetime in seconds (at most 300 for a Bearer token, §13.8). */
  readonly expiresIn: number;
  readonly tokenType?: 'Bearer' | 'DPoP';
  readonly authorizationDetails?: readonly CredentialAuthorizationDetail[];
}

/** Issuer: the Token Response body. Send it with `Cache-Control: no-store`. */
export function createTokenResponse(input: CreateTokenResponseInput): TokenResponse {
  if (typeof input.accessToken !== 'string' || input.accessToken.length < 16)
    throw new TypeError('accessToken must be an unpredictable string of 16 or more characters');
  const tokenType = input.tokenType ?? 'Bearer';
  if (!Number.isSafeInteger(input.expiresIn) || input.expiresIn <= 0)
    throw new TypeError('expiresIn must be positive');
  if (tokenType === 'Bearer' && input.expiresIn > 300)
    throw new TypeError('a Bearer access token must not live longer than 5 minutes (§13.8)');
  return {
    access_token: input.accessToken,
    token_type: tokenType,
    expires_in: input.expiresIn,
    ...(input.authorizationDetails === undefined
      ? {}
      : { authorization_details: input.authorizationDetails }),
  };
}

/** A Token Response as the Wallet reads it. */
export interface ParsedTokenResponse {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly expiresIn?: number;
  /** `credential_identifiers` per `credential_configuration_id`, when authorization details came back. */
  readonly credentialIdentifiers?: ReadonlyMap<string, readonly string[]>;
}

/** Wallet: reads a Token Response body. */
export function parseTokenResponse(body: unknown): ParsedTokenResponse {
  const r: Reader = new Reader('invalid_request', 'token_response.decode', 'Token Response');
  const o = r.object(body);
  const accessToken = r.string(o, 'access_token', 8192);
  const tokenType = r.string(o, 'token_type', 32);
  const expiresIn = r.optionalInteger(o, 'expires_in', 1, 10 ** 9);
  const details = own(o, 'authorization_details');
  let credentialIdentifiers: Map<string, readonly string[]> | undefined;
  if (details !== undefined) {
    if (!Array.isArray(details) || details.length === 0 || details.length > 64)
      r.fail('authorization_details is not a non-empty array');
    credentialIdentifiers = new Map();
    for (const d of details) {
      if (!isObject(d)) r.fail('an authorization detail is not an object');
      if (own(d, 'type') !== 'openid_credential') continue;
      const id = r.string(d, 'credential_configuration_id');
      credentialIdentifiers.set(
        id,
        r.stringArray(own(d, 'credential_identifiers'), 'credential_identifiers'),
      );
    }
  }
  return {
    accessToken,
    tokenType,
    ...(expiresIn === undefined ? {} : { expiresIn }),
    ...(credentialIdentifiers === undefined ? {} : { credentialIdentifiers }),
  };
}
