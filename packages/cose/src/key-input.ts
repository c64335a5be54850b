import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import type { CborMap } from '@mynakit/cbor';
import { coseKeyToKeyObject, coseKeyToPublicKey, jwkToKeyObject } from './cose-key.js';
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

/**
 * The public key of any key input (a private key yields its public half). A COSE_Key map is imported
 * once per distinct key (`coseKeyToPublicKey` with its cache): the keys given here are the caller's
 * configuration, seen again and again.
 */
export function toPublicKeyObject(key: KeyInput): KeyObject {
  if (key instanceof Map) return coseKeyToPublicKey(key, { cache: true });
  const k = toKeyObject(key);
  if (k.type === 'private') return createPublicKey(k);
  if (k.type === 'secret')
    throw new CoseError('COSE_ALG_KEY_MISMATCH', 'a secret key where a public key is needed');
  return k;
}

/**
 * A P-256 private key from its raw scalar `d` (32 bytes, big-endian; e.g. a reader's ephemeral key
 * given as hex): a PKCS#8 PrivateKeyInfo around a SEC 1 ECPrivateKey without the optional public key
 * (RFC 5915 §3), whose public point node derives itself. COSE_KEY_INVALID for anything else, including
 * a scalar outside [1, n − 1] (SEC 1 §3.2.1), which OpenSSL would take.
 */
export function p256PrivateKeyFromScalar(d: Uint8Array): KeyObject {
  if (!(d instanceof Uint8Array) || d.length !== 32)
    throw new CoseError('COSE_KEY_INVALID', 'a P-256 private scalar is 32 bytes');
  const scalar = BigInt(`0x${Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex')}`);
  if (scalar === 0n || scalar >= P256_ORDER)
    throw new CoseError('COSE_KEY_INVALID', 'a P-256 private scalar lies in [1, n − 1]');
  const pkcs8 = Buffer.concat([P256_PKCS8_PREFIX, d]);
  try {
    return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new CoseError('COSE_KEY_INVALID', 'not a valid P-256 private scalar', { cause });
  }
}

/** The order n of the P-256 base point (SEC 2 §2.4.2). */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const P256_PKCS8_PREFIX = Buffer.from(
  '3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420',
  'hex',
);
