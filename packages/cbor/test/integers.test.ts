/**
 * Integers beyond 2^53 (RFC 8949 §3.1: major types 0 and 1 carry any argument up to 2^64 − 1; an
 * unsigned integer is 0..2^64−1 and a negative integer −2^64..−1). They decode exactly, as bigint, in
 * every reader, and our encoder writes them as integers in preferred serialization (§4.2.1: "the
 * argument ... is encoded in the shortest form"), never as floats.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asUintOrBigint,
  bytesToHex,
  CborError,
  type CborErrorCode,
  type CborValue,
  decode,
  encode,
  getUintOrBigint,
  hexToBytes,
  LeanReader,
  optUintOrBigint,
} from '../src/index.js';

function codeOf(f: () => unknown): CborErrorCode | 'no error' | 'not a CborError' {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof CborError ? e.code : 'not a CborError';
  }
}

const lean = (hex: string): CborValue => {
  const r = new LeanReader(hexToBytes(hex));
  const v = r.value();
  r.expectEnd();
  return v;
};

const TWO_53 = 2n ** 53n;
const TWO_64 = 2n ** 64n;

describe('decoding integers above 2^53 (RFC 8949 §3.1)', () => {
  it.each([
    ['1b001fffffffffffff', 2 ** 53 - 1],
    ['1b0020000000000000', TWO_53],
    ['1b0020000000000001', TWO_53 + 1n],
    ['1bffffffffffffffff', TWO_64 - 1n],
    ['3b001ffffffffffffe', -(2 ** 53 - 1)],
    ['3b001fffffffffffff', -TWO_53],
    ['3b0020000000000000', -TWO_53 - 1n],
    ['3bffffffffffffffff', -TWO_64],
    ['1b0000000000000001', 1], // non-preferred but well-formed: accepted, same value
  ] as const)('%s decodes exactly (decode and LeanReader agree)', (hex, value) => {
    expect(decode(hexToBytes(hex))).toBe(value);
    expect(lean(hex)).toBe(value);
  });
});

describe('encoding integers (RFC 8949 §4.2.1 preferred serialization)', () => {
  it.each([
    [0n, '00'],
    [23n, '17'],
    [24n, '1818'],
    [255n, '18ff'],
    [256n, '190100'],
    [2n ** 32n - 1n, '1affffffff'],
    [2n ** 32n, '1b0000000100000000'],
    [TWO_53, '1b0020000000000000'],
    [TWO_53 + 1n, '1b0020000000000001'],
    [TWO_64 - 1n, '1bffffffffffffffff'],
    [-1n, '20'],
    [-(2n ** 32n) - 1n, '3b0000000100000000'],
    [-TWO_53 - 1n, '3b0020000000000000'],
    [-TWO_64, '3bffffffffffffffff'],
    // Beyond 64 bits only a bignum can hold the value (§3.4.3), without leading zero bytes.
    [TWO_64, 'c249010000000000000000'],
    [-TWO_64 - 1n, 'c349010000000000000000'],
  ])('bigint %s is written as %s', (value, hex) => {
    expect(bytesToHex(encode(value))).toBe(hex);
  });

  it('2^53 + 1 and 2^64 − 1 round-trip byte-exact', () => {
    for (const hex of [
      '1b0020000000000001',
      '1bffffffffffffffff',
      '3b0020000000000000',
      '3bffffffffffffffff',
    ]) {
      expect(bytesToHex(encode(decode(hexToBytes(hex))))).toBe(hex);
      expect(bytesToHex(encode(lean(hex)))).toBe(hex);
    }
  });

  it('every 64-bit integer is written as major type 0/1 in its shortest head and decodes to itself', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -TWO_64, max: TWO_64 - 1n }), (n) => {
        const b = encode(n);
        const major = (b[0] as number) >> 5;
        expect(major).toBe(n >= 0n ? 0 : 1);
        const arg = n >= 0n ? n : -1n - n;
        const expectedLength =
          arg < 24n ? 1 : arg < 0x100n ? 2 : arg < 0x10000n ? 3 : arg < 2n ** 32n ? 5 : 9;
        expect(b.length).toBe(expectedLength);
        const back = decode(b);
        expect(BigInt(back as number | bigint)).toBe(n);
        expect(typeof back).toBe(n >= -TWO_53 + 1n && n <= TWO_53 - 1n ? 'number' : 'bigint');
      }),
      { numRuns: 500, seed: 4221 },
    );
  });

  it('safe-integer numbers are integers; other numbers are floats and stay floats', () => {
    expect(bytesToHex(encode(Number.MAX_SAFE_INTEGER))).toBe('1b001fffffffffffff');
    expect(bytesToHex(encode(-Number.MAX_SAFE_INTEGER))).toBe('3b001ffffffffffffe');
    expect(bytesToHex(encode(1.5))).toBe('f93e00');
    // A JS number beyond 2^53 is a binary64 float that may already be rounded (2^53 + 1 cannot be
    // held): it is written as the float it is, so decode → encode keeps it, and a caller who means an
    // exact integer passes a bigint.
    expect(bytesToHex(encode(2 ** 53))).toBe('fa5a000000');
    expect(bytesToHex(encode(2 ** 64))).toBe('fa5f800000');
    expect(bytesToHex(encode(-(2 ** 60)))).toBe('fadd800000');
    expect(decode(encode(2 ** 53))).toBe(2 ** 53);
    expect(bytesToHex(encode(decode(hexToBytes('fb4340000000000000'))))).toBe('fa5a000000');
  });
});

describe('an unsigned integer of any size (ISO 18013-5 DigestID = uint)', () => {
  const read = (hex: string) => {
    const r = new LeanReader(hexToBytes(hex));
    const v = r.uintOrBigint();
    r.expectEnd();
    return v;
  };

  it('LeanReader.uintOrBigint reads major type 0 only: a number when safe, else a bigint', () => {
    expect(read('05')).toBe(5);
    expect(read('1b0000000000000005')).toBe(5);
    expect(read('1b001fffffffffffff')).toBe(2 ** 53 - 1);
    expect(read('1b0020000000000001')).toBe(TWO_53 + 1n);
    expect(read('1bffffffffffffffff')).toBe(TWO_64 - 1n);
    for (const hex of ['f94500', 'fa40a00000', 'fb4014000000000000', '20', 'c24105', '6135', 'f6']) {
      expect(codeOf(() => read(hex))).toBe('CBOR_SHAPE');
    }
    // uint() keeps refusing what does not fit a number.
    expect(codeOf(() => new LeanReader(hexToBytes('1b0020000000000001')).uint())).toBe('CBOR_SHAPE');
  });

  it('asUintOrBigint / getUintOrBigint / optUintOrBigint check decoded values', () => {
    expect(asUintOrBigint(5, 'DigestID')).toBe(5);
    expect(asUintOrBigint(TWO_64 - 1n, 'DigestID')).toBe(TWO_64 - 1n);
    for (const v of [1.5, -1, -0, -1n, TWO_64, 'x', null, Number.NaN, 2 ** 60]) {
      expect(codeOf(() => asUintOrBigint(v as CborValue, 'DigestID'))).toBe('CBOR_SHAPE');
    }
    const m = new Map<CborValue, CborValue>([['id', TWO_53 + 1n]]);
    expect(getUintOrBigint(m, 'id')).toBe(TWO_53 + 1n);
    expect(optUintOrBigint(m, 'other')).toBeUndefined();
    expect(codeOf(() => getUintOrBigint(m, 'other'))).toBe('CBOR_SHAPE');
  });
});
