/**
 * The zod schemas of the OpenID4VCI endpoints: they validate the shape of what arrives and, through the
 * OpenApiRegistry, are the OpenAPI document. They are deliberately no stricter than the specification's
 * own reading in @mynakit/oid4vci (which decides the precise error: `unsupported_grant_type`,
 * `invalid_proof`, `unknown_credential_configuration`…) — "MUST ignore any unrecognized parameters"
 * (§6.1, §8.2, §11.1) is kept with `.loose()`.
 */
import { z } from 'zod';

/** Token Request (§6.1, RFC 6749 §4.1.3), form-encoded. A repeated parameter arrives as an array and fails here (RFC 6749 §3.2). */
export const TokenRequestSchema = z
  .object({
    grant_type: z.string().describe('urn:ietf:params:oauth:grant-type:pre-authorized_code'),
    'pre-authorized_code': z.string().optional().describe('from the Credential Offer'),
    tx_code: z.string().optional().describe('the Transaction Code the holder received on another channel'),
    client_id: z.string().optional(),
  })
  .loose()
  .meta({ id: 'TokenRequest' });

/** Token Response (§6.2). */
export const TokenResponseSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
  })
  .meta({ id: 'TokenResponse' });

/** Nonce Response (§7.2). */
export const NonceResponseSchema = z.object({ c_nonce: z.string() }).meta({ id: 'NonceResponse' });

/** Credential Request (§8.2); the proofs are verified by the endpoint (Appendix F.4). */
export const CredentialRequestSchema = z
  .object({
    credential_configuration_id: z.string().optional(),
    credential_identifier: z.string().optional(),
    proofs: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .describe('{"jwt": [key proof JWT with a key_attestation header]}'),
  })
  .loose()
  .meta({ id: 'CredentialRequest' });

/** Credential Response (§8.3, Appendix A.2.4: base64url IssuerSigned). */
export const CredentialResponseSchema = z
  .object({
    credentials: z.array(z.object({ credential: z.string().describe('base64url IssuerSigned (CBOR)') })),
    notification_id: z.string(),
  })
  .meta({ id: 'CredentialResponse' });

/** Notification Request (§11.1). */
export const NotificationRequestSchema = z
  .object({
    notification_id: z.string(),
    event: z.enum(['credential_accepted', 'credential_failure', 'credential_deleted']),
    event_description: z.string().optional(),
  })
  .loose()
  .meta({ id: 'NotificationRequest' });

/** Credential Issuer Metadata (§12.2.4), as documentation. */
export const CredentialIssuerMetadataSchema = z
  .object({
    credential_issuer: z.string(),
    credential_endpoint: z.string(),
    nonce_endpoint: z.string(),
    notification_endpoint: z.string(),
    credential_configurations_supported: z.record(z.string(), z.object({}).loose()),
  })
  .loose()
  .meta({ id: 'CredentialIssuerMetadata' });

/** Authorization Server Metadata (RFC 8414 §2), as documentation. */
export const AuthorizationServerMetadataSchema = z
  .object({
    issuer: z.string(),
    token_endpoint: z.string(),
    grant_types_supported: z.array(z.string()),
    'pre-authorized_grant_anonymous_access_supported': z.boolean(),
  })
  .loose()
  .meta({ id: 'AuthorizationServerMetadata' });
