/**
 * SessionTranscriptBytes — ISO/IEC 18013-5:2021 §9.1.5.1:
 *
 *   SessionTranscript = [
 *     DeviceEngagementBytes,   ; or null (ISO 18013-7, OpenID4VP)
 *     EReaderKeyBytes,         ; or null
 *     Handover
 *   ]
 *   SessionTranscriptBytes = #6.24(bstr .cbor SessionTranscript)
 *
 * Only the wrapper lives here; the channel-specific builders (proximity, Annex C, OpenID4VP…) are in
 * `transcripts/`. A transcript handed to a verifier is used byte-exact: it is never decoded,
 * validated or re-encoded, because older and newer handover forms must all keep verifying and any
 * re-encoding would change what the signatures cover.
 */
import { MdocError } from './errors.js';

interface Head {
  major: number;
  value: number;
  /** Offset just after the head. */
  end: number;
}

/** Reads one CBOR head (RFC 8949 §3) without interpreting the content; preferred or not. */
function readHead(b: Uint8Array, at: number): Head | undefined {
  if (at >= b.length) return undefined;
  const ib = b[at] as number;
  const major = ib >> 5;
  const ai = ib & 0x1f;
  if (ai < 24) return { major, value: ai, end: at + 1 };
  const size = ai === 24 ? 1 : ai === 25 ? 2 : ai === 26 ? 4 : ai === 27 ? 8 : 0;
  if (size === 0 || at + 1 + size > b.length) return undefined;
  let value = 0;
  for (let i = 1; i <= size; i++) value = value * 256 + (b[at + i] as number);
  if (!Number.isSafeInteger(value)) return undefined;
  return { major, value, end: at + 1 + size };
}

/** Where the embedded item of a `#6.24(bstr)` starts and ends, or undefined if `b` is not exactly one. */
function embeddedSpan(b: Uint8Array): { start: number; end: number } | undefined {
  const tag = readHead(b, 0);
  if (tag?.major !== 6 || tag.value !== 24) return undefined;
  const bstr = readHead(b, tag.end);
  if (bstr?.major !== 2) return undefined;
  if (bstr.end + bstr.value !== b.length) return undefined;
  return { start: bstr.end, end: b.length };
}

/** True when the bytes begin with tag 24 (in any head width), i.e. they claim to be SessionTranscriptBytes. */
export function startsWithTag24(b: Uint8Array): boolean {
  const tag = readHead(b, 0);
  return tag !== undefined && tag.major === 6 && tag.value === 24;
}

/** The size of the preferred head of a byte string of `length` bytes (RFC 8949 §4.2.1). */
export function bstrHeadSize(length: number): number {
  if (length > 0xffffffff) throw new MdocError('MDOC_INVALID_ARGUMENT', 'item too large to embed');
  return length < 24 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
}

/** Writes that head at `at` of `out`; returns the offset after it. */
export function writeBstrHead(out: Uint8Array, at: number, length: number): number {
  const size = bstrHeadSize(length);
  out[at] = size === 1 ? 0x40 | length : size === 2 ? 0x58 : size === 3 ? 0x59 : 0x5a; // 1, 2 or 4 bytes follow
  for (let i = size - 1, v = length; i > 0; i--, v = Math.floor(v / 256)) out[at + i] = v & 0xff;
  return at + size;
}

/** The preferred head of a byte string of `length` bytes (RFC 8949 §4.2.1). */
export function bstrHead(length: number): Uint8Array {
  const out = new Uint8Array(bstrHeadSize(length));
  writeBstrHead(out, 0, length);
  return out;
}

/**
 * Accepts SessionTranscriptBytes (tag 24) or a bare SessionTranscript and returns the
 * SessionTranscriptBytes: tag-24 input is returned as it is; bare input is wrapped in tag 24
 * without being decoded or re-encoded. Throws `MDOC_DECODE` only when the input claims tag 24 but
 * its byte string does not span exactly the rest of the input.
 */
export function toSessionTranscriptBytes(transcript: Uint8Array): Uint8Array {
  if (startsWithTag24(transcript)) {
    if (!embeddedSpan(transcript)) {
      throw new MdocError(
        'MDOC_DECODE',
        'SessionTranscriptBytes: tag 24 is not followed by one byte string spanning the input',
      );
    }
    return transcript;
  }
  if (transcript.length === 0) throw new MdocError('MDOC_DECODE', 'SessionTranscript is empty');
  return wrapInTag24(transcript);
}

/** `#6.24(bstr .cbor X)` of already-encoded `inner`, with preferred heads (d8 18 + bstr head + inner). */
export function wrapInTag24(inner: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + bstrHeadSize(inner.length) + inner.length);
  out[0] = 0xd8;
  out[1] = 0x18;
  out.set(inner, writeBstrHead(out, 2, inner.length));
  return out;
}

/**
 * The bare SessionTranscript inside SessionTranscriptBytes (a zero-copy view), which structures such
 * as DeviceAuthentication and ReaderAuthentication embed as it is.
 */
export function sessionTranscriptOf(sessionTranscriptBytes: Uint8Array): Uint8Array {
  const span = embeddedSpan(sessionTranscriptBytes);
  if (!span)
    throw new MdocError('MDOC_DECODE', 'not SessionTranscriptBytes (#6.24(bstr .cbor SessionTranscript))');
  return sessionTranscriptBytes.subarray(span.start, span.end);
}
