/**
 * The `jwt` key proof type (OpenID4VCI 1.0 Appendix F.1) and its verification (Appendix F.4).
 *
 *   header:  { "alg": <asymmetric, not none>, "typ": "openid4vci-proof+jwt",
 *              at most one of "kid" | "jwk" | "x5c", "key_attestation"?: <Appendix D.1 JWT>,
 *              "trust_chain"? }
 *   payload: { "iss"?: client_id ("MUST be omitted if the access token … was obtained from a
 *              Pre-Authorized Code Flow through anonymous access"), "aud": Credential Issuer Identifier
 *              (REQUIRED), "iat": NumericDate (REQUIRED), "nonce"?: c_nonce ("MUST be present when the
 *              issuer has a Nonce Endpoint") }
 *
 * F.4: the issuer MUST ensure "all required claims … are contained", "the key proof is explicitly
 * typed", "alg … is not none, is supported by the application, and is acceptable per local policy", "the
 * signature on the key proof verifies with the public key contained in the header parameter", "the
 * header parameter does not contain a private key", "the nonce … matches the server-provided c_nonce
 * value" and "the creation time of the JWT … is within an acceptable window".
 *
 * With `key_attestation` (D.1): "the Credential Issuer MUST validate that the JWT used as a proof is
 * signed by a key contained in the attestation" — any attested key, not necessarily the first. The key
 * is the one the header names (`jwk` or `x5c` must equal an attested key; `kid` names an attested key
 * by its `kid` member or by its index, as in the spec's example `"kid": "0"`); without one, the attested
 * keys are tried in order. F.1: "If the Credential Issuer provided a c_nonce, the nonce claim in the key
 * attestation MUST be set to a server-provided c_nonce", and the attestation's `alg` "MUST match one of
 * the values listed in the proof_signing_alg_values_supported".
 *
 * Error mapping (§8.3.1.1): anything wrong with a proof or its attestation → `invalid_proof`, a proof
 * without a c_nonce when one is required → `invalid_proof`, a c_nonce that is not (or no longer) valid →
 * `invalid_nonce`. The nonce is checked last, once per distinct value, so a forged proof never consumes
 * a nonce and a batch sharing one c_nonce consumes it once.
 */
import type { KeyObject } from 'node:crypto';
import { type Certificate, toCertificate } from '@mynakit/pki';
import { type AttesterTrust, attesterTrustOf } from './attester-trust.js';
import { type Oid4vciCheck, Oid4vciError } from './errors.js';
import {
  ASYMMETRIC_JWS_ALGORITHMS,
  decodeJwsHeader,
  decodeX5c,
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
import { epochSeconds, type JsonObject, LIMITS, own, Reader, requireDate } from './json.js';
import {
  type KeyAttestationsRequired,
  type VerifiedKeyAttestation,
  verifyKeyAttestationContent,
} from './key-attestation.js';
import { checkNonces, type ExpectedNonce } from './nonce-response.js';

/** The `typ` of a key proof JWT (Appendix F.1, RFC 8725 §3.11). */
export const PROOF_JWT_TYP = 'openid4vci-proof+jwt';

/** Input of `createProofJwt` (Wallet). */
export interface CreateProofJwtInput {
  /** The key the Credential is to be bound to (private). One of `privateKey` or `signer`. */
  readonly privateKey?: PrivateKeyInput;
  /** A signer holding that key (a secure element); its `alg` is used. */
  readonly signer?: JwsSigner;
  /** JWS alg; default from `privateKey`. */
  readonly alg?: string;
  /** The public key for the `jwk` header; taken from `privateKey` when absent (needed with a signer). */
  readonly publicJwk?: PublicJwk;
  /** A key attestation JWT (Appendix D.1) that attests this key, put in the `key_attestation` header. */
  readonly keyAttestation?: string;
  /** A `kid` header instead of `jwk` (e.g. the key's index in `attested_keys`, or a DID URL). */
  readonly kid?: string;
  /** An `x5c` header instead of `jwk`: a certificate for the key first (DER). */
  readonly x5c?: readonly Uint8Array[];
  /** Put the `jwk` header even with a key attestation (default: only without attestation, kid or x5c). */
  readonly includeJwk?: boolean;
  /** The Credential Issuer Identifier (`aud`). */
  readonly audience: string;
  /** The c_nonce from the Nonce Endpoint. */
  readonly nonce?: string;
  /** The proof's creation time (`iat`). */
  readonly iat: Date;
  /** The client_id (`iss`); omit after anonymous pre-authorized access. */
  readonly issuer?: string;
}

/** Creates a key proof JWT (Appendix F.1). */
export async function createProofJwt(input: CreateProofJwtInput): Promise<string> {
  requireDate(input.iat, 'iat');
  if (typeof input.audience !== 'string' || input.audience.length === 0)
    throw new TypeError('audience is required');
  if ((input.privateKey === undefined) === (input.signer === undefined))
    throw new TypeError('give exactly one of privateKey or signer');
  const key = input.signer ?? toPrivateKeyObject(input.privateKey as PrivateKeyInput);
  const alg =
    input.signer !== undefined ? input.signer.alg : (input.alg ?? joseAlgorithmFor(key as KeyObject));
  if (!ASYMMETRIC_JWS_ALGORITHMS.includes(alg))
    throw new TypeError('alg must be an asymmetric JWS algorithm');
  const named = (input.kid !== undefined ? 1 : 0) + (input.x5c !== undefined ? 1 : 0);
  const withJwk = input.includeJwk ?? (named === 0 && input.keyAttestation === undefined);
  if (named + (withJwk ? 1 : 0) > 1) throw new TypeError('use at most one of jwk, kid and x5c');
  const header: Record<string, unknown> = { typ: PROOF_JWT_TYP, alg };
  if (withJwk) {
    const jwk =
      input.publicJwk ?? (input.privateKey !== undefined ? publicJwkOf(key as KeyObject) : undefined);
    if (jwk === undefined) throw new TypeError('publicJwk is required with a signer');
    header.jwk = publicJwkOf(toPublicKeyObject(jwk as PublicKeyInput));
  }
  if (input.kid !== undefined) header.kid = input.kid;
  if (input.x5c !== undefined) header.x5c = encodeX5c(input.x5c);
  if (input.keyAttestation !== undefined) header.key_attestation = input.keyAttestation;
  const payload: Record<string, unknown> = {};
  if (input.issuer !== undefined) payload.iss = input.issuer;
  payload.aud = input.audience;
  payload.iat = epochSeconds(input.iat);
  if (input.nonce !== undefined) payload.nonce = input.nonce;
  return signJws(header, payload, key);
}

/** Options of `verifyProofJwt` (issuer). */
export interface VerifyProofJwtOptions {
  /** The verification time. */
  readonly now: Date;
  /** The Credential Issuer Identifier the proof must be addressed to (`aud`). */
  readonly credentialIssuer: string;
  /** `proof_signing_alg_values_supported` of the requested configuration (also binds the attestation's alg). */
  readonly allowedAlgorithms: readonly string[];
  /**
   * The c_nonce: the exact value, or a check against the issuer's nonce store. Absent: the issuer has no
   * Nonce Endpoint and proofs need no nonce.
   */
  readonly nonce?: ExpectedNonce;
  /** The client_id of an authenticated client: a proof's `iss`, when present, must equal it. */
  readonly clientId?: string;
  /** Oldest acceptable `iat`, in seconds before `now` (default 300). */
  readonly maxAgeSeconds?: number;
  /** Tolerated clock difference for an `iat` in the future and the attestation's `exp` (default 60). */
  readonly clockSkewSeconds?: number;
  /** The issuer's `key_attestations_required`: when given, every proof must carry a key attestation meeting it. */
  readonly keyAttestationsRequired?: KeyAttestationsRequired;
  /**
   * Certificates that may end a key attestation's `x5c` chain, or an AttesterTrust over them (which keeps
   * the chains it validated: pass the same one to every request).
   */
  readonly keyAttestationTrustAnchors?: readonly (Certificate | Uint8Array | string)[] | AttesterTrust;
  /** Most keys one attestation may carry (default 16). */
  readonly maxAttestedKeys?: number;
  /** Resolves a `kid` header (e.g. a DID URL) when no key attestation is present; absent: such proofs fail. */
  readonly resolveKid?: (kid: string) => PublicKeyInput | undefined | Promise<PublicKeyInput | undefined>;
}

/** A key proof that verified: the key to bind the Credential to, and what vouched for it. */
export interface VerifiedProof {
  readonly alg: string;
  /** The key that signed the proof. */
  readonly publicKey: KeyObject;
  /** The same key as a public JWK. */
  readonly publicJwk: PublicJwk;
  readonly iat: Date;
  readonly nonce?: string;
  readonly iss?: string;
  /** The verified key attestation, when the proof carried one. */
  readonly keyAttestation?: VerifiedKeyAttestation;
  /** The index of the signing key in the attestation's `attested_keys`. */
  readonly attestedKeyIndex?: number;
}

const DEFAULT_MAX_AGE_SECONDS = 300;
const DEFAULT_SKEW_SECONDS = 60;
const MAX_PROOF_X5C = 8;
/** The most proofs one request may carry whatever the batch size (parseCredentialRequest's own bound). */
const MAX_PROOFS_PER_REQUEST = 100;

const fail = (check: Oid4vciCheck, message: string): never => {
  throw new Oid4vciError('invalid_proof', check, `key proof: ${message}`);
};

function trustOf(options: VerifyProofJwtOptions): AttesterTrust | undefined {
  const anchors = options.keyAttestationTrustAnchors;
  return anchors === undefined ? undefined : attesterTrustOf(anchors);
}

/** Everything of F.4 except the nonce's validity (which the caller checks once per distinct value). */
async function verifyProofContent(
  jwt: unknown,
  options: VerifyProofJwtOptions,
  trust: AttesterTrust | undefined,
): Promise<VerifiedProof> {
  const now = requireDate(options.now, 'now');
  const { header, compact } = decodeJwsHeader(jwt, 'invalid_proof', 'proof.decode', 'key proof');
  if (!typIs(own(header, 'typ'), PROOF_JWT_TYP)) fail('proof.typ', `typ must be ${PROOF_JWT_TYP}`);
  const alg = own(header, 'alg');
  if (typeof alg !== 'string' || !ASYMMETRIC_JWS_ALGORITHMS.includes(alg))
    return fail('proof.alg', 'alg must be an asymmetric signature algorithm (not none, not a MAC)');
  if (!options.allowedAlgorithms.includes(alg)) return fail('proof.alg', 'alg is not one the issuer accepts');

  const hasJwk = Object.hasOwn(header, 'jwk');
  const hasKid = Object.hasOwn(header, 'kid');
  const hasX5c = Object.hasOwn(header, 'x5c');
  const hasAttestation = Object.hasOwn(header, 'key_attestation');
  const named = (hasJwk ? 1 : 0) + (hasKid ? 1 : 0) + (hasX5c ? 1 : 0);
  if (named > 1) fail('proof.key', 'the header may carry only one of jwk, kid and x5c');
  if (named === 0 && !hasAttestation)
    fail('proof.key', 'the header carries no key (jwk, kid, x5c or key_attestation)');

  const headerJwk = hasJwk ? readPublicJwk(own(header, 'jwk'), (m) => fail('proof.key', m)) : undefined;
  let x5cKey: KeyObject | undefined;
  if (hasX5c) {
    const chain = decodeX5c(own(header, 'x5c'), MAX_PROOF_X5C);
    if (chain === undefined) return fail('proof.key', 'x5c is not a list of base64 certificates');
    try {
      x5cKey = toCertificate(chain[0] as Uint8Array).publicKey;
    } catch {
      return fail('proof.key', 'the x5c certificate does not parse');
    }
  }
  const kid = hasKid
    ? new Reader('invalid_proof', 'proof.key', 'key proof').stringValue(own(header, 'kid'), 'kid', 512)
    : undefined;

  let attestation: VerifiedKeyAttestation | undefined;
  let candidates: { key: KeyObject; index?: number }[];
  if (hasAttestation) {
    if (trust === undefined || trust.anchors.length === 0)
      return fail(
        'proof.key',
        'the proof carries a key attestation but no attestation trust anchors are configured',
      );
    attestation = await verifyKeyAttestationContent(
      own(header, 'key_attestation'),
      {
        now,
        trustAnchors: [],
        allowedAlgorithms: options.allowedAlgorithms,
        ...(options.keyAttestationsRequired === undefined
          ? {}
          : { requirements: options.keyAttestationsRequired }),
        requireExp: true,
        ...(options.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: options.clockSkewSeconds }),
        ...(options.maxAttestedKeys === undefined ? {} : { maxAttestedKeys: options.maxAttestedKeys }),
      },
      trust,
    );
    const keys = attestation.attestedPublicKeys;
    const indexOf = (k: KeyObject) => keys.findIndex((a) => a.equals(k));
    let index = -1;
    if (headerJwk !== undefined || x5cKey !== undefined) {
      index = indexOf((headerJwk?.key ?? x5cKey) as KeyObject);
      if (index < 0) fail('proof.unattested_key', 'the key in the header is not one of the attested keys');
      candidates = [{ key: keys[index] as KeyObject, index }];
    } else if (kid !== undefined) {
      index = attestation.attestedKeys.findIndex((j) => j.kid === kid);
      if (index < 0 && /^(0|[1-9][0-9]{0,2})$/.test(kid) && Number(kid) < keys.length) index = Number(kid);
      if (index < 0) fail('proof.unattested_key', 'kid names none of the attested keys');
      candidates = [{ key: keys[index] as KeyObject, index }];
    } else {
      candidates = keys.map((key, i) => ({ key, index: i }));
    }
  } else {
    if (options.keyAttestationsRequired !== undefined)
      fail('key_attestation.missing', 'the issuer requires a key attestation (key_attestation header)');
    if (headerJwk !== undefined) candidates = [{ key: headerJwk.key }];
    else if (x5cKey !== undefined) candidates = [{ key: x5cKey }];
    else {
      const resolved = options.resolveKid === undefined ? undefined : await options.resolveKid(kid as string);
      if (resolved === undefined) return fail('proof.key', 'the kid cannot be resolved to a key');
      candidates = [{ key: toPublicKeyObject(resolved) }];
    }
  }

  let claims: JsonObject | undefined;
  let signer: { key: KeyObject; index?: number } | undefined;
  for (const c of candidates) {
    claims = await verifyJws(compact, c.key, alg, (m) => fail('proof.decode', m));
    if (claims !== undefined) {
      signer = c;
      break;
    }
  }
  if (claims === undefined || signer === undefined)
    return candidates.length > 1 || (hasAttestation && named === 0)
      ? fail('proof.unattested_key', 'the proof is not signed by any of the attested keys')
      : fail('proof.signature', 'the signature does not verify with the key in the header');

  const aud = own(claims, 'aud');
  const audOk =
    aud === options.credentialIssuer ||
    (Array.isArray(aud) && aud.length <= LIMITS.maxArrayItems && aud.includes(options.credentialIssuer));
  if (!audOk) fail('proof.aud', 'aud is not this Credential Issuer Identifier');
  const iat = own(claims, 'iat');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return fail('proof.iat', 'iat is missing');
  const nowSeconds = now.getTime() / 1000;
  if (iat > nowSeconds + (options.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS))
    fail('proof.iat', 'iat is in the future');
  if (iat < nowSeconds - (options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS))
    fail('proof.iat', 'the proof is too old');
  const r: Reader = new Reader('invalid_proof', 'proof.decode', 'key proof');
  const iss = r.optionalString(claims, 'iss', LIMITS.maxStringChars, 'proof.iss');
  if (iss !== undefined && options.clientId !== undefined && iss !== options.clientId)
    fail('proof.iss', 'iss is not the client_id of this client');
  const nonce = r.optionalString(claims, 'nonce', LIMITS.maxStringChars, 'proof.nonce_missing');
  if (options.nonce !== undefined) {
    if (nonce === undefined) fail('proof.nonce_missing', 'the proof carries no c_nonce');
    if (attestation !== undefined && attestation.nonce === undefined)
      fail('key_attestation.nonce_missing', 'the key attestation carries no c_nonce');
  }
  return {
    alg,
    publicKey: signer.key,
    publicJwk: publicJwkOf(signer.key),
    iat: new Date(iat * 1000),
    ...(nonce === undefined ? {} : { nonce }),
    ...(iss === undefined ? {} : { iss }),
    ...(attestation === undefined ? {} : { keyAttestation: attestation }),
    ...(signer.index === undefined ? {} : { attestedKeyIndex: signer.index }),
  };
}

/** Checks the c_nonces of verified proofs: each distinct value once, proofs' first. */
async function checkProofNonces(
  proofs: readonly VerifiedProof[],
  expected: ExpectedNonce | undefined,
): Promise<void> {
  if (expected === undefined) return;
  const inProofs = new Set<string>();
  for (const p of proofs) if (p.nonce !== undefined) inProofs.add(p.nonce);
  const inAttestations = new Set<string>();
  for (const p of proofs) {
    const n = p.keyAttestation?.nonce;
    if (n !== undefined && !inProofs.has(n)) inAttestations.add(n);
  }
  await checkNonces(inProofs, expected, 'proof.nonce');
  await checkNonces(inAttestations, expected, 'key_attestation.nonce');
}

/**
 * Verifies one key proof JWT (Appendix F.1, F.4) and its key attestation if it carries one. Throws
 * `Oid4vciError`: `invalid_proof` (check `proof.*` / `key_attestation.*`) or `invalid_nonce`.
 */
export async function verifyProofJwt(jwt: string, options: VerifyProofJwtOptions): Promise<VerifiedProof> {
  const proof = await verifyProofContent(jwt, options, trustOf(options));
  await checkProofNonces([proof], options.nonce);
  return proof;
}

/**
 * Verifies every proof of a Credential Request (`proofs.jwt`, as returned by `parseCredentialRequest`)
 * — all must verify — then their c_nonces, each distinct value once. Returns one result per proof, in
 * order.
 */
export async function verifyCredentialRequestProofs(
  proofs: readonly string[],
  options: VerifyProofJwtOptions,
): Promise<VerifiedProof[]> {
  if (!Array.isArray(proofs) || proofs.length === 0)
    throw new Oid4vciError(
      'invalid_proof',
      'credential_request.proofs',
      'Credential Request: proofs are missing',
    );
  if (proofs.length > MAX_PROOFS_PER_REQUEST)
    throw new Oid4vciError(
      'invalid_credential_request',
      'credential_request.proof_count',
      `Credential Request: more than ${MAX_PROOFS_PER_REQUEST} proofs`,
    );
  const trust = trustOf(options);
  const out: VerifiedProof[] = [];
  for (const p of proofs) out.push(await verifyProofContent(p, options, trust));
  await checkProofNonces(out, options.nonce);
  return out;
}
