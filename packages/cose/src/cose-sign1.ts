import { bytesEqual, type CborMap, type CborValue, encode, Tagged } from '@mynakit/cbor';
import { type SignatureAlgorithm, signatureAlgorithm, signatureAlgorithmId } from './algorithms.js';
import { type CoseMessage, ownedParts } from './cose-message.js';
import { CoseError } from './errors.js';
import {
  bodyProtected,
  checkCritical,
  checkCriticalHeaders,
  encodeProtectedHeader,
  protectedAlg,
  x5chainOf,
} from './headers.js';
import { type KeyInput, toKeyObject, toPublicKeyObject } from './key-input.js';
import { sigStructure1 } from './sig-structure.js';
import { checkSignatureForm, signBytes, verifyBytes } from './signature.js';

/**
 * COSE_Sign1 (RFC 9052 §4.2):
 *
 *   COSE_Sign1_Tagged = #6.18(COSE_Sign1)
 *   COSE_Sign1 = [
 *     Headers,                       ; protected bstr, unprotected map
 *     payload : bstr / nil,          ; nil = detached
 *     signature : bstr
 *   ]
 *
 * ISO/IEC 18013-5 uses it untagged for issuerAuth (payload = MobileSecurityObjectBytes), deviceSignature
 * and readerAuth (both detached). Tag 18 is optional on input.
 */
export class CoseSign1 implements CoseMessage {
  constructor(
    /** The protected-header bstr content exactly as received (or as encoded when signing). */
    readonly protectedBytes: Uint8Array,
    readonly protectedHeaders: CborMap,
    readonly unprotectedHeaders: CborMap,
    /** null when the payload is detached. */
    readonly payload: Uint8Array | null,
    readonly signature: Uint8Array,
    /** Whether the input carried tag 18. */
    readonly tagged = false,
  ) {}

  /** The `alg` of the protected header, or undefined. */
  get alg(): CborValue {
    return this.protectedHeaders.get(1);
  }

  /** The signature, under the name every received COSE message gives it (see `CoseMessage`). */
  get signatureOrTag(): Uint8Array {
    return this.signature;
  }

  /**
   * `x5chain` (label 33, RFC 9360): leaf first; from the protected header when it is there, else from the
   * unprotected one; [] when absent. COSE_HEADER when both headers carry different chains, COSE_LIMIT when
   * it holds more than `X5CHAIN_MAX_CERTIFICATES` (see `x5chainOf`).
   */
  get x5chain(): Uint8Array[] {
    return [...x5chainOf(this.protectedHeaders, this.unprotectedHeaders)];
  }

  /** The untagged array, for embedding (e.g. IssuerSigned.issuerAuth). */
  toCbor(): CborValue[] {
    return [this.protectedBytes, this.unprotectedHeaders, this.payload, this.signature];
  }

  /** Encoded bytes; tagged with 18 when `tagged` (default: as received / false). */
  encode(options?: { tagged?: boolean }): Uint8Array {
    const arr = this.toCbor();
    return encode((options?.tagged ?? this.tagged) ? new Tagged(18, arr) : arr);
  }
}

/**
 * Decodes a COSE_Sign1 from bytes or from an already decoded value (e.g. `issuerSigned.get('issuerAuth')`).
 * Throws CoseError('COSE_DECODE') on anything that is not one: another tag, wrong arity, wrong types.
 */
export function decodeSign1(input: Uint8Array | CborValue): CoseSign1 {
  return new CoseSign1(...ownedParts(input, 'Sign1'));
}

/** `x5chain` of a COSE_Sign1 (RFC 9360 §2): DER certificates, leaf first; [] when absent. */
export function getX5Chain(sign1: CoseSign1): Uint8Array[] {
  return sign1.x5chain;
}

function resolvePayload(attached: Uint8Array | null, detached: Uint8Array | undefined): Uint8Array {
  if (attached === null) {
    if (detached === undefined)
      throw new CoseError('COSE_MISSING_PAYLOAD', 'payload is detached and none was supplied');
    return detached;
  }
  if (detached !== undefined && !bytesEqual(attached, detached)) {
    throw new CoseError(
      'COSE_PAYLOAD_MISMATCH',
      'the attached payload differs from the detached payload supplied',
    );
  }
  return attached;
}

export interface Sign1PayloadOptions {
  /** The payload when the message's payload is nil. If the payload is attached, it must be byte-equal. */
  readonly detachedPayload?: Uint8Array;
  /** external_aad (RFC 9052 §4.3); empty by default. */
  readonly externalAad?: Uint8Array;
}

/** The exact Sig_structure bytes a COSE_Sign1's signature covers. */
export function sign1ToBeSigned(sign1: CoseMessage, options?: Sign1PayloadOptions): Uint8Array {
  const payload = resolvePayload(sign1.payload, options?.detachedPayload);
  return sigStructure1(
    bodyProtected(sign1.protectedBytes, sign1.protectedHeaders),
    options?.externalAad ?? new Uint8Array(0),
    payload,
  );
}

export interface VerifySign1Options extends Sign1PayloadOptions {
  /** The public key (a private key also works: its public half is used). */
  readonly key: KeyInput;
  /**
   * Header labels the caller processes, for the `crit` rule (RFC 9052 §3.1); default
   * `UNDERSTOOD_HEADER_LABELS`. A profile that checks more (e.g. `typ`, label 16) lists them here.
   */
  readonly understoodHeaders?: ReadonlySet<CborValue>;
}

/**
 * Verifies a COSE_Sign1 with the algorithm of its protected header. Resolves true or false for the
 * signature itself; rejects with CoseError for what makes verification meaningless: malformed input
 * (COSE_DECODE), no or unknown `alg` (COSE_HEADER, COSE_UNSUPPORTED_ALG), a key of another type or
 * curve (COSE_ALG_KEY_MISMATCH, COSE_KEY_INVALID), an unknown critical header, or no payload
 * (COSE_MISSING_PAYLOAD, COSE_PAYLOAD_MISMATCH).
 */
export async function verifySign1(
  sign1: CoseSign1 | Uint8Array | CborValue,
  options: VerifySign1Options,
): Promise<boolean> {
  const s = sign1 instanceof CoseSign1 ? sign1 : decodeSign1(sign1);
  checkCriticalHeaders(s.protectedHeaders, options.understoodHeaders, s.unprotectedHeaders);
  const alg = signatureAlgorithm(protectedAlg(s.protectedHeaders));
  const key = toPublicKeyObject(options.key);
  const toBeSigned = sign1ToBeSigned(s, options);
  return verifyBytes(alg, key, toBeSigned, s.signature);
}

/**
 * A signer that holds its key elsewhere (a KMS, an HSM, a secure element): it is given the
 * Sig_structure bytes and returns the COSE signature — r ‖ s for ECDSA (RFC 9053 §2.1), not DER.
 */
export interface CoseSigner {
  /** The COSE algorithm it signs with: its IANA name ("ES256", "EdDSA"…) or its identifier (-7…). */
  readonly algorithm: string | number;
  sign(toBeSigned: Uint8Array): Promise<Uint8Array>;
}

export interface SignSign1Options {
  /** Must hold `alg` (label 1); it decides the algorithm. */
  readonly protectedHeaders: CborMap;
  readonly unprotectedHeaders?: CborMap;
  /** The payload to attach, or null for a detached payload (then `detachedPayload` is what is signed). */
  readonly payload: Uint8Array | null;
  readonly detachedPayload?: Uint8Array;
  /** Private key fitting `alg`; or give `signer` instead. */
  readonly key?: KeyInput;
  /** A signer holding the key elsewhere (instead of `key`); its algorithm must be `alg`. */
  readonly signer?: CoseSigner;
  readonly externalAad?: Uint8Array;
  /** Emit with tag 18 from `encode()`. Default false (ISO 18013-5 embeds COSE_Sign1 untagged). */
  readonly tagged?: boolean;
}

/**
 * A COSE_Sign1 about to be signed: its algorithm, the exact Sig_structure bytes to sign, and what
 * turns the signature into the message. For signers that are not a key at hand (see `CoseSigner`), and
 * for callers that sign synchronously.
 */
export interface PreparedSign1 {
  readonly algorithm: SignatureAlgorithm;
  readonly toBeSigned: Uint8Array;
  /** The message with `signature`, which must be of the algorithm's form (COSE_CRYPTO otherwise). */
  complete(signature: Uint8Array): CoseSign1;
  /** Signs synchronously with a private key that fits the algorithm (COSE_ALG_KEY_MISMATCH otherwise). */
  signWith(key: KeyInput): CoseSign1;
}

/**
 * Prepares a COSE_Sign1 (RFC 9052 §4.4): checks `alg` (and the `crit` rule), encodes the protected
 * header deterministically (an empty map becomes a zero-length bstr) and writes the Sig_structure.
 */
export function prepareSign1(options: Omit<SignSign1Options, 'key' | 'signer'>): PreparedSign1 {
  const algorithm = signatureAlgorithm(protectedAlg(options.protectedHeaders));
  checkCritical(options.protectedHeaders, options.unprotectedHeaders);
  const protectedBytes = encodeProtectedHeader(options.protectedHeaders);
  if (options.payload === null && options.detachedPayload === undefined) {
    throw new CoseError('COSE_MISSING_PAYLOAD', 'a detached COSE_Sign1 needs detachedPayload to sign');
  }
  const payload = resolvePayload(options.payload, options.detachedPayload);
  const toBeSigned = sigStructure1(protectedBytes, options.externalAad ?? new Uint8Array(0), payload);
  const complete = (signature: Uint8Array): CoseSign1 => {
    checkSignatureForm(algorithm, signature);
    return new CoseSign1(
      protectedBytes,
      options.protectedHeaders,
      options.unprotectedHeaders ?? new Map(),
      options.payload,
      signature,
      options.tagged ?? false,
    );
  };
  return {
    algorithm,
    toBeSigned,
    complete,
    signWith: (key) => complete(signBytes(algorithm, toKeyObject(key), toBeSigned)),
  };
}

/**
 * Creates a COSE_Sign1 with a private key (`key`) or a signer (`signer`, whose algorithm must be the
 * protected header's `alg`: COSE_ALG_KEY_MISMATCH otherwise).
 */
export async function signSign1(options: SignSign1Options): Promise<CoseSign1> {
  const prepared = prepareSign1(options);
  const alg = prepared.algorithm;
  if (options.signer !== undefined) {
    if (options.key !== undefined) throw new TypeError('signSign1: give key or signer, not both');
    if (signatureAlgorithmId(options.signer.algorithm) !== alg.id)
      throw new CoseError('COSE_ALG_KEY_MISMATCH', `the signer's algorithm is not ${alg.name}`);
    let signature: Uint8Array;
    try {
      signature = await options.signer.sign(prepared.toBeSigned);
    } catch (cause) {
      throw new CoseError('COSE_CRYPTO', `${alg.name} signing failed in the signer`, { cause });
    }
    return prepared.complete(signature);
  }
  if (options.key === undefined) throw new TypeError('signSign1: give key or signer');
  return prepared.signWith(options.key);
}
