/**
 * The parts of COSE (RFC 9052) that mdoc verification touches on every response, written for speed:
 * reading a COSE_Sign1 / COSE_Mac0 out of an already-decoded response (no second decode, byte
 * strings stay views of the input) and writing Sig_structure / MAC_structure with one allocation and
 * no re-encoding of their byte-string parts.
 *
 *   COSE_Sign1 = [ protected : bstr .cbor header_map / bstr .size 0, unprotected : header_map,
 *                  payload : bstr / nil, signature : bstr ]                         ; RFC 9052 §4.2
 *   Sig_structure = [ "Signature1", body_protected : empty_or_serialized_map,
 *                     external_aad : bstr, payload : bstr ]                          ; RFC 9052 §4.4
 *   COSE_Mac0 = [ protected, unprotected, payload : bstr / nil, tag : bstr ]         ; RFC 9052 §6.2
 *   MAC_structure = [ "MAC0", protected : empty_or_serialized_map, external_aad : bstr,
 *                     payload : bstr ]                                               ; RFC 9052 §6.3
 */
import { type CborMap, type CborValue, decode, Tagged } from '@mynakit/cbor';
import { CoseError, checkCriticalHeaders, x5chainOf as coseX5chainOf } from '@mynakit/cose';
import { LIMITS, MdocLimitError } from '../limits.js';
import { fail } from './shape.js';

export interface CoseMessage {
  /** The protected header bstr exactly as received. */
  readonly protectedBytes: Uint8Array;
  readonly protectedHeaders: CborMap;
  readonly unprotectedHeaders: CborMap;
  /** null when detached. */
  readonly payload: Uint8Array | null;
  /** Signature (Sign1) or tag (Mac0). */
  readonly signatureOrTag: Uint8Array;
}

const EMPTY_MAP: CborMap = new Map();

/** Reads a COSE_Sign1 (tag 18 optional) or COSE_Mac0 (tag 17 optional) from a decoded value. */
export function readCoseMessage(value: CborValue, kind: 'Sign1' | 'Mac0', where: string): CoseMessage {
  let v = value;
  if (v instanceof Tagged) {
    if (v.tag !== (kind === 'Sign1' ? 18 : 17)) fail(`${where}: unexpected tag ${v.tag} on a COSE_${kind}`);
    v = v.value;
  }
  if (!Array.isArray(v) || v.length !== 4) fail(`${where} must be a COSE_${kind} (an array of four)`);
  const [p, u, payload, sig] = v as [CborValue, CborValue, CborValue, CborValue];
  if (!(p instanceof Uint8Array)) fail(`${where}: protected header must be a byte string`);
  if (!(u instanceof Map)) fail(`${where}: unprotected header must be a map`);
  if (payload !== null && !(payload instanceof Uint8Array))
    fail(`${where}: payload must be a byte string or nil`);
  if (!(sig instanceof Uint8Array))
    fail(`${where}: ${kind === 'Sign1' ? 'signature' : 'tag'} must be a byte string`);
  let protectedHeaders = EMPTY_MAP;
  if (p.length > 0) {
    let h: CborValue;
    try {
      h = decode(p);
    } catch (e) {
      fail(`${where}: protected header: ${(e as Error).message}`, e);
    }
    if (!(h instanceof Map)) fail(`${where}: protected header must encode a map`);
    protectedHeaders = h;
  }
  return { protectedBytes: p, protectedHeaders, unprotectedHeaders: u, payload, signatureOrTag: sig };
}

/** The algorithm (label 1) from the protected header — never from the key (RFC 9052 §3.1). */
export function protectedAlgorithm(m: CoseMessage): number | undefined {
  const alg = m.protectedHeaders.get(1);
  return typeof alg === 'number' ? alg : undefined;
}

/**
 * Header labels the mdoc verifier processes, for the `crit` rule (RFC 9052 §3.1): alg (1) and, for the
 * messages whose signer is a certificate (issuerAuth, readerAuth), x5chain (33). crit (2), content type
 * (3) and kid (4) are parameters of RFC 9052 itself that change nothing here when listed.
 */
export const CERTIFICATE_SIGNED_LABELS: ReadonlySet<CborValue> = new Set<CborValue>([1, 2, 3, 4, 33]);
/** deviceSignature / deviceMac: the key is the MSO's, so an x5chain is not processed. */
export const DEVICE_AUTH_LABELS: ReadonlySet<CborValue> = new Set<CborValue>([1, 2, 3, 4]);

/**
 * The `crit` rule of RFC 9052 §3.1 (implemented once, in @mynakit/cose) for a message read here: why
 * it fails, or undefined. One map lookup when the message has no `crit`.
 */
export function criticalHeaderProblem(
  m: CoseMessage,
  understood: ReadonlySet<CborValue>,
): string | undefined {
  try {
    checkCriticalHeaders(m.protectedHeaders, understood, m.unprotectedHeaders);
    return undefined;
  } catch (e) {
    if (e instanceof CoseError) return e.message;
    throw e;
  }
}

/**
 * x5chain (label 33, RFC 9360 §2): one bstr or an array of bstr, leaf first — from the protected header
 * when it is there, else from the unprotected one (where ISO 18013-5 puts it); a message carrying two
 * different chains is refused (RFC 9052 §3, in @mynakit/cose). Throws CoseError('COSE_HEADER') for
 * that and for a malformed chain, and MdocLimitError('x5chain') for more than LIMITS.x5chain
 * certificates (counted by @mynakit/cose before any element is looked at); [] when absent.
 */
export function x5chainOf(m: CoseMessage): readonly Uint8Array[] {
  try {
    return coseX5chainOf(m.protectedHeaders, m.unprotectedHeaders, LIMITS.x5chain);
  } catch (e) {
    if (e instanceof CoseError && e.code === 'COSE_LIMIT')
      throw new MdocLimitError('x5chain', 'certificates');
    throw e;
  }
}

const SIGNATURE1 = new TextEncoder().encode('Signature1');
const MAC0 = new TextEncoder().encode('MAC0');

function headLength(len: number): number {
  return len < 24 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : 5;
}

function writeBstr(out: Uint8Array, at: number, data: Uint8Array, major = 0x40): number {
  const len = data.length;
  let o = at;
  if (len < 24) out[o++] = major | len;
  else if (len < 0x100) {
    out[o++] = major | 24;
    out[o++] = len;
  } else if (len < 0x10000) {
    out[o++] = major | 25;
    out[o++] = len >> 8;
    out[o++] = len & 0xff;
  } else {
    out[o++] = major | 26;
    out[o++] = len >>> 24;
    out[o++] = (len >>> 16) & 0xff;
    out[o++] = (len >>> 8) & 0xff;
    out[o++] = len & 0xff;
  }
  out.set(data, o);
  return o + len;
}

/**
 * A view of `n` bytes over a shared scratch buffer, for to-be-signed bytes that are handed to a
 * synchronous verification and then dropped: it spares an off-heap allocation per verification. The
 * view is overwritten by the next call — callers must not keep it.
 */
let scratchBuffer = new Uint8Array(4096);
export function scratch(n: number): Uint8Array {
  if (scratchBuffer.length < n) scratchBuffer = new Uint8Array(Math.max(n, scratchBuffer.length * 2));
  return scratchBuffer.subarray(0, n);
}

/** `[context, protected, external_aad, payload]` encoded with preferred heads (RFC 9052 §4.4, §6.3). */
function toBeSignedStructure(
  context: Uint8Array,
  p: Uint8Array,
  aad: Uint8Array,
  payload: Uint8Array,
  transient = false,
): Uint8Array {
  const n =
    1 +
    headLength(context.length) +
    context.length +
    headLength(p.length) +
    p.length +
    headLength(aad.length) +
    aad.length +
    headLength(payload.length) +
    payload.length;
  const out = transient ? scratch(n) : new Uint8Array(n);
  out[0] = 0x84;
  let o = writeBstr(out, 1, context, 0x60);
  o = writeBstr(out, o, p);
  o = writeBstr(out, o, aad);
  writeBstr(out, o, payload);
  return out;
}

const NO_AAD = new Uint8Array(0);

/** Sig_structure bytes; `transient` writes them into the shared scratch buffer (see `scratch`). */
export function sigStructure(
  protectedBytes: Uint8Array,
  payload: Uint8Array,
  externalAad: Uint8Array = NO_AAD,
  transient = false,
): Uint8Array {
  return toBeSignedStructure(SIGNATURE1, protectedBytes, externalAad, payload, transient);
}

export function macStructure(
  protectedBytes: Uint8Array,
  payload: Uint8Array,
  externalAad: Uint8Array = NO_AAD,
): Uint8Array {
  return toBeSignedStructure(MAC0, protectedBytes, externalAad, payload);
}

/** HMAC 256/256 (RFC 9053 §3.1), the only MAC ISO 18013-5 uses for deviceMac. */
export const COSE_ALG_HMAC_256_256 = 5;

/**
 * A COSE_Sign1 value `[protected, unprotected, payload, signature]`. With `payload: null` the
 * signature covers `detachedPayload` (ISO 18013-5 device and reader signatures are detached).
 */
export function buildSign1(input: {
  readonly alg: number;
  readonly sign: (toBeSigned: Uint8Array) => Uint8Array;
  readonly payload: Uint8Array | null;
  readonly detachedPayload?: Uint8Array;
  readonly unprotected?: CborMap;
}): CborValue[] {
  const protectedBytes = encodeProtected(input.alg);
  const signed = input.payload ?? input.detachedPayload;
  if (!signed) fail('a detached COSE_Sign1 needs the detached payload to sign');
  const signature = input.sign(sigStructure(protectedBytes, signed));
  return [protectedBytes, input.unprotected ?? new Map(), input.payload, signature];
}

/** A detached COSE_Mac0 value with HMAC 256/256. */
export function buildMac0(input: {
  readonly mac: (toBeMaced: Uint8Array) => Uint8Array;
  readonly detachedPayload: Uint8Array;
}): CborValue[] {
  const protectedBytes = encodeProtected(COSE_ALG_HMAC_256_256);
  const tag = input.mac(macStructure(protectedBytes, input.detachedPayload));
  return [protectedBytes, new Map(), null, tag];
}

/** `{1: alg}` — the protected header ISO 18013-5 uses, encoded once (a small negative or positive int). */
function encodeProtected(alg: number): Uint8Array {
  if (!Number.isInteger(alg) || alg < -256 || alg > 255) fail('unsupported COSE algorithm identifier');
  if (alg >= 0) return alg < 24 ? Uint8Array.of(0xa1, 0x01, alg) : Uint8Array.of(0xa1, 0x01, 0x18, alg);
  const n = -1 - alg;
  return n < 24 ? Uint8Array.of(0xa1, 0x01, 0x20 | n) : Uint8Array.of(0xa1, 0x01, 0x38, n);
}
