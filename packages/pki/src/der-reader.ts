/**
 * A lean, zero-copy DER/BER TLV reader (ITU-T X.690 §8).
 *
 * Why not asn1js: verification hot paths (certificates on every mdoc, CMS SignedData and OCSP
 * responses) must not pay for a schema engine that builds an object per node — asn1js/pkijs parse a
 * small SignedData a few hundred times per second, while the signature check underneath runs tens of
 * thousands of times per second. This reader only slices the input: every element's `bytes` and `value`
 * are subarrays of the buffer it was given, so what a signature covers (a TBSCertificate, signed
 * attributes, ResponseData) is hashed exactly as received.
 *
 * Interoperable on input: definite lengths in non-minimal form and BER indefinite lengths on
 * constructed elements are accepted (streamed CMS uses them); constructed string encodings are joined
 * by `readOctetString`. Anything that runs past its container is a `DER_MALFORMED` PkiError.
 */
import { Buffer } from 'node:buffer';
import { PkiError } from './errors.js';

/** Identifier octets of the universal types and the tag classes we meet (X.690 §8.1.2). */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** `[n]` primitive (IMPLICIT over a primitive type). */
export const contextPrimitive = (n: number): number => 0x80 | n;
/** `[n]` constructed (EXPLICIT, or IMPLICIT over a constructed type). */
export const contextConstructed = (n: number): number => 0xa0 | n;

export interface DerElement {
  /** First identifier octet (class, constructed bit and tag number when < 31). */
  readonly tag: number;
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  readonly tagClass: number;
  readonly constructed: boolean;
  readonly tagNumber: number;
  /** The whole TLV, a view into the input. */
  readonly bytes: Uint8Array;
  /** The contents octets, a view into the input (without the end-of-contents octets). */
  readonly value: Uint8Array;
  readonly indefinite: boolean;
}

const MAX_DEPTH = 64;

function malformed(message: string): PkiError {
  return new PkiError('DER_MALFORMED', message);
}

/** Reads one element starting at `offset`, not beyond `end`. */
export function readElementAt(buf: Uint8Array, offset: number, end = buf.length, depth = 0): DerElement {
  if (depth > MAX_DEPTH) throw malformed('nesting too deep');
  let p = offset;
  if (p >= end) throw malformed('unexpected end of data');
  const first = buf[p++]!;
  const tagClass = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let tagNumber = first & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    for (let i = 0; ; i++) {
      if (p >= end || i > 4) throw malformed('bad high tag number');
      const b = buf[p++]!;
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= end) throw malformed('missing length');
  const l0 = buf[p++]!;
  let length: number;
  let indefinite = false;
  if (l0 < 0x80) {
    length = l0;
  } else if (l0 === 0x80) {
    if (!constructed) throw malformed('indefinite length on a primitive element');
    indefinite = true;
    length = -1;
  } else {
    const n = l0 & 0x7f;
    if (n > 4) throw malformed('length too large');
    length = 0;
    for (let i = 0; i < n; i++) {
      if (p >= end) throw malformed('truncated length');
      length = length * 256 + buf[p++]!;
    }
  }
  const contentStart = p;
  let contentEnd: number;
  let elementEnd: number;
  if (indefinite) {
    let q = contentStart;
    for (;;) {
      if (q + 1 < end && buf[q] === 0 && buf[q + 1] === 0) {
        contentEnd = q;
        elementEnd = q + 2;
        break;
      }
      const child = readElementAt(buf, q, end, depth + 1);
      q = child.bytes.byteOffset - buf.byteOffset + child.bytes.length;
    }
  } else {
    contentEnd = contentStart + length;
    if (contentEnd > end) throw malformed('element runs past its container');
    elementEnd = contentEnd;
  }
  return {
    tag: first,
    tagClass,
    constructed,
    tagNumber,
    bytes: buf.subarray(offset, elementEnd),
    value: buf.subarray(contentStart, contentEnd),
    indefinite,
  };
}

/** Sequential reader over the children of a constructed element (or over a buffer of TLVs). */
export class DerReader {
  private pos: number;
  private readonly end: number;

  constructor(
    private readonly buf: Uint8Array,
    private readonly depth = 0,
  ) {
    this.pos = 0;
    this.end = buf.length;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  peek(): DerElement | undefined {
    if (this.done) return undefined;
    return readElementAt(this.buf, this.pos, this.end, this.depth);
  }

  next(what = 'element'): DerElement {
    if (this.done) throw malformed(`missing ${what}`);
    const el = readElementAt(this.buf, this.pos, this.end, this.depth);
    this.pos += el.bytes.length;
    return el;
  }

  /** Reads the next element, which must carry `tag`. */
  expect(tag: number, what: string): DerElement {
    const el = this.next(what);
    if (el.tag !== tag)
      throw malformed(`${what}: expected tag 0x${tag.toString(16)}, got 0x${el.tag.toString(16)}`);
    return el;
  }

  /** Reads the next element only when it carries `tag` (OPTIONAL and DEFAULT fields). */
  optional(tag: number): DerElement | undefined {
    const el = this.peek();
    if (el === undefined || el.tag !== tag) return undefined;
    this.pos += el.bytes.length;
    return el;
  }

  /** All remaining elements. */
  rest(): DerElement[] {
    const out: DerElement[] = [];
    while (!this.done) out.push(this.next());
    return out;
  }

  /** Asserts that nothing is left (trailing data inside a structure is malformed). */
  finish(what: string): void {
    if (!this.done) throw malformed(`${what}: unexpected trailing data`);
  }
}

/** Reads exactly one element spanning the whole buffer. */
export function readDer(bytes: Uint8Array, what = 'DER'): DerElement {
  const el = readElementAt(bytes, 0, bytes.length);
  if (el.bytes.length !== bytes.length) throw malformed(`${what}: trailing data after the element`);
  return el;
}

/** A reader over the children of a constructed element. */
export function children(el: DerElement, what = 'structure'): DerReader {
  if (!el.constructed) throw malformed(`${what}: expected a constructed element`);
  return new DerReader(el.value);
}

// ---- primitive decoders ----

export function readBigInt(el: DerElement): bigint {
  if (el.value.length === 0) throw malformed('empty INTEGER');
  let v = 0n;
  for (const b of el.value) v = (v << 8n) | BigInt(b);
  if ((el.value[0]! & 0x80) !== 0) v -= 1n << BigInt(el.value.length * 8);
  return v;
}

export function readSmallInt(el: DerElement): number {
  const v = readBigInt(el);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
    throw malformed('INTEGER too large');
  return Number(v);
}

export function readBoolean(el: DerElement): boolean {
  if (el.value.length !== 1) throw malformed('bad BOOLEAN');
  return el.value[0] !== 0;
}

export function readOid(el: DerElement): string {
  const v = el.value;
  if (v.length === 0) throw malformed('empty OBJECT IDENTIFIER');
  if (v[v.length - 1]! & 0x80) throw malformed('truncated OBJECT IDENTIFIER');
  let out = '';
  let acc = 0;
  let big: bigint | undefined; // arcs beyond 2^53 (e.g. 2.25 UUID OIDs)
  let first = true;
  for (let i = 0; i < v.length; i++) {
    const b = v[i]!;
    if (big !== undefined) big = (big << 7n) | BigInt(b & 0x7f);
    else if (acc >= 2 ** 45) big = (BigInt(acc) << 7n) | BigInt(b & 0x7f);
    else acc = acc * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (first) {
        first = false;
        if (big !== undefined) out = `2.${big - 80n}`;
        else out = acc < 40 ? `0.${acc}` : acc < 80 ? `1.${acc - 40}` : `2.${acc - 80}`;
      } else {
        out += `.${big !== undefined ? big : acc}`;
      }
      acc = 0;
      big = undefined;
    }
  }
  return out;
}

export interface BitString {
  readonly unusedBits: number;
  readonly bytes: Uint8Array;
}

export function readBitString(el: DerElement): BitString {
  if (el.constructed) throw malformed('constructed BIT STRING is not supported');
  if (el.value.length === 0) throw malformed('empty BIT STRING');
  const unusedBits = el.value[0]!;
  if (unusedBits > 7) throw malformed('bad BIT STRING');
  return { unusedBits, bytes: el.value.subarray(1) };
}

/** OCTET STRING contents; a BER constructed encoding is joined (copied) into one array. */
export function readOctetString(el: DerElement): Uint8Array {
  if (!el.constructed) return el.value;
  const parts: Uint8Array[] = [];
  const r = new DerReader(el.value);
  while (!r.done) parts.push(readOctetString(r.next()));
  return concatBytes(parts);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes any ASN.1 character string type used in names and certificates. */
export function readString(el: DerElement): string {
  const v = el.constructed ? readOctetString(el) : el.value;
  switch (el.tag & ~0x20) {
    case Tag.UTF8_STRING:
      try {
        return utf8.decode(v);
      } catch (cause) {
        throw new PkiError('DER_MALFORMED', 'invalid UTF8String', { cause });
      }
    case Tag.BMP_STRING: {
      let s = '';
      for (let i = 0; i + 1 < v.length; i += 2) s += String.fromCharCode((v[i]! << 8) | v[i + 1]!);
      return s;
    }
    case Tag.UNIVERSAL_STRING: {
      let s = '';
      for (let i = 0; i + 3 < v.length; i += 4)
        s += String.fromCodePoint(((v[i]! << 24) | (v[i + 1]! << 16) | (v[i + 2]! << 8) | v[i + 3]!) >>> 0);
      return s;
    }
    case Tag.PRINTABLE_STRING:
    case Tag.IA5_STRING:
    case Tag.VISIBLE_STRING:
    case Tag.NUMERIC_STRING:
    case Tag.T61_STRING:
      return latin1(v);
    default:
      throw malformed(`not a character string (tag 0x${el.tag.toString(16)})`);
  }
}

export function isStringTag(tag: number): boolean {
  switch (tag & ~0x20) {
    case Tag.UTF8_STRING:
    case Tag.BMP_STRING:
    case Tag.UNIVERSAL_STRING:
    case Tag.PRINTABLE_STRING:
    case Tag.IA5_STRING:
    case Tag.VISIBLE_STRING:
    case Tag.NUMERIC_STRING:
    case Tag.T61_STRING:
      return true;
    default:
      return false;
  }
}

function latin1(v: Uint8Array): string {
  let s = '';
  for (let i = 0; i < v.length; i++) s += String.fromCharCode(v[i]!);
  return s;
}

/**
 * An INTEGER as the serial-number text form used across the package: lowercase hex of the magnitude,
 * even length, `-` for negatives. Fast path without bigint for the usual non-negative case.
 */
export function readIntegerHex(el: DerElement): string {
  const v = el.value;
  if (v.length === 0) throw malformed('empty INTEGER');
  if ((v[0]! & 0x80) !== 0) {
    const n = -readBigInt(el);
    const h = n.toString(16);
    return `-${h.length % 2 ? `0${h}` : h}`;
  }
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return toHex(v.subarray(i));
}

const d2 = (v: Uint8Array, i: number): number => (v[i]! - 48) * 10 + (v[i + 1]! - 48);

function allDigits(v: Uint8Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (v[i]! < 0x30 || v[i]! > 0x39) return false;
  return true;
}

/** Date.UTC with range checks (no silent roll-over of month 13 or day 32). */
function utc(y: number, mo: number, d: number, h: number, mi: number, sec: number, ms = 0): number {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60) throw malformed('time field out of range');
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(sec, 59), ms);
  if (new Date(t).getUTCDate() !== d) throw malformed('day out of range');
  return t;
}

const TIME_RE = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/;

/** UTCTime or GeneralizedTime (RFC 5280 §4.1.2.5; offsets and missing seconds accepted as BER). */
export function readTime(el: DerElement): Date {
  const v = el.value;
  // Fast path for the DER forms: YYMMDDHHMMSSZ and YYYYMMDDHHMMSSZ.
  if (el.tag === Tag.UTC_TIME && v.length === 13 && v[12] === 0x5a && allDigits(v, 12)) {
    const y = d2(v, 0);
    return new Date(utc(y + (y >= 50 ? 1900 : 2000), d2(v, 2), d2(v, 4), d2(v, 6), d2(v, 8), d2(v, 10)));
  }
  if (el.tag === Tag.GENERALIZED_TIME && v.length === 15 && v[14] === 0x5a && allDigits(v, 14)) {
    return new Date(utc(d2(v, 0) * 100 + d2(v, 2), d2(v, 4), d2(v, 6), d2(v, 8), d2(v, 10), d2(v, 12)));
  }
  const s = latin1(el.value);
  const m = TIME_RE.exec(s);
  const isUtc = el.tag === Tag.UTC_TIME;
  if (m === null || (el.tag !== Tag.UTC_TIME && el.tag !== Tag.GENERALIZED_TIME)) throw malformed('bad time');
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  let year = Number(y);
  if (isUtc) {
    if (y!.length !== 2) throw malformed('bad UTCTime');
    year += year >= 50 ? 1900 : 2000; // RFC 5280 §4.1.2.5.1
  } else if (y!.length !== 4) {
    throw malformed('bad GeneralizedTime');
  }
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  let t = utc(year, Number(mo), Number(d), Number(h), Number(mi), Number(sec ?? '0'), ms);
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    t -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
  }
  if (Number.isNaN(t)) throw malformed('bad time');
  return new Date(t);
}

// ---- small byte helpers shared by the package ----

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function fromHex(h: string): Uint8Array {
  const clean = h.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean))
    throw new PkiError('INVALID_ARGUMENT', 'bad hex string');
  return new Uint8Array(Buffer.from(clean, 'hex'));
}
