/**
 * The verification hot path's cryptography, straight on node:crypto: COSE algorithm → node
 * parameters, COSE_Key → KeyObject through a DER SubjectPublicKeyInfo built around the raw point (the
 * cheapest import node offers), and the COSE to-be-signed / to-be-MACed structures written without
 * re-encoding their byte-string parts.
 *
 * RFC 9053 §2.1: ECDSA signatures in COSE are r ‖ s (IEEE P1363), not DER.
 */
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  type JsonWebKey,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
  timingSafeEqual,
} from 'node:crypto';
import type { CborMap, CborValue } from '@mynakit/cbor';
import { MdocError } from '../errors.js';

interface AlgInfo {
  readonly name: string;
  /** node:crypto digest name, or null for EdDSA. */
  readonly hash: string | null;
  readonly keyType: 'ec' | 'ed25519';
  readonly curve?: string;
  readonly sigLength: number;
}

/** COSE algorithm identifiers (RFC 9053 §2, RFC 9864 fully-specified ids) we verify and sign with. */
const ALGS = new Map<number, AlgInfo>([
  [-7, { name: 'ES256', hash: 'sha256', keyType: 'ec', curve: 'prime256v1', sigLength: 64 }],
  [-35, { name: 'ES384', hash: 'sha384', keyType: 'ec', curve: 'secp384r1', sigLength: 96 }],
  [-36, { name: 'ES512', hash: 'sha512', keyType: 'ec', curve: 'secp521r1', sigLength: 132 }],
  [-9, { name: 'ESP256', hash: 'sha256', keyType: 'ec', curve: 'prime256v1', sigLength: 64 }],
  [-51, { name: 'ESP384', hash: 'sha384', keyType: 'ec', curve: 'secp384r1', sigLength: 96 }],
  [-52, { name: 'ESP512', hash: 'sha512', keyType: 'ec', curve: 'secp521r1', sigLength: 132 }],
  [-8, { name: 'EdDSA', hash: null, keyType: 'ed25519', sigLength: 64 }],
  [-19, { name: 'Ed25519', hash: null, keyType: 'ed25519', sigLength: 64 }],
]);

export function algorithmName(alg: number): string | undefined {
  return ALGS.get(alg)?.name;
}

export type SignatureAlgorithmName = 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

const ALG_BY_NAME: Readonly<Record<SignatureAlgorithmName, number>> = {
  ES256: -7,
  ES384: -35,
  ES512: -36,
  EdDSA: -8,
};

export function algorithmId(name: SignatureAlgorithmName): number {
  return ALG_BY_NAME[name];
}

/** The usual COSE algorithm for a key (ES256 for P-256, …, EdDSA for Ed25519). */
export function defaultAlgorithmFor(key: KeyObject): SignatureAlgorithmName {
  const t = key.asymmetricKeyType;
  if (t === 'ed25519') return 'EdDSA';
  if (t === 'ec') {
    const c = key.asymmetricKeyDetails?.namedCurve;
    if (c === 'prime256v1') return 'ES256';
    if (c === 'secp384r1') return 'ES384';
    if (c === 'secp521r1') return 'ES512';
  }
  throw new MdocError('MDOC_UNSUPPORTED', `no COSE signature algorithm for a ${t ?? 'symmetric'} key`);
}

// Cached per KeyObject: asymmetricKeyDetails allocates on every access.
const keyShape = new WeakMap<KeyObject, string>();
function shapeOf(key: KeyObject): string {
  let s = keyShape.get(key);
  if (s === undefined) {
    s =
      key.asymmetricKeyType === 'ec'
        ? `ec:${key.asymmetricKeyDetails?.namedCurve}`
        : String(key.asymmetricKeyType);
    keyShape.set(key, s);
  }
  return s;
}

/**
 * Verifies a COSE signature. The algorithm comes from the protected header, never from the key; a key
 * of another type or curve, an unknown algorithm or a signature of the wrong length is `false`.
 */
export function verifySignature(
  alg: number,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const a = ALGS.get(alg);
  if (!a || signature.length !== a.sigLength) return false;
  const expected = a.keyType === 'ec' ? `ec:${a.curve}` : a.keyType;
  if (shapeOf(key) !== expected) return false;
  try {
    return a.hash === null
      ? nodeVerify(null, data, key, signature)
      : nodeVerify(a.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

export function signWithAlgorithm(alg: number, key: KeyObject, data: Uint8Array): Uint8Array {
  const a = ALGS.get(alg);
  if (!a) throw new MdocError('MDOC_UNSUPPORTED', `COSE algorithm ${alg} is not supported for signing`);
  const expected = a.keyType === 'ec' ? `ec:${a.curve}` : a.keyType;
  if (shapeOf(key) !== expected || key.type !== 'private') {
    throw new MdocError('MDOC_KEY', `the signing key does not fit ${a.name}`);
  }
  const sig =
    a.hash === null ? nodeSign(null, data, key) : nodeSign(a.hash, data, { key, dsaEncoding: 'ieee-p1363' });
  return new Uint8Array(sig.buffer, sig.byteOffset, sig.byteLength);
}

const b64u = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');

// DER SubjectPublicKeyInfo prefixes up to the BIT STRING content (RFC 5480 §2), for compressed points.
const SPKI_PREFIX_COMPRESSED: Readonly<Record<number, Uint8Array>> = {
  1: hex('3039301306072a8648ce3d020106082a8648ce3d030107032200'),
  2: hex('3046301006072a8648ce3d020106052b81040022033200'),
  3: hex('3058301006072a8648ce3d020106052b81040023034400'),
};
const COORD_LENGTH: Readonly<Record<number, number>> = { 1: 32, 2: 48, 3: 66 };
const CURVE_OF: Readonly<Record<string, number>> = { prime256v1: 1, secp384r1: 2, secp521r1: 3 };
const CURVE_NAME: Readonly<Record<number, string>> = { 1: 'prime256v1', 2: 'secp384r1', 3: 'secp521r1' };
const JWK_CRV: Readonly<Record<number, string>> = { 1: 'P-256', 2: 'P-384', 3: 'P-521' };

function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

function spki(prefix: Uint8Array, ...parts: Uint8Array[]): KeyObject {
  let n = prefix.length;
  for (const p of parts) n += p.length;
  const der = Buffer.allocUnsafe(n);
  der.set(prefix, 0);
  let o = prefix.length;
  for (const p of parts) {
    der.set(p, o);
    o += p.length;
  }
  return createPublicKey({ key: der, format: 'der', type: 'spki' });
}

/**
 * A COSE_Key (RFC 9052 §7, RFC 9053 §7: EC2 P-256/384/521 with x and y or a compressed y sign bit;
 * OKP Ed25519) as a node public KeyObject. `kid`, `alg` and other labels are ignored: the
 * algorithm of a signature comes from its protected header.
 */
export function publicKeyFromCoseKey(key: CborMap): KeyObject {
  const kty = key.get(1);
  const crv = key.get(-1);
  const x = key.get(-2);
  if (kty === 2 && typeof crv === 'number' && x instanceof Uint8Array) {
    const len = COORD_LENGTH[crv];
    const y = key.get(-3);
    if (len === undefined) throw new MdocError('MDOC_UNSUPPORTED', `COSE_Key curve ${crv} is not supported`);
    if (x.length !== len) throw new MdocError('MDOC_KEY', 'COSE_Key x has the wrong length for its curve');
    try {
      if (y instanceof Uint8Array) {
        if (y.length !== len)
          throw new MdocError('MDOC_KEY', 'COSE_Key y has the wrong length for its curve');
        // JWK import is node's cheapest route to an EC KeyObject (an SPKI DER goes through OpenSSL's
        // generic decoder and costs about twice as much) — it matters on the verification hot path.
        const key = createPublicKey({
          key: { kty: 'EC', crv: JWK_CRV[crv] as string, x: b64u(x), y: b64u(y) },
          format: 'jwk',
        });
        keyShape.set(key, `ec:${CURVE_NAME[crv]}`);
        return key;
      }
      if (typeof y === 'boolean')
        return spki(SPKI_PREFIX_COMPRESSED[crv] as Uint8Array, Uint8Array.of(y ? 3 : 2), x);
    } catch (e) {
      if (e instanceof MdocError) throw e;
      throw new MdocError('MDOC_KEY', 'COSE_Key is not a point on its curve', { cause: e });
    }
    throw new MdocError('MDOC_KEY', 'COSE_Key EC2 lacks y');
  }
  if (kty === 1 && crv === 6 && x instanceof Uint8Array && x.length === 32) {
    try {
      const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64u(x) }, format: 'jwk' });
      keyShape.set(key, 'ed25519');
      return key;
    } catch (e) {
      throw new MdocError('MDOC_KEY', 'COSE_Key is not an Ed25519 public key', { cause: e });
    }
  }
  throw new MdocError('MDOC_UNSUPPORTED', 'COSE_Key must be EC2 (P-256/384/521) or OKP Ed25519');
}

/** The COSE_Key (EC2 or OKP, public part only, no kid/alg) of a public or private KeyObject. */
export function coseKeyFromKeyObject(key: KeyObject): CborMap {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  const b = (s: string | undefined) => Uint8Array.from(Buffer.from(s ?? '', 'base64url'));
  if (jwk.kty === 'EC') {
    const crv = CURVE_OF[pub.asymmetricKeyDetails?.namedCurve ?? ''];
    if (crv === undefined) throw new MdocError('MDOC_UNSUPPORTED', 'EC key on an unsupported curve');
    return new Map<CborValue, CborValue>([
      [1, 2],
      [-1, crv],
      [-2, b(jwk.x)],
      [-3, b(jwk.y)],
    ]);
  }
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    return new Map<CborValue, CborValue>([
      [1, 1],
      [-1, 6],
      [-2, b(jwk.x)],
    ]);
  }
  throw new MdocError('MDOC_UNSUPPORTED', 'device keys must be EC P-256/384/521 or Ed25519');
}

export type KeyInput = KeyObject | JsonWebKey;

function isKeyObject(k: unknown): k is KeyObject {
  return (
    typeof k === 'object' &&
    k !== null &&
    'asymmetricKeyType' in k &&
    typeof (k as KeyObject).export === 'function'
  );
}

export function toPrivateKey(k: KeyInput, what: string): KeyObject {
  try {
    const key = isKeyObject(k) ? k : createPrivateKey({ key: k, format: 'jwk' });
    if (key.type !== 'private') throw new Error('not a private key');
    return key;
  } catch (e) {
    if (e instanceof MdocError) throw e;
    throw new MdocError('MDOC_KEY', `${what} must be a private KeyObject or a private JWK`, { cause: e });
  }
}

export function toPublicKey(k: KeyInput | CborMap, what: string): KeyObject {
  try {
    if (k instanceof Map) return publicKeyFromCoseKey(k);
    if (isKeyObject(k)) return k.type === 'private' ? createPublicKey(k) : k;
    const { d: _d, ...pub } = k as JsonWebKey & { d?: string };
    return createPublicKey({ key: pub as JsonWebKey, format: 'jwk' });
  } catch (e) {
    if (e instanceof MdocError) throw e;
    throw new MdocError('MDOC_KEY', `${what} must be a public key (KeyObject, JWK or COSE_Key)`, {
      cause: e,
    });
  }
}

/**
 * A P-256 private key from its raw scalar `d` (32 bytes), e.g. a reader's ephemeral key given as hex:
 * the public point is derived by node itself (an ECDH object computes it from d).
 */
export function p256PrivateKeyFromD(d: Uint8Array): KeyObject {
  if (d.length !== 32) throw new MdocError('MDOC_KEY', 'a P-256 private scalar is 32 bytes');
  // SEC 1 ECPrivateKey in PKCS#8 without the optional public key: node derives it.
  const pkcs8 = Buffer.concat([
    Buffer.from('3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420', 'hex'),
    Buffer.from(d),
  ]);
  try {
    return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  } catch (e) {
    throw new MdocError('MDOC_KEY', 'not a valid P-256 private scalar', { cause: e });
  }
}

export function sha(algorithm: string, data: Uint8Array): Uint8Array {
  const h = createHash(algorithm).update(data).digest();
  return new Uint8Array(h.buffer, h.byteOffset, h.byteLength);
}

/**
 * EMacKey / SKDevice / SKReader — ISO/IEC 18013-5:2021 §9.1.3.5 / §9.1.1.5:
 * HKDF-SHA-256(IKM = ECDH shared secret (x-coordinate), salt = SHA-256(SessionTranscriptBytes),
 * info, L = 32).
 */
export function deriveSessionKey(
  privateKey: KeyObject,
  publicKey: KeyObject,
  sessionTranscriptBytes: Uint8Array,
  info: string,
): Uint8Array {
  let ikm: Buffer;
  try {
    ikm = diffieHellman({ privateKey, publicKey });
  } catch (e) {
    throw new MdocError('MDOC_KEY', 'key agreement failed (keys on different curves?)', { cause: e });
  }
  const salt = sha('sha256', sessionTranscriptBytes);
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, 32));
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  const h = createHmac('sha256', key).update(data).digest();
  return new Uint8Array(h.buffer, h.byteOffset, h.byteLength);
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
