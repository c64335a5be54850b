/**
 * Key inputs accepted by the signing and verification functions: a node:crypto KeyObject, a WebCrypto
 * CryptoKey or a JWK. Everything is normalised to KeyObject, which both jose and node:crypto take.
 */
import { createPrivateKey, createPublicKey, type JsonWebKey, KeyObject } from 'node:crypto';
import { StatusListError } from './errors.js';

export type KeyInput = KeyObject | CryptoKey | JsonWebKey;

function isKeyObject(key: unknown): key is KeyObject {
  return key instanceof KeyObject;
}

function isCryptoKey(key: unknown): key is CryptoKey {
  return typeof CryptoKey !== 'undefined' && key instanceof CryptoKey;
}

/** The public half of `key` (a private key or private JWK yields its public key). */
export function toPublicKeyObject(key: KeyInput): KeyObject {
  if (isKeyObject(key)) return key.type === 'private' ? createPublicKey(key) : key;
  if (isCryptoKey(key)) {
    const k = KeyObject.from(key);
    return k.type === 'private' ? createPublicKey(k) : k;
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = key;
  return createPublicKey({ key: publicJwk, format: 'jwk' });
}

export function toPrivateKeyObject(key: KeyInput): KeyObject {
  if (isKeyObject(key)) {
    if (key.type !== 'private') throw new TypeError('a private key is required for signing');
    return key;
  }
  if (isCryptoKey(key)) return toPrivateKeyObject(KeyObject.from(key));
  return createPrivateKey({ key, format: 'jwk' });
}

/** The private key a token is signed with; anything unusable is a `STATUS_LIST_SIGN` error, never a crash. */
export function signingKeyOf(key: KeyInput): KeyObject {
  try {
    return toPrivateKeyObject(key);
  } catch (error) {
    throw new StatusListError('STATUS_LIST_SIGN', 'the signing key is not a usable private key', {
      cause: error,
    });
  }
}

/** NumericDate (RFC 7519 §2, also CWT's): whole seconds since the epoch. */
export const epochSeconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/** The JOSE `alg` matching a key (RFC 7518 §3.1, RFC 8037): ES256/384/512, EdDSA, PS256 or RS256. */
export function joseAlgorithmFor(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1' || curve === 'P-256') return 'ES256';
      if (curve === 'secp384r1' || curve === 'P-384') return 'ES384';
      if (curve === 'secp521r1' || curve === 'P-521') return 'ES512';
      throw new TypeError(`unsupported EC curve ${String(curve)}`);
    }
    case 'ed25519':
      return 'EdDSA';
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    default:
      throw new TypeError(`unsupported key type ${String(key.asymmetricKeyType)}`);
  }
}

/** Asymmetric JWS algorithms a Status List Token may use (§5.1: MAC algorithms MUST be rejected). */
export const ASYMMETRIC_JWS_ALGORITHMS: readonly string[] = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
];
