/**
 * Key pairs for issuers and tests, as node:crypto KeyObjects. JPKI uses RSA-2048; mdoc issuers use
 * ECDSA P-256/384/521 (ISO 18013-5 §9.1.5).
 */
import { Buffer } from 'node:buffer';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { bytesEqual, children, readBitString, readDer, readOid, Tag } from './der-reader.js';
import { PkiError } from './errors.js';
import { OID } from './oids.js';

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
  const r = children(readDer(spki, 'SubjectPublicKeyInfo'), 'SubjectPublicKeyInfo');
  const alg = children(r.expect(Tag.SEQUENCE, 'algorithm'), 'AlgorithmIdentifier');
  const algorithm = readOid(alg.expect(Tag.OID, 'algorithm'));
  const parameters = alg.done ? undefined : alg.next().bytes;
  const bits = readBitString(r.expect(Tag.BIT_STRING, 'subjectPublicKey'));
  r.finish('SubjectPublicKeyInfo');
  return importPublicKey(spki, algorithm, parameters, bits.unusedBits === 0 ? bits.bytes : undefined);
}

const NULL_PARAMETERS = Uint8Array.of(0x05, 0x00);
const JWK_CURVES: Readonly<Record<string, string>> = { [OID.secp256r1]: 'P-256' };

/**
 * A public key from its SubjectPublicKeyInfo parts.
 *
 * Why not always import the SPKI: OpenSSL 3 runs every SubjectPublicKeyInfo through its generic decoder
 * chain, which costs 150–400 µs a key — more than verifying three RSA signatures — and a relying party
 * imports a new key for every signer certificate it meets. The same key enters much faster through a
 * narrower door: an RSA key as the RSAPublicKey (PKCS #1) the BIT STRING holds (≈ 10 µs), a P-256 or
 * Ed25519 key as a JWK of its point (OpenSSL still checks the point is on the curve). The result is the
 * same KeyObject (`KeyObject.equals`). Anything else — RSASSA-PSS keys, P-384/521 (whose JWK import is
 * slower, as OpenSSL then validates the key in full), compressed points, unusual parameters — takes the
 * SPKI path.
 *
 * `subjectPublicKey` is the BIT STRING contents, `undefined` when it has unused bits (then only the SPKI
 * path applies, and OpenSSL judges it).
 */
export function importPublicKey(
  spki: Uint8Array,
  algorithm: string,
  parameters: Uint8Array | undefined,
  subjectPublicKey: Uint8Array | undefined,
): KeyObject {
  if (subjectPublicKey !== undefined) {
    const pkcs1 = rsaPublicKeyDer(algorithm, parameters, subjectPublicKey);
    if (pkcs1 !== undefined) return createPublicKey({ key: pkcs1, format: 'der', type: 'pkcs1' });
    if (algorithm === OID.ecPublicKey && parameters !== undefined) {
      const crv = curveOf(parameters);
      if (crv !== undefined && subjectPublicKey.length === 65 && subjectPublicKey[0] === 0x04) {
        const x = base64url(subjectPublicKey.subarray(1, 33));
        const y = base64url(subjectPublicKey.subarray(33, 65));
        return createPublicKey({ key: { kty: 'EC', crv, x, y }, format: 'jwk' });
      }
    }
    if (algorithm === OID.ed25519 && parameters === undefined && subjectPublicKey.length === 32) {
      return createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: base64url(subjectPublicKey) },
        format: 'jwk',
      });
    }
  }
  return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
}

/**
 * The RSAPublicKey (PKCS #1) a SubjectPublicKeyInfo of rsaEncryption holds, as a Buffer over the same
 * memory — the form node:crypto reads an RSA key from most quickly — or `undefined` for any other key
 * (or parameters other than NULL, or a BIT STRING with unused bits: `subjectPublicKey` undefined).
 */
export function rsaPublicKeyDer(
  algorithm: string,
  parameters: Uint8Array | undefined,
  subjectPublicKey: Uint8Array | undefined,
): Buffer | undefined {
  if (
    subjectPublicKey === undefined ||
    algorithm !== OID.rsaEncryption ||
    (parameters !== undefined && !bytesEqual(parameters, NULL_PARAMETERS))
  )
    return undefined;
  return asBuffer(subjectPublicKey);
}

function curveOf(parameters: Uint8Array): string | undefined {
  try {
    const p = readDer(parameters);
    return p.tag === Tag.OID ? JWK_CURVES[readOid(p)] : undefined;
  } catch {
    return undefined;
  }
}

/** A Buffer over the same memory (no copy). */
function asBuffer(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function base64url(b: Uint8Array): string {
  return asBuffer(b).toString('base64url');
}
