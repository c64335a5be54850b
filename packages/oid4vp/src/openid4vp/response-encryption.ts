import { base64urlToBytes } from '@mynakit/cbor';
import {
  CompactEncrypt,
  calculateJwkThumbprint,
  compactDecrypt,
  decodeProtectedHeader,
  importJWK,
  type JWK,
} from 'jose';
import { Oid4vpError } from '../errors.js';

/**
 * Encrypted authorization responses — OpenID4VP 1.0 §8.3 (`direct_post.jwt`, `dc_api.jwt`).
 *
 * The wallet picks an encryption key from the verifier's `client_metadata.jwks`, uses that key's `alg`
 * (ECDH-ES for P-256 keys) and an `enc` from `encrypted_response_enc_values_supported` (A128GCM when
 * absent), and sends a compact JWE whose plaintext is the JSON response (`vp_token`, `state`…).
 * The mdoc SessionTranscript binds the key: its `jwkThumbprint` is the RFC 7638 SHA-256 thumbprint of
 * that JWK (Appendix B.2.6).
 */
export type ContentEncryption = 'A128GCM' | 'A256GCM';
export const SUPPORTED_ENC: readonly ContentEncryption[] = ['A128GCM', 'A256GCM'];
const SUPPORTED_ALG = ['ECDH-ES'];

export interface ResponseEncryptionMetadata {
  readonly jwks: { readonly keys: readonly JWK[] };
  readonly encrypted_response_enc_values_supported?: readonly string[];
}

/**
 * The RFC 7638 SHA-256 thumbprint of a JWK, as raw bytes (what the handovers embed). A key that lacks
 * the members its thumbprint needs (RFC 7638 §3.2) is KEY_INVALID.
 */
export async function jwkThumbprint(jwk: JWK): Promise<Uint8Array> {
  try {
    return base64urlToBytes(await calculateJwkThumbprint(jwk, 'sha256'));
  } catch (e) {
    throw new Oid4vpError('KEY_INVALID', 'the encryption key has no RFC 7638 thumbprint', { cause: e });
  }
}

function isJwkObject(k: unknown): k is JWK {
  return typeof k === 'object' && k !== null && !Array.isArray(k);
}

/** The key and `enc` a wallet uses for the verifier's metadata, or throws. */
export function selectEncryptionKey(metadata: ResponseEncryptionMetadata): {
  jwk: JWK;
  alg: string;
  enc: ContentEncryption;
} {
  // The metadata is the verifier's JSON: anything that is not a list of JWK objects selects nothing.
  const keys: readonly unknown[] = Array.isArray(metadata.jwks?.keys) ? metadata.jwks.keys : [];
  const jwk = keys.find(
    (k): k is JWK =>
      isJwkObject(k) &&
      (k.use === undefined || k.use === 'enc') &&
      SUPPORTED_ALG.includes(k.alg ?? 'ECDH-ES') &&
      k.kty === 'EC',
  );
  if (!jwk) throw new Oid4vpError('invalid_request', 'client_metadata.jwks has no ECDH-ES encryption key');
  const offered: unknown = metadata.encrypted_response_enc_values_supported ?? ['A128GCM'];
  const enc = Array.isArray(offered)
    ? offered.find((e): e is ContentEncryption => (SUPPORTED_ENC as readonly unknown[]).includes(e))
    : undefined;
  if (!enc)
    throw new Oid4vpError('invalid_request', 'no supported value in encrypted_response_enc_values_supported');
  return { jwk, alg: jwk.alg ?? 'ECDH-ES', enc };
}

export interface EncryptedResponse {
  /** The compact JWE. */
  readonly response: string;
  /** Thumbprint of the key it was encrypted to (the handover's jwkThumbprint). */
  readonly jwkThumbprint: Uint8Array;
}

/** Wallet side: encrypts the response parameters to the verifier's key. */
export async function encryptAuthorizationResponse(
  payload: Readonly<Record<string, unknown>>,
  metadata: ResponseEncryptionMetadata,
): Promise<EncryptedResponse> {
  const { jwk, alg, enc } = selectEncryptionKey(metadata);
  const header = typeof jwk.kid === 'string' ? { alg, enc, kid: jwk.kid } : { alg, enc };
  let response: string;
  try {
    const key = await importJWK(publicOnly(jwk), alg);
    response = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader(header)
      .encrypt(key);
  } catch (e) {
    throw new Oid4vpError('KEY_INVALID', 'the verifier encryption key cannot be used', { cause: e });
  }
  return { response, jwkThumbprint: await jwkThumbprint(publicOnly(jwk)) };
}

function publicOnly(jwk: JWK): JWK {
  const { d: _d, ...pub } = jwk;
  return pub;
}

/**
 * Verifier side: decrypts a compact JWE with the private key whose public part the request
 * published. Anything else (another key, an algorithm not offered, tampering) → JWE_DECRYPT_FAILED.
 */
export async function decryptAuthorizationResponse(
  jwe: string,
  privateJwk: JWK,
  allowedEnc: readonly string[] = ['A128GCM'],
): Promise<Record<string, unknown>> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwe);
  } catch (e) {
    throw new Oid4vpError('DECODE', 'the response is not a compact JWE', { cause: e });
  }
  if (privateJwk.kid !== undefined && header.kid !== undefined && header.kid !== privateJwk.kid) {
    throw new Oid4vpError('JWE_DECRYPT_FAILED', 'the response was encrypted to another key (kid)');
  }
  try {
    const key = await importJWK(privateJwk, 'ECDH-ES');
    const { plaintext } = await compactDecrypt(jwe, key, {
      keyManagementAlgorithms: SUPPORTED_ALG,
      contentEncryptionAlgorithms: [...allowedEnc],
    });
    const parsed: unknown = JSON.parse(new TextDecoder().decode(plaintext));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Oid4vpError('DECODE', 'the decrypted response is not a JSON object');
    }
    return parsed as Record<string, unknown>;
  } catch (e) {
    if (e instanceof Oid4vpError) throw e;
    throw new Oid4vpError(
      'JWE_DECRYPT_FAILED',
      'the encrypted response does not decrypt with the verifier key',
      { cause: e },
    );
  }
}
