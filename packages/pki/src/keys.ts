/**
 * Key pairs for issuers and tests, as node:crypto KeyObjects. JPKI uses RSA-2048; mdoc issuers use
 * ECDSA P-256/384/521 (ISO 18013-5 §9.1.5).
 */
import { Buffer } from 'node:buffer';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { children, readBitString, readDer, Tag } from './der-reader.js';
import { PkiError } from './errors.js';

export type KeyAlgorithm = 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'P-256' | 'P-384' | 'P-521' | 'Ed25519';

export interface KeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

export function generateKeyPair(alg: KeyAlgorithm): KeyPair {
  switch (alg) {
    case 'RSA-2048':
    case 'RSA-3072':
    case 'RSA-4096':
      return generateKeyPairSync('rsa', { modulusLength: Number(alg.slice(4)), publicExponent: 0x10001 });
    case 'P-256':
      return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    case 'P-384':
      return generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    case 'P-521':
      return generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
    case 'Ed25519':
      return generateKeyPairSync('ed25519');
    default:
      throw new PkiError('INVALID_ARGUMENT', `unknown key algorithm ${String(alg)}`);
  }
}

/** SubjectPublicKeyInfo DER of a public (or private) key. */
export function spkiOf(key: KeyObject | Uint8Array): Uint8Array {
  if (key instanceof Uint8Array) {
    readDer(key, 'SubjectPublicKeyInfo');
    return key;
  }
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return new Uint8Array(pub.export({ type: 'spki', format: 'der' }));
}

/** The subjectPublicKey BIT STRING contents of an SPKI. */
export function subjectPublicKeyBits(spki: Uint8Array): Uint8Array {
  const r = children(readDer(spki, 'SubjectPublicKeyInfo'));
  r.expect(Tag.SEQUENCE, 'algorithm');
  return readBitString(r.expect(Tag.BIT_STRING, 'subjectPublicKey')).bytes;
}

/** A KeyObject from SPKI DER. */
export function publicKeyFromSpki(spki: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
}
