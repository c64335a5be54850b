import { authorizationServerMetadataUrl, credentialIssuerMetadataUrl, Oid4vciError } from '@mynakit/oid4vci';
import type { Context, Hono } from 'hono';
import type { IssuerDeps } from '../context.js';
import { OAuthErrorSchema, type OpenApiRegistry } from '../http/openapi.js';
import { validBody } from '../http/validate.js';
import { handleCredentialRequest } from './credential-endpoint.js';
import { authorizationServerMetadata, credentialIssuerMetadata, OID4VCI_PATHS } from './metadata.js';
import { handleNonceRequest } from './nonce-endpoint.js';
import { handleNotificationRequest } from './notification-endpoint.js';
import { oauthError } from './oauth-response.js';
import {
  AuthorizationServerMetadataSchema,
  CredentialIssuerMetadataSchema,
  CredentialRequestSchema,
  CredentialResponseSchema,
  NonceResponseSchema,
  NotificationRequestSchema,
  TokenRequestSchema,
  TokenResponseSchema,
} from './schemas.js';
import { handleTokenRequest } from './token-endpoint.js';

const TAGS = ['OpenID4VCI'];

/**
 * Runs a protocol handler: an Oid4vciError becomes the OAuth error answer the specification defines for
 * it; anything else goes on to the app's error boundary (problem+json, 500 for faults).
 */
const protocol =
  (deps: IssuerDeps, handler: (c: Context, deps: IssuerDeps) => Promise<Response>) =>
  async (c: Context): Promise<Response> => {
    try {
      return await handler(c, deps);
    } catch (e) {
      if (e instanceof Oid4vciError) return oauthError(c, e);
      throw e;
    }
  };

/**
 * Registers OpenID4VCI 1.0 (Pre-Authorized Code Flow, `mso_mdoc`): the Credential Issuer and Authorization
 * Server metadata under `/.well-known/`, and the token, nonce, credential and notification endpoints.
 * The metadata is built once, here: an origin OpenID4VCI does not allow (plain http off loopback) makes the
 * app fail to start instead of publishing it.
 */
export function registerOid4vciRoutes(app: Hono, registry: OpenApiRegistry, deps: IssuerDeps): void {
  const { origin, sandbox } = deps.config;
  const issuerMetadata = credentialIssuerMetadata(origin, sandbox);
  const asMetadata = authorizationServerMetadata(origin);
  // §12.2.2 / RFC 8414 §3.1: the well-known suffix goes between the host and any path of the identifier.
  const issuerMetadataPath = new URL(credentialIssuerMetadataUrl(origin)).pathname;
  const asMetadataPath = new URL(authorizationServerMetadataUrl(origin)).pathname;
  const oauthErrors = {
    400: { description: 'OAuth error (RFC 6749 §5.2, OpenID4VCI §8.3.1.1)', schema: OAuthErrorSchema },
  } as const;

  app.get(issuerMetadataPath, (c) => c.json(issuerMetadata));
  registry.add({
    method: 'get',
    path: issuerMetadataPath,
    operationId: 'getCredentialIssuerMetadata',
    summary: 'Credential Issuer Metadata (OpenID4VCI §12.2)',
    tags: TAGS,
    responses: { 200: { description: 'the metadata', schema: CredentialIssuerMetadataSchema } },
  });

  app.get(asMetadataPath, (c) => c.json(asMetadata));
  registry.add({
    method: 'get',
    path: asMetadataPath,
    operationId: 'getAuthorizationServerMetadata',
    summary: 'OAuth 2.0 Authorization Server Metadata (RFC 8414)',
    tags: TAGS,
    responses: { 200: { description: 'the metadata', schema: AuthorizationServerMetadataSchema } },
  });

  app.post(
    OID4VCI_PATHS.token,
    validBody('form', TokenRequestSchema, 'oauth'),
    protocol(deps, handleTokenRequest),
  );
  registry.add({
    method: 'post',
    path: OID4VCI_PATHS.token,
    operationId: 'token',
    summary: 'Token Endpoint: pre-authorized code and tx_code for an access token (OpenID4VCI §6)',
    tags: TAGS,
    requestBody: { mediaType: 'application/x-www-form-urlencoded', schema: TokenRequestSchema },
    responses: {
      200: { description: 'an access token (Cache-Control: no-store)', schema: TokenResponseSchema },
      ...oauthErrors,
    },
  });

  app.post(OID4VCI_PATHS.nonce, protocol(deps, handleNonceRequest));
  registry.add({
    method: 'post',
    path: OID4VCI_PATHS.nonce,
    operationId: 'nonce',
    summary: 'Nonce Endpoint: a single-use c_nonce for the key proof (OpenID4VCI §7)',
    tags: TAGS,
    responses: { 200: { description: 'a c_nonce (Cache-Control: no-store)', schema: NonceResponseSchema } },
  });

  app.post(OID4VCI_PATHS.credential, protocol(deps, handleCredentialRequest));
  registry.add({
    method: 'post',
    path: OID4VCI_PATHS.credential,
    operationId: 'credential',
    summary:
      'Credential Endpoint: the record or the sample mDL bound to an attested device key (OpenID4VCI §8)',
    tags: TAGS,
    requestBody: { mediaType: 'application/json', schema: CredentialRequestSchema },
    responses: {
      200: { description: 'the credential (Cache-Control: no-store)', schema: CredentialResponseSchema },
      ...oauthErrors,
      401: { description: 'invalid_token (RFC 6750 §3.1)', schema: OAuthErrorSchema },
    },
    security: ['accessToken'],
  });

  app.post(OID4VCI_PATHS.notification, protocol(deps, handleNotificationRequest));
  registry.add({
    method: 'post',
    path: OID4VCI_PATHS.notification,
    operationId: 'notification',
    summary:
      'Notification Endpoint: the Wallet kept, failed to keep or deleted a credential (OpenID4VCI §11)',
    tags: TAGS,
    requestBody: { mediaType: 'application/json', schema: NotificationRequestSchema },
    responses: {
      204: { description: 'noted' },
      ...oauthErrors,
      401: { description: 'invalid_token (RFC 6750 §3.1)', schema: OAuthErrorSchema },
    },
    security: ['accessToken'],
  });
}
