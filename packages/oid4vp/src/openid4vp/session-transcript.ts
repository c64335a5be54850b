import {
  buildOpenId4VpDcApiSessionTranscript,
  buildOpenId4VpSessionTranscript,
  type SessionTranscriptEncoding,
} from '@mynakit/mdoc';
import type { JWK } from 'jose';
import { Oid4vpError } from '../errors.js';
import { type AuthorizationRequest, isDcApiMode, isEncryptedMode } from './authorization-request.js';
import { jwkThumbprint, selectEncryptionKey } from './response-encryption.js';

/**
 * The mdoc SessionTranscript an OpenID4VP request implies (Appendix B.2.6). Wallet and verifier both
 * call this with the same inputs: the wallet with what it received, the verifier with what it sent —
 * never with values taken from the response.
 *
 * - DC API modes: OpenID4VPDCAPIHandover over (origin, nonce, thumbprint or null);
 * - redirect modes: OpenID4VPHandover over (client_id, nonce, thumbprint or null, response_uri).
 * The thumbprint is that of the encryption key the `.jwt` modes use (the first usable key of
 * `client_metadata.jwks`, as the wallet selects it), null for unencrypted responses.
 */
export interface TranscriptContext {
  /** DC API: the origin the browser reports (the verifier: the origin of its own page). */
  readonly origin?: string;
}

export async function encryptionKeyThumbprint(request: AuthorizationRequest): Promise<Uint8Array | null> {
  if (!isEncryptedMode(request.response_mode)) return null;
  const md = request.client_metadata;
  if (!md?.jwks)
    throw new Oid4vpError('invalid_request', `${request.response_mode} needs client_metadata.jwks`);
  const { jwk } = selectEncryptionKey({
    jwks: { keys: md.jwks.keys as JWK[] },
    ...(md.encrypted_response_enc_values_supported
      ? { encrypted_response_enc_values_supported: md.encrypted_response_enc_values_supported }
      : {}),
  });
  const { d: _d, ...pub } = jwk;
  return jwkThumbprint(pub);
}

export async function sessionTranscriptForRequest(
  request: AuthorizationRequest,
  context: TranscriptContext = {},
): Promise<SessionTranscriptEncoding> {
  const thumbprint = await encryptionKeyThumbprint(request);
  if (isDcApiMode(request.response_mode)) {
    if (context.origin === undefined)
      throw new Oid4vpError('invalid_request', 'a DC API transcript needs the origin');
    return buildOpenId4VpDcApiSessionTranscript({
      origin: context.origin,
      nonce: request.nonce,
      jwkThumbprint: thumbprint,
    });
  }
  if (request.client_id === undefined)
    throw new Oid4vpError('invalid_request', 'a redirect transcript needs client_id');
  return buildOpenId4VpSessionTranscript({
    clientId: request.client_id,
    nonce: request.nonce,
    jwkThumbprint: thumbprint,
    responseUri: request.response_uri ?? request.redirect_uri ?? null,
  });
}
