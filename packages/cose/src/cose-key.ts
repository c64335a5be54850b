import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  KeyObject,
  type JsonWebKey as NodeJwk,
} from 'node:crypto';
import { base64urlToBytes, bytesToBase64url, type CborMap, type CborValue } from '@mynakit/cbor';
import { JOSE_ALG_NAMES } from './algorithms.js';
import { CoseError } from './errors.js';
import { rememberKeyShape } from './signature.js';

/**
 * COSE_Key (RFC 9052 §7; key types and curves RFC 9053 §7) ↔ JWK (RFC 7517/7518/8037) ↔ node KeyObject.
 *
 *   COSE_Key = { 1 => tstr / int,          ; kty
 *                ? 2 => bstr,              ; kid
 *                ? 3 => tstr / int,        ; alg
 *                ? 4 => [+ (tstr / int)],  ; key_ops
 *                ? 5 => bstr,              ; Base IV
 *                * label => values }
 *   EC2: -1 crv, -2 x, -3 y (bstr, or bool = sign bit of a compressed point), -4 d
 *   OKP: -1 crv, -2 x, -4 d          Symmetric: -1 k          RSA (RFC 8230): -1 n, -2 e, -3 d, …
 *
 * Liberal on input, as real wallets are: `alg` may be absent; `kid` may be a text string (RFC 9052
 * says bstr); EC coordinates shorter than the field size (leading zeros dropped) are left-padded;
 * compressed points are decompressed.
 */
export const CoseKeyLabel = {
  kty: 1,
  kid: 2,
  alg: 3,
  keyOps: 4,
  baseIv: 5,
  crv: -1,
  x: -2,
  y: -3,
  d: -4,
  k: -1,
} as const;
export const CoseKeyType = { OKP: 1, EC2: 2, RSA: 3, Symmetric: 4 } as const;
export const CoseCurve = {
  'P-256': 1,
  'P-384': 2,
  'P-521': 3,
  X25519: 4,
  X448: 5,
  Ed25519: 6,
  Ed448: 7,
} as const;

/** A JWK as RFC 7517 has it (the DOM `JsonWebKey` type lacks `kid`). */
export type Jwk = JsonWebKey & { kid?: string };

type EcCurve = 'P-256' | 'P-384' | 'P-521';
type OkpCurveName = 'X25519' | 'X448' | 'Ed25519' | 'Ed448';

const EC_CURVES = new Map<number, { name: EcCurve; size: number; node: string; spkiCompressed: string }>([
  // DER SubjectPublicKeyInfo up to the BIT STRING content of a compressed point (RFC 5480 §2).
  [
    1,
    {
      name: 'P-256',
      size: 32,
      node: 'prime256v1',
      spkiCompressed: '3039301306072a8648ce3d020106082a8648ce3d030107032200',
    },
  ],
  [
    2,
    {
      name: 'P-384',
      size: 48,
      node: 'secp384r1',
      spkiCompressed: '3046301006072a8648ce3d020106052b81040022033200',
    },
  ],
  [
    3,
    {
      name: 'P-521',
      size: 66,
      node: 'secp521r1',
      spkiCompressed: '3058301006072a8648ce3d020106052b81040023034400',
    },
  ],
]);
const OKP_CURVES = new Map<number, { name: OkpCurveName; size: number; privateSize: number }>([
  [4, { name: 'X25519', size: 32, privateSize: 32 }],
  [5, { name: 'X448', size: 56, privateSize: 56 }],
  [6, { name: 'Ed25519', size: 32, privateSize: 32 }],
  [7, { name: 'Ed448', size: 57, privateSize: 57 }],
]);

// Short Weierstrass parameters (a = -3) for point decompression (FIPS 186-4 D.1.2 / SEC 2).
const CURVE_PARAMS: Record<EcCurve, { p: bigint; b: bigint }> = {
  'P-256': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  },
  'P-384': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
  },
  'P-521': {
    p: (1n << 521n) - 1n,
    b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
  },
};

function invalid(message: string, cause?: unknown): CoseError {
  return new CoseError('COSE_KEY_INVALID', message, cause === undefined ? undefined : { cause });
}

function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let r = 1n;
  let b = base % m;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

function toBigint(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function fromBigint(n: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = n;
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/**
 * y from x and the sign bit (SEC 1 §2.3.4). All three NIST primes are ≡ 3 (mod 4), so
 * √c = c^((p+1)/4). COSE's boolean y is the low bit of y: true ↔ SEC 1 prefix 03.
 */
function decompressY(curve: EcCurve, x: Uint8Array, odd: boolean, size: number): Uint8Array {
  const { p, b } = CURVE_PARAMS[curve];
  const xn = toBigint(x);
  if (xn >= p) throw invalid('EC2 x is not a field element');
  const rhs = (((xn * xn) % p) * xn - 3n * xn + b + 3n * p) % p;
  let y = modPow(rhs, (p + 1n) / 4n, p);
  if ((y * y) % p !== rhs) throw invalid('EC2 compressed point is not on the curve');
  if (((y & 1n) === 1n) !== odd) y = (p - y) % p;
  return fromBigint(y, size);
}

function bytesParam(map: CborMap, label: number, name: string, required: boolean): Uint8Array | undefined {
  const v = map.get(label);
  if (v === undefined) {
    if (required) throw invalid(`COSE_Key ${name} (label ${label}) is missing`);
    return undefined;
  }
  if (!(v instanceof Uint8Array)) throw invalid(`COSE_Key ${name} (label ${label}) must be a byte string`);
  return v;
}

/** Left-pads a big-endian field element to `size` (some encoders drop leading zero bytes). */
function fieldElement(v: Uint8Array, size: number, name: string): Uint8Array {
  if (v.length === size) return v;
  if (v.length > size || v.length === 0) throw invalid(`COSE_Key ${name} has the wrong length for its curve`);
  const out = new Uint8Array(size);
  out.set(v, size - v.length);
  return out;
}

function kidToJwk(kid: CborValue): string | undefined {
  if (kid === undefined) return undefined;
  if (typeof kid === 'string') return kid;
  if (kid instanceof Uint8Array) return bytesToBase64url(kid);
  throw invalid('COSE_Key kid (label 2) must be a byte or text string');
}

/** COSE_Key → JWK. Private parts are included when the COSE_Key has them. */
export function coseKeyToJwk(key: CborMap): Jwk {
  if (!(key instanceof Map)) throw invalid('COSE_Key is not a map');
  const kty = key.get(CoseKeyLabel.kty);
  const jwk: Jwk = {};
  const b64 = bytesToBase64url;
  if (kty === CoseKeyType.EC2) {
    const crv = EC_CURVES.get(key.get(CoseKeyLabel.crv) as number);
    if (!crv) throw invalid('EC2 COSE_Key has an unsupported curve');
    const x = fieldElement(bytesParam(key, -2, 'x', true)!, crv.size, 'x');
    const yv = key.get(CoseKeyLabel.y);
    let y: Uint8Array;
    if (typeof yv === 'boolean') y = decompressY(crv.name, x, yv, crv.size);
    else if (yv instanceof Uint8Array) y = fieldElement(yv, crv.size, 'y');
    else throw invalid('EC2 COSE_Key y (label -3) must be a byte string or a boolean');
    Object.assign(jwk, { kty: 'EC', crv: crv.name, x: b64(x), y: b64(y) });
    const d = bytesParam(key, -4, 'd', false);
    if (d) jwk.d = b64(fieldElement(d, crv.size, 'd'));
  } else if (kty === CoseKeyType.OKP) {
    const crv = OKP_CURVES.get(key.get(CoseKeyLabel.crv) as number);
    if (!crv) throw invalid('OKP COSE_Key has an unsupported curve');
    const x = bytesParam(key, -2, 'x', true)!;
    if (x.length !== crv.size) throw invalid('OKP COSE_Key x has the wrong length for its curve');
    Object.assign(jwk, { kty: 'OKP', crv: crv.name, x: b64(x) });
    const d = bytesParam(key, -4, 'd', false);
    if (d) {
      if (d.length !== crv.privateSize) throw invalid('OKP COSE_Key d has the wrong length for its curve');
      jwk.d = b64(d);
    }
  } else if (kty === CoseKeyType.Symmetric) {
    Object.assign(jwk, { kty: 'oct', k: b64(bytesParam(key, -1, 'k', true)!) });
  } else if (kty === CoseKeyType.RSA) {
    Object.assign(jwk, {
      kty: 'RSA',
      n: b64(bytesParam(key, -1, 'n', true)!),
      e: b64(bytesParam(key, -2, 'e', true)!),
    });
    const names = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;
    names.forEach((name, i) => {
      const v = bytesParam(key, -3 - i, name, false);
      if (v) jwk[name] = b64(v);
    });
  } else {
    throw invalid('COSE_Key has an unsupported or missing kty');
  }
  const kid = kidToJwk(key.get(CoseKeyLabel.kid));
  if (kid !== undefined) jwk.kid = kid;
  const alg = key.get(CoseKeyLabel.alg);
  if (typeof alg === 'number' && JOSE_ALG_NAMES.has(alg)) jwk.alg = JOSE_ALG_NAMES.get(alg)!;
  return jwk;
}

function jwkBytes(jwk: JsonWebKey, name: keyof JsonWebKey): Uint8Array {
  const v = jwk[name];
  if (typeof v !== 'string') throw invalid(`JWK ${String(name)} is missing`);
  try {
    return base64urlToBytes(v);
  } catch (cause) {
    throw invalid(`JWK ${String(name)} is not base64url`, cause);
  }
}

/**
 * JWK → COSE_Key (integer labels). `kid` becomes a text kid, `alg` the COSE id when it has one.
 * Private parts (`d`, RSA primes, `k`) are carried over when present.
 */
export function jwkToCoseKey(jwk: Jwk): CborMap {
  const m: CborMap = new Map();
  if (jwk.kty === 'EC') {
    const crv = [...EC_CURVES].find(([, c]) => c.name === jwk.crv);
    if (!crv) throw invalid('JWK EC curve is not supported');
    m.set(1, CoseKeyType.EC2);
    m.set(-1, crv[0]);
    m.set(-2, fieldElement(jwkBytes(jwk, 'x'), crv[1].size, 'x'));
    m.set(-3, fieldElement(jwkBytes(jwk, 'y'), crv[1].size, 'y'));
    if (jwk.d !== undefined) m.set(-4, fieldElement(jwkBytes(jwk, 'd'), crv[1].size, 'd'));
  } else if (jwk.kty === 'OKP') {
    const crv = [...OKP_CURVES].find(([, c]) => c.name === jwk.crv);
    if (!crv) throw invalid('JWK OKP curve is not supported');
    m.set(1, CoseKeyType.OKP);
    m.set(-1, crv[0]);
    m.set(-2, jwkBytes(jwk, 'x'));
    if (jwk.d !== undefined) m.set(-4, jwkBytes(jwk, 'd'));
  } else if (jwk.kty === 'oct') {
    m.set(1, CoseKeyType.Symmetric);
    m.set(-1, jwkBytes(jwk, 'k'));
  } else if (jwk.kty === 'RSA') {
    m.set(1, CoseKeyType.RSA);
    m.set(-1, jwkBytes(jwk, 'n'));
    m.set(-2, jwkBytes(jwk, 'e'));
    (['d', 'p', 'q', 'dp', 'dq', 'qi'] as const).forEach((name, i) => {
      if (jwk[name] !== undefined) m.set(-3 - i, jwkBytes(jwk, name));
    });
  } else {
    throw invalid('JWK kty is not supported');
  }
  if (typeof jwk.kid === 'string') m.set(CoseKeyLabel.kid, jwk.kid);
  if (typeof jwk.alg === 'string') {
    const id = [...JOSE_ALG_NAMES].find(([, n]) => n === jwk.alg)?.[0];
    if (id !== undefined) m.set(CoseKeyLabel.alg, id);
  }
  return m;
}

/** A node KeyObject from a JWK: private when it has `d`, secret for `oct`, public otherwise. */
export function jwkToKeyObject(jwk: JsonWebKey): KeyObject {
  try {
    if (jwk.kty === 'oct') return createSecretKey(jwkBytes(jwk, 'k'));
    const key = { key: jwk as NodeJwk, format: 'jwk' as const };
    return jwk.d !== undefined ? createPrivateKey(key) : createPublicKey(key);
  } catch (cause) {
    if (cause instanceof CoseError) throw cause;
    // e.g. a point that is not on the curve: OpenSSL refuses to import it.
    throw invalid('key cannot be imported', cause);
  }
}

/** COSE_Key → node KeyObject (private when the COSE_Key holds `d`). */
export function coseKeyToKeyObject(key: CborMap): KeyObject {
  return jwkToKeyObject(coseKeyToJwk(key));
}

export interface KeyObjectToCoseKeyOptions {
  /** Export the private part too. Default false: a COSE_Key put into an MSO or a message must be public. */
  readonly includePrivate?: boolean;
  readonly kid?: Uint8Array | string;
  /** COSE algorithm id to record in label 3. */
  readonly alg?: number;
}

/** node KeyObject (or CryptoKey) → COSE_Key. Public part only unless `includePrivate`. */
export function keyObjectToCoseKey(key: KeyObject | CryptoKey, options?: KeyObjectToCoseKeyOptions): CborMap {
  let k = key instanceof KeyObject ? key : KeyObject.from(key);
  if (k.type === 'secret' && options?.includePrivate !== true) {
    throw invalid('a secret key has no public part: pass includePrivate to export it');
  }
  if (k.type === 'private' && options?.includePrivate !== true) k = createPublicKey(k);
  let jwk: JsonWebKey;
  try {
    jwk = k.export({ format: 'jwk' }) as JsonWebKey;
  } catch (cause) {
    throw invalid('key type cannot be exported as a COSE_Key', cause);
  }
  const m = jwkToCoseKey(jwk);
  if (options?.kid !== undefined) m.set(CoseKeyLabel.kid, options.kid);
  if (options?.alg !== undefined) m.set(CoseKeyLabel.alg, options.alg);
  return m;
}

const b64u = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');

/** Options of `coseKeyToPublicKey`. */
export interface CoseKeyImportOptions {
  /**
   * Keep the KeyObject in a small shared cache keyed by the key's bytes (curve and coordinates), and
   * take it from there next time. Only public keys are ever cached, and only keys the caller will see
   * again are worth it — configured keys, a long-lived peer's key —, not one-time keys read from
   * received messages (a presentation's device key). Default false.
   */
  readonly cache?: boolean;
}

/** Public keys by their bytes, for `coseKeyToPublicKey({ cache: true })`: cleared when full. */
const publicKeyCache = new Map<string, KeyObject>();
const PUBLIC_KEY_CACHE_SIZE = 256;

/**
 * The public key of a COSE_Key (RFC 9052 §7; RFC 9053 §7.1 EC2 and §7.2 OKP; RFC 8230 RSA) as a node
 * KeyObject, by the cheapest import node offers: a JWK built straight from the coordinates (an EC2
 * key with a compressed y goes through a DER SubjectPublicKeyInfo, which OpenSSL decompresses and
 * checks). The same liberal rules as `coseKeyToJwk` for the coordinates (short ones are left-padded);
 * `kid`, `alg`, `key_ops` and private parts are ignored — the algorithm of a message comes from its
 * protected header. COSE_KEY_INVALID for a malformed key, an unsupported type or curve, or a point
 * that is not on its curve.
 */
export function coseKeyToPublicKey(key: CborMap, options?: CoseKeyImportOptions): KeyObject {
  if (!(key instanceof Map)) throw invalid('COSE_Key is not a map');
  const kty = key.get(CoseKeyLabel.kty);
  const crvId = key.get(CoseKeyLabel.crv);
  if (kty === CoseKeyType.EC2 && typeof crvId === 'number') {
    const crv = EC_CURVES.get(crvId);
    if (!crv) throw invalid('EC2 COSE_Key has an unsupported curve');
    const x = fieldElement(bytesParam(key, -2, 'x', true) as Uint8Array, crv.size, 'x');
    const yv = key.get(CoseKeyLabel.y);
    if (typeof yv === 'boolean')
      return importCached(options, `${crvId}|${b64u(x)}|${yv}`, () => compressed(crv, x, yv));
    if (!(yv instanceof Uint8Array))
      throw invalid('EC2 COSE_Key y (label -3) must be a byte string or a boolean');
    const jwk = { kty: 'EC', crv: crv.name, x: b64u(x), y: b64u(fieldElement(yv, crv.size, 'y')) };
    return importCached(options, `${crvId}|${jwk.x}|${jwk.y}`, () => fromJwk(jwk, `ec:${crv.node}`));
  }
  if (kty === CoseKeyType.OKP && typeof crvId === 'number') {
    const crv = OKP_CURVES.get(crvId);
    if (!crv) throw invalid('OKP COSE_Key has an unsupported curve');
    const x = bytesParam(key, -2, 'x', true) as Uint8Array;
    if (x.length !== crv.size) throw invalid('OKP COSE_Key x has the wrong length for its curve');
    const jwk = { kty: 'OKP', crv: crv.name, x: b64u(x) };
    return importCached(options, `okp${crvId}|${jwk.x}`, () => fromJwk(jwk, crv.name.toLowerCase()));
  }
  // RSA, and whatever coseKeyToJwk explains better (a missing kty or crv…).
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, k, ...pub } = coseKeyToJwk(key);
  if (k !== undefined) throw invalid('a symmetric COSE_Key has no public key');
  return fromJwk(pub, undefined);
}

function importCached(
  options: CoseKeyImportOptions | undefined,
  id: string,
  make: () => KeyObject,
): KeyObject {
  if (options?.cache !== true) return make();
  let k = publicKeyCache.get(id);
  if (k === undefined) {
    k = make();
    if (publicKeyCache.size >= PUBLIC_KEY_CACHE_SIZE) publicKeyCache.clear();
    publicKeyCache.set(id, k);
  }
  return k;
}

function fromJwk(jwk: JsonWebKey, shape: string | undefined): KeyObject {
  let k: KeyObject;
  try {
    k = createPublicKey({ key: jwk as NodeJwk, format: 'jwk' });
  } catch (cause) {
    throw invalid('COSE_Key is not a valid public key (a point not on its curve?)', cause);
  }
  if (shape !== undefined) rememberKeyShape(k, shape);
  return k;
}

function compressed(
  crv: { size: number; node: string; spkiCompressed: string },
  x: Uint8Array,
  odd: boolean,
): KeyObject {
  const prefix = Buffer.from(crv.spkiCompressed, 'hex');
  const der = Buffer.allocUnsafe(prefix.length + 1 + x.length);
  prefix.copy(der, 0);
  der[prefix.length] = odd ? 3 : 2;
  der.set(x, prefix.length + 1);
  let k: KeyObject;
  try {
    k = createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch (cause) {
    throw invalid('EC2 compressed point is not on the curve', cause);
  }
  rememberKeyShape(k, `ec:${crv.node}`);
  return k;
}
