import { CborError, type CborMap, type CborValue, decode, encode } from '@mynakit/cbor';
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
  /** RFC 9360 */
  x5bag: 32,
  /** RFC 9360: a single certificate as bstr, or an array of bstr, leaf first. */
  x5chain: 33,
  x5t: 34,
  x5u: 35,
} as const;

/** Header labels whose meaning this package implements; anything else in `crit` is rejected. */
const UNDERSTOOD = new Set<CborValue>([1, 2, 3, 4, 33]);

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

/** Checks the `crit` parameter (RFC 9052 §3.1): every listed label must be present and understood. */
export function checkCritical(protectedHeaders: CborMap): void {
  if (!protectedHeaders.has(HeaderLabel.crit)) return;
  const crit = protectedHeaders.get(HeaderLabel.crit);
  if (!Array.isArray(crit) || crit.length === 0)
    throw new CoseError('COSE_HEADER', 'crit must be a non-empty array');
  for (const label of crit) {
    if (!UNDERSTOOD.has(label))
      throw new CoseError('COSE_HEADER', 'crit lists a header parameter that is not understood');
    if (!protectedHeaders.has(label))
      throw new CoseError('COSE_HEADER', 'crit lists a header parameter that is absent');
  }
}

/** The algorithm from the protected header; COSE_HEADER when absent (RFC 9052 §3.1: alg must be protected). */
export function protectedAlg(protectedHeaders: CborMap): CborValue {
  if (!protectedHeaders.has(HeaderLabel.alg)) {
    throw new CoseError('COSE_HEADER', 'alg (label 1) is missing from the protected header');
  }
  return protectedHeaders.get(HeaderLabel.alg);
}

/** `x5chain` (RFC 9360 §2) as certificates, leaf first; [] when absent. Protected header wins over unprotected. */
export function x5chainOf(protectedHeaders: CborMap, unprotectedHeaders: CborMap): Uint8Array[] {
  const v = protectedHeaders.has(HeaderLabel.x5chain)
    ? protectedHeaders.get(HeaderLabel.x5chain)
    : unprotectedHeaders.get(HeaderLabel.x5chain);
  if (v === undefined) return [];
  if (v instanceof Uint8Array) return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((c) => c instanceof Uint8Array)) return v as Uint8Array[];
  throw new CoseError('COSE_HEADER', 'x5chain must be a bstr or a non-empty array of bstr');
}

export function asHeaderMap(v: CborValue, what: string): CborMap {
  if (v instanceof Map) return v;
  throw new CoseError('COSE_DECODE', `${what} is not a map`);
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
