/**
 * JOSE pieces shared by key proofs (Appendix F.1) and key attestations (Appendix D.1): the asymmetric
 * algorithms, public JWKs read from received JSON (RFC 7517 §4, RFC 7518 §6), key inputs, compact JWS
 * (RFC 7515 §7.1) decoding and signing — with a private key through jose, or with a caller's signer
 * (a secure element, an HSM) that only ever sees the signing input.
 */
import { Buffer } from 'node:buffer';
import { createPrivateKey, createPublicKey, type JsonWebKey, KeyObject } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import type { Oid4vciCheck, Oid4vciErrorCode } from './errors.js';
import { fromBase64url, isObject, type JsonObject, LIMITS, own, Reader, toBase64url } from './json.js';

/**
 * Asymmetric JWS algorithms (RFC 7518 §3, RFC 8037). Appendix F.1 and D.1: `alg` "MUST NOT be `none` or
 * an identifier for a symmetric algorithm (MAC)".
 */
export const ASYMMETRIC_JWS_ALGORITHMS: readonly string[] = Object.freeze([
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
]);

/** A public key as a JWK: EC (P-256/384/521), RSA, or OKP Ed25519; `kid` kept when present. */
export type PublicJwk =
  | {
      readonly kty: 'EC';
      readonly crv: 'P-256' | 'P-384' | 'P-521';
      readonly x: string;
      readonly y: string;
      readonly kid?: string;
    }
  | { readonly kty: 'RSA'; readonly n: string; readonly e: string; readonly kid?: string }
  | { readonly kty: 'OKP'; readonly crv: 'Ed25519'; readonly x: string; readonly kid?: string };

/** A private key: node:crypto KeyObject, WebCrypto CryptoKey or a private JWK. */
export type PrivateKeyInput = KeyObject | CryptoKey | JsonWebKey;

/** A public key: node:crypto KeyObject, WebCrypto CryptoKey or a JWK. */
export type PublicKeyInput = KeyObject | CryptoKey | JsonWebKey;

/**
 * Signs a JWS signing input (`BASE64URL(header) || '.' || BASE64URL(payload)`, RFC 7515 §5.1) with a key
 * the caller holds elsewhere. The signature is in JWS form (RFC 7518 §3.4: ECDSA as `R || S`).
 */
export interface JwsSigner {
  /** The JWS `alg` the signature is made with (ES256, RS256, EdDSA…). */
  readonly alg: string;
  /** Returns the JWS signature over `signingInput`. */
  sign(signingInput: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** JWK members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

const RSA_MIN_BITS = 2048;

/** The public half of a key input as a KeyObject (programmer errors throw TypeError). */
export function toPublicKeyObject(key: PublicKeyInput): KeyObject {
  if (key instanceof KeyObject) return key.type === 'private' ? createPublicKey(key) : key;
  if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey)
    return toPublicKeyObject(KeyObject.from(key));
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = key as JsonWebKey;
  return createPublicKey({ key: pub, format: 'jwk' });
}

/** A private key input as a KeyObject; anything else is a programmer error (TypeError). */
export function toPrivateKeyObject(key: PrivateKeyInput): KeyObject {
  if (key instanceof KeyObject) {
    if (key.type !== 'private') throw new TypeError('a private key is required for signing');
    return key;
  }
  if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey)
    return toPrivateKeyObject(KeyObject.from(key));
  try {
    return createPrivateKey({ key: key as JsonWebKey, format: 'jwk' });
  } catch (e) {
    throw new TypeError('the private key is not usable', { cause: e });
  }
}

/** The JWS `alg` a key signs with by default: ES256/384/512, EdDSA, RS256 or PS256. */
export function joseAlgorithmFor(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1' || curve === 'P-256') return 'ES256';
      if (curve === 'secp384r1' || curve === 'P-384') return 'ES384';
      if (curve === 'secp521r1' || curve === 'P-521') return 'ES512';
      throw new TypeError('unsupported EC curve');
    }
    case 'ed25519':
      return 'EdDSA';
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    default:
      throw new TypeError('unsupported key type');
  }
}

/** The public JWK of a key (RFC 7517), with only the members that define the key. */
export function publicJwkOf(key: PublicKeyInput): PublicJwk {
  const jwk = toPublicKeyObject(key).export({ format: 'jwk' });
  if (jwk.kty === 'EC' && (jwk.crv === 'P-256' || jwk.crv === 'P-384' || jwk.crv === 'P-521'))
    return { kty: 'EC', crv: jwk.crv, x: jwk.x as string, y: jwk.y as string };
  if (jwk.kty === 'RSA') return { kty: 'RSA', n: jwk.n as string, e: jwk.e as string };
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return { kty: 'OKP', crv: 'Ed25519', x: jwk.x as string };
  throw new TypeError('unsupported key type for a JWK');
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Reads a received public JWK: a JSON object with a supported `kty`/`crv`, base64url members of
 * plausible size and no private member ("the header parameter does not contain a private key", F.4).
 * Returns a clean copy (only the defining members and `kid`) and the KeyObject.
 */
export function readPublicJwk(
  value: unknown,
  fail: (message: string) => never,
): { readonly jwk: PublicJwk; readonly key: KeyObject } {
  if (!isObject(value)) return fail('the JWK is not a JSON object');
  for (const m of PRIVATE_MEMBERS)
    if (Object.hasOwn(value, m)) return fail('the JWK contains private key material');
  const kty = own(value, 'kty');
  const member = (name: string, max: number): string => {
    const v = own(value, name);
    if (typeof v !== 'string' || v.length > max || !B64URL.test(v))
      return fail(`the JWK member ${name} is invalid`);
    return v;
  };
  const kidValue = own(value, 'kid');
  const kid =
    typeof kidValue === 'string' && kidValue.length > 0 && kidValue.length <= 256 ? kidValue : undefined;
  let jwk: PublicJwk;
  if (kty === 'EC') {
    const crv = own(value, 'crv');
    if (crv !== 'P-256' && crv !== 'P-384' && crv !== 'P-521') return fail('the JWK curve is not supported');
    jwk = { kty, crv, x: member('x', 90), y: member('y', 90), ...(kid === undefined ? {} : { kid }) };
  } else if (kty === 'RSA') {
    jwk = { kty, n: member('n', 1400), e: member('e', 12), ...(kid === undefined ? {} : { kid }) };
  } else if (kty === 'OKP') {
    if (own(value, 'crv') !== 'Ed25519') return fail('the JWK curve is not supported');
    jwk = { kty, crv: 'Ed25519', x: member('x', 64), ...(kid === undefined ? {} : { kid }) };
  } else {
    return fail('the JWK key type is not supported');
  }
  let key: KeyObject;
  try {
    const { kid: _kid, ...defining } = jwk;
    key = createPublicKey({ key: defining as JsonWebKey, format: 'jwk' });
  } catch {
    return fail('the JWK is not a valid public key');
  }
  if (jwk.kty === 'RSA' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < RSA_MIN_BITS)
    return fail(`the RSA key is shorter than ${RSA_MIN_BITS} bits`);
  return { jwk, key };
}

/** A compact JWS split into its parts; the header is decoded, nothing is verified. */
export interface DecodedJws {
  readonly header: JsonObject;
  readonly compact: string;
}

/** Decodes the protected header of a compact JWS (three base64url parts, a JSON object header). */
export function decodeJwsHeader(
  jws: unknown,
  code: Oid4vciErrorCode,
  check: Oid4vciCheck,
  what: string,
): DecodedJws {
  const r: Reader = new Reader(code, check, what);
  if (typeof jws !== 'string' || jws.length === 0) return r.fail('not a compact JWS string');
  if (jws.length > LIMITS.maxJwtChars) return r.fail(`longer than ${LIMITS.maxJwtChars} characters`);
  const parts = jws.split('.');
  if (
    parts.length !== 3 ||
    parts.some((p, i) => (i < 2 ? p.length === 0 : false) || !/^[A-Za-z0-9_-]*$/.test(p))
  )
    return r.fail('not a JWS compact serialization (three base64url parts)');
  const headerBytes = fromBase64url(parts[0] as string);
  if (headerBytes === undefined) return r.fail('the header is not base64url');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch {
    return r.fail('the header is not JSON');
  }
  if (!isObject(header)) return r.fail('the header is not a JSON object');
  return { header, compact: jws };
}

/** RFC 7515 §4.1.9: `typ` compares case-insensitively and may omit the `application/` prefix. */
export function typIs(typ: unknown, expected: string): boolean {
  if (typeof typ !== 'string') return false;
  const t = typ.toLowerCase();
  return t === expected || t === `application/${expected}`;
}

/**
 * Verifies a compact JWS under `key` for exactly `alg` (jose also refuses a key of the wrong type or
 * curve for `alg`, RSA keys under 2048 bits and unknown `crit` headers) and returns the payload as a
 * JSON object, or undefined when the signature does not verify. A payload that is not a JSON object
 * after a good signature calls `fail`.
 */
export async function verifyJws(
  compact: string,
  key: KeyObject,
  alg: string,
  fail: (message: string) => never,
): Promise<JsonObject | undefined> {
  let payload: Uint8Array;
  try {
    payload = (await compactVerify(compact, key, { algorithms: [alg] })).payload;
  } catch {
    return undefined;
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return fail('the payload is not JSON');
  }
  if (!isObject(claims)) return fail('the payload is not a JSON object');
  return claims;
}

/** Produces a compact JWS over `payload` (a JSON object) with a private key or a signer. */
export async function signJws(
  header: Readonly<Record<string, unknown>>,
  payload: Readonly<Record<string, unknown>>,
  key: KeyObject | JwsSigner,
): Promise<string> {
  const payloadBytes = new TextEncoder().encode(JSON.stringify(payload));
  if (key instanceof KeyObject) {
    return new CompactSign(payloadBytes).setProtectedHeader(header as { alg: string }).sign(key);
  }
  const input = `${toBase64url(new TextEncoder().encode(JSON.stringify(header)))}.${toBase64url(payloadBytes)}`;
  const signature = await key.sign(new TextEncoder().encode(input));
  if (!(signature instanceof Uint8Array) || signature.length === 0)
    throw new TypeError('the signer returned no signature');
  return `${input}.${toBase64url(signature)}`;
}

/** Standard base64 DER certificates for `x5c` (RFC 7515 §4.1.6: base64, not base64url). */
export function encodeX5c(chain: readonly Uint8Array[]): string[] {
  return chain.map((der) => Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64'));
}

/** `x5c` read back: a non-empty array (at most `max`) of standard base64 DER certificates, leaf first. */
export function decodeX5c(x5c: unknown, max: number): Uint8Array[] | undefined {
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > max) return undefined;
  const out: Uint8Array[] = [];
  for (const entry of x5c) {
    if (typeof entry !== 'string' || entry.length > 16_384 || !/^[A-Za-z0-9+/]+={0,2}$/.test(entry))
      return undefined;
    out.push(new Uint8Array(Buffer.from(entry, 'base64')));
  }
  return out;
}
