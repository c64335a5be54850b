/**
 * One budget of items and nesting depth for every reader of received CBOR (decode, decodeFirst,
 * LeanReader, diagnose). Every item takes at least one byte (its head, RFC 8949 §3), so one pass over
 * an input of n bytes reads at most n heads: the budget is min(n, DEFAULT_MAX_ITEMS). It is counted
 * per head read, so work and memory stay linear in the input whatever a reader is asked to do.
 *
 * Counts of work are taken by counting head reads (`Reader.prototype.head`), never by the clock.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CborError,
  type CborErrorCode,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ITEMS,
  decode,
  decodeFirst,
  diagnose,
  encode,
  hexToBytes,
  itemBudget,
  LeanReader,
  rawSpanOf,
} from '../src/index.js';
import { Reader } from '../src/reader.js';

function codeOf(f: () => unknown): CborErrorCode | 'no error' | 'not a CborError' {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof CborError ? e.code : 'not a CborError';
  }
}

/** Counts head reads while `f` runs. */
function headsRead(f: () => unknown): number {
  const spy = vi.spyOn(Reader.prototype, 'head');
  try {
    f();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

function lean(bytes: Uint8Array, limits?: { maxItems?: number; maxDepth?: number }) {
  const r = new LeanReader(bytes, limits);
  const v = r.value();
  r.expectEnd();
  return v;
}

function leanSkip(bytes: Uint8Array, limits?: { maxItems?: number; maxDepth?: number }) {
  const r = new LeanReader(bytes, limits);
  r.skip();
  r.expectEnd();
}

/** An array of `n` empty arrays: n + 1 items in about n bytes. */
function arrayOfEmptyArrays(n: number): Uint8Array {
  const out = new Uint8Array(5 + n).fill(0x80);
  out[0] = 0x9a; // a 32-bit array length
  new DataView(out.buffer).setUint32(1, n);
  return out;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the item budget', () => {
  it('is min(input length, DEFAULT_MAX_ITEMS = 2^24) and exported with the depth limit', () => {
    expect(DEFAULT_MAX_ITEMS).toBe(2 ** 24);
    expect(DEFAULT_MAX_DEPTH).toBe(64);
    expect(itemBudget(10)).toBe(10);
    expect(itemBudget(2 ** 30)).toBe(2 ** 24);
    expect(itemBudget(2 ** 30, 1000)).toBe(1000);
  });

  it('maxItems applies to every reader alike (CBOR_TOO_MANY_ITEMS), keys and chunks included', () => {
    const cases: [string, number][] = [
      ['83010203', 4],
      ['a10102', 3],
      ['5f41014102ff', 3],
      ['d818 43 a10126', 2],
    ];
    for (const [hex, items] of cases) {
      const b = hexToBytes(hex.replace(/\s/g, ''));
      expect(codeOf(() => decode(b, { maxItems: items }))).toBe('no error');
      expect(codeOf(() => lean(b, { maxItems: items }))).toBe('no error');
      expect(codeOf(() => leanSkip(b, { maxItems: items }))).toBe('no error');
      const fewer = { maxItems: items - 1 };
      expect(codeOf(() => decode(b, fewer))).toBe('CBOR_TOO_MANY_ITEMS');
      expect(codeOf(() => decodeFirst(b, fewer))).toBe('CBOR_TOO_MANY_ITEMS');
      expect(codeOf(() => lean(b, fewer))).toBe('CBOR_TOO_MANY_ITEMS');
      expect(codeOf(() => leanSkip(b, fewer))).toBe('CBOR_TOO_MANY_ITEMS');
    }
    expect(codeOf(() => diagnose(hexToBytes('83010203'), { maxItems: 4 }))).toBe('no error');
    expect(codeOf(() => diagnose(hexToBytes('83010203'), { maxItems: 3 }))).toBe('CBOR_TOO_MANY_ITEMS');
  });

  it('LeanReader.value stops a huge array of empty arrays at the budget instead of building it', () => {
    const bytes = arrayOfEmptyArrays(50_000);
    expect(codeOf(() => lean(bytes, { maxItems: 1000 }))).toBe('CBOR_TOO_MANY_ITEMS');
    expect(codeOf(() => leanSkip(bytes, { maxItems: 1000 }))).toBe('CBOR_TOO_MANY_ITEMS');
    // The work done before stopping is the budget, not the input.
    expect(headsRead(() => codeOf(() => lean(bytes, { maxItems: 1000 })))).toBe(1001);
    // Within the default budget the same input is read in one head per item.
    expect(headsRead(() => lean(bytes))).toBe(50_001);
  });

  it('one LeanReader reads at most input-length heads, however often its cursor is moved back', () => {
    // Items ≤ bytes holds for one pass; a caller that rewinds and reads again spends the same budget.
    const bytes = hexToBytes('8301820203a0');
    const r = new LeanReader(bytes);
    r.value();
    r.pos = 0;
    expect(codeOf(() => r.value())).toBe('CBOR_TOO_MANY_ITEMS');
  });

  it('LeanReader reads indefinite strings without reading their head twice', () => {
    const text = hexToBytes('7f 6161 6162 ff'.replace(/\s/g, ''));
    const r = new LeanReader(text);
    expect(r.text()).toBe('ab');
    const bytes = hexToBytes('5f 4101 4102 ff'.replace(/\s/g, ''));
    expect(new LeanReader(bytes).byteString()).toEqual(Uint8Array.of(1, 2));
    expect(headsRead(() => new LeanReader(text).text())).toBe(3);
    expect(headsRead(() => new LeanReader(bytes).skipByteString())).toBe(3);
    // A map skipped in a skip is not re-read from its head either.
    expect(headsRead(() => leanSkip(hexToBytes('a2 01 02 03 04'.replace(/\s/g, ''))))).toBe(5);
  });

  it('the depth limit is the same in every reader', () => {
    const nested = (n: number) => hexToBytes(`${'81'.repeat(n)}00`);
    const deep = nested(DEFAULT_MAX_DEPTH + 1);
    expect(codeOf(() => decode(deep))).toBe('CBOR_DEPTH_EXCEEDED');
    expect(codeOf(() => lean(deep))).toBe('CBOR_DEPTH_EXCEEDED');
    expect(codeOf(() => leanSkip(deep))).toBe('CBOR_DEPTH_EXCEEDED');
    expect(codeOf(() => diagnose(deep))).toBe('CBOR_DEPTH_EXCEEDED');
    const ok = nested(DEFAULT_MAX_DEPTH);
    for (const f of [() => decode(ok), () => lean(ok), () => leanSkip(ok), () => diagnose(ok)]) {
      expect(codeOf(f)).toBe('no error');
    }
    expect(codeOf(() => lean(nested(3), { maxDepth: 2 }))).toBe('CBOR_DEPTH_EXCEEDED');
  });
});

describe('LeanReader.skip builds nothing', () => {
  it('skipping a large value under an unknown key does not decode it', () => {
    // {"known": 1, "unknown": [[…], …]}: a one-pass reader skips the value it does not know.
    const big = Array.from({ length: 2000 }, (_, i) => [i, 'x', new Uint8Array(3)]);
    const bytes = encode(new Map<string, unknown>([['unknown', big]]) as never);
    const values = vi.spyOn(LeanReader.prototype, 'value');
    const r = new LeanReader(bytes);
    r.mapHead();
    expect(r.text()).toBe('unknown');
    r.skip();
    r.expectEnd();
    expect(values).not.toHaveBeenCalled();
  });

  it('a skipped map decodes its keys only (to refuse duplicates, RFC 8949 §5.6), not its values', () => {
    const value = new Map<unknown, unknown>([
      [1, Array.from({ length: 500 }, (_, i) => i)],
      ['k', new Map([[2, [[[]]]]])],
    ]);
    const bytes = encode(value as never);
    const values = vi.spyOn(LeanReader.prototype, 'value');
    leanSkip(bytes);
    expect(values.mock.calls.length).toBe(3); // the keys 1, "k", 2
    expect(codeOf(() => leanSkip(hexToBytes('a2 01 00 01 00'.replace(/\s/g, ''))))).toBe(
      'CBOR_DUPLICATE_KEY',
    );
    expect(codeOf(() => leanSkip(hexToBytes('a2 8101 00 8101 00'.replace(/\s/g, ''))))).toBe(
      'CBOR_DUPLICATE_KEY',
    );
  });
});

describe('decode with spans', () => {
  it('keeps each span on its value (a process-wide weak table made span decoding super-linear)', () => {
    // V8 walks a WeakMap's whole table at every garbage collection, so one entry per container
    // made decode(…, {spans: true}) quadratic (4 M items: 101 s, against 1.6 s without spans).
    const bytes = hexToBytes('82 8101 a1 01 c1 02'.replace(/\s/g, ''));
    const v = decode(bytes, { spans: true }) as [number[], Map<number, unknown>];
    expect(rawSpanOf(v)).toEqual(bytes);
    expect(rawSpanOf(v[0])).toEqual(hexToBytes('8101'));
    expect(rawSpanOf(v[1])).toEqual(hexToBytes('a101c102'));
    expect(Object.getOwnPropertySymbols(v)).toHaveLength(1);
    // The span is invisible to enumeration, JSON and equality: the value is still a plain array.
    expect(Object.keys(v)).toEqual(['0', '1']);
    expect(JSON.stringify(v[0])).toBe('[1]');
    expect(v).toEqual(decode(bytes));
    expect(headsRead(() => decode(bytes, { spans: true }))).toBe(headsRead(() => decode(bytes)));
  });
});
