import { describe, expect, it } from 'vitest';
import {
  CborError,
  type CborErrorCode,
  type CborValue,
  decode,
  decodeFirst,
  diagnose,
  encode,
  hexToBytes,
  Simple,
  Tagged,
} from '../src/index.js';

function codeOf(f: () => unknown): CborErrorCode | 'no error' | 'not a CborError' {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof CborError ? e.code : 'not a CborError';
  }
}

const decodeHex = (hex: string) => () => decode(hexToBytes(hex.replace(/\s/g, '')));

describe('decode error codes', () => {
  it.each([
    ['', 'empty input'],
    ['18', 'uint head missing its byte'],
    ['1a0000', 'uint32 head cut short'],
    ['f97c', 'half float cut short'],
  ])('CBOR_TRUNCATED: %s (%s)', (hex) => {
    expect(codeOf(decodeHex(hex))).toBe('CBOR_TRUNCATED');
  });

  it.each([
    ['828101', 'array ends before its last item (each item fits the length check, the input does not)'],
    ['9f01', 'indefinite array without a break'],
    ['5f4101', 'indefinite byte string without a break'],
    ['bf0101', 'indefinite map without a break'],
    ['d8', 'tag head cut short'],
    ['c1', 'tag without content'],
  ])('CBOR_TRUNCATED: %s (%s)', (hex) => {
    expect(codeOf(decodeHex(hex))).toBe('CBOR_TRUNCATED');
  });

  it.each([
    ['5a ffffffff 00', 'a 5-byte input declaring a 4 GiB byte string'],
    ['7a ffffffff 00', 'a 4 GiB text string'],
    ['5b 0000000100000000', 'a 64-bit length'],
    ['5b ffffffffffffffff', 'a length above 2^53'],
    ['9a ffffffff 00', '4 billion array items'],
    ['9b ffffffffffffffff', '2^64 - 1 array items'],
    ['ba ffffffff 00', '4 billion map entries'],
    ['a1 01', 'a map entry needs two items'],
    ['8201', 'two array items, one byte left'],
    ['43 0102', 'three bytes declared, two present'],
    ['5f 44 0102 ff', 'a chunk longer than the rest'],
  ])('CBOR_LENGTH_EXCEEDS_INPUT: %s (%s)', (hex) => {
    expect(codeOf(decodeHex(hex))).toBe('CBOR_LENGTH_EXCEEDS_INPUT');
  });

  it('fails a declared 4 GiB length without allocating it', () => {
    const e = (() => {
      try {
        decode(hexToBytes('5affffffff00'));
      } catch (err) {
        return err as CborError;
      }
      throw new Error('no error');
    })();
    expect(e.code).toBe('CBOR_LENGTH_EXCEEDS_INPUT');
    expect(e.offset).toBe(0);
  });

  it.each([
    ['a2 01 00 01 00', 'the same integer key twice'],
    ['a2 6161 00 6161 01', 'the same text key twice'],
    ['a2 4101 00 4101 01', 'the same byte-string key twice (compared by value, not identity)'],
    ['a2 820102 00 820102 01', 'the same array key twice'],
    ['a2 a10102 00 a10102 01', 'the same map key twice'],
    ['a2 c10a 00 c10a 01', 'the same tagged key twice'],
    ['a2 01 00 1801 00', 'the same integer, once with a non-preferred head'],
    ['a2 4101 00 5801 01 01', 'the same byte string, once with a non-preferred head'],
    ['a2 01 00 f93c00 00', '1 and 1.0: one JS number, so rejected rather than merged'],
    ['bf 01 00 01 00 ff', 'in an indefinite-length map'],
    ['a1 00 a2 01 00 01 00', 'in a nested map'],
  ])('CBOR_DUPLICATE_KEY: %s (%s)', (hex) => {
    expect(codeOf(decodeHex(hex))).toBe('CBOR_DUPLICATE_KEY');
  });

  it('accepts equal values under different keys and different key types', () => {
    expect(decode(hexToBytes('a3 01 00 6131 00 4101 00'))).toEqual(
      new Map<CborValue, CborValue>([
        [1, 0],
        ['1', 0],
        [hexToBytes('01'), 0],
      ]),
    );
  });

  it('CBOR_DEPTH_EXCEEDED: 10,000 nested arrays fail cleanly, not with a stack overflow', () => {
    const bomb = new Uint8Array(10_001).fill(0x81);
    bomb[10_000] = 0x00;
    expect(codeOf(() => decode(bomb))).toBe('CBOR_DEPTH_EXCEEDED');
    expect(codeOf(() => diagnose(bomb))).toBe('CBOR_DEPTH_EXCEEDED');
  });

  it('CBOR_DEPTH_EXCEEDED: nested tags, maps and indefinite arrays count too', () => {
    const tags = new Uint8Array(10_001).fill(0xc1);
    tags[10_000] = 0x00;
    expect(codeOf(() => decode(tags))).toBe('CBOR_DEPTH_EXCEEDED');
    const maps = new Uint8Array(20_001);
    for (let i = 0; i < 10_000; i++) maps.set([0xa1, 0x00], 2 * i);
    expect(codeOf(() => decode(maps))).toBe('CBOR_DEPTH_EXCEEDED');
    const indefinite = new Uint8Array(10_000).fill(0x9f);
    expect(codeOf(() => decode(indefinite))).toBe('CBOR_DEPTH_EXCEEDED');
  });

  it('maxDepth is the number of nested containers allowed', () => {
    const nested = (n: number) => hexToBytes(`${'81'.repeat(n)}00`);
    expect(decode(nested(64))).toBeDefined(); // default 64
    expect(codeOf(() => decode(nested(65)))).toBe('CBOR_DEPTH_EXCEEDED');
    expect(decode(nested(2), { maxDepth: 2 })).toEqual([[0]]);
    expect(codeOf(() => decode(nested(3), { maxDepth: 2 }))).toBe('CBOR_DEPTH_EXCEEDED');
    expect(decode(nested(100), { maxDepth: 100 })).toBeDefined();
  });

  it('CBOR_TOO_MANY_ITEMS: maxItems counts every item, keys and chunks included', () => {
    expect(decode(hexToBytes('83010203'), { maxItems: 4 })).toEqual([1, 2, 3]);
    expect(codeOf(() => decode(hexToBytes('83010203'), { maxItems: 3 }))).toBe('CBOR_TOO_MANY_ITEMS');
    expect(codeOf(() => decode(hexToBytes('a10102'), { maxItems: 2 }))).toBe('CBOR_TOO_MANY_ITEMS');
    expect(codeOf(() => decode(hexToBytes('5f41014102ff'), { maxItems: 2 }))).toBe('CBOR_TOO_MANY_ITEMS');
  });

  it('CBOR_TRAILING_BYTES: decode takes exactly one item; decodeFirst reads a sequence', () => {
    expect(codeOf(decodeHex('0000'))).toBe('CBOR_TRAILING_BYTES');
    expect(codeOf(decodeHex('820102 ff'))).toBe('CBOR_TRAILING_BYTES');
    expect(codeOf(() => diagnose(hexToBytes('0000')))).toBe('CBOR_TRAILING_BYTES');
    const seq = hexToBytes('820102 6161 f6'.replace(/\s/g, ''));
    const first = decodeFirst(seq);
    expect(first).toEqual({ value: [1, 2], end: 3 });
    const second = decodeFirst(seq.subarray(first.end));
    expect(second).toEqual({ value: 'a', end: 2 });
  });

  it.each([
    ['1c', 'reserved additional information 28'],
    ['1d', 'reserved 29'],
    ['1e', 'reserved 30'],
    ['3c', 'reserved on negative integers'],
    ['5c', 'reserved on byte strings'],
    ['7d', 'reserved on text strings'],
    ['9e', 'reserved on arrays'],
    ['bc', 'reserved on maps'],
    ['dc', 'reserved on tags'],
    ['fc', 'reserved on simple values'],
    ['1f', 'indefinite unsigned integer'],
    ['3f', 'indefinite negative integer'],
    ['df 00', 'indefinite tag'],
    ['ff', 'a break outside an indefinite item'],
    ['81 ff', 'a break inside a definite array'],
    ['bf 01 ff', 'a break between a key and its value'],
    ['f8 00', 'a two-byte simple value below 32'],
    ['f8 1f', 'a two-byte simple value 31'],
    ['5f 6161 ff', 'a text chunk in an indefinite byte string'],
    ['5f 5f ff ff', 'a nested indefinite chunk'],
    ['7f 4161 ff', 'a byte chunk in an indefinite text string'],
    ['5f 01 ff', 'an integer chunk'],
    ['62 c328', 'invalid UTF-8 (bad continuation)'],
    ['61 80', 'invalid UTF-8 (lone continuation byte)'],
    ['62 c080', 'invalid UTF-8 (overlong)'],
    ['63 eda080', 'invalid UTF-8 (encoded surrogate)'],
    ['64 f4908080', 'invalid UTF-8 (above U+10FFFF)'],
    ['7f 61c3 61bc ff', 'a character split across text chunks (§3.2.3)'],
    ['a1 6a 41414141414141414180 00', 'invalid UTF-8 in a map key'],
  ])('CBOR_INVALID: %s (%s)', (hex) => {
    expect(codeOf(decodeHex(hex))).toBe('CBOR_INVALID');
    expect(codeOf(() => diagnose(hexToBytes(hex.replace(/\s/g, ''))))).toBe('CBOR_INVALID');
  });

  it('CBOR_UNSUPPORTED: a tag number above 2^53', () => {
    expect(codeOf(decodeHex('db 0020000000000000 00'))).toBe('CBOR_UNSUPPORTED');
    expect(decode(hexToBytes('db001fffffffffffff00'))).toEqual(new Tagged(2 ** 53 - 1, 0));
  });

  it('errors carry the offset and never the decoded data', () => {
    try {
      decode(hexToBytes('a2 69 4d79204e756d626572 00 69 4d79204e756d626572 00'.replace(/\s/g, '')));
      throw new Error('no error');
    } catch (e) {
      const err = e as CborError;
      expect(err).toBeInstanceOf(CborError);
      expect(err).toBeInstanceOf(Error);
      expect(err.name).toBe('CborError');
      expect(err.code).toBe('CBOR_DUPLICATE_KEY');
      expect(err.offset).toBe(12);
      expect(err.message).not.toContain('My Number');
    }
  });

  it('UTF-8 errors keep the underlying cause', () => {
    try {
      decode(hexToBytes('62c328'));
    } catch (e) {
      expect((e as CborError).cause).toBeInstanceOf(TypeError);
    }
  });
});

describe('encode error codes', () => {
  const cycle: CborValue[] = [];
  cycle.push(cycle);
  it.each([
    ['a symbol', Symbol('x') as unknown as CborValue],
    ['a function', (() => 1) as unknown as CborValue],
    ['a plain object', { a: 1 } as unknown as CborValue],
    ['a Date', new Date(0) as unknown as CborValue],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', '\udc00'],
    ['simple value 24', new Simple(24)],
    ['simple value 256', new Simple(256)],
    ['a negative tag', new Tagged(-1, 0)],
    ['a fractional tag', new Tagged(1.5, 0)],
    ['a cycle', cycle],
    [
      'two keys with one encoding',
      new Map<CborValue, CborValue>([
        [hexToBytes('01'), 1],
        [hexToBytes('01'), 2],
      ]),
    ],
  ])('CBOR_ENCODE: %s', (_, value) => {
    expect(codeOf(() => encode(value))).toBe('CBOR_ENCODE');
  });
});
