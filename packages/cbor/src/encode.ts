import { compareBytes } from './bytes.js';
import { EncodedCbor } from './encoded-cbor.js';
import { CborError } from './errors.js';
import { type CborValue, RawCbor, Simple, Tagged } from './types.js';

/**
 * The encoder: RFC 8949 §4.2.1 core deterministic encoding.
 * - preferred (shortest) heads, definite lengths only;
 * - map keys sorted by the bytewise lexicographic order of their encodings (§4.2.1, not the
 *   length-first order of RFC 7049 §3.9 that cborg's default sorter follows);
 * - floats in the shortest of binary16/32/64 that keeps the value, NaN as f97e00 (§4.2.2);
 * - integers beyond 64 bits as bignums (tags 2/3) with no leading zero bytes (§3.4.3).
 * `EncodedCbor` is written as its `raw` bytes and `RawCbor` as its bytes, verbatim: received items are
 * forwarded, never re-encoded. JS `undefined` is simple value 23.
 *
 * Own code rather than cborg's encoder: the two verbatim types and the exact key order are the whole
 * point here, and a direct writer is small. cborg checks it in the tests.
 */

const MAX_ENCODE_DEPTH = 1000;
const TWO_64 = 1n << 64n;

class Writer {
  buf: Uint8Array;
  /** Made when a multi-byte number is first written (most writers write map keys and never need one). */
  #view: DataView | undefined;
  pos = 0;

  constructor(size = 256) {
    this.buf = new Uint8Array(size);
  }

  get view(): DataView {
    this.#view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.#view;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.#view = undefined;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A head with the shortest argument (preferred serialization, §4.2.1). */
  head(major: number, n: number): void {
    const m = major << 5;
    this.ensure(9);
    if (n < 24) {
      this.buf[this.pos++] = m | n;
    } else if (n < 0x100) {
      this.buf[this.pos++] = m | 24;
      this.buf[this.pos++] = n;
    } else if (n < 0x10000) {
      this.buf[this.pos++] = m | 25;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
    } else if (n < 0x100000000) {
      this.buf[this.pos++] = m | 26;
      this.view.setUint32(this.pos, n);
      this.pos += 4;
    } else {
      this.buf[this.pos++] = m | 27;
      this.view.setUint32(this.pos, Math.floor(n / 0x100000000));
      this.view.setUint32(this.pos + 4, n >>> 0);
      this.pos += 8;
    }
  }

  bigHead(major: number, n: bigint): void {
    if (n <= BigInt(Number.MAX_SAFE_INTEGER)) {
      this.head(major, Number(n));
      return;
    }
    this.ensure(9);
    this.buf[this.pos++] = (major << 5) | 27;
    this.view.setBigUint64(this.pos, n);
    this.pos += 8;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

const utf8 = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function writeString(w: Writer, s: string): void {
  // ASCII fast path: one byte per UTF-16 unit.
  let ascii = s.length <= 64;
  if (ascii) {
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
  }
  if (ascii) {
    w.head(3, s.length);
    w.ensure(s.length);
    for (let i = 0; i < s.length; i++) w.buf[w.pos++] = s.charCodeAt(i);
    return;
  }
  // TextEncoder would silently turn a lone surrogate into U+FFFD: refuse instead of emitting other text.
  if (LONE_SURROGATE.test(s)) throw new CborError('CBOR_ENCODE', 'text string holds a lone UTF-16 surrogate');
  const b = utf8.encode(s);
  w.head(3, b.length);
  w.bytes(b);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The binary16 bits of `v` when binary16 holds it exactly, else -1. */
function toHalf(v: number): number {
  if (Math.fround(v) !== v) return -1;
  f32[0] = v;
  const bits = u32[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return mant === 0 ? sign | 0x7c00 : -1; // ±Infinity (NaN handled by the caller)
  if (exp === 0 && mant === 0) return sign; // ±0
  const e = exp - 127;
  if (e >= -14 && e <= 15) {
    if ((mant & 0x1fff) !== 0) return -1;
    return sign | ((e + 15) << 10) | (mant >>> 13);
  }
  if (e >= -24 && e < -14) {
    // binary16 subnormal: value = m · 2^-24 with m < 1024.
    const full = 0x800000 | mant;
    const shift = -(e + 1);
    if ((full & ((1 << shift) - 1)) !== 0) return -1;
    return sign | (full >>> shift);
  }
  return -1;
}

function writeFloat(w: Writer, v: number): void {
  w.ensure(9);
  if (Number.isNaN(v)) {
    w.buf[w.pos++] = 0xf9;
    w.buf[w.pos++] = 0x7e;
    w.buf[w.pos++] = 0x00;
    return;
  }
  const h = toHalf(v);
  if (h >= 0) {
    w.buf[w.pos++] = 0xf9;
    w.view.setUint16(w.pos, h);
    w.pos += 2;
  } else if (Math.fround(v) === v) {
    w.buf[w.pos++] = 0xfa;
    w.view.setFloat32(w.pos, v);
    w.pos += 4;
  } else {
    w.buf[w.pos++] = 0xfb;
    w.view.setFloat64(w.pos, v);
    w.pos += 8;
  }
}

function bigintBytes(n: bigint): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function writeBigint(w: Writer, v: bigint): void {
  if (v >= 0n) {
    if (v < TWO_64) w.bigHead(0, v);
    else {
      w.head(6, 2);
      const b = bigintBytes(v);
      w.head(2, b.length);
      w.bytes(b);
    }
  } else {
    const n = -1n - v;
    if (n < TWO_64) w.bigHead(1, n);
    else {
      w.head(6, 3);
      const b = bigintBytes(n);
      w.head(2, b.length);
      w.bytes(b);
    }
  }
}

function writeValue(w: Writer, v: CborValue, depth: number): void {
  switch (typeof v) {
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
        if (v >= 0) w.head(0, v);
        else w.head(1, -1 - v);
      } else {
        writeFloat(w, v);
      }
      return;
    case 'string':
      writeString(w, v);
      return;
    case 'boolean':
      w.byte(v ? 0xf5 : 0xf4);
      return;
    case 'undefined':
      w.byte(0xf7);
      return;
    case 'bigint':
      writeBigint(w, v);
      return;
    case 'object':
      break;
    default:
      throw new CborError('CBOR_ENCODE', `cannot encode a JavaScript ${typeof v}`);
  }
  if (v === null) {
    w.byte(0xf6);
    return;
  }
  if (depth > MAX_ENCODE_DEPTH) throw new CborError('CBOR_ENCODE', 'value nested too deeply (a cycle?)');
  if (v instanceof Uint8Array) {
    w.head(2, v.length);
    w.bytes(v);
  } else if (Array.isArray(v)) {
    w.head(4, v.length);
    for (const item of v) writeValue(w, item, depth + 1);
  } else if (v instanceof Map) {
    writeMap(w, v, depth);
  } else if (v instanceof EncodedCbor) {
    w.bytes(v.raw);
  } else if (v instanceof RawCbor) {
    w.bytes(v.bytes);
  } else if (v instanceof Tagged) {
    if (!Number.isSafeInteger(v.tag) || v.tag < 0)
      throw new CborError('CBOR_ENCODE', 'tag number is not a uint');
    w.head(6, v.tag);
    writeValue(w, v.value, depth + 1);
  } else if (v instanceof Simple) {
    const n = v.value;
    if (!Number.isInteger(n) || n < 0 || n > 255 || (n >= 24 && n < 32)) {
      throw new CborError('CBOR_ENCODE', 'simple value out of range');
    }
    if (n < 24) w.byte(0xe0 | n);
    else {
      w.byte(0xf8);
      w.byte(n);
    }
  } else {
    throw new CborError('CBOR_ENCODE', `cannot encode a ${Object.prototype.toString.call(v)}`);
  }
}

function writeMap(w: Writer, map: Map<CborValue, CborValue>, depth: number): void {
  // Every key is encoded one after the other into one writer (the order needs their encodings), then cut
  // out of its final buffer: a writer per key would cost more than the keys.
  const kw = new Writer(64);
  const spans: { start: number; end: number; value: CborValue }[] = [];
  for (const [k, value] of map) {
    const start = kw.pos;
    writeValue(kw, k, depth + 1);
    spans.push({ start, end: kw.pos, value });
  }
  const entries = spans.map((e) => ({ key: kw.buf.subarray(e.start, e.end), value: e.value }));
  entries.sort((a, b) => compareBytes(a.key, b.key));
  for (let i = 1; i < entries.length; i++) {
    if (
      compareBytes((entries[i - 1] as (typeof entries)[0]).key, (entries[i] as (typeof entries)[0]).key) === 0
    ) {
      throw new CborError('CBOR_ENCODE', 'two map keys have the same encoding');
    }
  }
  w.head(5, entries.length);
  for (const e of entries) {
    w.bytes(e.key);
    writeValue(w, e.value, depth + 1);
  }
}

/** Encodes a value deterministically (RFC 8949 §4.2.1). Throws CborError('CBOR_ENCODE') for what is not a CborValue. */
export function encode(value: CborValue): Uint8Array {
  const w = new Writer();
  writeValue(w, value, 0);
  return w.result();
}

/** The preferred head of a byte string of `length` bytes (used to build tag-24 items). */
export function bstrHead(length: number): Uint8Array {
  const w = new Writer(9);
  w.head(2, length);
  return w.result();
}
