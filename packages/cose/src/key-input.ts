import { createPublicKey, KeyObject } from 'node:crypto';
import type { CborMap } from '@mynakit/cbor';
import { coseKeyToKeyObject, jwkToKeyObject } from './cose-key.js';
import { CoseError } from './errors.js';

/** Every key form the COSE functions accept: node KeyObject, WebCrypto CryptoKey, JWK, or a decoded COSE_Key. */
export type KeyInput = KeyObject | CryptoKey | JsonWebKey | CborMap;

/** Normalises a key to a node KeyObject. */
export function toKeyObject(key: KeyInput): KeyObject {
  if (key instanceof KeyObject) return key;
  if (key instanceof Map) return coseKeyToKeyObject(key);
  if (typeof globalThis.CryptoKey === 'function' && key instanceof globalThis.CryptoKey)
    return KeyObject.from(key);
  if (typeof key === 'object' && key !== null && typeof (key as JsonWebKey).kty === 'string') {
    return jwkToKeyObject(key as JsonWebKey);
  }
  throw new CoseError('COSE_KEY_INVALID', 'key must be a KeyObject, CryptoKey, JWK or COSE_Key');
}

/** The public key of any key input (a private key yields its public half). */
export function toPublicKeyObject(key: KeyInput): KeyObject {
  const k = toKeyObject(key);
  if (k.type === 'private') return createPublicKey(k);
  if (k.type === 'secret')
    throw new CoseError('COSE_ALG_KEY_MISMATCH', 'a secret key where a public key is needed');
  return k;
}
