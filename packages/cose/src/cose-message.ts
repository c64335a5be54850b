import { type CborMap, type CborValue, LeanReader, Tagged } from '@mynakit/cbor';
import { CoseError } from './errors.js';
import { decodeCoseInput, readProtectedHeader } from './headers.js';

/**
 * A received COSE_Sign1 (RFC 9052 §4.2) or COSE_Mac0 (§6.2), read without a second decoding pass:
 *
 *   COSE_Sign1 = [ protected : empty_or_serialized_map, unprotected : header_map,
 *                  payload : bstr / nil, signature : bstr ]          ; tagged #6.18, optional
 *   COSE_Mac0  = [ protected : empty_or_serialized_map, unprotected : header_map,
 *                  payload : bstr / nil, tag : bstr ]                ; tagged #6.17, optional
 *
 * Every byte string is a view of the received bytes; the protected header is kept as received (what
 * Sig_structure and MAC_structure cover) next to its decoded map, which is for reading only (maps of
 * the common `{1: alg}` header are shared, see `readProtectedHeader`).
 */
export interface CoseMessage {
  /** The protected header bstr exactly as received. */
  readonly protectedBytes: Uint8Array;
  /** The protected header decoded; do not modify (it may be shared). */
  readonly protectedHeaders: CborMap;
  readonly unprotectedHeaders: CborMap;
  /** null when the payload is detached. */
  readonly payload: Uint8Array | null;
  /** The signature (COSE_Sign1) or the tag (COSE_Mac0). */
  readonly signatureOrTag: Uint8Array;
}

/** Which of the two single-recipient structures is expected. */
export type CoseMessageKind = 'Sign1' | 'Mac0';

const TAG: Readonly<Record<CoseMessageKind, number>> = { Sign1: 18, Mac0: 17 };
const LAST: Readonly<Record<CoseMessageKind, string>> = { Sign1: 'signature', Mac0: 'tag' };

function malformed(kind: CoseMessageKind, what: string): never {
  throw new CoseError('COSE_DECODE', `COSE_${kind} ${what}`);
}

/**
 * Reads a COSE_Sign1 or COSE_Mac0 from an already decoded value (tag 18 / 17 optional), e.g.
 * `issuerSigned.get('issuerAuth')`. CoseError('COSE_DECODE') for anything else: another tag, another
 * arity, parts of the wrong type, a protected header that is not a CBOR map.
 */
export function readCoseMessage(value: CborValue, kind: CoseMessageKind): CoseMessage {
  let v = value;
  if (v instanceof Tagged) {
    if (v.tag !== TAG[kind]) malformed(kind, `carries tag ${v.tag}, not ${TAG[kind]}`);
    v = v.value;
  }
  if (!Array.isArray(v) || v.length !== 4) malformed(kind, 'is not an array of four');
  const [p, u, payload, last] = v as [CborValue, CborValue, CborValue, CborValue];
  if (!(p instanceof Uint8Array)) malformed(kind, 'protected header is not a bstr');
  if (!(u instanceof Map)) malformed(kind, 'unprotected header is not a map');
  if (payload !== null && !(payload instanceof Uint8Array))
    malformed(kind, 'payload is neither bstr nor nil');
  if (!(last instanceof Uint8Array)) malformed(kind, `${LAST[kind]} is not a bstr`);
  return {
    protectedBytes: p,
    protectedHeaders: readProtectedHeader(p),
    unprotectedHeaders: u,
    payload,
    signatureOrTag: last,
  };
}

/**
 * A message's parts from bytes or a decoded value, in the order the CoseSign1 / CoseMac0 constructors
 * take them — with a protected-header map of its own (the one `readCoseMessage` gives may be shared,
 * and this one is handed to the caller) and whether tag 18 / 17 was there.
 */
export function ownedParts(
  input: Uint8Array | CborValue,
  kind: CoseMessageKind,
): [Uint8Array, CborMap, CborMap, Uint8Array | null, Uint8Array, boolean] {
  const v = input instanceof Uint8Array ? decodeCoseInput(input) : input;
  const m = readCoseMessage(v, kind);
  return [
    m.protectedBytes,
    new Map(m.protectedHeaders),
    m.unprotectedHeaders,
    m.payload,
    m.signatureOrTag,
    v instanceof Tagged,
  ];
}

const NO_UNPROTECTED: CborMap = new Map();

/**
 * Reads a COSE_Sign1 or COSE_Mac0 in place, at the cursor of a reader over the received bytes (e.g. a
 * whole ISO/IEC 18013-5 DeviceResponse): byte strings are views of those bytes, the empty unprotected
 * header `a0` is a shared map, and an attached payload can be read where it lies by `readPayload`
 * (called with the cursor at the payload's content and the reader limited to it; it must read it
 * whole). Throws CoseError('COSE_DECODE') on a wrong shape, or the reader's CborError on malformed CBOR.
 */
export function readCoseMessageAt(
  r: LeanReader,
  kind: CoseMessageKind,
  readPayload?: (r: LeanReader) => void,
): CoseMessage {
  if (r.peekMajor() === 6 && r.tagHead() !== TAG[kind])
    malformed(kind, `carries another tag than ${TAG[kind]}`);
  if (r.peekMajor() !== 4 || r.arrayHead() !== 4) malformed(kind, 'is not an array of four');
  if (r.peekMajor() !== 2) malformed(kind, 'protected header is not a bstr');
  const protectedBytes = r.byteString();
  let unprotectedHeaders: CborMap;
  if (r.pos < r.limit && r.bytes[r.pos] === 0xa0) {
    r.pos++;
    unprotectedHeaders = NO_UNPROTECTED;
  } else {
    if (r.peekMajor() !== 5) malformed(kind, 'unprotected header is not a map');
    unprotectedHeaders = r.value() as CborMap;
  }
  let payload: Uint8Array | null = null;
  if (!r.atNull()) {
    if (r.peekMajor() !== 2) malformed(kind, 'payload is neither bstr nor nil');
    const head = r.pos;
    payload = r.byteString();
    if (readPayload) {
      if (((r.bytes[head] as number) & 0x1f) === 31) {
        // An indefinite-length payload is not contiguous in the input: it is read from its copy.
        const own = new LeanReader(payload);
        readPayload(own);
        own.expectEnd();
      } else {
        const after = r.pos;
        const limit = r.limit;
        r.pos = head;
        r.head(); // the byte-string head again: the cursor is at its content
        r.limit = after;
        readPayload(r);
        if (r.pos !== after) malformed(kind, 'payload has bytes after its item');
        r.limit = limit;
      }
    }
  }
  if (r.peekMajor() !== 2) malformed(kind, `${LAST[kind]} is not a bstr`);
  const signatureOrTag = r.byteString();
  return {
    protectedBytes,
    protectedHeaders: readProtectedHeader(protectedBytes),
    unprotectedHeaders,
    payload,
    signatureOrTag,
  };
}
