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
 * DER by default (X.690 §10): an indefinite length, a length in more octets than needed, a constructed
 * encoding of a string type, a BOOLEAN other than 00/FF and a BIT STRING with set padding bits are
 * `DER_MALFORMED`. Certificates, CRLs and OCSP responses are DER (RFC 5280 §4.1, RFC 6960 §4.2.1), and
 * reading them strictly means the bytes around a signature cannot be varied: one signed object has one
 * accepted encoding and so one fingerprint. The checks sit in the header reader, so they cost a few
 * comparisons and never a second pass. BER (`ber = true`: indefinite and non-minimal lengths, constructed
 * strings joined by `readOctetString`) is read only where a caller asks for it (streamed CMS). What BER
 * forbids too — non-minimal INTEGERs (§8.3.2), OBJECT IDENTIFIER subidentifiers with a leading 0x80
 * (§8.19.2), non-minimal tag numbers (§8.1.2.4.2) — is rejected always. Anything that runs past its
 * container is a `DER_MALFORMED` PkiError.
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

/**
 * An element as offsets into the input. `bytes` and `value` are views made on first use: most elements
 * a reader walks past are only looked at for their tag or their contents, and a view costs an object.
 */
class Element implements DerElement {
  // Fields are declared, not defined, so that construction is just the constructor's stores.
  declare readonly buf: Uint8Array;
  declare readonly tag: number;
  declare readonly tagNumber: number;
  /** Offsets in `buf`: the identifier, the contents, the end of the contents, the end of the element. */
  declare readonly start: number;
  declare readonly contentStart: number;
  declare readonly contentEnd: number;
  declare readonly end: number;
  declare readonly indefinite: boolean;
  /** Read as BER: its children are read as BER too. */
  declare readonly ber: boolean;
  declare private _bytes: Uint8Array | undefined;
  declare private _value: Uint8Array | undefined;

  constructor(
    buf: Uint8Array,
    tag: number,
    tagNumber: number,
    start: number,
    contentStart: number,
    contentEnd: number,
    end: number,
    indefinite: boolean,
    ber: boolean,
  ) {
    this.buf = buf;
    this.tag = tag;
    this.tagNumber = tagNumber;
    this.start = start;
    this.contentStart = contentStart;
    this.contentEnd = contentEnd;
    this.end = end;
    this.indefinite = indefinite;
    this.ber = ber;
    this._bytes = undefined;
    this._value = undefined;
  }

  get tagClass(): number {
    return this.tag >> 6;
  }

  get constructed(): boolean {
    return (this.tag & 0x20) !== 0;
  }

  get bytes(): Uint8Array {
    if (this._bytes === undefined) this._bytes = this.buf.subarray(this.start, this.end);
    return this._bytes;
  }

  get value(): Uint8Array {
    if (this._value === undefined) this._value = this.buf.subarray(this.contentStart, this.contentEnd);
    return this._value;
  }
}

/** Reads one element starting at `offset`, not beyond `end` (DER unless `ber`). */
export function readElementAt(
  buf: Uint8Array,
  offset: number,
  end = buf.length,
  depth = 0,
  ber = false,
): DerElement {
  return readAt(buf, offset, end, depth, ber);
}

/**
 * A universal-class constructed identifier other than SEQUENCE and SET: in PKIX only the BER
 * constructed form of a string or time type (X.690 §10.2: DER uses the primitive form).
 */
function isConstructedString(first: number): boolean {
  return (first & 0xe0) === 0x20 && first !== 0x30 && first !== 0x31;
}

function readAt(buf: Uint8Array, offset: number, end: number, depth: number, ber: boolean): Element {
  if (depth > MAX_DEPTH) throw malformed('nesting too deep');
  let p = offset;
  if (p >= end) throw malformed('unexpected end of data');
  const first = buf[p++]!;
  const constructed = (first & 0x20) !== 0;
  if (!ber && isConstructedString(first)) throw malformed('constructed string encoding (BER, not DER)');
  let tagNumber = first & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    for (let i = 0; ; i++) {
      if (p >= end || i > 4) throw malformed('bad high tag number');
      const b = buf[p++]!;
      // X.690 §8.1.2.4.2: the first subsequent octet is not 0x80, and numbers below 31 use one octet
      if (i === 0 && b === 0x80) throw malformed('non-minimal tag number');
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
    if (tagNumber < 0x1f) throw malformed('non-minimal tag number');
  }
  if (p >= end) throw malformed('missing length');
  const l0 = buf[p++]!;
  let length: number;
  let indefinite = false;
  if (l0 < 0x80) {
    length = l0;
  } else if (l0 === 0x80) {
    if (!constructed) throw malformed('indefinite length on a primitive element');
    if (!ber) throw malformed('indefinite length (BER, not DER)');
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
    // X.690 §10.1: the definite form in the fewest octets
    if (!ber && (length < 0x80 || buf[p - n] === 0)) throw malformed('non-minimal length (BER, not DER)');
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
      q = readAt(buf, q, end, depth + 1, ber).end;
    }
  } else {
    contentEnd = contentStart + length;
    if (contentEnd > end) throw malformed('element runs past its container');
    elementEnd = contentEnd;
  }
  return new Element(buf, first, tagNumber, offset, contentStart, contentEnd, elementEnd, indefinite, ber);
}

/** Sequential reader over the children of a constructed element (or over a buffer of TLVs). */
export class DerReader {
  private pos: number;
  private readonly end: number;

  constructor(
    private readonly buf: Uint8Array,
    private readonly depth = 0,
    start = 0,
    end = buf.length,
    private readonly ber = false,
  ) {
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  peek(): DerElement | undefined {
    if (this.done) return undefined;
    return readAt(this.buf, this.pos, this.end, this.depth, this.ber);
  }

  next(what = 'element'): DerElement {
    if (this.done) throw malformed(`missing ${what}`);
    const el = readAt(this.buf, this.pos, this.end, this.depth, this.ber);
    this.pos = el.end;
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
    // `tag` is the first identifier octet, so a different first octet is a different tag.
    if (this.done || this.buf[this.pos] !== tag) return undefined;
    const el = readAt(this.buf, this.pos, this.end, this.depth, this.ber);
    this.pos = el.end;
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

/** Reads exactly one element spanning the whole buffer (DER unless `ber`). */
export function readDer(bytes: Uint8Array, what = 'DER', ber = false): DerElement {
  const el = readAt(bytes, 0, bytes.length, 0, ber);
  if (el.end !== bytes.length) throw malformed(`${what}: trailing data after the element`);
  return el;
}

/** A reader over the children of a constructed element. */
export function children(el: DerElement, what = 'structure'): DerReader {
  if (!el.constructed) throw malformed(`${what}: expected a constructed element`);
  // Our own elements: read the children in place, without a view of the contents.
  if (el instanceof Element) return new DerReader(el.buf, 0, el.contentStart, el.contentEnd, el.ber);
  return new DerReader(el.value);
}

/**
 * A TLV header read in place: offsets into the buffer, no element object and no views. The parsers of
 * what every verification reads cold (a new signer's certificate, each CMS and OCSP response) walk their
 * structure with one reusable header instead of an element per TLV.
 */
export interface DerHeader {
  tag: number;
  /** Offset of the identifier octets. */
  start: number;
  contentStart: number;
  contentEnd: number;
  /** Offset just past the element (after the end-of-contents octets of an indefinite length). */
  end: number;
}

export function newHeader(): DerHeader {
  return { tag: 0, start: 0, contentStart: 0, contentEnd: 0, end: 0 };
}

/**
 * Reads the TLV at `pos`, not beyond `limit`, into `h` (the same rules as `readElementAt`: DER unless
 * `ber`).
 */
export function readHeader(
  buf: Uint8Array,
  pos: number,
  limit: number,
  h: DerHeader,
  ber = false,
): DerHeader {
  if (pos + 1 < limit) {
    const first = buf[pos]!;
    const l0 = buf[pos + 1]!;
    // Fast path: low tag number, definite length in at most 4 octets, not a constructed string.
    if ((first & 0x1f) !== 0x1f && l0 !== 0x80 && l0 <= 0x84 && (ber || !isConstructedString(first))) {
      let p = pos + 2;
      let length = l0;
      if (l0 > 0x80) {
        const n = l0 & 0x7f;
        if (p + n > limit) throw malformed('truncated length');
        length = 0;
        for (let i = 0; i < n; i++) length = length * 256 + buf[p++]!;
        // X.690 §10.1: the definite form in the fewest octets
        if (!ber && (length < 0x80 || buf[pos + 2] === 0))
          throw malformed('non-minimal length (BER, not DER)');
      }
      const contentEnd = p + length;
      if (contentEnd > limit) throw malformed('element runs past its container');
      h.tag = first;
      h.start = pos;
      h.contentStart = p;
      h.contentEnd = contentEnd;
      h.end = contentEnd;
      return h;
    }
  }
  const el = readAt(buf, pos, limit, 0, ber);
  h.tag = el.tag;
  h.start = el.start;
  h.contentStart = el.contentStart;
  h.contentEnd = el.contentEnd;
  h.end = el.end;
  return h;
}

/** `readHeader`, and the element must carry `tag`. */
export function expectHeader(
  buf: Uint8Array,
  pos: number,
  limit: number,
  tag: number,
  what: string,
  h: DerHeader,
  ber = false,
): DerHeader {
  if (pos >= limit) throw malformed(`missing ${what}`);
  readHeader(buf, pos, limit, h, ber);
  if (h.tag !== tag)
    throw malformed(`${what}: expected tag 0x${tag.toString(16)}, got 0x${h.tag.toString(16)}`);
  return h;
}

/** The buffer and content offsets of an element (without making a view of our own elements). */
export function contentSpan(el: DerElement): { buf: Uint8Array; start: number; end: number } {
  if (el instanceof Element) return { buf: el.buf, start: el.contentStart, end: el.contentEnd };
  return { buf: el.value, start: 0, end: el.value.length };
}

/** BIT STRING contents (after the unused-bits octet) of the primitive element whose header `h` holds. */
export function bitStringAt(buf: Uint8Array, h: DerHeader, what = 'BIT STRING'): BitString {
  if ((h.tag & 0x20) !== 0) throw malformed('constructed BIT STRING is not supported');
  if (h.contentEnd === h.contentStart) throw malformed(`empty BIT STRING (${what})`);
  const unusedBits = buf[h.contentStart]!;
  if (unusedBits > 7) throw malformed('bad BIT STRING');
  checkPaddingBits(buf, h.contentStart, h.contentEnd, unusedBits);
  return { unusedBits, bytes: buf.subarray(h.contentStart + 1, h.contentEnd) };
}

/** X.690 §11.2.1: the unused bits are zero, and an empty BIT STRING has none. */
function checkPaddingBits(buf: Uint8Array, start: number, end: number, unusedBits: number): void {
  if (unusedBits === 0) return;
  if (end - start === 1) throw malformed('bad BIT STRING: unused bits in an empty string');
  if ((buf[end - 1]! & ((1 << unusedBits) - 1)) !== 0) throw malformed('BIT STRING padding bits are set');
}

/**
 * The contents of a signature BIT STRING: a signature is an octet string, so any unused bit is a
 * malformed (and malleable) encoding.
 */
export function signatureBitsAt(buf: Uint8Array, h: DerHeader, what: string): Uint8Array {
  const bs = bitStringAt(buf, h, what);
  if (bs.unusedBits !== 0) throw malformed(`${what}: a signature BIT STRING with unused bits`);
  return bs.bytes;
}

/** X.690 §8.3.2: the first nine bits of a multi-octet INTEGER are not all equal (BER and DER). */
function checkMinimalInteger(buf: Uint8Array, start: number, end: number): void {
  if (end - start > 1) {
    const b0 = buf[start]!;
    const b1 = buf[start + 1]!;
    if ((b0 === 0 && (b1 & 0x80) === 0) || (b0 === 0xff && (b1 & 0x80) !== 0))
      throw malformed('non-minimal INTEGER encoding');
  }
}

/** A small INTEGER (within ±2^53) from its contents `buf[start..end)`. */
export function smallIntAt(buf: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n <= 0) throw malformed('empty INTEGER');
  checkMinimalInteger(buf, start, end);
  if (n > 6) {
    let big = 0n;
    for (let i = start; i < end; i++) big = (big << 8n) | BigInt(buf[i]!);
    if ((buf[start]! & 0x80) !== 0) big -= 1n << BigInt(n * 8);
    if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER))
      throw malformed('INTEGER too large');
    return Number(big);
  }
  let v = 0;
  for (let i = start; i < end; i++) v = v * 256 + buf[i]!;
  if ((buf[start]! & 0x80) !== 0) v -= 2 ** (8 * n);
  return v;
}

/** The element at a header's place, for the decoders that take one. */
export function elementAt(buf: Uint8Array, h: DerHeader, ber = false): DerElement {
  return readAt(buf, h.start, h.end, 0, ber);
}

// ---- primitive decoders ----

export function readBigInt(el: DerElement): bigint {
  if (el.value.length === 0) throw malformed('empty INTEGER');
  checkMinimalInteger(el.value, 0, el.value.length);
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

/** BOOLEAN: DER writes TRUE as FF (X.690 §11.1). */
export function readBoolean(el: DerElement): boolean {
  if (el.value.length !== 1) throw malformed('bad BOOLEAN');
  const v = el.value[0]!;
  if (v !== 0 && v !== 0xff) throw malformed('BOOLEAN neither 00 nor FF (DER)');
  return v !== 0;
}

export function readOid(el: DerElement): string {
  if (el instanceof Element) return oidAt(el.buf, el.contentStart, el.contentEnd);
  return oidAt(el.value, 0, el.value.length);
}

/** The OBJECT IDENTIFIER whose contents are `buf[start..end)`, in dotted form. */
export function oidAt(buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 0) throw malformed('empty OBJECT IDENTIFIER');
  if (buf[end - 1]! & 0x80) throw malformed('truncated OBJECT IDENTIFIER');
  if (n > OID_CACHE_MAX_BYTES) return decodeOid(buf.subarray(start, end));
  // The same few dozen OIDs (algorithms, extensions, attribute types) fill every certificate, CMS and
  // OCSP response: their text is looked up by the exact bytes instead of being built again.
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  // Open addressing, a short bounded probe: the table is at most half full.
  let slot = h & OID_SLOT_MASK;
  let free = -1;
  for (let probe = 0; probe < OID_MAX_PROBES; probe++) {
    const bytes = oidBytes[slot];
    if (bytes === undefined) {
      free = slot;
      break;
    }
    if (oidHashes[slot] === h && spanEquals(bytes, buf, start, end)) return oidTexts[slot]!;
    slot = (slot + 1) & OID_SLOT_MASK;
  }
  const v = buf.slice(start, end);
  const text = decodeOid(v);
  if (free >= 0 && oidCacheSize < OID_CACHE_ENTRIES) {
    oidCacheSize++;
    oidBytes[free] = v;
    oidHashes[free] = h;
    oidTexts[free] = text;
  }
  return text;
}

function spanEquals(a: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== buf[start + i]) return false;
  return true;
}

const OID_CACHE_MAX_BYTES = 32;
const OID_CACHE_ENTRIES = 2048;
const OID_SLOT_MASK = 2 * OID_CACHE_ENTRIES - 1;
const OID_MAX_PROBES = 16;
const oidBytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(2 * OID_CACHE_ENTRIES).fill(
  undefined,
);
const oidHashes = new Int32Array(2 * OID_CACHE_ENTRIES);
const oidTexts: string[] = new Array<string>(2 * OID_CACHE_ENTRIES).fill('');
let oidCacheSize = 0;

function decodeOid(v: Uint8Array): string {
  let out = '';
  let acc = 0;
  let big: bigint | undefined; // arcs beyond 2^53 (e.g. 2.25 UUID OIDs)
  let first = true;
  let subStart = true;
  for (let i = 0; i < v.length; i++) {
    const b = v[i]!;
    // X.690 §8.19.2: a subidentifier in the fewest octets (no leading 0x80)
    if (subStart && b === 0x80) throw malformed('non-minimal OBJECT IDENTIFIER subidentifier');
    subStart = (b & 0x80) === 0;
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
  checkPaddingBits(el.value, 0, el.value.length, unusedBits);
  return { unusedBits, bytes: el.value.subarray(1) };
}

/** OCTET STRING contents; a BER constructed encoding (read as BER only) is joined (copied). */
export function readOctetString(el: DerElement): Uint8Array {
  if (!el.constructed) return el.value;
  const parts: Uint8Array[] = [];
  const r = new DerReader(el.value, 0, 0, el.value.length, el instanceof Element && el.ber);
  while (!r.done) parts.push(readOctetString(r.next()));
  return concatBytes(parts);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes any ASN.1 character string type used in names and certificates. */
export function readString(el: DerElement): string {
  return decodeString(el.tag, el.constructed ? readOctetString(el) : el.value);
}

/**
 * A primitive character string at `buf[start..end)` tagged `tag` (constructed encodings go through
 * `readString`).
 */
export function stringAt(buf: Uint8Array, tag: number, start: number, end: number): string {
  if (
    (tag & ~0x20) === Tag.UTF8_STRING ||
    (tag & ~0x20) === Tag.PRINTABLE_STRING ||
    (tag & ~0x20) === Tag.IA5_STRING
  ) {
    if (end - start <= SHORT_TEXT) {
      const known = shortAsciiAt(buf, start, end);
      if (known !== undefined) return known;
    } else if (isAsciiSpan(buf, start, end)) {
      // Longer ones in one native call, so that they are made flat rather than as a rope of pieces.
      return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
    }
    // Non-ASCII UTF8String (JPKI names and addresses): decoded in place; anything unusual (invalid, a
    // leading byte order mark, a long value) takes the TextDecoder path, which decides.
    if ((tag & ~0x20) === Tag.UTF8_STRING) {
      const text = utf8At(buf, start, end);
      if (text !== undefined) return text;
    }
  }
  return decodeString(tag, buf.subarray(start, end));
}

/** Longest string value (in octets) kept in `shortTexts`. */
const SHORT_TEXT = 32;
/** Slots of `shortTexts` (a power of two). */
const SHORT_TEXT_SLOTS = 256;
/**
 * Recently read short ASCII values (country and organisation names, URIs of the same CA), one per slot
 * chosen by a hash of their octets: a fixed table, bounded whatever is received, whose entry is returned
 * only after comparing it with the octets character by character; a collision just replaces the slot.
 */
const shortTexts: (string | undefined)[] = new Array<string | undefined>(SHORT_TEXT_SLOTS).fill(undefined);

/** A short span as a string when it is all ASCII (from `shortTexts` when there), else `undefined`. */
function shortAsciiAt(buf: Uint8Array, start: number, end: number): string | undefined {
  let h = end - start;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c >= 0x80) return undefined;
    h = Math.imul(h ^ c, 0x01000193);
  }
  const slot = (h ^ (h >>> 15)) & (SHORT_TEXT_SLOTS - 1);
  const known = shortTexts[slot];
  if (known !== undefined && known.length === end - start) {
    let k = 0;
    while (k < known.length && known.charCodeAt(k) === buf[start + k]) k++;
    if (k === known.length) return known;
  }
  // Char by char (V8 copies strings under 13 characters when appending); longer in one native call.
  let out: string;
  if (end - start <= 12) {
    out = '';
    for (let i = start; i < end; i++) out += String.fromCharCode(buf[i]!);
  } else out = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
  shortTexts[slot] = out;
  return out;
}

/**
 * Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF, no truncated
 * sequence) of a short span, without a view or a native call; `undefined` when the span is invalid, longer
 * than 512 octets or starts with U+FEFF (which the TextDecoder path drops as a byte order mark).
 */
function utf8At(v: Uint8Array, start: number, end: number): string | undefined {
  if (end - start > 512) return undefined;
  const units: number[] = [];
  let i = start;
  while (i < end) {
    const b0 = v[i]!;
    let cp: number;
    if (b0 < 0x80) {
      cp = b0;
      i += 1;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      if (i + 1 >= end) return undefined;
      const b1 = v[i + 1]!;
      if ((b1 & 0xc0) !== 0x80) return undefined;
      cp = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
      i += 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      if (i + 2 >= end) return undefined;
      const b1 = v[i + 1]!;
      const b2 = v[i + 2]!;
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80) return undefined;
      cp = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
      i += 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      if (i + 3 >= end) return undefined;
      const b1 = v[i + 1]!;
      const b2 = v[i + 2]!;
      const b3 = v[i + 3]!;
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80) return undefined;
      cp = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
      if (cp < 0x10000 || cp > 0x10ffff) return undefined;
      i += 4;
    } else return undefined;
    if (cp >= 0x10000) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    else units.push(cp);
  }
  if (units[0] === 0xfeff) return undefined;
  return String.fromCharCode.apply(null, units);
}

function isAsciiSpan(v: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (v[i]! >= 0x80) return false;
  return true;
}

function decodeString(tag: number, v: Uint8Array): string {
  switch (tag & ~0x20) {
    case Tag.UTF8_STRING:
      if (isAscii(v)) return latin1(v);
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
      throw malformed(`not a character string (tag 0x${tag.toString(16)})`);
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

function isAscii(v: Uint8Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i]! >= 0x80) return false;
  return true;
}

function latin1(v: Uint8Array): string {
  if (v.length <= 1024) return String.fromCharCode.apply(null, v as unknown as number[]);
  let s = '';
  for (let i = 0; i < v.length; i++) s += String.fromCharCode(v[i]!);
  return s;
}

/**
 * An INTEGER as the serial-number text form used across the package: lowercase hex of the magnitude,
 * even length, `-` for negatives. Fast path without bigint for the usual non-negative case.
 */
export function readIntegerHex(el: DerElement): string {
  if (el instanceof Element) return integerHexAt(el.buf, el.contentStart, el.contentEnd);
  return integerHexAt(el.value, 0, el.value.length);
}

/** `readIntegerHex` over the INTEGER contents `buf[start..end)`. */
export function integerHexAt(buf: Uint8Array, start: number, end: number): string {
  if (end <= start) throw malformed('empty INTEGER');
  checkMinimalInteger(buf, start, end);
  if ((buf[start]! & 0x80) !== 0) {
    const v = buf.subarray(start, end);
    let n = 0n;
    for (const b of v) n = (n << 8n) | BigInt(b);
    n = (1n << BigInt(v.length * 8)) - n;
    const h = n.toString(16);
    return `-${h.length % 2 ? `0${h}` : h}`;
  }
  let i = start;
  while (i < end - 1 && buf[i] === 0) i++;
  return hexAt(buf, i, end);
}

const d2 = (v: Uint8Array, i: number): number => (v[i]! - 48) * 10 + (v[i + 1]! - 48);

function allDigits(v: Uint8Array, start: number, n: number): boolean {
  for (let i = start; i < start + n; i++) if (v[i]! < 0x30 || v[i]! > 0x39) return false;
  return true;
}

/** Date.UTC with range checks (no silent roll-over of month 13 or day 32). */
function utc(y: number, mo: number, d: number, h: number, mi: number, sec: number, ms = 0): number {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60) throw malformed('time field out of range');
  if (d > daysInMonth(y, mo)) throw malformed('day out of range');
  return Date.UTC(y, mo - 1, d, h, mi, Math.min(sec, 59), ms);
}

function daysInMonth(year: number, mo: number): number {
  const y = year >= 0 && year < 100 ? year + 1900 : year; // as Date.UTC reads two-digit years
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

const TIME_RE = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/;

/** UTCTime or GeneralizedTime (RFC 5280 §4.1.2.5; offsets and missing seconds accepted as BER). */
export function readTime(el: DerElement): Date {
  if (el instanceof Element) return timeAt(el.buf, el.tag, el.contentStart, el.contentEnd);
  return timeAt(el.value, el.tag, 0, el.value.length);
}

/** `readTime` over the contents `buf[start..end)` of an element tagged `tag`. */
export function timeAt(buf: Uint8Array, tag: number, start: number, end: number): Date {
  const n = end - start;
  // Fast path for the DER forms: YYMMDDHHMMSSZ and YYYYMMDDHHMMSSZ.
  if (tag === Tag.UTC_TIME && n === 13 && buf[start + 12] === 0x5a && allDigits(buf, start, 12)) {
    const y = d2(buf, start);
    return new Date(
      utc(
        y + (y >= 50 ? 1900 : 2000),
        d2(buf, start + 2),
        d2(buf, start + 4),
        d2(buf, start + 6),
        d2(buf, start + 8),
        d2(buf, start + 10),
      ),
    );
  }
  if (tag === Tag.GENERALIZED_TIME && n === 15 && buf[start + 14] === 0x5a && allDigits(buf, start, 14)) {
    return new Date(
      utc(
        d2(buf, start) * 100 + d2(buf, start + 2),
        d2(buf, start + 4),
        d2(buf, start + 6),
        d2(buf, start + 8),
        d2(buf, start + 10),
        d2(buf, start + 12),
      ),
    );
  }
  const s = latin1(buf.subarray(start, end));
  const m = TIME_RE.exec(s);
  const isUtc = tag === Tag.UTC_TIME;
  if (m === null || (tag !== Tag.UTC_TIME && tag !== Tag.GENERALIZED_TIME)) throw malformed('bad time');
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
  return hexAt(b, 0, b.length);
}

/**
 * `buf[start..end)` as lowercase hex. Short spans — serial numbers, key identifiers, OCSP CertID hashes,
 * read with every certificate and status response — are written from a table of character codes in one
 * string, without a Buffer view and a native call; long ones by node.
 */
export function hexAt(buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n > HEX_SHORT) return Buffer.from(buf.buffer, buf.byteOffset + start, n).toString('hex');
  let codes = hexScratch[n];
  if (codes === undefined) {
    codes = new Array<number>(2 * n).fill(0);
    hexScratch[n] = codes;
  }
  for (let i = 0; i < n; i++) {
    const b = buf[start + i]!;
    codes[2 * i] = HEX_CODES[b >> 4]!;
    codes[2 * i + 1] = HEX_CODES[b & 15]!;
  }
  return String.fromCharCode.apply(null, codes);
}

const HEX_SHORT = 64;
const HEX_CODES: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** One reusable array of character codes per span length (`fromCharCode.apply` reads its length). */
const hexScratch: (number[] | undefined)[] = [];

export function fromHex(h: string): Uint8Array {
  const clean = h.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean))
    throw new PkiError('INVALID_ARGUMENT', 'bad hex string');
  return new Uint8Array(Buffer.from(clean, 'hex'));
}
