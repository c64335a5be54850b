import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  ECDH,
  type KeyObject,
  type JsonWebKey as NodeJwk,
} from 'node:crypto';
import { base64urlToBytes, bytesToBase64url, concatBytes } from '@mynakit/cbor';
import { Oid4vpError } from './errors.js';

/**
 * P-256 keys as the channels exchange them: JWK (OpenID4VP `client_metadata.jwks`), COSE_Key → JWK
 * (Annex C EncryptionInfo, ISO 18013-5 EReaderKey/EDeviceKey), raw points (HPKE `enc`), node KeyObjects.
 * Everything is normalised to a JWK `{kty: "EC", crv: "P-256", x, y[, d]}` that node:crypto has
 * checked to be on the curve.
 */
export interface P256PublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
}
export interface P256PrivateJwk extends P256PublicJwk {
  readonly d: string;
}

/** A P-256 public key: JWK, node KeyObject, or the 65-byte uncompressed SEC1 point. */
export type P256PublicKeyInput = JsonWebKey | KeyObject | Uint8Array;
/** A P-256 private key: JWK with `d`, node KeyObject, or the 32-byte scalar `d`. */
export type P256PrivateKeyInput = JsonWebKey | KeyObject | Uint8Array;

function isKeyObject(k: unknown): k is KeyObject {
  return (
    typeof k === 'object' &&
    k !== null &&
    'asymmetricKeyType' in k &&
    typeof (k as KeyObject).export === 'function'
  );
}

function checkP256(jwk: JsonWebKey, what: string): void {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256')
    throw new Oid4vpError('KEY_INVALID', `${what} must be an EC P-256 key`);
}

/** Bytes of one P-256 field element. */
const P256_COORDINATE_BYTES = 32;

/**
 * A JWK coordinate as the 32-byte big-endian number node:crypto's JWK import reads (its base64url decoder,
 * leading zero bytes not counted); undefined when it is not a string or the number needs more than 32 bytes.
 */
function jwkCoordinate(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string') return undefined;
  const bytes = Buffer.from(value, 'base64url');
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  if (bytes.length - start > P256_COORDINATE_BYTES) return undefined;
  const out = new Uint8Array(P256_COORDINATE_BYTES);
  out.set(bytes.subarray(start), P256_COORDINATE_BYTES - (bytes.length - start));
  return out;
}

export function toP256PublicJwk(input: P256PublicKeyInput): P256PublicJwk {
  try {
    let point: Uint8Array;
    if (input instanceof Uint8Array) {
      if (input.length !== 65 || input[0] !== 0x04)
        throw new Oid4vpError('KEY_INVALID', 'a P-256 point must be 65 bytes, uncompressed');
      point = input;
    } else {
      const jwk: JsonWebKey = isKeyObject(input)
        ? (input.type === 'private' ? createPublicKey(input) : input).export({ format: 'jwk' })
        : input;
      checkP256(jwk, 'public key');
      const x = jwkCoordinate(jwk.x);
      const y = jwkCoordinate(jwk.y);
      if (x === undefined || y === undefined)
        throw new Oid4vpError('KEY_INVALID', 'not a valid P-256 public key');
      point = concatBytes(new Uint8Array([0x04]), x, y);
    }
    // Let node:crypto reject points that are not on the curve (or have a coordinate not below p): reading the
    // SEC1 point does the same check as importing the JWK (EC_POINT_set_affine_coordinates) at a third of the cost.
    ECDH.convertKey(point, 'prime256v1');
    return {
      kty: 'EC',
      crv: 'P-256',
      x: bytesToBase64url(point.subarray(1, 33)),
      y: bytesToBase64url(point.subarray(33)),
    };
  } catch (e) {
    if (e instanceof Oid4vpError) throw e;
    throw new Oid4vpError('KEY_INVALID', 'not a valid P-256 public key', { cause: e });
  }
}

export function toP256PrivateJwk(input: P256PrivateKeyInput): P256PrivateJwk {
  try {
    let jwk: JsonWebKey;
    if (input instanceof Uint8Array) {
      if (input.length !== 32)
        throw new Oid4vpError('KEY_INVALID', 'a P-256 private scalar must be 32 bytes');
      // ECDH.setPrivateKey refuses a scalar outside [1, n-1] and computes the point from it, so the result
      // needs no second check.
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(input);
      const point = new Uint8Array(ecdh.getPublicKey());
      return {
        kty: 'EC',
        crv: 'P-256',
        x: bytesToBase64url(point.subarray(1, 33)),
        y: bytesToBase64url(point.subarray(33)),
        d: bytesToBase64url(input),
      };
    } else if (isKeyObject(input)) {
      if (input.type !== 'private') throw new Oid4vpError('KEY_INVALID', 'a private key is required');
      jwk = input.export({ format: 'jwk' });
    } else {
      jwk = input;
    }
    checkP256(jwk, 'private key');
    if (typeof jwk.d !== 'string') throw new Oid4vpError('KEY_INVALID', 'the private key has no "d"');
    if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
      // Derive the public part from d (a JWK may carry only d when it comes from a hex scalar).
      return toP256PrivateJwk(base64urlToBytes(jwk.d));
    }
    const checked = createPrivateKey({
      key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d } as NodeJwk,
      format: 'jwk',
    });
    const out = checked.export({ format: 'jwk' });
    return { kty: 'EC', crv: 'P-256', x: out.x as string, y: out.y as string, d: out.d as string };
  } catch (e) {
    if (e instanceof Oid4vpError) throw e;
    throw new Oid4vpError('KEY_INVALID', 'not a valid P-256 private key', { cause: e });
  }
}

/** The 65-byte uncompressed SEC1 point of a public key (what HPKE serialises as pkR / enc). */
export function p256Point(jwk: P256PublicJwk): Uint8Array {
  return concatBytes(new Uint8Array([0x04]), base64urlToBytes(jwk.x), base64urlToBytes(jwk.y));
}

export function publicPart(jwk: P256PrivateJwk): P256PublicJwk {
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

export function samePublicKey(a: P256PublicJwk, b: P256PublicJwk): boolean {
  return a.x === b.x && a.y === b.y;
}
