/**
 * Key Attestation in JWT format (OpenID4VCI 1.0 Appendix D.1): a statement by the Wallet Provider or
 * the key storage component about keys it holds and how well it protects them.
 *
 *   header:  { "alg": <asymmetric, not none>, "typ": "key-attestation+jwt", "x5c" | "kid" | "trust_chain" }
 *   payload: { "iat": NumericDate (REQUIRED), "exp"?: NumericDate ("MUST be present if the attestation is
 *              used with the JWT proof type"), "attested_keys": [JWK, …] (REQUIRED, non-empty),
 *              "key_storage"?: [string, …], "user_authentication"?: [string, …] (values: Appendix D.2),
 *              "certification"?: URL, "nonce"?: c_nonce, "status"?: object, "iss"?: string }
 *
 * mynakit establishes trust in the attester through `x5c` only: the chain is validated with
 * @mynakit/pki (RFC 5280 §6) from a configured trust anchor to the leaf at the caller's `now`, and the
 * JWT must verify under the leaf's key. Certificates in the header are path candidates only; an
 * attestation never brings its own trust. `kid` / `trust_chain` attestations are refused.
 *
 * Used two ways: inside a key proof's `key_attestation` header (Appendix F.1, see proof-jwt.ts), and
 * on its own — e.g. the attestation that accompanies a JPKI certificate signing request, whose
 * attested keys are RSA-2048 JWKs.
 */
import type { KeyObject } from 'node:crypto';
import type { Certificate } from '@mynakit/pki';
import { type AttesterTrust, attesterTrustOf, MAX_ATTESTER_X5C } from './attester-trust.js';
import { meetsAttackPotentialResistance } from './attack-potential-resistance.js';
import { type Oid4vciCheck, Oid4vciError, type Oid4vciErrorCode } from './errors.js';
import {
  ASYMMETRIC_JWS_ALGORITHMS,
  decodeJwsHeader,
  encodeX5c,
  type JwsSigner,
  joseAlgorithmFor,
  type PrivateKeyInput,
  type PublicJwk,
  type PublicKeyInput,
  publicJwkOf,
  readPublicJwk,
  signJws,
  toPrivateKeyObject,
  toPublicKeyObject,
  typIs,
  verifyJws,
} from './jose-keys.js';
import { epochSeconds, isObject, type JsonObject, LIMITS, own, Reader, requireDate } from './json.js';
import { checkNonces, type ExpectedNonce } from './nonce-response.js';

/** The `typ` of a key attestation JWT (Appendix D.1, RFC 8725 §3.11). */
export const KEY_ATTESTATION_JWT_TYP = 'key-attestation+jwt';

/**
 * What an issuer requires of key attestations — the `key_attestations_required` object of its metadata
 * (§12.2.4). Both members absent: an attestation is needed, without further constraints.
 */
export interface KeyAttestationsRequired {
  /** Accepted `key_storage` values (Appendix D.2). */
  readonly key_storage?: readonly string[];
  /** Accepted `user_authentication` values (Appendix D.2). */
  readonly user_authentication?: readonly string[];
}

/** Input of `createKeyAttestationJwt`. */
export interface CreateKeyAttestationJwtInput {
  /** The attester's private key (its certificate is `x5c[0]`), or a signer holding it. */
  readonly attestationKey: PrivateKeyInput | JwsSigner;
  /** JWS alg; default from the key (ES256 for P-256…); required with a signer (taken from it). */
  readonly alg?: string;
  /** The attester's certificate chain, DER, leaf first (no root needed). */
  readonly x5c: readonly Uint8Array[];
  /** The keys attested (public; KeyObject, CryptoKey or JWK). */
  readonly attestedKeys: readonly (PublicKeyInput | PublicJwk)[];
  /** Appendix D.2 values for the key storage component. */
  readonly keyStorage?: readonly string[];
  /** Appendix D.2 values for the user authentication guarding the keys. */
  readonly userAuthentication?: readonly string[];
  /** The c_nonce the issuer provided (Appendix F.1: required when the issuer provided one). */
  readonly nonce?: string;
  readonly iat: Date;
  /** Required when the attestation goes into a `jwt` key proof. */
  readonly exp?: Date;
  readonly iss?: string;
  /** URL of the key storage component's certification. */
  readonly certification?: string;
  /** A status reference (e.g. draft-ietf-oauth-status-list `status_list`). */
  readonly status?: Readonly<Record<string, unknown>>;
}

/** Creates a key attestation JWT (Appendix D.1) signed by the attester, its chain in `x5c`. */
export async function createKeyAttestationJwt(input: CreateKeyAttestationJwtInput): Promise<string> {
  requireDate(input.iat, 'iat');
  if (input.exp !== undefined && requireDate(input.exp, 'exp').getTime() <= input.iat.getTime())
    throw new TypeError('exp must be after iat');
  if (!Array.isArray(input.x5c) || input.x5c.length === 0)
    throw new TypeError('x5c needs the attester certificate');
  if (!Array.isArray(input.attestedKeys) || input.attestedKeys.length === 0)
    throw new TypeError('attestedKeys must not be empty');
  const signer = isSigner(input.attestationKey)
    ? input.attestationKey
    : toPrivateKeyObject(input.attestationKey);
  const alg = isSigner(signer) ? signer.alg : (input.alg ?? joseAlgorithmFor(signer));
  if (!ASYMMETRIC_JWS_ALGORITHMS.includes(alg))
    throw new TypeError('alg must be an asymmetric JWS algorithm');
  const attested = input.attestedKeys.map((k) => {
    const jwk = publicJwkOf(toPublicKeyObject(k as PublicKeyInput));
    const kid = (k as { kid?: unknown }).kid;
    return typeof kid === 'string' ? { ...jwk, kid } : jwk;
  });
  const nonEmpty = (v: readonly string[] | undefined, name: string) => {
    if (v !== undefined && (v.length === 0 || v.some((s) => typeof s !== 'string' || s.length === 0)))
      throw new TypeError(`${name} must be a non-empty array of strings`);
    return v;
  };
  const payload: Record<string, unknown> = {};
  if (input.iss !== undefined) payload.iss = input.iss;
  payload.iat = epochSeconds(input.iat);
  if (input.exp !== undefined) payload.exp = epochSeconds(input.exp);
  if (nonEmpty(input.keyStorage, 'keyStorage') !== undefined)
    payload.key_storage = [...(input.keyStorage ?? [])];
  if (nonEmpty(input.userAuthentication, 'userAuthentication') !== undefined)
    payload.user_authentication = [...(input.userAuthentication ?? [])];
  payload.attested_keys = attested;
  if (input.certification !== undefined) payload.certification = input.certification;
  if (input.nonce !== undefined) payload.nonce = input.nonce;
  if (input.status !== undefined) payload.status = input.status;
  const header = { typ: KEY_ATTESTATION_JWT_TYP, alg, x5c: encodeX5c(input.x5c) };
  return signJws(header, payload, signer);
}

function isSigner(k: unknown): k is JwsSigner {
  return isObject(k) && typeof own(k, 'sign') === 'function' && typeof own(k, 'alg') === 'string';
}

/** Options of `verifyKeyAttestation`. */
export interface VerifyKeyAttestationOptions {
  /** The verification time (certificate validity, `iat`, `exp`). */
  readonly now: Date;
  /**
   * Certificates that may end the attester's chain (DER, PEM or parsed), or an AttesterTrust over them —
   * which keeps the chains it validated, so a caller verifying many attestations passes the same one.
   */
  readonly trustAnchors: readonly (Certificate | Uint8Array | string)[] | AttesterTrust;
  /** Accepted JWS `alg` values (default: every asymmetric algorithm). */
  readonly allowedAlgorithms?: readonly string[];
  /** Levels the attestation must meet (the issuer's `key_attestations_required`). */
  readonly requirements?: KeyAttestationsRequired;
  /** The c_nonce the attestation must carry (exact value or a check against the store); absent: not checked. */
  readonly nonce?: ExpectedNonce;
  /** `exp` must be present (Appendix D.1: with the `jwt` proof type). Default false. */
  readonly requireExp?: boolean;
  /** Tolerated clock difference for `iat` in the future and `exp` (default 60 s). */
  readonly clockSkewSeconds?: number;
  /** Most keys one attestation may carry (default 16). */
  readonly maxAttestedKeys?: number;
  /** An extended key usage the attester's certificate must allow. */
  readonly requiredEku?: string;
}

/** A key attestation that verified. */
export interface VerifiedKeyAttestation {
  readonly alg: string;
  /** The attested keys as received (public members and `kid`), in order. */
  readonly attestedKeys: readonly PublicJwk[];
  /** The same keys as KeyObjects. */
  readonly attestedPublicKeys: readonly KeyObject[];
  readonly keyStorage?: readonly string[];
  readonly userAuthentication?: readonly string[];
  readonly iat: Date;
  readonly exp?: Date;
  readonly nonce?: string;
  readonly iss?: string;
  readonly certification?: string;
  readonly status?: JsonObject;
  /** The attester's certificate (the chain's leaf), validated to `anchor`. */
  readonly signerCertificate: Certificate;
  readonly anchor: Certificate;
}

const DEFAULT_SKEW_SECONDS = 60;
const DEFAULT_MAX_ATTESTED_KEYS = 16;

const fail = (check: Oid4vciCheck, message: string, code: Oid4vciErrorCode = 'invalid_proof'): never => {
  throw new Oid4vciError(code, check, `key attestation: ${message}`);
};

export { parseTrustAnchors } from './attester-trust.js';

/**
 * Everything of Appendix D.1 but the nonce, which the caller checks (once per distinct value across a
 * request). Throws `invalid_proof` with a `key_attestation.*` check.
 */
export async function verifyKeyAttestationContent(
  jwt: unknown,
  options: VerifyKeyAttestationOptions,
  trust: AttesterTrust,
): Promise<VerifiedKeyAttestation> {
  const now = requireDate(options.now, 'now');
  const skew = options.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS;
  const { header, compact } = decodeJwsHeader(
    jwt,
    'invalid_proof',
    'key_attestation.decode',
    'key attestation',
  );

  if (!typIs(own(header, 'typ'), KEY_ATTESTATION_JWT_TYP))
    fail('key_attestation.typ', `typ must be ${KEY_ATTESTATION_JWT_TYP}`);
  const alg = own(header, 'alg');
  if (typeof alg !== 'string' || !ASYMMETRIC_JWS_ALGORITHMS.includes(alg))
    return fail('key_attestation.alg', 'alg must be an asymmetric signature algorithm (not none, not a MAC)');
  if (!(options.allowedAlgorithms ?? ASYMMETRIC_JWS_ALGORITHMS).includes(alg))
    return fail('key_attestation.alg', 'alg is not one the issuer accepts');

  // x5c → trusted attester key (RFC 5280 §6 at `now`)
  if (!Object.hasOwn(header, 'x5c'))
    return fail('key_attestation.chain', 'no x5c certificate chain (kid and trust_chain are not supported)');
  const path = trust.validate(own(header, 'x5c'), now, options.requiredEku);
  if (!path.ok) {
    if (path.reason === 'format')
      return fail('key_attestation.chain', `x5c is not 1..${MAX_ATTESTER_X5C} base64 certificates`);
    if (path.reason === 'parse') return fail('key_attestation.chain', 'a certificate in x5c does not parse');
    return fail(
      'key_attestation.chain',
      `the attester certificate does not chain to a trust anchor (${path.code})`,
    );
  }
  const leaf = path.leaf;
  let signerKey: KeyObject;
  try {
    signerKey = leaf.publicKey;
  } catch {
    return fail('key_attestation.chain', 'the attester certificate has no usable public key');
  }
  const claims = await verifyJws(compact, signerKey, alg, (m) => fail('key_attestation.decode', m));
  if (claims === undefined)
    return fail('key_attestation.signature', 'the signature does not verify with the x5c key');

  const r: Reader = new Reader('invalid_proof', 'key_attestation.decode', 'key attestation');
  const iat = own(claims, 'iat');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return fail('key_attestation.iat', 'iat is missing');
  if (iat > now.getTime() / 1000 + skew) fail('key_attestation.iat', 'iat is in the future');
  const exp = own(claims, 'exp');
  if (exp === undefined) {
    if (options.requireExp === true)
      fail('key_attestation.exp', 'exp is missing (required with the jwt proof type)');
  } else {
    if (typeof exp !== 'number' || !Number.isFinite(exp))
      return fail('key_attestation.exp', 'exp is not a number');
    if (exp + skew <= now.getTime() / 1000) fail('key_attestation.exp', 'the attestation has expired');
  }

  const keysValue = own(claims, 'attested_keys');
  const maxKeys = options.maxAttestedKeys ?? DEFAULT_MAX_ATTESTED_KEYS;
  if (!Array.isArray(keysValue) || keysValue.length === 0)
    return fail('key_attestation.attested_keys', 'attested_keys is not a non-empty array');
  if (keysValue.length > maxKeys) fail('key_attestation.attested_keys', `more than ${maxKeys} attested keys`);
  const attestedKeys: PublicJwk[] = [];
  const attestedPublicKeys: KeyObject[] = [];
  for (const k of keysValue) {
    const { jwk, key } = readPublicJwk(k, (m) => fail('key_attestation.attested_keys', m));
    attestedKeys.push(jwk);
    attestedPublicKeys.push(key);
  }

  const levels = (key: 'key_storage' | 'user_authentication') =>
    own(claims, key) === undefined
      ? undefined
      : r.stringArray(own(claims, key), key, {
          maxItems: 16,
          maxChars: 256,
          check: `key_attestation.${key}`,
        });
  const keyStorage = levels('key_storage');
  const userAuthentication = levels('user_authentication');
  const req = options.requirements;
  if (req?.key_storage !== undefined && !meetsAttackPotentialResistance(keyStorage ?? [], req.key_storage))
    fail('key_attestation.key_storage', 'the key storage does not meet the level the issuer requires');
  if (
    req?.user_authentication !== undefined &&
    !meetsAttackPotentialResistance(userAuthentication ?? [], req.user_authentication)
  )
    fail(
      'key_attestation.user_authentication',
      'the user authentication does not meet the level the issuer requires',
    );

  const nonce = r.optionalString(claims, 'nonce', LIMITS.maxStringChars, 'key_attestation.nonce');
  const iss = r.optionalString(claims, 'iss');
  const certification = r.optionalString(claims, 'certification');
  const status = own(claims, 'status');
  return {
    alg,
    attestedKeys,
    attestedPublicKeys,
    ...(keyStorage === undefined ? {} : { keyStorage }),
    ...(userAuthentication === undefined ? {} : { userAuthentication }),
    iat: new Date(iat * 1000),
    ...(typeof exp === 'number' ? { exp: new Date(exp * 1000) } : {}),
    ...(nonce === undefined ? {} : { nonce }),
    ...(iss === undefined ? {} : { iss }),
    ...(certification === undefined ? {} : { certification }),
    ...(isObject(status) ? { status } : {}),
    signerCertificate: leaf,
    anchor: path.anchor,
  };
}

/**
 * Verifies a key attestation JWT on its own (Appendix D.1): `typ`, `alg`, the `x5c` chain to a trust
 * anchor at `now`, the signature, `iat`, `exp`, `attested_keys`, the required levels (D.2) and, when
 * `nonce` is given, the c_nonce. Throws `Oid4vciError` — `invalid_proof` (check `key_attestation.*`), or
 * `invalid_nonce` for a c_nonce that is not valid.
 */
export async function verifyKeyAttestation(
  jwt: string,
  options: VerifyKeyAttestationOptions,
): Promise<VerifiedKeyAttestation> {
  const attestation = await verifyKeyAttestationContent(jwt, options, attesterTrustOf(options.trustAnchors));
  if (options.nonce !== undefined) {
    if (attestation.nonce === undefined)
      fail('key_attestation.nonce_missing', 'the attestation carries no c_nonce');
    else await checkNonces(new Set([attestation.nonce]), options.nonce, 'key_attestation.nonce');
  }
  return attestation;
}

/**
 * The index of `key` in the attestation's `attested_keys`, or -1 — e.g. to check that the key of a
 * certificate signing request is one the attestation vouches for.
 */
export function findAttestedKey(
  attestation: VerifiedKeyAttestation,
  key: PublicKeyInput | PublicJwk,
): number {
  const k = toPublicKeyObject(key as PublicKeyInput);
  for (let i = 0; i < attestation.attestedPublicKeys.length; i++)
    if ((attestation.attestedPublicKeys[i] as KeyObject).equals(k)) return i;
  return -1;
}
