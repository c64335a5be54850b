import type { KeyObject } from 'node:crypto';
import type { CborValue } from '@mynakit/cbor';
import { CoseError } from './errors.js';

/**
 * COSE algorithm identifiers this package implements (IANA "COSE Algorithms"; RFC 9053, RFC 8230,
 * RFC 9864 fully-specified ECDSA/EdDSA). The algorithm of a message always comes from its protected
 * header, never from the key: the key must then fit it.
 */
export const CoseAlgorithm = {
  ES256: -7,
  ES384: -35,
  ES512: -36,
  EdDSA: -8,
  /** Fully specified (RFC 9864): ECDSA P-256 SHA-256. */
  ESP256: -9,
  ESP384: -51,
  ESP512: -52,
  /** Fully specified (RFC 9864): EdDSA on Ed25519 only. */
  Ed25519: -19,
  PS256: -37,
  PS384: -38,
  PS512: -39,
  RS256: -257,
  RS384: -258,
  RS512: -259,
  /** HMAC w/ SHA-256 truncated to 64 bits (RFC 9053 §3.1). */
  HMAC_256_64: 4,
  HMAC_256_256: 5,
  HMAC_384_384: 6,
  HMAC_512_512: 7,
} as const;

export type NamedCurve = 'P-256' | 'P-384' | 'P-521';
export type OkpCurve = 'Ed25519' | 'Ed448';
export type HashName = 'sha256' | 'sha384' | 'sha512';

export type SignatureAlgorithm =
  | {
      readonly id: number;
      readonly name: string;
      readonly kind: 'ecdsa';
      readonly hash: HashName;
      readonly curve: NamedCurve;
      readonly signatureLength: number;
    }
  | {
      readonly id: number;
      readonly name: string;
      readonly kind: 'eddsa';
      readonly curves: readonly OkpCurve[];
    }
  | {
      readonly id: number;
      readonly name: string;
      readonly kind: 'rsa-pss' | 'rsa-pkcs1';
      readonly hash: HashName;
    };

export interface MacAlgorithm {
  readonly id: number;
  readonly name: string;
  readonly hash: HashName;
  /** Tag length in bytes (HMAC 256/64 truncates to 8). */
  readonly tagLength: number;
}

const ecdsa = (
  id: number,
  name: string,
  hash: HashName,
  curve: NamedCurve,
  size: number,
): SignatureAlgorithm => ({
  id,
  name,
  kind: 'ecdsa',
  hash,
  curve,
  signatureLength: 2 * size,
});

const SIGNATURE_ALGORITHMS = new Map<number, SignatureAlgorithm>(
  [
    ecdsa(-7, 'ES256', 'sha256', 'P-256', 32),
    ecdsa(-35, 'ES384', 'sha384', 'P-384', 48),
    ecdsa(-36, 'ES512', 'sha512', 'P-521', 66),
    ecdsa(-9, 'ESP256', 'sha256', 'P-256', 32),
    ecdsa(-51, 'ESP384', 'sha384', 'P-384', 48),
    ecdsa(-52, 'ESP512', 'sha512', 'P-521', 66),
    { id: -8, name: 'EdDSA', kind: 'eddsa', curves: ['Ed25519', 'Ed448'] } as const,
    { id: -19, name: 'Ed25519', kind: 'eddsa', curves: ['Ed25519'] } as const,
    { id: -37, name: 'PS256', kind: 'rsa-pss', hash: 'sha256' } as const,
    { id: -38, name: 'PS384', kind: 'rsa-pss', hash: 'sha384' } as const,
    { id: -39, name: 'PS512', kind: 'rsa-pss', hash: 'sha512' } as const,
    { id: -257, name: 'RS256', kind: 'rsa-pkcs1', hash: 'sha256' } as const,
    { id: -258, name: 'RS384', kind: 'rsa-pkcs1', hash: 'sha384' } as const,
    { id: -259, name: 'RS512', kind: 'rsa-pkcs1', hash: 'sha512' } as const,
  ].map((a) => [a.id, a]),
);

const MAC_ALGORITHMS = new Map<number, MacAlgorithm>([
  [4, { id: 4, name: 'HMAC 256/64', hash: 'sha256', tagLength: 8 }],
  [5, { id: 5, name: 'HMAC 256/256', hash: 'sha256', tagLength: 32 }],
  [6, { id: 6, name: 'HMAC 384/384', hash: 'sha384', tagLength: 48 }],
  [7, { id: 7, name: 'HMAC 512/512', hash: 'sha512', tagLength: 64 }],
]);

function describeAlg(alg: CborValue): string {
  return typeof alg === 'number' || typeof alg === 'string' ? JSON.stringify(alg) : 'a non-integer value';
}

/** The signature algorithm for a header `alg` value; COSE_UNSUPPORTED_ALG otherwise. */
export function signatureAlgorithm(alg: CborValue): SignatureAlgorithm {
  const a = signatureAlgorithmOf(alg);
  if (!a) throw new CoseError('COSE_UNSUPPORTED_ALG', `unsupported signature algorithm ${describeAlg(alg)}`);
  return a;
}

/** The signature algorithm for a header `alg` value, or undefined (for verifiers that report). */
export function signatureAlgorithmOf(alg: CborValue): SignatureAlgorithm | undefined {
  return typeof alg === 'number' ? SIGNATURE_ALGORITHMS.get(alg) : undefined;
}

/** The MAC algorithm for a header `alg` value; COSE_UNSUPPORTED_ALG otherwise. */
export function macAlgorithm(alg: CborValue): MacAlgorithm {
  const a = macAlgorithmOf(alg);
  if (!a) throw new CoseError('COSE_UNSUPPORTED_ALG', `unsupported MAC algorithm ${describeAlg(alg)}`);
  return a;
}

/** The MAC algorithm for a header `alg` value, or undefined. */
export function macAlgorithmOf(alg: CborValue): MacAlgorithm | undefined {
  return typeof alg === 'number' ? MAC_ALGORITHMS.get(alg) : undefined;
}

const SIGNATURE_ALGORITHM_IDS = new Map<string, number>(
  [...SIGNATURE_ALGORITHMS.values()].map((a) => [a.name, a.id]),
);

/**
 * A signature algorithm given by its IANA name ("ES256", "ESP256", "EdDSA", "PS256"…) or its COSE
 * identifier (-7, …): the identifier, COSE_UNSUPPORTED_ALG when this package does not implement it.
 * Names are looked up in a Map, never as object properties.
 */
export function signatureAlgorithmId(nameOrId: string | number): number {
  const id = typeof nameOrId === 'number' ? nameOrId : SIGNATURE_ALGORITHM_IDS.get(nameOrId);
  return signatureAlgorithm(id ?? nameOrId).id;
}

/**
 * The usual algorithm for a key when the caller names none: ES256 / ES384 / ES512 for an EC key on
 * P-256 / P-384 / P-521 (RFC 9053 §2.1), EdDSA for Ed25519 or Ed448 (§2.2), PS256 for RSA (RFC 8230
 * §2). COSE_ALG_KEY_MISMATCH for any other key.
 */
export function defaultSignatureAlgorithm(key: KeyObject): SignatureAlgorithm {
  const type = key.asymmetricKeyType;
  let id: number | undefined;
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    id = curve === 'prime256v1' ? -7 : curve === 'secp384r1' ? -35 : curve === 'secp521r1' ? -36 : undefined;
  } else if (type === 'ed25519' || type === 'ed448') id = -8;
  else if (type === 'rsa' || type === 'rsa-pss') id = -37;
  if (id === undefined)
    throw new CoseError(
      'COSE_ALG_KEY_MISMATCH',
      `no COSE signature algorithm for ${key.type === 'secret' ? 'a secret key' : `a ${type ?? 'unknown'} key`}`,
    );
  return signatureAlgorithm(id);
}

/** JOSE names of the signature algorithms that have one (for COSE_Key ↔ JWK `alg`). */
export const JOSE_ALG_NAMES: ReadonlyMap<number, string> = new Map([
  [-7, 'ES256'],
  [-35, 'ES384'],
  [-36, 'ES512'],
  [-8, 'EdDSA'],
  [-19, 'Ed25519'],
  [-37, 'PS256'],
  [-38, 'PS384'],
  [-39, 'PS512'],
  [-257, 'RS256'],
  [-258, 'RS384'],
  [-259, 'RS512'],
  [5, 'HS256'],
  [6, 'HS384'],
  [7, 'HS512'],
]);
