import { type CborValue, EncodedCbor, Simple, Tagged } from '../../src/index.js';

/**
 * A test-only encoder that writes valid but non-preferred CBOR: random head widths, integral numbers
 * as floats, floats wider than needed, bignums with leading zeros, indefinite-length strings (split at
 * code-point boundaries), arrays and maps, and tag 24 with widened tag and length heads. It records,
 * for every item it writes, the exact bytes of that item, so tests can compare the decoder's spans.
 */
export interface Written {
  bytes: Uint8Array;
  /** arrays: items; maps: k0, v0, k1, v1…; tags: [content] */
  children: Written[];
  /** tag 24: the embedded item as written inside the byte string */
  inner?: Written;
}

type Rnd = () => number;

class Out {
  parts: number[] = [];
  push(...b: number[]) {
    for (const x of b) this.parts.push(x);
  }
  bytes(b: Uint8Array) {
    for (const x of b) this.parts.push(x);
  }
}

const WIDTHS = [0, 1, 2, 4, 8] as const;

function minWidth(n: bigint): number {
  if (n < 24n) return 0;
  if (n < 0x100n) return 1;
  if (n < 0x10000n) return 2;
  if (n < 0x100000000n) return 4;
  return 8;
}

function head(out: Out, major: number, value: number | bigint, rnd: Rnd): void {
  const n = BigInt(value);
  const min = minWidth(n);
  const choices = WIDTHS.filter((w) => w >= min);
  const w = rnd() < 0.5 ? min : choices[Math.floor(rnd() * choices.length)]!;
  if (w === 0) {
    out.push((major << 5) | Number(n));
    return;
  }
  out.push((major << 5) | { 1: 24, 2: 25, 4: 26, 8: 27 }[w]!);
  for (let i = w - 1; i >= 0; i--) out.push(Number((n >> BigInt(8 * i)) & 0xffn));
}

function float(out: Out, v: number, rnd: Rnd): void {
  const opts: (() => void)[] = [];
  const f32 = new DataView(new ArrayBuffer(4));
  f32.setFloat32(0, v);
  const f32ok = Number.isNaN(v) || f32.getFloat32(0) === v;
  const half = toHalf(v);
  if (half !== undefined) opts.push(() => out.push(0xf9, half >> 8, half & 0xff));
  if (f32ok) opts.push(() => out.push(0xfa, ...new Uint8Array(f32.buffer)));
  opts.push(() => {
    const d = new DataView(new ArrayBuffer(8));
    d.setFloat64(0, v);
    out.push(0xfb, ...new Uint8Array(d.buffer));
  });
  opts[Math.floor(rnd() * opts.length)]!();
}

/** binary16 bits when exact (brute force over all 65536 patterns is too slow per call; do it arithmetically). */
function toHalf(v: number): number | undefined {
  if (Number.isNaN(v)) return 0x7e00;
  if (v === Number.POSITIVE_INFINITY) return 0x7c00;
  if (v === Number.NEGATIVE_INFINITY) return 0xfc00;
  if (v === 0) return Object.is(v, -0) ? 0x8000 : 0;
  const sign = v < 0 ? 0x8000 : 0;
  const a = Math.abs(v);
  for (let e = -14; e <= 15; e++) {
    const m = a / 2 ** e - 1;
    if (m >= 0 && m < 1 && Number.isInteger(m * 1024)) return sign | ((e + 15) << 10) | (m * 1024);
  }
  const sub = a / 2 ** -24;
  if (Number.isInteger(sub) && sub < 1024) return sign | sub;
  return undefined;
}

function chunks<T>(items: T[], rnd: Rnd): T[][] {
  const out: T[][] = [];
  let i = 0;
  while (i < items.length) {
    const n = Math.floor(rnd() * (items.length - i + 1));
    out.push(items.slice(i, i + n));
    i += n;
    if (rnd() < 0.2) out.push([]);
  }
  return out;
}

function start(out: Out): number {
  return out.parts.length;
}

/**
 * @param indefinite true: indefinite strings, arrays and maps may appear; 'containers': only arrays and
 * maps (cborg cannot decode indefinite strings); false: none.
 */
export function wideEncode(v: CborValue, rnd: Rnd, indefinite: boolean | 'containers' = true): Written {
  const out = new Out();
  const w = write(out, v, rnd, indefinite);
  return w;

  function write(o: Out, x: CborValue, r: Rnd, indef: boolean | 'containers'): Written {
    const s = start(o);
    const children: Written[] = [];
    let inner: Written | undefined;
    if (typeof x === 'number') {
      if (Number.isSafeInteger(x) && !Object.is(x, -0) && r() < 0.8) {
        if (x >= 0) head(o, 0, x, r);
        else head(o, 1, -1 - x, r);
      } else float(o, x, r);
    } else if (typeof x === 'bigint') {
      const neg = x < 0n;
      const n = neg ? -1n - x : x;
      if (n < 2n ** 64n && r() < 0.8) head(o, neg ? 1 : 0, n, r);
      else {
        head(o, 6, neg ? 3 : 2, r);
        let hex = n.toString(16);
        if (hex.length % 2) hex = `0${hex}`;
        if (r() < 0.3) hex = `00${hex}`;
        const b = Uint8Array.from(hex.match(/../g)!.map((h) => Number.parseInt(h, 16)));
        head(o, 2, b.length, r);
        o.bytes(b);
      }
    } else if (typeof x === 'string') {
      const cps = [...x];
      if (indef === true && r() < 0.3) {
        o.push(0x7f);
        for (const c of chunks(cps, r)) {
          const b = new TextEncoder().encode(c.join(''));
          head(o, 3, b.length, r);
          o.bytes(b);
        }
        o.push(0xff);
      } else {
        const b = new TextEncoder().encode(x);
        head(o, 3, b.length, r);
        o.bytes(b);
      }
    } else if (typeof x === 'boolean') o.push(x ? 0xf5 : 0xf4);
    else if (x === null) o.push(0xf6);
    else if (x === undefined) o.push(0xf7);
    else if (x instanceof Uint8Array) {
      if (indef === true && r() < 0.3) {
        o.push(0x5f);
        for (const c of chunks([...x], r)) {
          head(o, 2, c.length, r);
          o.bytes(Uint8Array.from(c));
        }
        o.push(0xff);
      } else {
        head(o, 2, x.length, r);
        o.bytes(x);
      }
    } else if (Array.isArray(x)) {
      const ind = indef !== false && r() < 0.3;
      if (ind) o.push(0x9f);
      else head(o, 4, x.length, r);
      for (const item of x) children.push(write(o, item, r, indef));
      if (ind) o.push(0xff);
    } else if (x instanceof Map) {
      const ind = indef !== false && r() < 0.3;
      if (ind) o.push(0xbf);
      else head(o, 5, x.size, r);
      for (const [k, val] of x) {
        children.push(write(o, k, r, indef));
        children.push(write(o, val, r, indef));
      }
      if (ind) o.push(0xff);
    } else if (x instanceof EncodedCbor) {
      head(o, 6, 24, r);
      const innerOut = new Out();
      inner = write(innerOut, x.decode(), r, indef);
      head(o, 2, inner.bytes.length, r);
      o.bytes(inner.bytes);
    } else if (x instanceof Tagged) {
      head(o, 6, x.tag, r);
      children.push(write(o, x.value, r, indef));
    } else if (x instanceof Simple) {
      o.push(x.value < 24 ? 0xe0 | x.value : 0xf8);
      if (x.value >= 24) o.push(x.value);
    } else {
      throw new Error('wideEncode: unsupported value');
    }
    const bytes = Uint8Array.from(o.parts.slice(s));
    return inner === undefined ? { bytes, children } : { bytes, children, inner };
  }
}

/** A seeded xorshift generator, so fast-check can shrink and replay. */
export function seeded(seed: number): Rnd {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}
