import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto';
import { bytesEqual, type CborMap, type CborValue, encode, Tagged } from '@mynakit/cbor';
import { type MacAlgorithm, macAlgorithm } from './algorithms.js';
import { type CoseMessage, ownedParts } from './cose-message.js';
import { CoseError } from './errors.js';
import {
  bodyProtected,
  checkCritical,
  checkCriticalHeaders,
  encodeProtectedHeader,
  protectedAlg,
} from './headers.js';
import { macStructure0 } from './mac-structure.js';

/**
 * COSE_Mac0 (RFC 9052 §6.2):
 *
 *   COSE_Mac0_Tagged = #6.17(COSE_Mac0)
 *   COSE_Mac0 = [ Headers, payload : bstr / nil, tag : bstr ]
 *
 * ISO/IEC 18013-5 §9.1.3.5 deviceMac: HMAC 256/256 (alg 5) with EMacKey, payload detached
 * (DeviceAuthenticationBytes).
 */
export class CoseMac0 implements CoseMessage {
  constructor(
    readonly protectedBytes: Uint8Array,
    readonly protectedHeaders: CborMap,
    readonly unprotectedHeaders: CborMap,
    readonly payload: Uint8Array | null,
    readonly tag: Uint8Array,
    readonly tagged = false,
  ) {}

  /** The `alg` of the protected header, or undefined. */
  get alg(): CborValue {
    return this.protectedHeaders.get(1);
  }

  /** The tag, under the name every received COSE message gives it (see `CoseMessage`). */
  get signatureOrTag(): Uint8Array {
    return this.tag;
  }

  toCbor(): CborValue[] {
    return [this.protectedBytes, this.unprotectedHeaders, this.payload, this.tag];
  }

  encode(options?: { tagged?: boolean }): Uint8Array {
    const arr = this.toCbor();
    return encode((options?.tagged ?? this.tagged) ? new Tagged(17, arr) : arr);
  }
}

/** Decodes a COSE_Mac0 from bytes or a decoded value; tag 17 optional. COSE_DECODE otherwise. */
export function decodeMac0(input: Uint8Array | CborValue): CoseMac0 {
  return new CoseMac0(...ownedParts(input, 'Mac0'));
}

export type MacKey = Uint8Array | KeyObject;

function macKeyBytes(key: MacKey): Uint8Array | KeyObject {
  if (key instanceof Uint8Array) return key;
  if (key.type !== 'secret') throw new CoseError('COSE_ALG_KEY_MISMATCH', 'HMAC needs a secret key');
  return key;
}

function computeTag(algId: CborValue, key: MacKey, data: Uint8Array): { tag: Uint8Array; length: number } {
  const alg = macAlgorithm(algId);
  return { tag: macOf(alg, key, data), length: alg.tagLength };
}

function macOf(alg: MacAlgorithm, key: MacKey, data: Uint8Array): Uint8Array {
  const full = createHmac(alg.hash, macKeyBytes(key)).update(data).digest();
  return new Uint8Array(full.buffer, full.byteOffset, alg.tagLength);
}

/**
 * Whether `tag` is the MAC of `data` (the MAC_structure) under `key` with `alg` (RFC 9053 §3.1:
 * HMAC truncated to the algorithm's length), compared in constant time; false for a tag of another
 * length. Synchronous, for verifiers that report rather than throw.
 */
export function macVerifies(alg: MacAlgorithm, key: MacKey, data: Uint8Array, tag: Uint8Array): boolean {
  const expected = macOf(alg, key, data);
  return tag.length === expected.length && timingSafeEqual(expected, tag);
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

export interface Mac0PayloadOptions {
  readonly detachedPayload?: Uint8Array;
  readonly externalAad?: Uint8Array;
}

/** The exact MAC_structure bytes a COSE_Mac0's tag covers. */
export function mac0ToBeMaced(mac0: CoseMessage, options?: Mac0PayloadOptions): Uint8Array {
  return macStructure0(
    bodyProtected(mac0.protectedBytes, mac0.protectedHeaders),
    options?.externalAad ?? new Uint8Array(0),
    resolvePayload(mac0.payload, options?.detachedPayload),
  );
}

export interface VerifyMac0Options extends Mac0PayloadOptions {
  readonly key: MacKey;
  /** Header labels the caller processes, for the `crit` rule (RFC 9052 §3.1); see VerifySign1Options. */
  readonly understoodHeaders?: ReadonlySet<CborValue>;
}

/**
 * Verifies a COSE_Mac0 with the algorithm of its protected header (constant-time comparison).
 * Resolves true/false for the tag; rejects with CoseError like `verifySign1` for structural problems.
 */
export async function verifyMac0(
  mac0: CoseMac0 | Uint8Array | CborValue,
  options: VerifyMac0Options,
): Promise<boolean> {
  const m = mac0 instanceof CoseMac0 ? mac0 : decodeMac0(mac0);
  checkCriticalHeaders(m.protectedHeaders, options.understoodHeaders, m.unprotectedHeaders);
  const alg = macAlgorithm(protectedAlg(m.protectedHeaders));
  return macVerifies(alg, options.key, mac0ToBeMaced(m, options), m.tag);
}

export interface CreateMac0Options {
  /** Must hold `alg` (label 1), e.g. `new Map([[1, 5]])` for HMAC 256/256. */
  readonly protectedHeaders: CborMap;
  readonly unprotectedHeaders?: CborMap;
  readonly payload: Uint8Array | null;
  readonly detachedPayload?: Uint8Array;
  readonly key: MacKey;
  readonly externalAad?: Uint8Array;
  readonly tagged?: boolean;
}

/** Creates a COSE_Mac0 (RFC 9052 §6.2): the protected header encoded deterministically, then the tag. */
export async function createMac0(options: CreateMac0Options): Promise<CoseMac0> {
  const algId = protectedAlg(options.protectedHeaders);
  macAlgorithm(algId);
  checkCritical(options.protectedHeaders, options.unprotectedHeaders);
  const protectedBytes = encodeProtectedHeader(options.protectedHeaders);
  const payload = resolvePayload(options.payload, options.detachedPayload);
  const { tag } = computeTag(
    algId,
    options.key,
    macStructure0(protectedBytes, options.externalAad ?? new Uint8Array(0), payload),
  );
  return new CoseMac0(
    protectedBytes,
    options.protectedHeaders,
    options.unprotectedHeaders ?? new Map(),
    options.payload,
    tag,
    options.tagged ?? false,
  );
}
