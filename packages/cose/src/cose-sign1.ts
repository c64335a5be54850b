import { bytesEqual, type CborMap, type CborValue, encode, Tagged } from '@mynakit/cbor';
import { signatureAlgorithm } from './algorithms.js';
import { CoseError } from './errors.js';
import {
  asHeaderMap,
  bodyProtected,
  checkCritical,
  checkCriticalHeaders,
  decodeCoseInput,
  decodeProtectedHeader,
  encodeProtectedHeader,
  protectedAlg,
  x5chainOf,
} from './headers.js';
import { type KeyInput, toKeyObject, toPublicKeyObject } from './key-input.js';
import { sigStructure1 } from './sig-structure.js';
import { signBytes, verifyBytes } from './signature.js';

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
export class CoseSign1 {
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
  let v = input instanceof Uint8Array ? decodeCoseInput(input) : input;
  let tagged = false;
  if (v instanceof Tagged) {
    if (v.tag !== 18) throw new CoseError('COSE_DECODE', `COSE_Sign1 carries tag ${v.tag}, not 18`);
    v = v.value;
    tagged = true;
  }
  if (!Array.isArray(v) || v.length !== 4)
    throw new CoseError('COSE_DECODE', 'COSE_Sign1 is not an array of four');
  const [prot, unprot, payload, signature] = v;
  if (!(prot instanceof Uint8Array))
    throw new CoseError('COSE_DECODE', 'COSE_Sign1 protected header is not a bstr');
  if (!(payload instanceof Uint8Array) && payload !== null) {
    throw new CoseError('COSE_DECODE', 'COSE_Sign1 payload is neither bstr nor nil');
  }
  if (!(signature instanceof Uint8Array))
    throw new CoseError('COSE_DECODE', 'COSE_Sign1 signature is not a bstr');
  return new CoseSign1(
    prot,
    decodeProtectedHeader(prot),
    asHeaderMap(unprot, 'COSE_Sign1 unprotected header'),
    payload,
    signature,
    tagged,
  );
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
export function sign1ToBeSigned(sign1: CoseSign1, options?: Sign1PayloadOptions): Uint8Array {
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

export interface SignSign1Options {
  /** Must hold `alg` (label 1); it decides the algorithm. */
  readonly protectedHeaders: CborMap;
  readonly unprotectedHeaders?: CborMap;
  /** The payload to attach, or null for a detached payload (then `detachedPayload` is what is signed). */
  readonly payload: Uint8Array | null;
  readonly detachedPayload?: Uint8Array;
  /** Private key fitting `alg`. */
  readonly key: KeyInput;
  readonly externalAad?: Uint8Array;
  /** Emit with tag 18 from `encode()`. Default false (ISO 18013-5 embeds COSE_Sign1 untagged). */
  readonly tagged?: boolean;
}

/** Creates a COSE_Sign1; the protected header is encoded deterministically (empty map → zero-length bstr). */
export async function signSign1(options: SignSign1Options): Promise<CoseSign1> {
  const alg = signatureAlgorithm(protectedAlg(options.protectedHeaders));
  checkCritical(options.protectedHeaders, options.unprotectedHeaders);
  const protectedBytes = encodeProtectedHeader(options.protectedHeaders);
  if (options.payload === null && options.detachedPayload === undefined) {
    throw new CoseError('COSE_MISSING_PAYLOAD', 'a detached COSE_Sign1 needs detachedPayload to sign');
  }
  const payload = resolvePayload(options.payload, options.detachedPayload);
  const toBeSigned = sigStructure1(protectedBytes, options.externalAad ?? new Uint8Array(0), payload);
  const signature = signBytes(alg, toKeyObject(options.key), toBeSigned);
  return new CoseSign1(
    protectedBytes,
    options.protectedHeaders,
    options.unprotectedHeaders ?? new Map(),
    options.payload,
    signature,
    options.tagged ?? false,
  );
}
