import { bytesToHex } from './bytes.js';
import { encode } from './encode.js';
import { EncodedCbor } from './encoded-cbor.js';
import { decodeUtf8, Reader } from './reader.js';
import { recordSpan } from './spans.js';
import { type CborMap, type CborValue, type DecodeOptions, Simple, Tagged } from './types.js';

/**
 * The decoder (RFC 8949 §3, §5): a recursive-descent reader over the input with a DataView.
 *
 * Why our own and not cborg's: verification needs the exact received bytes of embedded items
 * (tag 24, ISO 18013-5 IssuerSignedItemBytes) and of whole structures, which cborg's token stream does
 * not expose, and it must be strict where that matters for security (duplicate keys, lengths checked
 * before allocating, a depth limit instead of a stack overflow) while accepting every well-formed
 * encoding wallets send (any key order, non-preferred heads, indefinite lengths, unknown tags).
 * cborg stays in the package as the independent oracle the tests compare against.
 */

/** Depth and item limits are those every reader shares (limits.ts), counted in `Reader.head`. */
class Decoder extends Reader {
  private readonly spans: boolean;

  constructor(bytes: Uint8Array, options: DecodeOptions | undefined) {
    super(bytes, options);
    this.spans = options?.spans === true;
  }

  item(): CborValue {
    const start = this.pos;
    this.head();
    switch (this.major) {
      case 0:
        return this.big === undefined ? this.arg : this.big;
      case 1:
        if (this.big !== undefined) return -1n - this.big;
        // -1 - (2^53 - 1) = -2^53 is no longer a safe integer.
        return this.arg === Number.MAX_SAFE_INTEGER ? -1n - BigInt(this.arg) : -1 - this.arg;
      case 2: {
        if (this.ai === 31) return this.chunks(2);
        const len = this.checkLength(1, start);
        const value = this.bytes.subarray(this.pos, this.pos + len);
        this.pos += len;
        return value;
      }
      case 3: {
        if (this.ai === 31) return this.chunks(3);
        const len = this.checkLength(1, start);
        const s = decodeUtf8(this, this.pos, this.pos + len, start);
        this.pos += len;
        return s;
      }
      case 4:
        return this.array(start);
      case 5:
        return this.map(start);
      case 6:
        return this.tagged(start);
      default:
        return this.simple(start);
    }
  }

  private isBreak(): boolean {
    if (this.pos >= this.limit) this.fail('CBOR_TRUNCATED', 'input ends inside an indefinite-length item');
    if (this.bytes[this.pos] === 0xff) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** Indefinite-length strings (RFC 8949 §3.2.3): definite chunks of the same major type, then a break. */
  private chunks(major: 2 | 3): Uint8Array | string {
    const parts: Uint8Array[] = [];
    let text = '';
    while (!this.isBreak()) {
      const chunkStart = this.pos;
      this.head();
      if (this.major !== major || this.ai === 31) {
        this.fail('CBOR_INVALID', 'indefinite-length string chunk of another type or length', chunkStart);
      }
      const len = this.checkLength(1, chunkStart);
      // Each text chunk must be valid UTF-8 on its own (§3.2.3): a character cannot straddle chunks.
      if (major === 3) text += decodeUtf8(this, this.pos, this.pos + len, chunkStart);
      else parts.push(this.bytes.subarray(this.pos, this.pos + len));
      this.pos += len;
    }
    if (major === 3) return text;
    // The only place a byte string is copied: its chunks are not contiguous in the input.
    let total = 0;
    for (const p of parts) total += p.length;
    const out = total === 0 ? new Uint8Array(0) : new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  private array(start: number): CborValue[] {
    this.enter(start);
    const out: CborValue[] = [];
    if (this.ai === 31) {
      while (!this.isBreak()) out.push(this.item());
    } else {
      const n = this.checkLength(1, start);
      for (let i = 0; i < n; i++) out.push(this.item());
    }
    this.depth--;
    if (this.spans) recordSpan(out, this.bytes.subarray(start, this.pos));
    return out;
  }

  private map(start: number): CborMap {
    this.enter(start);
    const out: CborMap = new Map();
    // Keys that are objects (byte strings, arrays, maps, tags) are compared by value through their
    // deterministic encoding; primitives through the Map itself. Note that JS cannot tell 1 from 1.0
    // or 0 from -0.0 as Map keys: such pairs are rejected as duplicates rather than silently merged.
    let objectKeys: Set<string> | undefined;
    const entry = (): void => {
      const keyStart = this.pos;
      const key = this.item();
      if (typeof key === 'object' && key !== null) {
        objectKeys ??= new Set();
        const fingerprint = bytesToHex(encode(key));
        if (objectKeys.has(fingerprint)) this.fail('CBOR_DUPLICATE_KEY', 'duplicate map key', keyStart);
        objectKeys.add(fingerprint);
      } else if (out.has(key)) {
        this.fail('CBOR_DUPLICATE_KEY', 'duplicate map key', keyStart);
      }
      out.set(key, this.item());
    };
    if (this.ai === 31) {
      // A break between a key and its value reaches `simple` and fails there as a stray break.
      while (!this.isBreak()) entry();
    } else {
      const n = this.checkLength(2, start);
      for (let i = 0; i < n; i++) entry();
    }
    this.depth--;
    if (this.spans) recordSpan(out, this.bytes.subarray(start, this.pos));
    return out;
  }

  private tagged(start: number): CborValue {
    if (this.big !== undefined) this.fail('CBOR_UNSUPPORTED', 'tag number above 2^53', start);
    const tag = this.arg;
    this.enter(start);
    const content = this.item();
    this.depth--;
    let value: CborValue;
    if (tag === 24 && content instanceof Uint8Array) {
      // RFC 8949 §3.4.5.1 encoded CBOR data item: keep the received bytes (ISO 18013-5 hashes them).
      value = new EncodedCbor(content, this.bytes.subarray(start, this.pos));
    } else if ((tag === 2 || tag === 3) && content instanceof Uint8Array) {
      // RFC 8949 §3.4.3 bignums are integers in the data model.
      let n = 0n;
      for (const b of content) n = (n << 8n) | BigInt(b);
      return tag === 2 ? n : -1n - n;
    } else {
      value = new Tagged(tag, content);
    }
    if (this.spans) recordSpan(value, this.bytes.subarray(start, this.pos));
    return value;
  }

  private simple(start: number): CborValue {
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

function asPlainBytes(bytes: Uint8Array): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decode expects a Uint8Array');
  // A Buffer (or other subclass) becomes a plain view of the same memory, so values compare as plain
  // Uint8Arrays everywhere.
  return bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes the first item of `bytes` and returns where it ended: for CBOR sequences (RFC 8742) and for
 * reading an item out of a longer buffer.
 */
export function decodeFirst(bytes: Uint8Array, options?: DecodeOptions): { value: CborValue; end: number } {
  const d = new Decoder(asPlainBytes(bytes), options);
  const value = d.item();
  return { value, end: d.pos };
}

/**
 * Decodes exactly one CBOR item. Byte strings in the result are views into `bytes` (do not mutate it
 * while the result is in use). Throws `CborError` with a stable code on malformed input.
 */
export function decode(bytes: Uint8Array, options?: DecodeOptions): CborValue {
  const plain = asPlainBytes(bytes);
  const d = new Decoder(plain, options);
  const value = d.item();
  if (d.pos !== plain.length) {
    d.fail('CBOR_TRAILING_BYTES', `${plain.length - d.pos} bytes after the item`, d.pos);
  }
  return value;
}
