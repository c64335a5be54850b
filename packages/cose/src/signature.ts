import { constants, type KeyObject, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import type { SignatureAlgorithm } from './algorithms.js';
import { CoseError } from './errors.js';

/**
 * The raw signature primitives behind COSE_Sign1 (RFC 9053 §2, RFC 8230 §2, RFC 8032).
 * ECDSA signatures in COSE are r‖s, each left-padded to the field size (IEEE P1363), not DER.
 * RSASSA-PSS uses MGF1 with the same hash and a salt as long as the hash (RFC 8230 §2).
 */

const EC_SHAPES: Record<string, string> = {
  'P-256': 'ec:prime256v1',
  'P-384': 'ec:secp384r1',
  'P-521': 'ec:secp521r1',
};
const HASH_LENGTH: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };

/**
 * A key's type and curve (`ec:prime256v1`, `ed25519`, `rsa`…). Keys this package imports carry it
 * (see `rememberKeyShape`); others are asked once and kept in a WeakMap — node builds
 * `asymmetricKeyDetails` anew on every access.
 */
const keyShapes = new WeakMap<KeyObject, string>();
const SHAPE: unique symbol = Symbol('mynakit.cose.keyShape');
type ShapedKey = KeyObject & { readonly [SHAPE]?: string };

function shapeOf(key: KeyObject): string {
  const own = (key as ShapedKey)[SHAPE];
  if (own !== undefined) return own;
  let s = keyShapes.get(key);
  if (s === undefined) {
    const type = key.type === 'secret' ? 'secret' : String(key.asymmetricKeyType);
    s = type === 'ec' ? `ec:${key.asymmetricKeyDetails?.namedCurve}` : type;
    keyShapes.set(key, s);
  }
  return s;
}

/**
 * Records the shape of a key this package has just made from a COSE_Key (it knows the curve without
 * asking node) on the key itself, as a symbol-keyed property (invisible to `Object.keys`, JSON and
 * `for…in`): no WeakMap entry for each of the many one-time keys of received messages (a WeakMap
 * keyed by short-lived objects costs every young-generation collection).
 */
export function rememberKeyShape(key: KeyObject, shape: string): void {
  (key as { [SHAPE]?: string })[SHAPE] = shape;
}

/** Whether `key` can be used with `alg` (its type, and for ECDSA its curve). */
export function keyFitsAlgorithm(alg: SignatureAlgorithm, key: KeyObject): boolean {
  const shape = shapeOf(key);
  switch (alg.kind) {
    case 'ecdsa':
      return shape === EC_SHAPES[alg.curve];
    case 'eddsa':
      return (
        (shape === 'ed25519' && alg.curves.includes('Ed25519')) ||
        (shape === 'ed448' && alg.curves.includes('Ed448'))
      );
    case 'rsa-pss':
      return shape === 'rsa' || shape === 'rsa-pss';
    case 'rsa-pkcs1':
      return shape === 'rsa';
  }
}

/** Throws COSE_ALG_KEY_MISMATCH unless `key` can be used with `alg`. */
export function checkKeyFitsAlgorithm(alg: SignatureAlgorithm, key: KeyObject): void {
  if (keyFitsAlgorithm(alg, key)) return;
  const type = key.asymmetricKeyType;
  const what =
    key.type === 'secret'
      ? 'a secret key'
      : `a ${type ?? 'unknown'} key${key.asymmetricKeyDetails?.namedCurve ? ` on ${key.asymmetricKeyDetails.namedCurve}` : ''}`;
  throw new CoseError('COSE_ALG_KEY_MISMATCH', `${alg.name} cannot be used with ${what}`);
}

function keyOptions(alg: SignatureAlgorithm, key: KeyObject) {
  switch (alg.kind) {
    case 'ecdsa':
      return { key, dsaEncoding: 'ieee-p1363' as const };
    case 'rsa-pss':
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[alg.hash] as number };
    case 'rsa-pkcs1':
      return { key, padding: constants.RSA_PKCS1_PADDING };
    default:
      return { key };
  }
}

const hashOf = (alg: SignatureAlgorithm): string | null => (alg.kind === 'eddsa' ? null : alg.hash);

/** Signs `data` (the Sig_structure) with a private key that fits `alg`. */
export function signBytes(alg: SignatureAlgorithm, key: KeyObject, data: Uint8Array): Uint8Array {
  if (key.type !== 'private')
    throw new CoseError('COSE_ALG_KEY_MISMATCH', `${alg.name} signing needs a private key`);
  checkKeyFitsAlgorithm(alg, key);
  try {
    return new Uint8Array(nodeSign(hashOf(alg), data, keyOptions(alg, key)));
  } catch (cause) {
    throw new CoseError('COSE_CRYPTO', `${alg.name} signing failed`, { cause });
  }
}

/** Verifies; false for any signature that does not verify, including one of the wrong length. */
export function verifyBytes(
  alg: SignatureAlgorithm,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  checkKeyFitsAlgorithm(alg, key);
  return verifyFitting(alg, key, data, signature);
}

/**
 * Verifies a signature synchronously, for verifiers that report rather than throw: false for a
 * signature that does not verify, one of the wrong length (ECDSA: r ‖ s of the curve's size, RFC 9053
 * §2.1) and for a key that does not fit `alg` (its type or curve; the algorithm always comes from
 * the protected header).
 */
export function verifySignature(
  alg: SignatureAlgorithm,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  return keyFitsAlgorithm(alg, key) && verifyFitting(alg, key, data, signature);
}

function verifyFitting(
  alg: SignatureAlgorithm,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (alg.kind === 'ecdsa' && signature.length !== alg.signatureLength) return false;
  try {
    return nodeVerify(hashOf(alg), data, keyOptions(alg, key), signature);
  } catch {
    return false;
  }
}

/**
 * Checks what an external signer (a KMS, an HSM) returned for `alg`: an ECDSA signature must be
 * r ‖ s of the curve's size (RFC 9053 §2.1), not DER; an EdDSA one 64 (Ed25519) or 114 (Ed448) bytes.
 * COSE_CRYPTO otherwise.
 */
export function checkSignatureForm(alg: SignatureAlgorithm, signature: Uint8Array): void {
  if (!(signature instanceof Uint8Array))
    throw new CoseError('COSE_CRYPTO', `the ${alg.name} signer returned no bytes`);
  if (alg.kind === 'ecdsa' && signature.length !== alg.signatureLength)
    throw new CoseError(
      'COSE_CRYPTO',
      `the ${alg.name} signer returned ${signature.length} bytes; COSE needs r ‖ s, ${alg.signatureLength} bytes (RFC 9053 §2.1), not DER`,
    );
  if (alg.kind === 'eddsa' && signature.length !== 64 && signature.length !== 114)
    throw new CoseError('COSE_CRYPTO', `the ${alg.name} signer returned ${signature.length} bytes`);
  if (signature.length === 0) throw new CoseError('COSE_CRYPTO', `the ${alg.name} signer returned no bytes`);
}
