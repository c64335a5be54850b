import {
  createECDH,
  createPrivateKey,
  createPublicKey,
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

export function toP256PublicJwk(input: P256PublicKeyInput): P256PublicJwk {
  try {
    let jwk: JsonWebKey;
    if (input instanceof Uint8Array) {
      if (input.length !== 65 || input[0] !== 0x04)
        throw new Oid4vpError('KEY_INVALID', 'a P-256 point must be 65 bytes, uncompressed');
      jwk = {
        kty: 'EC',
        crv: 'P-256',
        x: bytesToBase64url(input.subarray(1, 33)),
        y: bytesToBase64url(input.subarray(33)),
      };
    } else if (isKeyObject(input)) {
      jwk = (input.type === 'private' ? createPublicKey(input) : input).export({ format: 'jwk' });
    } else {
      jwk = input;
    }
    checkP256(jwk, 'public key');
    // Let node:crypto reject points that are not on the curve.
    const checked = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } as NodeJwk,
      format: 'jwk',
    });
    const out = checked.export({ format: 'jwk' });
    return { kty: 'EC', crv: 'P-256', x: out.x as string, y: out.y as string };
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
