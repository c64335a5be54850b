/**
 * OAuth 2.0 Authorization Server Metadata (RFC 8414 §2) as an OpenID4VCI 1.0 issuer publishes it
 * (§12.3), for the Pre-Authorized Code Flow.
 *
 *   { "issuer": URL (REQUIRED), "token_endpoint": URL, "grant_types_supported"?: [string, …],
 *     "response_types_supported"?: […]  (§12.2.4: "An Authorization Server that only supports the
 *                                         Pre-Authorized Code grant type MAY omit" it),
 *     "token_endpoint_auth_methods_supported"?: [string, …],
 *     "pre-authorized_grant_anonymous_access_supported"?: boolean  (§12.3: "whether the Credential
 *        Issuer accepts a Token Request with a Pre-Authorized Code but without a client_id. The
 *        default is false.") }
 *
 * RFC 8414 §3: published at `/.well-known/oauth-authorization-server` inserted into the issuer
 * identifier; §3.3: "The issuer value returned MUST be identical to the authorization server's issuer
 * identifier value into which the well-known URI string was inserted".
 */
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from './credential-offer.js';
import { wellKnownUrl } from './credential-issuer-metadata.js';
import { isIssuerUrl, own, Reader } from './json.js';

/** Authorization Server Metadata as this package writes it. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly token_endpoint: string;
  readonly grant_types_supported: readonly string[];
  readonly token_endpoint_auth_methods_supported?: readonly string[];
  readonly 'pre-authorized_grant_anonymous_access_supported': boolean;
}

/** Input of `createAuthorizationServerMetadata`. */
export interface AuthorizationServerMetadataInput {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  /** Default true: Wallets exchange the code without client authentication. */
  readonly preAuthorizedGrantAnonymousAccessSupported?: boolean;
  /** Default: the pre-authorized code grant only. */
  readonly grantTypesSupported?: readonly string[];
  /** e.g. ['none'] for anonymous public clients. */
  readonly tokenEndpointAuthMethodsSupported?: readonly string[];
}

/** Builds the Authorization Server Metadata document. */
export function createAuthorizationServerMetadata(
  input: AuthorizationServerMetadataInput,
): AuthorizationServerMetadata {
  if (!isIssuerUrl(input.issuer, false))
    throw new TypeError('issuer must be an https URL without query or fragment');
  if (!isIssuerUrl(input.tokenEndpoint, true)) throw new TypeError('tokenEndpoint must be an https URL');
  return {
    issuer: input.issuer,
    token_endpoint: input.tokenEndpoint,
    grant_types_supported: [...(input.grantTypesSupported ?? [PRE_AUTHORIZED_CODE_GRANT_TYPE])],
    ...(input.tokenEndpointAuthMethodsSupported === undefined
      ? {}
      : { token_endpoint_auth_methods_supported: [...input.tokenEndpointAuthMethodsSupported] }),
    'pre-authorized_grant_anonymous_access_supported':
      input.preAuthorizedGrantAnonymousAccessSupported ?? true,
  };
}

/** Where the Authorization Server Metadata of an issuer identifier is published (RFC 8414 §3.1). */
export function authorizationServerMetadataUrl(issuer: string): string {
  return wellKnownUrl(issuer, 'oauth-authorization-server');
}

/** Authorization Server Metadata as the Wallet reads it. */
export interface ParsedAuthorizationServerMetadata {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly grantTypesSupported?: readonly string[];
  readonly preAuthorizedGrantAnonymousAccessSupported: boolean;
}

/** Wallet: reads Authorization Server Metadata fetched for `expectedIssuer` (RFC 8414 §3.3). */
export function parseAuthorizationServerMetadata(
  body: unknown,
  expectedIssuer: string,
): ParsedAuthorizationServerMetadata {
  const r: Reader = new Reader('invalid_request', 'issuer_metadata.decode', 'Authorization Server Metadata');
  const o = r.object(body);
  const issuer = r.string(o, 'issuer');
  if (issuer !== expectedIssuer) r.fail('issuer is not the identifier the metadata was fetched for');
  const tokenEndpoint = r.string(o, 'token_endpoint');
  if (!isIssuerUrl(tokenEndpoint, true)) r.fail('token_endpoint is not an https URL');
  const grants = own(o, 'grant_types_supported');
  const anonymous = own(o, 'pre-authorized_grant_anonymous_access_supported');
  if (anonymous !== undefined && typeof anonymous !== 'boolean')
    r.fail('pre-authorized_grant_anonymous_access_supported is not a boolean');
  return {
    issuer,
    tokenEndpoint,
    ...(grants === undefined ? {} : { grantTypesSupported: r.stringArray(grants, 'grant_types_supported') }),
    preAuthorizedGrantAnonymousAccessSupported: anonymous === true,
  };
}
