import { bytesToHex } from './bytes.js';
import { encode } from './encode.js';
import { EncodedCbor } from './encoded-cbor.js';
import type { ReadLimits } from './limits.js';
import { checkUtf8, decodeUtf8, Reader } from './reader.js';
import { type CborMap, type CborValue, Simple, Tagged } from './types.js';

/**
 * A cursor over one CBOR buffer for verification hot paths (RFC 8949 §3).
 *
 * `decode` builds the whole value tree and decodes an embedded item (tag 24) with a fresh decoder
 * when asked; a verifier that walks a known structure (an ISO 18013-5 DeviceResponse) can instead
 * read heads, fields and embedded items in place with one reader: embedded items are contiguous in
 * the outer buffer, so `enterEmbedded` just continues inside the byte string and `leaveEmbedded`
 * checks the item ended exactly at its end. Byte strings are zero-copy views; nothing is copied or
 * re-encoded, so raw spans (`spanFrom`) are the exact bytes received.
 *
 * The well-formedness rules are those of `decode` (the same head reader): non-preferred heads and
 * indefinite lengths are accepted, reserved values, truncation and lengths beyond the input are
 * `CborError`s. `value()` decodes one item into the same data model as `decode` — duplicate map keys
 * rejected, bignums as bigint, tag 24 as `EncodedCbor`.
 *
 * Every head read spends the shared item budget (limits.ts: min(input length, 2^24) unless `maxItems`
 * says less) and containers count against `maxDepth`, whichever method reads them: however a caller
 * walks the input, one reader does at most linear work. `limit` is the absolute end of the readable
 * region (it shrinks inside embedded items).
 */
export class LeanReader extends Reader {
  constructor(bytes: Uint8Array, options?: ReadLimits) {
    super(
      bytes.constructor === Uint8Array
        ? bytes
        : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      options,
    );
  }

  /** The major type of the next item, without consuming it. */
  peekMajor(): number {
    if (this.pos >= this.limit) this.fail('CBOR_TRUNCATED', 'input ends where an item was expected');
    return (this.bytes[this.pos] as number) >> 5;
  }

  /** True (and consumed) when the next byte is a break (0xff) ending an indefinite-length container. */
  atBreak(): boolean {
    if (this.pos >= this.limit) this.fail('CBOR_TRUNCATED', 'input ends inside an indefinite-length item');
    if (this.bytes[this.pos] === 0xff) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** True (and consumed) when the next item is null. */
  atNull(): boolean {
    if (this.pos < this.limit && this.bytes[this.pos] === 0xf6) {
      this.pos++;
      return true;
    }
    return false;
  }

  private headOf(major: number, what: string): void {
    const start = this.pos;
    this.head();
    if (this.major !== major) this.fail('CBOR_SHAPE', `expected ${what}`, start);
  }

  /** A map head: the number of entries, or -1 for an indefinite-length map (end with `atBreak`). */
  mapHead(): number {
    const start = this.pos;
    this.headOf(5, 'a map');
    return this.ai === 31 ? -1 : this.fits(2, start);
  }

  /** An array head: the number of items, or -1 for an indefinite-length array. */
  arrayHead(): number {
    const start = this.pos;
    this.headOf(4, 'an array');
    return this.ai === 31 ? -1 : this.fits(1, start);
  }

  /** A tag head: the tag number. */
  tagHead(): number {
    const start = this.pos;
    this.headOf(6, 'a tag');
    if (this.big !== undefined) this.fail('CBOR_UNSUPPORTED', 'tag number above 2^53', start);
    return this.arg;
  }

  private fits(units: number, start: number): number {
    return this.checkLength(units, start);
  }

  /** An unsigned integer that is a safe JS number. */
  uint(): number {
    const start = this.pos;
    this.headOf(0, 'an unsigned integer');
    if (this.big !== undefined) this.fail('CBOR_SHAPE', 'unsigned integer above 2^53', start);
    return this.arg;
  }

  /**
   * An unsigned integer of any size CBOR allows (major type 0: 0..2^64 − 1, RFC 8949 §3.1): a number
   * when it is a safe integer, else an exact bigint. Anything else — a negative integer, a float (even
   * an integral one such as 5.0), a bignum tag, a string — fails with CBOR_SHAPE. For CDDL `uint`
   * fields a peer may fill with any 64-bit value (ISO/IEC 18013-5 DigestID).
   */
  uintOrBigint(): number | bigint {
    this.headOf(0, 'an unsigned integer');
    return this.big === undefined ? this.arg : this.big;
  }

  /** A text string (definite or indefinite length), strictly UTF-8. */
  text(): string {
    const start = this.pos;
    this.headOf(3, 'a text string');
    if (this.ai === 31) return this.chunked(3) as string;
    const len = this.fits(1, start);
    const s = this.utf8(this.pos, this.pos + len, start);
    this.pos += len;
    return s;
  }

  /**
   * Strict UTF-8 as `decode` reads it; short ASCII strings (keys, identifiers, dates) are sliced in one
   * native call where the platform has one (Node's latin1 slice equals ASCII for bytes below 0x80).
   */
  private utf8(from: number, to: number, itemStart: number): string {
    if (to - from <= SHORT_TEXT) {
      // Short ASCII text (map keys, identifiers, namespaces, algorithm names) recurs from one message
      // to the next: taken from a small table when the very same characters are there.
      const b = this.bytes;
      let h = to - from;
      let i = from;
      for (; i < to; i++) {
        const c = b[i] as number;
        if (c >= 0x80) break;
        h = Math.imul(h ^ c, 0x01000193);
      }
      if (i === to) {
        const slot = (h ^ (h >>> 15)) & (SHORT_TEXT_SLOTS - 1);
        const known = shortTexts[slot];
        if (known !== undefined && sameAscii(known, b, from, to)) return known;
        const s =
          latin1Slice !== undefined ? latin1Slice.call(b, from, to) : decodeUtf8(this, from, to, itemStart);
        shortTexts[slot] = s;
        return s;
      }
    } else if (latin1Slice !== undefined && to - from <= 64) {
      const b = this.bytes;
      let i = from;
      while (i < to && (b[i] as number) < 0x80) i++;
      if (i === to) return latin1Slice.call(b, from, to);
    }
    return decodeUtf8(this, from, to, itemStart);
  }

  /**
   * When the next item is a text string byte-equal to one of `keys` (their UTF-8 encodings),
   * consumes it and returns its index; otherwise returns -1 and consumes nothing. Matching map keys by
   * bytes avoids materialising a string per key on hot paths.
   */
  keyIndex(keys: readonly Uint8Array[]): number {
    const b = this.bytes;
    const p = this.pos;
    if (p >= this.limit) return -1;
    const ib = b[p] as number;
    if (ib >> 5 !== 3) return -1;
    const ai = ib & 31;
    let len: number;
    let off: number;
    if (ai < 24) {
      len = ai;
      off = p + 1;
    } else if (ai === 24 && p + 1 < this.limit) {
      len = b[p + 1] as number;
      off = p + 2;
    } else {
      return -1; // other heads (wider, indefinite) take the general path
    }
    if (off + len > this.limit) return -1;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as Uint8Array;
      if (key.length !== len) continue;
      let j = 0;
      while (j < len && b[off + j] === key[j]) j++;
      if (j === len) {
        this.pos = off + len;
        return k;
      }
    }
    return -1;
  }

  /** A byte string: a view into the input when definite, a copy of the chunks when indefinite. */
  byteString(): Uint8Array {
    const start = this.pos;
    this.headOf(2, 'a byte string');
    if (this.ai === 31) return this.chunked(2) as Uint8Array;
    const len = this.fits(1, start);
    const v = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    return v;
  }

  /**
   * Enters `#6.24(bstr .cbor X)`: reads the tag and byte-string heads and leaves the cursor at the
   * start of the embedded item. Returns the complete tag-24 item as received and its content span;
   * call `leaveEmbedded(span)` after reading X.
   */
  enterEmbedded(): EmbeddedSpan {
    const start = this.pos;
    const tag = this.tagHead();
    if (tag !== 24) this.fail('CBOR_SHAPE', 'expected an embedded CBOR item (tag 24)', start);
    const bstrStart = this.pos;
    this.headOf(2, 'a byte string inside tag 24');
    if (this.ai === 31)
      this.fail('CBOR_UNSUPPORTED', 'indefinite-length byte string inside tag 24', bstrStart);
    const len = this.fits(1, bstrStart);
    const contentStart = this.pos;
    const end = contentStart + len;
    const span: EmbeddedSpan = { start, contentStart, end, outerLimit: this.limit };
    this.limit = end;
    return span;
  }

  /** Checks that the embedded item ended exactly at the end of its byte string, and steps out. */
  leaveEmbedded(span: EmbeddedSpan): EncodedCbor {
    if (this.pos !== span.end)
      this.fail('CBOR_TRAILING_BYTES', 'embedded item does not fill its byte string', this.pos);
    this.limit = span.outerLimit;
    return new EncodedCbor(
      this.bytes.subarray(span.contentStart, span.end),
      this.bytes.subarray(span.start, span.end),
    );
  }

  /**
   * Allocation-free variant of `enterEmbedded` for hot loops: the positions are kept on an internal
   * stack; close with `leaveEmbeddedStart()`, which returns the offset of the tag head (so that
   * `bytes.subarray(start, pos)` is the complete item as received).
   */
  enterEmbeddedInPlace(): void {
    const start = this.pos;
    const tag = this.tagHead();
    if (tag !== 24) this.fail('CBOR_SHAPE', 'expected an embedded CBOR item (tag 24)', start);
    const bstrStart = this.pos;
    this.headOf(2, 'a byte string inside tag 24');
    if (this.ai === 31)
      this.fail('CBOR_UNSUPPORTED', 'indefinite-length byte string inside tag 24', bstrStart);
    const len = this.fits(1, bstrStart);
    let d = this.depthInPlace * 3;
    this.stack[d++] = start;
    this.stack[d++] = this.pos + len;
    this.stack[d] = this.limit;
    this.depthInPlace++;
    this.limit = this.pos + len;
  }

  /** Closes `enterEmbeddedInPlace`: checks the item filled its byte string; returns the tag's offset. */
  leaveEmbeddedStart(): number {
    if (this.depthInPlace === 0) throw new Error('leaveEmbeddedStart without enterEmbeddedInPlace');
    const d = --this.depthInPlace * 3;
    const start = this.stack[d] as number;
    const end = this.stack[d + 1] as number;
    if (this.pos !== end)
      this.fail('CBOR_TRAILING_BYTES', 'embedded item does not fill its byte string', this.pos);
    this.limit = this.stack[d + 2] as number;
    return start;
  }

  /** (start, end, outer limit) per open `enterEmbeddedInPlace`; grows, never shrinks. */
  private readonly stack: number[] = [];
  private depthInPlace = 0;

  /** Like `leaveEmbedded`, returning only the complete tag-24 item as received (one view, no object). */
  leaveEmbeddedRaw(span: EmbeddedSpan): Uint8Array {
    if (this.pos !== span.end)
      this.fail('CBOR_TRAILING_BYTES', 'embedded item does not fill its byte string', this.pos);
    this.limit = span.outerLimit;
    return this.bytes.subarray(span.start, span.end);
  }

  /** Skips a byte string (failing on anything else) without making a view of it. */
  skipByteString(): void {
    const start = this.pos;
    this.headOf(2, 'a byte string');
    if (this.ai === 31) {
      this.skipChunks(2);
      return;
    }
    this.pos += this.fits(1, start);
  }

  /** Reads a tag-24 item without looking inside (its content is decoded later, if at all). */
  embedded(): EncodedCbor {
    const span = this.enterEmbedded();
    this.pos = span.end;
    return this.leaveEmbedded(span);
  }

  /** The exact input bytes from `start` to the cursor. */
  spanFrom(start: number): Uint8Array {
    return this.bytes.subarray(start, this.pos);
  }

  /** Skips one item, fully checked, without building it (see `skipValue`). */
  skip(): void {
    this.skipValue();
  }

  /**
   * Skips one item with the same checks `value()` applies — well-formedness, strict UTF-8, the depth
   * limit, duplicate map keys, the item budget — but without building it: only map keys are decoded,
   * to compare them (RFC 8949 §5.6). Whatever passes here, `value()` decodes at the same position
   * later.
   */
  skipValue(): void {
    const start = this.pos;
    this.head();
    switch (this.major) {
      case 0:
      case 1:
        return;
      case 2:
      case 3: {
        if (this.ai === 31) {
          this.skipChunks(this.major);
          return;
        }
        const len = this.fits(1, start);
        if (this.major === 3) checkUtf8(this, this.pos, this.pos + len, start);
        this.pos += len;
        return;
      }
      case 4: {
        this.enter(start);
        if (this.ai === 31) {
          while (!this.atBreak()) this.skipValue();
        } else {
          const n = this.fits(1, start);
          for (let i = 0; i < n; i++) this.skipValue();
        }
        this.depth--;
        return;
      }
      case 5:
        this.skipMap(start);
        return;
      case 6: {
        if (this.big !== undefined) this.fail('CBOR_UNSUPPORTED', 'tag number above 2^53', start);
        this.enter(start);
        this.skipValue();
        this.depth--;
        return;
      }
      default:
        if (this.ai === 31) this.fail('CBOR_INVALID', 'break outside an indefinite-length item', start);
        return;
    }
  }

  /** The chunks of an indefinite-length string whose head was just read, checked and skipped. */
  private skipChunks(major: number): void {
    while (!this.atBreak()) {
      const chunkStart = this.pos;
      this.head();
      if (this.major !== major || this.ai === 31) {
        this.fail('CBOR_INVALID', 'indefinite-length string chunk of another type or length', chunkStart);
      }
      const len = this.fits(1, chunkStart);
      if (major === 3) checkUtf8(this, this.pos, this.pos + len, chunkStart);
      this.pos += len;
    }
  }

  /** A map whose head was just read: keys decoded and compared as `value()` does, values skipped. */
  private skipMap(start: number): void {
    this.enter(start);
    const indefinite = this.ai === 31;
    const n = indefinite ? -1 : this.fits(2, start);
    let keys: Set<CborValue> | undefined;
    let objectKeys: Set<string> | undefined;
    for (let i = 0; indefinite ? !this.atBreak() : i < n; i++) {
      const keyStart = this.pos;
      const key = this.value();
      if (typeof key === 'object' && key !== null) {
        objectKeys ??= new Set();
        const fingerprint = bytesToHex(encode(key));
        if (objectKeys.has(fingerprint)) this.fail('CBOR_DUPLICATE_KEY', 'duplicate map key', keyStart);
        objectKeys.add(fingerprint);
      } else {
        keys ??= new Set();
        if (keys.has(key)) this.fail('CBOR_DUPLICATE_KEY', 'duplicate map key', keyStart);
        keys.add(key);
      }
      this.skipValue();
    }
    this.depth--;
  }

  /** Fails unless the whole input has been read. */
  expectEnd(): void {
    if (this.pos !== this.bytes.length) {
      this.fail('CBOR_TRAILING_BYTES', `${this.bytes.length - this.pos} bytes after the item`, this.pos);
    }
  }

  /** Decodes one item into the data model of `decode`. */
  value(): CborValue {
    const start = this.pos;
    this.head();
    switch (this.major) {
      case 0:
        return this.big === undefined ? this.arg : this.big;
      case 1:
        if (this.big !== undefined) return -1n - this.big;
        return this.arg === Number.MAX_SAFE_INTEGER ? -1n - BigInt(this.arg) : -1 - this.arg;
      case 2: {
        if (this.ai === 31) return this.chunked(2);
        const len = this.fits(1, start);
        const v = this.bytes.subarray(this.pos, this.pos + len);
        this.pos += len;
        return v;
      }
      case 3: {
        if (this.ai === 31) return this.chunked(3);
        const len = this.fits(1, start);
        const s = this.utf8(this.pos, this.pos + len, start);
        this.pos += len;
        return s;
      }
      case 4: {
        this.enter(start);
        const out: CborValue[] = [];
        if (this.ai === 31) {
          while (!this.atBreak()) out.push(this.value());
        } else {
          const n = this.fits(1, start);
          for (let i = 0; i < n; i++) out.push(this.value());
        }
        this.depth--;
        return out;
      }
      case 5:
        return this.mapValue(start);
      case 6:
        return this.taggedValue(start);
      default:
        return this.simpleValue(start);
    }
  }

  private chunked(major: 2 | 3): Uint8Array | string {
    const parts: Uint8Array[] = [];
    let text = '';
    while (!this.atBreak()) {
      const chunkStart = this.pos;
      this.head();
      if (this.major !== major || this.ai === 31) {
        this.fail('CBOR_INVALID', 'indefinite-length string chunk of another type or length', chunkStart);
      }
      const len = this.fits(1, chunkStart);
      if (major === 3) text += decodeUtf8(this, this.pos, this.pos + len, chunkStart);
      else parts.push(this.bytes.subarray(this.pos, this.pos + len));
      this.pos += len;
    }
    if (major === 3) return text;
    let total = 0;
    for (const p of parts) total += p.length;
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  private mapValue(start: number): CborMap {
    this.enter(start);
    const out: CborMap = new Map();
    let objectKeys: Set<string> | undefined;
    const indefinite = this.ai === 31;
    const n = indefinite ? -1 : this.fits(2, start);
    for (let i = 0; indefinite ? !this.atBreak() : i < n; i++) {
      const keyStart = this.pos;
      const key = this.value();
      if (typeof key === 'object' && key !== null) {
        objectKeys ??= new Set();
        const fingerprint = bytesToHex(encode(key));
        if (objectKeys.has(fingerprint)) this.fail('CBOR_DUPLICATE_KEY', 'duplicate map key', keyStart);
        objectKeys.add(fingerprint);
      } else if (out.has(key)) {
        this.fail('CBOR_DUPLICATE_KEY', 'duplicate map key', keyStart);
      }
      out.set(key, this.value());
    }
    this.depth--;
    return out;
  }

  private taggedValue(start: number): CborValue {
    if (this.big !== undefined) this.fail('CBOR_UNSUPPORTED', 'tag number above 2^53', start);
    const tag = this.arg;
    this.enter(start);
    const content = this.value();
    this.depth--;
    if (tag === 24 && content instanceof Uint8Array)
      return new EncodedCbor(content, this.bytes.subarray(start, this.pos));
    if ((tag === 2 || tag === 3) && content instanceof Uint8Array) {
      let v = 0n;
      for (const b of content) v = (v << 8n) | BigInt(b);
      return tag === 2 ? v : -1n - v;
    }
    return new Tagged(tag, content);
  }

  private simpleValue(start: number): CborValue {
    const ai = this.ai;
    if (ai >= 25 && ai <= 27) return this.float;
    if (ai === 31) this.fail('CBOR_INVALID', 'break outside an indefinite-length item', start);
    switch (this.arg) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      default:
        return new Simple(this.arg);
    }
  }
}

/** Longest text (in bytes) kept in `shortTexts`. */
const SHORT_TEXT = 32;
/** Slots of `shortTexts` (a power of two). */
const SHORT_TEXT_SLOTS = 256;
/**
 * Recently read short ASCII texts, one per slot chosen by a hash of their bytes: a fixed table (bounded
 * whatever is received), consulted only after comparing the candidate with the bytes character by
 * character; a collision just replaces the slot. Strings are immutable, so sharing one is invisible.
 */
const shortTexts: (string | undefined)[] = new Array<string | undefined>(SHORT_TEXT_SLOTS).fill(undefined);

/** Whether `s` is exactly the ASCII bytes `b[from..to)`. */
function sameAscii(s: string, b: Uint8Array, from: number, to: number): boolean {
  if (s.length !== to - from) return false;
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) !== b[from + k]) return false;
  return true;
}

/** Node's `Buffer.prototype.latin1Slice`, when running on Node (feature detection; no state). */
const latin1Slice = (
  globalThis as {
    Buffer?: { prototype: { latin1Slice?: (this: Uint8Array, start: number, end: number) => string } };
  }
).Buffer?.prototype.latin1Slice;

/** Positions of an embedded item being read (see `LeanReader.enterEmbedded`). */
export interface EmbeddedSpan {
  /** Offset of the tag head. */
  readonly start: number;
  /** Offset of the embedded item (the byte string's content). */
  readonly contentStart: number;
  /** Offset just after the byte string. */
  readonly end: number;
  readonly outerLimit: number;
}
