import type { CborMap, CborValue } from '@mynakit/cbor';
import { coseKeyToJwk, jwkToCoseKey } from '@mynakit/cose';
import { type P256PublicJwk, toP256PublicJwk } from './ec-keys.js';
import { Oid4vpError } from './errors.js';

/**
 * COSE_Key (RFC 9052 §7, RFC 9053 §7.1) restricted to the one key type the channels exchange: EC2 on P-256,
 * public part only (Annex C `recipientPublicKey`, ISO 18013-5 EReaderKey / EDeviceKey). The conversion itself
 * is `@mynakit/cose`'s; this adds the channel's restriction and its error codes.
 *
 * ```cddl
 * COSE_Key = { 1 => 2 (kty: EC2), -1 => 1 (crv: P-256), -2 => bstr (x), -3 => bstr (y), * label => values }
 * ```
 */
export function coseKeyToP256Jwk(value: CborValue, where = 'COSE_Key'): P256PublicJwk {
  if (!(value instanceof Map)) throw new Oid4vpError('DECODE', `${where} must be a map`);
  const m = value as CborMap;
  if (m.get(1) !== 2) throw new Oid4vpError('KEY_INVALID', `${where}: kty must be EC2 (2)`);
  if (m.get(-1) !== 1) throw new Oid4vpError('KEY_INVALID', `${where}: crv must be P-256 (1)`);
  let jwk: ReturnType<typeof coseKeyToJwk>;
  try {
    jwk = coseKeyToJwk(m);
  } catch (e) {
    throw new Oid4vpError('KEY_INVALID', `${where}: ${(e as Error).message}`, { cause: e });
  }
  return toP256PublicJwk({ kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! });
}

/** The COSE_Key of a P-256 public key: `{1: 2, -1: 1, -2: x, -3: y}` (deterministically ordered when encoded). */
export function p256JwkToCoseKey(jwk: P256PublicJwk): CborMap {
  return jwkToCoseKey({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y });
}
