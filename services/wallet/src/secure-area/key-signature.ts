/**
 * The three signature operations of the secure area over a private KeyObject (see
 * SecureSignatureAlgorithm): what a secure element does with its key, done by node:crypto in the sandbox.
 */
import { constants, type KeyObject, privateEncrypt, sign } from 'node:crypto';
import { WalletError } from '../errors.js';
import type { SecureKeyType, SecureSignatureAlgorithm } from './secure-area.js';

/** Which key type each algorithm needs. */
const KEY_TYPE_OF: ReadonlyMap<SecureSignatureAlgorithm, SecureKeyType> = new Map([
  ['ES256', 'ec-p256'],
  ['RS256', 'rsa-2048'],
  ['RSA-PKCS1-DigestInfo', 'rsa-2048'],
]);

/** Largest DigestInfo accepted (SHA-512's is 83 bytes). */
const MAX_DIGEST_INFO = 128;

/** Signs `data` with `key` (of `type`) under `algorithm`; WALLET_KEY_ALGORITHM_MISMATCH when they do not fit. */
export function signWithKey(
  key: KeyObject,
  type: SecureKeyType,
  data: Uint8Array,
  algorithm: SecureSignatureAlgorithm,
): Uint8Array {
  if (KEY_TYPE_OF.get(algorithm) !== type)
    throw new WalletError('WALLET_KEY_ALGORITHM_MISMATCH', `a ${type} key does not sign ${algorithm}`);
  if (algorithm === 'ES256') return new Uint8Array(sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }));
  if (algorithm === 'RS256')
    return new Uint8Array(sign('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }));
  if (data.length === 0 || data.length > MAX_DIGEST_INFO)
    throw new WalletError('WALLET_KEY_ALGORITHM_MISMATCH', 'a DigestInfo is 1 to 128 bytes');
  return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, data));
}
