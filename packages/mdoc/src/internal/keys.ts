/**
 * The keys mdoc takes from its callers, in mdoc's terms: conversions are @mynakit/cose's (COSE_Key ↔
 * KeyObject, JWK), this only names the argument in MdocError('MDOC_KEY') and keeps to the key types
 * ISO/IEC 18013-5 uses for devices (EC2 P-256/384/521, OKP Ed25519; §9.1.5.2 cipher suites and §9.1.3.6).
 */
import type { JsonWebKey, KeyObject } from 'node:crypto';
import type { CborMap } from '@mynakit/cbor';
import {
  CoseError,
  coseKeyToPublicKey,
  keyObjectToCoseKey,
  p256PrivateKeyFromScalar,
  toKeyObject,
  toPublicKeyObject,
} from '@mynakit/cose';
import { MdocError } from '../errors.js';

/** A key as the mdoc functions take it: a node KeyObject or a JWK. */
export type KeyInput = KeyObject | JsonWebKey;

function keyError(message: string, cause: unknown): MdocError {
  return new MdocError('MDOC_KEY', message, { cause });
}

export function toPrivateKey(k: KeyInput, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = toKeyObject(k);
  } catch (e) {
    throw keyError(`${what} must be a private KeyObject or a private JWK`, e);
  }
  if (key.type !== 'private')
    throw keyError(`${what} must be a private KeyObject or a private JWK`, undefined);
  return key;
}

export function toPublicKey(k: KeyInput | CborMap, what: string): KeyObject {
  try {
    return toPublicKeyObject(k);
  } catch (e) {
    throw keyError(`${what} must be a public key (KeyObject, JWK or COSE_Key)`, e);
  }
}

/**
 * A COSE_Key (RFC 9052 §7) as a node public KeyObject — the import of @mynakit/cose
 * (`coseKeyToPublicKey`), which the verifier uses for the MSO device key. `kid`, `alg` and other
 * labels are ignored: the algorithm of a signature comes from its protected header. MdocError
 * ('MDOC_KEY') for a key that is malformed, of an unsupported type or curve, or not on its curve.
 */
export function publicKeyFromCoseKey(key: CborMap): KeyObject {
  try {
    return coseKeyToPublicKey(key);
  } catch (e) {
    if (e instanceof CoseError) throw keyError(e.message, e);
    throw e;
  }
}

/** The COSE_Key (EC2 or OKP Ed25519, public part only, no kid/alg) of a public or private KeyObject. */
export function coseKeyFromKeyObject(key: KeyObject): CborMap {
  const type = key.asymmetricKeyType;
  if (type !== 'ec' && type !== 'ed25519')
    throw new MdocError('MDOC_UNSUPPORTED', 'device keys must be EC P-256/384/521 or Ed25519');
  try {
    return keyObjectToCoseKey(key);
  } catch (e) {
    throw new MdocError('MDOC_UNSUPPORTED', 'EC key on an unsupported curve', { cause: e });
  }
}

/**
 * A P-256 private key from its raw scalar `d` (32 bytes), e.g. a reader's ephemeral key given as hex
 * (`p256PrivateKeyFromScalar` of @mynakit/cose; node derives the public point).
 */
export function p256PrivateKeyFromD(d: Uint8Array): KeyObject {
  try {
    return p256PrivateKeyFromScalar(d);
  } catch (e) {
    throw keyError((e as Error).message, e);
  }
}
