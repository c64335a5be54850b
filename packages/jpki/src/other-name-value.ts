import { JpkiError } from './errors.js';

/**
 * The value of a JPKI SubjectAltName otherName.
 *
 * RFC 5280 §4.2.1.6:
 *   OtherName ::= SEQUENCE {
 *        type-id    OBJECT IDENTIFIER,
 *        value      [0] EXPLICIT ANY DEFINED BY type-id }
 * JPKI defines every basic-four value as a UTF8String (J-LIS profile). This file encodes that UTF8String and
 * decodes it from either the bare UTF8String TLV or the `[0] EXPLICIT` wrapper around it, so it works with
 * any certificate reader. For interoperability it also reads the other DirectoryString choices
 * (PrintableString, IA5String, BMPString) but always writes UTF8String.
 */

const TAG_UTF8 = 0x0c;
const TAG_PRINTABLE = 0x13;
const TAG_IA5 = 0x16;
const TAG_BMP = 0x1e;
const TAG_EXPLICIT_0 = 0xa0;

function readTlv(der: Uint8Array, offset: number): { tag: number; start: number; end: number } {
  const tag = der[offset];
  let len = der[offset + 1];
  if (tag === undefined || len === undefined) throw malformed('truncated');
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw malformed('unsupported length form');
    len = 0;
    for (let i = 0; i < n; i++) {
      const b = der[start + i];
      if (b === undefined) throw malformed('truncated length');
      len = len * 256 + b;
    }
    start += n;
  }
  const end = start + len;
  if (end > der.length) throw malformed('length beyond the data');
  return { tag, start, end };
}

function malformed(why: string): JpkiError {
  return new JpkiError('BASIC_FOUR_MALFORMED', `otherName value is not a well-formed string (${why})`);
}

/** Decodes a UTF8String (or another DirectoryString choice), optionally wrapped in `[0] EXPLICIT`. */
export function decodeOtherNameString(der: Uint8Array): string {
  let tlv = readTlv(der, 0);
  if (tlv.tag === TAG_EXPLICIT_0) {
    if (tlv.end !== der.length) throw malformed('trailing data');
    const inner = readTlv(der, tlv.start);
    if (inner.end !== tlv.end) throw malformed('trailing data');
    tlv = inner;
  } else if (tlv.end !== der.length) {
    throw malformed('trailing data');
  }
  const body = der.subarray(tlv.start, tlv.end);
  switch (tlv.tag) {
    case TAG_UTF8:
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(body);
      } catch (e) {
        throw new JpkiError('BASIC_FOUR_MALFORMED', 'otherName UTF8String is not valid UTF-8', { cause: e });
      }
    case TAG_PRINTABLE:
    case TAG_IA5:
      return String.fromCharCode(...body);
    case TAG_BMP: {
      if (body.length % 2 !== 0) throw malformed('odd BMPString length');
      let s = '';
      for (let i = 0; i < body.length; i += 2)
        s += String.fromCharCode(((body[i] ?? 0) << 8) | (body[i + 1] ?? 0));
      return s;
    }
    default:
      throw malformed(`unexpected tag 0x${tlv.tag.toString(16)}`);
  }
}

/** DER UTF8String TLV of a string (the otherName value inside `[0] EXPLICIT`). */
export function encodeUtf8String(text: string): Uint8Array {
  const body = new TextEncoder().encode(text);
  const len = body.length;
  let head: number[];
  if (len < 0x80) head = [TAG_UTF8, len];
  else if (len < 0x100) head = [TAG_UTF8, 0x81, len];
  else if (len < 0x10000) head = [TAG_UTF8, 0x82, len >> 8, len & 0xff];
  else throw new JpkiError('INVALID_ARGUMENT', 'otherName value too long');
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}
