import { bytesEqual, CborError, type CborMap, type CborValue, decode, encode } from '@mynakit/cbor';
import { CoseError } from './errors.js';

/**
 * COSE header parameters (RFC 9052 §3).
 *
 *   Headers = ( protected : empty_or_serialized_map, unprotected : header_map )
 *   empty_or_serialized_map = bstr .cbor header_map / bstr .size 0
 *
 * The protected header is kept as the byte string received: signatures cover those bytes, so they are
 * never re-encoded (RFC 9052 §4.4 "body_protected").
 */
export const HeaderLabel = {
  alg: 1,
  crit: 2,
  contentType: 3,
  kid: 4,
  iv: 5,
  partialIv: 6,
  /** RFC 9596: the media type of the whole message (e.g. "application/statuslist+cwt"). */
  typ: 16,
  /** RFC 9360 */
  x5bag: 32,
  /** RFC 9360: a single certificate as bstr, or an array of bstr, leaf first. */
  x5chain: 33,
  x5t: 34,
  x5u: 35,
} as const;

/**
 * Header labels whose meaning this package implements (alg, crit, content type, kid, x5chain); anything
 * else listed in `crit` is rejected unless the caller says it processes it (see `checkCriticalHeaders`).
 */
export const UNDERSTOOD_HEADER_LABELS: ReadonlySet<CborValue> = new Set<CborValue>([1, 2, 3, 4, 33]);

/**
 * body_protected for Sig_structure / MAC_structure (RFC 9052 §4.4, §6.3): the protected-header bstr
 * exactly as received, except that a header with no parameters is a zero-length bstr even when it was
 * sent as an encoded empty map h'A0' (§3: recipients accept both; the structures use the empty form).
 */
export function bodyProtected(protectedBytes: Uint8Array, protectedHeaders: CborMap): Uint8Array {
  return protectedHeaders.size === 0 ? new Uint8Array(0) : protectedBytes;
}

/** Decodes the protected-header bstr: zero length means an empty map (RFC 9052 §3). */
export function decodeProtectedHeader(bytes: Uint8Array): CborMap {
  if (bytes.length === 0) return new Map();
  let v: CborValue;
  try {
    v = decode(bytes);
  } catch (cause) {
    throw new CoseError('COSE_DECODE', 'protected header is not well-formed CBOR', { cause });
  }
  if (!(v instanceof Map)) throw new CoseError('COSE_DECODE', 'protected header is not a map');
  return v;
}

/** Encodes a protected header map; an empty map becomes a zero-length bstr (RFC 9052 §3). */
export function encodeProtectedHeader(map: CborMap): Uint8Array {
  if (map.size === 0) return new Uint8Array(0);
  try {
    return encode(map);
  } catch (cause) {
    throw new CoseError('COSE_HEADER', 'protected header cannot be encoded', { cause });
  }
}

/**
 * The `crit` rules of RFC 9052 §3.1, the one implementation every COSE reader of the repository uses:
 *
 * - "When present, the 'crit' header parameter MUST be placed in the protected header bucket. The
 *   array MUST have at least one value in it."
 * - every label it lists names a protected header parameter the recipient must understand: a label
 *   outside `understood` (the parameters the caller actually processes) fails the message, as does a
 *   listed label that the protected header does not carry.
 *
 * Throws CoseError('COSE_HEADER') with the reason `criticalHeaderProblem` gives.
 */
export function checkCriticalHeaders(
  protectedHeaders: CborMap,
  understood: ReadonlySet<CborValue> = UNDERSTOOD_HEADER_LABELS,
  unprotectedHeaders?: CborMap,
): void {
  const problem = criticalHeaderProblem(protectedHeaders, understood, unprotectedHeaders);
  if (problem !== undefined) throw new CoseError('COSE_HEADER', problem);
}

/**
 * Why a message fails the `crit` rules of RFC 9052 §3.1 (see `checkCriticalHeaders`), or undefined
 * when it does not — for verifiers that report rather than throw. Without `crit` it costs one map
 * lookup (plus one on a non-empty unprotected header) and allocates nothing.
 */
export function criticalHeaderProblem(
  protectedHeaders: CborMap,
  understood: ReadonlySet<CborValue> = UNDERSTOOD_HEADER_LABELS,
  unprotectedHeaders?: CborMap,
): string | undefined {
  if (
    unprotectedHeaders !== undefined &&
    unprotectedHeaders.size !== 0 &&
    unprotectedHeaders.has(HeaderLabel.crit)
  )
    return 'crit (label 2) must be in the protected header (RFC 9052 §3.1)';
  const crit = protectedHeaders.size === 0 ? undefined : protectedHeaders.get(HeaderLabel.crit);
  if (crit === undefined) return undefined;
  if (!Array.isArray(crit) || crit.length === 0) return 'crit must be a non-empty array (RFC 9052 §3.1)';
  // Bounded by the protected header the signer wrote, which the caller has already decoded.
  for (const label of crit) {
    if ((typeof label !== 'number' && typeof label !== 'string') || !understood.has(label))
      return `crit lists header parameter ${typeof label === 'number' ? label : typeof label === 'string' ? JSON.stringify(label) : 'of a non-label type'}, which is not processed`;
    if (!protectedHeaders.has(label))
      return `crit lists header parameter ${String(label)}, which the protected header lacks`;
  }
  return undefined;
}

/** `checkCriticalHeaders` with this package's own labels (kept for the callers inside it). */
export function checkCritical(protectedHeaders: CborMap, unprotectedHeaders?: CborMap): void {
  checkCriticalHeaders(protectedHeaders, UNDERSTOOD_HEADER_LABELS, unprotectedHeaders);
}

/** The algorithm from the protected header; COSE_HEADER when absent (RFC 9052 §3.1: alg must be protected). */
export function protectedAlg(protectedHeaders: CborMap): CborValue {
  if (!protectedHeaders.has(HeaderLabel.alg)) {
    throw new CoseError('COSE_HEADER', 'alg (label 1) is missing from the protected header');
  }
  return protectedHeaders.get(HeaderLabel.alg);
}

/**
 * The algorithm identifier of a message's protected header (label 1; RFC 9052 §3.1: "This parameter
 * MUST be authenticated where the ability to do so exists"), or undefined when it is absent or not an
 * integer. Never taken from the unprotected header, nor from the key.
 */
export function protectedAlgorithm(message: { readonly protectedHeaders: CborMap }): number | undefined {
  const alg = message.protectedHeaders.get(HeaderLabel.alg);
  return typeof alg === 'number' ? alg : undefined;
}

const EMPTY_HEADER: CborMap = new Map();
/** `{1: alg}` header maps, one per algorithm (few: the identifiers are one byte). */
const ALG_ONLY_HEADERS = new Map<number, CborMap>();

/**
 * The protected header of a received message as a map, for reading only: the header every ISO/IEC
 * 18013-5 signer writes, `{1: alg}` with a one-byte algorithm, is decoded once per algorithm and the
 * map shared (as is the empty map of a zero-length header); anything else is decoded. COSE_DECODE
 * when the bytes are not a CBOR map.
 */
export function readProtectedHeader(bytes: Uint8Array): CborMap {
  if (bytes.length === 0) return EMPTY_HEADER;
  if (bytes.length === 3 && bytes[0] === 0xa1 && bytes[1] === 0x01) {
    const b = bytes[2] as number;
    const alg = b < 0x18 ? b : b >= 0x20 && b < 0x38 ? 0x1f - b : undefined;
    if (alg !== undefined) {
      let m = ALG_ONLY_HEADERS.get(alg);
      if (!m) {
        m = new Map([[HeaderLabel.alg, alg]]);
        ALG_ONLY_HEADERS.set(alg, m);
      }
      return m;
    }
  }
  return decodeProtectedHeader(bytes);
}

const NO_CHAIN: readonly Uint8Array[] = Object.freeze([]);

/**
 * Default bound on the certificates of a received x5chain. RFC 9360 §2 sets none; a chain is read before
 * any signature is checked, so its length is bounded: a signer certificate and its intermediates up to a
 * trust anchor — ISO/IEC 18013-5 Annex B has no intermediate at all — fit well within 8.
 */
export const X5CHAIN_MAX_CERTIFICATES = 8;

function chainForm(v: CborValue, max: number): readonly Uint8Array[] {
  if (v instanceof Uint8Array) return [v];
  if (Array.isArray(v) && v.length > max)
    throw new CoseError(
      'COSE_LIMIT',
      `x5chain holds ${v.length} certificates, more than ${max} (x5chain limit)`,
    );
  if (Array.isArray(v) && v.length > 0) {
    let ok = true;
    for (const c of v) if (!(c instanceof Uint8Array)) ok = false;
    if (ok) return v as Uint8Array[];
  }
  throw new CoseError('COSE_HEADER', 'x5chain must be a bstr or a non-empty array of bstr (RFC 9360 §2)');
}

function sameChain(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!bytesEqual(a[i] as Uint8Array, b[i] as Uint8Array)) return false;
  return true;
}

/**
 * `x5chain` (label 33, RFC 9360 §2) as DER certificates, leaf first; empty when absent. RFC 9052 §3:
 * "Applications SHOULD verify that the same label does not occur in both the protected and unprotected
 * header parameters. If the message is not rejected as malformed, attributes MUST be obtained from the
 * protected bucket". So: from the protected header when it is there; a message carrying it in both
 * headers is rejected (COSE_HEADER) unless both name the same certificates byte for byte; otherwise
 * from the unprotected header. A chain of more than `maxCertificates` (default
 * `X5CHAIN_MAX_CERTIFICATES`) is refused with COSE_LIMIT before its elements are looked at. Two
 * lookups; nothing is copied (a single bstr becomes a one-element array).
 */
export function x5chainOf(
  protectedHeaders: CborMap,
  unprotectedHeaders: CborMap,
  maxCertificates: number = X5CHAIN_MAX_CERTIFICATES,
): readonly Uint8Array[] {
  if (!Number.isSafeInteger(maxCertificates) || maxCertificates < 1)
    throw new RangeError('x5chainOf: maxCertificates must be a positive integer');
  const p = protectedHeaders.size === 0 ? undefined : protectedHeaders.get(HeaderLabel.x5chain);
  const u = unprotectedHeaders.size === 0 ? undefined : unprotectedHeaders.get(HeaderLabel.x5chain);
  if (p === undefined) return u === undefined ? NO_CHAIN : chainForm(u, maxCertificates);
  const chain = chainForm(p, maxCertificates);
  if (u !== undefined && !sameChain(chain, chainForm(u, maxCertificates)))
    throw new CoseError(
      'COSE_HEADER',
      'x5chain is in both the protected and the unprotected header, with different certificates',
    );
  return chain;
}

/**
 * The value of an `x5chain` header for DER certificates, leaf first (RFC 9360 §2: "a single certificate
 * is conveyed as a bstr; multiple certificates as an array of bstr"). RangeError for none.
 */
export function x5chainValue(chain: readonly Uint8Array[]): CborValue {
  if (chain.length === 0) throw new RangeError('x5chainValue: an x5chain holds at least one certificate');
  return chain.length === 1 ? (chain[0] as Uint8Array) : [...chain];
}

/** Decodes CBOR bytes for a COSE structure, mapping CBOR errors to COSE_DECODE (the cause keeps the CBOR code). */
export function decodeCoseInput(bytes: Uint8Array): CborValue {
  try {
    return decode(bytes);
  } catch (cause) {
    if (cause instanceof CborError)
      throw new CoseError('COSE_DECODE', `malformed CBOR: ${cause.message}`, { cause });
    throw cause;
  }
}
