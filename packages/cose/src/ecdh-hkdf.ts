import { diffieHellman, hkdfSync } from 'node:crypto';
import { CoseError } from './errors.js';
import { type KeyInput, toKeyObject, toPublicKeyObject } from './key-input.js';

/**
 * Key agreement and key derivation shared by the mdoc MAC key (ISO 18013-5 §9.1.3.5) and the session
 * keys SKReader/SKDevice (§9.1.1.5).
 */

/**
 * ECDH shared secret Z (SEC 1 §3.3.1: the x-coordinate of the shared point, field-size bytes), or the
 * X25519/X448 output. Both keys must be on the same curve.
 */
export async function ecdhSharedSecret(privateKey: KeyInput, publicKey: KeyInput): Promise<Uint8Array> {
  const priv = toKeyObject(privateKey);
  if (priv.type !== 'private') throw new CoseError('COSE_KEY_INVALID', 'ECDH needs a private key');
  const pub = toPublicKeyObject(publicKey);
  try {
    return new Uint8Array(diffieHellman({ privateKey: priv, publicKey: pub }));
  } catch (cause) {
    throw new CoseError('COSE_KEY_INVALID', 'ECDH failed: the keys are not of one curve', { cause });
  }
}

/** HKDF with SHA-256 (RFC 5869). `info` as text is UTF-8. */
export async function hkdfSha256(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array | string,
  length: number,
): Promise<Uint8Array> {
  const infoBytes = typeof info === 'string' ? new TextEncoder().encode(info) : info;
  return new Uint8Array(hkdfSync('sha256', ikm, salt, infoBytes, length));
}
