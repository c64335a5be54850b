import { CborError, type CborErrorCode } from './errors.js';
import { itemBudget as budgetFor, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ITEMS, type ReadLimits } from './limits.js';

/**
 * Low-level reading of CBOR heads (RFC 8949 §3): the initial byte, then the argument in 0, 1, 2, 4 or
 * 8 following bytes. Shared by the decoder and the diagnostic printer so that both apply the same
 * well-formedness rules (RFC 8949 Appendix C).
 *
 * Non-preferred heads (`19 0001`, `b9 0003`) are well-formed and accepted: real wallets send them, and
 * the bytes are hashed as received.
 */
export class Reader {
  readonly view: DataView;
  pos = 0;
  /** The end of the readable region: the input's length, or less inside an embedded item. */
  limit: number;
  /** Major type of the last head read. */
  major = 0;
  /** Additional information (low 5 bits) of the last head read. */
  ai = 0;
  /** Argument of the last head: a safe integer, or -1 when it needs `big` (above 2^53 − 1) or is indefinite (ai 31). */
  arg = 0;
  /** The argument when it is above Number.MAX_SAFE_INTEGER. */
  big: bigint | undefined;
  /** Value of the last float head (major 7, ai 25–27). */
  float = 0;
  /** Nesting limit of arrays, maps and tags (see limits.ts). */
  readonly maxDepth: number;
  /** Current nesting of arrays, maps and tags. */
  protected depth = 0;
  /** The item budget this reader started with: min(input length, maxItems) (see limits.ts). */
  readonly itemBudget: number;
  /** Heads this reader may still read; every `head()` spends one. */
  itemsLeft: number;

  constructor(
    readonly bytes: Uint8Array,
    limits?: ReadLimits,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.limit = bytes.length;
    const maxDepth = limits?.maxDepth ?? DEFAULT_MAX_DEPTH;
    const maxItems = limits?.maxItems ?? DEFAULT_MAX_ITEMS;
    // NaN or a negative limit would silently disable the check: a programmer error.
    if (!(maxDepth >= 0) || !(maxItems >= 0)) throw new RangeError('maxDepth and maxItems must be ≥ 0');
    this.maxDepth = maxDepth;
    this.itemBudget = budgetFor(bytes.length, maxItems);
    this.itemsLeft = this.itemBudget;
  }

  get remaining(): number {
    return this.limit - this.pos;
  }

  fail(code: CborErrorCode, message: string, offset: number = this.pos): never {
    throw new CborError(code, `${message} (at byte ${offset})`, { offset });
  }

  private need(n: number): void {
    if (this.limit - this.pos < n) this.fail('CBOR_TRUNCATED', 'input ends inside an item head');
  }

  /** Enters an array, map or tag that starts at `start`; the caller decrements `depth` on leaving. */
  protected enter(start: number): void {
    if (++this.depth > this.maxDepth) {
      this.fail('CBOR_DEPTH_EXCEEDED', `nesting deeper than ${this.maxDepth}`, start);
    }
  }

  private tooManyItems(start: number): never {
    this.fail('CBOR_TOO_MANY_ITEMS', `more than ${this.itemBudget} items`, start);
  }

  /** Reads one head at `pos`; afterwards `pos` is at the head's content. */
  head(): void {
    const bytes = this.bytes;
    if (this.pos >= this.limit) this.fail('CBOR_TRUNCATED', 'input ends where an item was expected');
    const start = this.pos;
    // The shared item budget (limits.ts): one decrement and one compare per item.
    if (--this.itemsLeft < 0) this.tooManyItems(start);
    const ib = bytes[this.pos++] as number;
    const major = ib >> 5;
    const ai = ib & 31;
    this.major = major;
    this.ai = ai;
    this.big = undefined;
    if (ai < 24) {
      this.arg = ai;
      return;
    }
    switch (ai) {
      case 24:
        this.need(1);
        this.arg = bytes[this.pos++] as number;
        // RFC 8949 §3.3: simple values 0..31 in the two-byte form are not well-formed.
        if (major === 7 && this.arg < 32) this.fail('CBOR_INVALID', 'two-byte simple value below 32', start);
        return;
      case 25:
        this.need(2);
        if (major === 7) this.float = halfToNumber(this.view.getUint16(this.pos));
        else this.arg = this.view.getUint16(this.pos);
        this.pos += 2;
        return;
      case 26:
        this.need(4);
        if (major === 7) this.float = this.view.getFloat32(this.pos);
        else this.arg = this.view.getUint32(this.pos);
        this.pos += 4;
        return;
      case 27: {
        this.need(8);
        if (major === 7) {
          this.float = this.view.getFloat64(this.pos);
        } else {
          const hi = this.view.getUint32(this.pos);
          const lo = this.view.getUint32(this.pos + 4);
          if (hi < 0x200000) {
            this.arg = hi * 0x100000000 + lo;
          } else {
            this.arg = -1;
            this.big = (BigInt(hi) << 32n) | BigInt(lo);
          }
        }
        this.pos += 8;
        return;
      }
      case 31:
        // Indefinite length (major 2–5) or break (major 7); meaningless for integers and tags.
        if (major === 0 || major === 1 || major === 6) {
          this.fail('CBOR_INVALID', `indefinite length on major type ${major}`, start);
        }
        this.arg = -1;
        return;
      default:
        this.fail('CBOR_INVALID', `reserved additional information ${ai}`, start);
    }
  }

  /**
   * Checks that a declared definite length (strings: bytes; arrays: items; maps: 2 × entries) can fit
   * in the rest of the input, before anything is allocated for it.
   */
  checkLength(unitsPerEntry: number, start: number): number {
    if (this.arg < 0 || this.arg * unitsPerEntry > this.limit - this.pos) {
      this.fail('CBOR_LENGTH_EXCEEDS_INPUT', 'declared length exceeds the remaining input', start);
    }
    return this.arg;
  }
}

/** IEEE 754 binary16 → number (RFC 8949 Appendix D). */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Strict UTF-8 (RFC 8949 §3.1: text strings are UTF-8; ill-formed ones are not valid). `ignoreBOM` keeps
 * a leading U+FEFF as data instead of silently stripping it.
 */
export function decodeUtf8(r: Reader, start: number, end: number, itemStart: number): string {
  const bytes = r.bytes;
  if (end - start <= 32) {
    let s = '';
    let i = start;
    for (; i < end; i++) {
      const c = bytes[i] as number;
      if (c >= 0x80) break;
      s += String.fromCharCode(c);
    }
    if (i === end) return s;
  }
  try {
    return fatalUtf8.decode(bytes.subarray(start, end));
  } catch (cause) {
    throw new CborError('CBOR_INVALID', `text string is not valid UTF-8 (at byte ${itemStart})`, {
      cause,
      offset: itemStart,
    });
  }
}

/**
 * Strict UTF-8 validation (RFC 3629, as the WHATWG fatal decoder applies it: no overlong forms, no
 * surrogates, nothing above U+10FFFF, no truncated sequence) without producing the string: readers
 * that only check an item (LeanReader.skipValue, diagnose's first pass) allocate nothing for it.
 */
export function checkUtf8(r: Reader, from: number, to: number, itemStart: number): void {
  const b = r.bytes;
  let i = from;
  while (i < to) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else {
      r.fail('CBOR_INVALID', `text string is not valid UTF-8 (at byte ${itemStart})`, itemStart);
    }
    for (let k = 1; k <= need; k++) {
      const d = i + k < to ? (b[i + k] as number) : -1;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (d < min || d > max) {
        r.fail('CBOR_INVALID', `text string is not valid UTF-8 (at byte ${itemStart})`, itemStart);
      }
    }
    i += need + 1;
  }
}
