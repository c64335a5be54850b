import { constants, type KeyObject, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import type { SignatureAlgorithm } from './algorithms.js';
import { CoseError } from './errors.js';

/**
 * The raw signature primitives behind COSE_Sign1 (RFC 9053 §2, RFC 8230 §2, RFC 8032).
 * ECDSA signatures in COSE are r‖s, each left-padded to the field size (IEEE P1363), not DER.
 * RSASSA-PSS uses MGF1 with the same hash and a salt as long as the hash (RFC 8230 §2).
 */

const NODE_CURVES: Record<string, string> = {
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
};
const HASH_LENGTH: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** Throws COSE_ALG_KEY_MISMATCH unless `key` can be used with `alg`. */
export function checkKeyFitsAlgorithm(alg: SignatureAlgorithm, key: KeyObject): void {
  const type = key.asymmetricKeyType;
  let fits = false;
  switch (alg.kind) {
    case 'ecdsa':
      fits = type === 'ec' && key.asymmetricKeyDetails?.namedCurve === NODE_CURVES[alg.curve];
      break;
    case 'eddsa':
      fits =
        (type === 'ed25519' && alg.curves.includes('Ed25519')) ||
        (type === 'ed448' && alg.curves.includes('Ed448'));
      break;
    case 'rsa-pss':
      fits = type === 'rsa' || type === 'rsa-pss';
      break;
    case 'rsa-pkcs1':
      fits = type === 'rsa';
      break;
  }
  if (!fits) {
    const what =
      key.type === 'secret'
        ? 'a secret key'
        : `a ${type ?? 'unknown'} key${key.asymmetricKeyDetails?.namedCurve ? ` on ${key.asymmetricKeyDetails.namedCurve}` : ''}`;
    throw new CoseError('COSE_ALG_KEY_MISMATCH', `${alg.name} cannot be used with ${what}`);
  }
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
  if (alg.kind === 'ecdsa' && signature.length !== alg.signatureLength) return false;
  try {
    return nodeVerify(hashOf(alg), data, keyOptions(alg, key), signature);
  } catch {
    return false;
  }
}
