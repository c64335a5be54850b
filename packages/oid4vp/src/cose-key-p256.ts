import { base64urlToBytes, bytesToBase64url, type CborMap, type CborValue } from '@mynakit/cbor';
import { type P256PublicJwk, toP256PublicJwk } from './ec-keys.js';
import { Oid4vpError } from './errors.js';

/**
 * COSE_Key (RFC 9052 §7, RFC 9053 §7.1) for the one key type the channels exchange: EC2 on P-256,
 * public part only (Annex C `recipientPublicKey`, ISO 18013-5 EReaderKey / EDeviceKey).
 *
 * ```cddl
 * COSE_Key = { 1 => 2 (kty: EC2), -1 => 1 (crv: P-256), -2 => bstr (x), -3 => bstr (y), * label => values }
 * ```
 * Other labels (kid as bstr or text, alg) are accepted and ignored; compressed points (y as bool) are not
 * used by these protocols and are refused.
 */
export function coseKeyToP256Jwk(value: CborValue, where = 'COSE_Key'): P256PublicJwk {
  if (!(value instanceof Map)) throw new Oid4vpError('DECODE', `${where} must be a map`);
  const m = value as CborMap;
  if (m.get(1) !== 2) throw new Oid4vpError('KEY_INVALID', `${where}: kty must be EC2 (2)`);
  if (m.get(-1) !== 1) throw new Oid4vpError('KEY_INVALID', `${where}: crv must be P-256 (1)`);
  const x = m.get(-2);
  const y = m.get(-3);
  if (!(x instanceof Uint8Array) || !(y instanceof Uint8Array) || x.length !== 32 || y.length !== 32) {
    throw new Oid4vpError('KEY_INVALID', `${where}: x and y must be 32-byte strings`);
  }
  return toP256PublicJwk({ kty: 'EC', crv: 'P-256', x: bytesToBase64url(x), y: bytesToBase64url(y) });
}

/** The deterministic COSE_Key of a P-256 public key: `{1: 2, -1: 1, -2: x, -3: y}`. */
export function p256JwkToCoseKey(jwk: P256PublicJwk): CborMap {
  return new Map<CborValue, CborValue>([
    [1, 2],
    [-1, 1],
    [-2, base64urlToBytes(jwk.x)],
    [-3, base64urlToBytes(jwk.y)],
  ]);
}
