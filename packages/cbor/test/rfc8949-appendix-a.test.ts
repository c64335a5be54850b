import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  type CborValue,
  decode,
  diagnose,
  EncodedCbor,
  encode,
  hexToBytes,
  Simple,
  Tagged,
} from '../src/index.js';

/**
 * RFC 8949 Appendix A, every example. `encodes`: our deterministic encoder must produce exactly this hex
 * from the decoded value. Not possible for: floats with integral values (a JS number 1.0 is the integer 1,
 * encoded `01`), non-preferred float widths, and indefinite lengths (the encoder only writes definite ones).
 * `diag`: RFC 8949 §8 notation as printed by `diagnose`, where it differs from the RFC's column (bignums
 * are shown as the tag we received; tag 24 as embedded CBOR).
 */
interface Example {
  hex: string;
  value: CborValue;
  encodes: boolean;
  diag: string;
}

const m = (entries: [CborValue, CborValue][]): Map<CborValue, CborValue> => new Map(entries);
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

const examples: Example[] = [
  { hex: '00', value: 0, encodes: true, diag: '0' },
  { hex: '01', value: 1, encodes: true, diag: '1' },
  { hex: '0a', value: 10, encodes: true, diag: '10' },
  { hex: '17', value: 23, encodes: true, diag: '23' },
  { hex: '1818', value: 24, encodes: true, diag: '24' },
  { hex: '1819', value: 25, encodes: true, diag: '25' },
  { hex: '1864', value: 100, encodes: true, diag: '100' },
  { hex: '1903e8', value: 1000, encodes: true, diag: '1000' },
  { hex: '1a000f4240', value: 1000000, encodes: true, diag: '1000000' },
  { hex: '1b000000e8d4a51000', value: 1000000000000, encodes: true, diag: '1000000000000' },
  { hex: '1bffffffffffffffff', value: 18446744073709551615n, encodes: true, diag: '18446744073709551615' },
  {
    hex: 'c249010000000000000000',
    value: 18446744073709551616n,
    encodes: true,
    diag: "2(h'010000000000000000')",
  },
  { hex: '3bffffffffffffffff', value: -18446744073709551616n, encodes: true, diag: '-18446744073709551616' },
  {
    hex: 'c349010000000000000000',
    value: -18446744073709551617n,
    encodes: true,
    diag: "3(h'010000000000000000')",
  },
  { hex: '20', value: -1, encodes: true, diag: '-1' },
  { hex: '29', value: -10, encodes: true, diag: '-10' },
  { hex: '3863', value: -100, encodes: true, diag: '-100' },
  { hex: '3903e7', value: -1000, encodes: true, diag: '-1000' },
  { hex: 'f90000', value: 0, encodes: false, diag: '0.0' },
  { hex: 'f98000', value: -0, encodes: true, diag: '-0.0' },
  { hex: 'f93c00', value: 1, encodes: false, diag: '1.0' },
  { hex: 'fb3ff199999999999a', value: 1.1, encodes: true, diag: '1.1' },
  { hex: 'f93e00', value: 1.5, encodes: true, diag: '1.5' },
  { hex: 'f97bff', value: 65504, encodes: false, diag: '65504.0' },
  { hex: 'fa47c35000', value: 100000, encodes: false, diag: '100000.0' },
  {
    hex: 'fa7f7fffff',
    value: 2 ** 128 - 2 ** 104 /* 3.4028234663852886e+38, the largest binary32 */,
    encodes: true,
    diag: '3.4028234663852886e+38',
  },
  { hex: 'fb7e37e43c8800759c', value: 1.0e300, encodes: true, diag: '1.0e+300' },
  { hex: 'f90001', value: 2 ** -24 /* 5.960464477539063e-8 */, encodes: true, diag: '5.960464477539063e-8' },
  { hex: 'f90400', value: 0.00006103515625, encodes: true, diag: '0.00006103515625' },
  { hex: 'f9c400', value: -4, encodes: false, diag: '-4.0' },
  { hex: 'fbc010666666666666', value: -4.1, encodes: true, diag: '-4.1' },
  { hex: 'f97c00', value: Number.POSITIVE_INFINITY, encodes: true, diag: 'Infinity' },
  { hex: 'f97e00', value: Number.NaN, encodes: true, diag: 'NaN' },
  { hex: 'f9fc00', value: Number.NEGATIVE_INFINITY, encodes: true, diag: '-Infinity' },
  { hex: 'fa7f800000', value: Number.POSITIVE_INFINITY, encodes: false, diag: 'Infinity' },
  { hex: 'fa7fc00000', value: Number.NaN, encodes: false, diag: 'NaN' },
  { hex: 'faff800000', value: Number.NEGATIVE_INFINITY, encodes: false, diag: '-Infinity' },
  { hex: 'fb7ff0000000000000', value: Number.POSITIVE_INFINITY, encodes: false, diag: 'Infinity' },
  { hex: 'fb7ff8000000000000', value: Number.NaN, encodes: false, diag: 'NaN' },
  { hex: 'fbfff0000000000000', value: Number.NEGATIVE_INFINITY, encodes: false, diag: '-Infinity' },
  { hex: 'f4', value: false, encodes: true, diag: 'false' },
  { hex: 'f5', value: true, encodes: true, diag: 'true' },
  { hex: 'f6', value: null, encodes: true, diag: 'null' },
  { hex: 'f7', value: undefined, encodes: true, diag: 'undefined' },
  { hex: 'f0', value: new Simple(16), encodes: true, diag: 'simple(16)' },
  { hex: 'f8ff', value: new Simple(255), encodes: true, diag: 'simple(255)' },
  {
    hex: 'c074323031332d30332d32315432303a30343a30305a',
    value: new Tagged(0, '2013-03-21T20:04:00Z'),
    encodes: true,
    diag: '0("2013-03-21T20:04:00Z")',
  },
  { hex: 'c11a514b67b0', value: new Tagged(1, 1363896240), encodes: true, diag: '1(1363896240)' },
  { hex: 'c1fb41d452d9ec200000', value: new Tagged(1, 1363896240.5), encodes: true, diag: '1(1363896240.5)' },
  {
    hex: 'd74401020304',
    value: new Tagged(23, hexToBytes('01020304')),
    encodes: true,
    diag: "23(h'01020304')",
  },
  {
    hex: 'd818456449455446',
    value: EncodedCbor.fromBytes(hexToBytes('6449455446')),
    encodes: true,
    diag: '24(<<"IETF">>)',
  },
  {
    hex: 'd82076687474703a2f2f7777772e6578616d706c652e636f6d',
    value: new Tagged(32, 'http://www.example.com'),
    encodes: true,
    diag: '32("http://www.example.com")',
  },
  { hex: '40', value: new Uint8Array(0), encodes: true, diag: "h''" },
  { hex: '4401020304', value: hexToBytes('01020304'), encodes: true, diag: "h'01020304'" },
  { hex: '60', value: '', encodes: true, diag: '""' },
  { hex: '6161', value: 'a', encodes: true, diag: '"a"' },
  { hex: '6449455446', value: 'IETF', encodes: true, diag: '"IETF"' },
  { hex: '62225c', value: '"\\', encodes: true, diag: '"\\"\\\\"' },
  { hex: '62c3bc', value: '\u00fc', encodes: true, diag: '"\u00fc"' },
  { hex: '63e6b0b4', value: '\u6c34', encodes: true, diag: '"\u6c34"' },
  { hex: '64f0908591', value: '\ud800\udd51', encodes: true, diag: '"\ud800\udd51"' },
  { hex: '80', value: [], encodes: true, diag: '[]' },
  { hex: '83010203', value: [1, 2, 3], encodes: true, diag: '[1, 2, 3]' },
  { hex: '8301820203820405', value: [1, [2, 3], [4, 5]], encodes: true, diag: '[1, [2, 3], [4, 5]]' },
  {
    hex: '98190102030405060708090a0b0c0d0e0f101112131415161718181819',
    value: range(1, 25),
    encodes: true,
    diag: `[${range(1, 25).join(', ')}]`,
  },
  { hex: 'a0', value: m([]), encodes: true, diag: '{}' },
  {
    hex: 'a201020304',
    value: m([
      [1, 2],
      [3, 4],
    ]),
    encodes: true,
    diag: '{1: 2, 3: 4}',
  },
  {
    hex: 'a26161016162820203',
    value: m([
      ['a', 1],
      ['b', [2, 3]],
    ]),
    encodes: true,
    diag: '{"a": 1, "b": [2, 3]}',
  },
  { hex: '826161a161626163', value: ['a', m([['b', 'c']])], encodes: true, diag: '["a", {"b": "c"}]' },
  {
    hex: 'a56161614161626142616361436164614461656145',
    value: m([
      ['a', 'A'],
      ['b', 'B'],
      ['c', 'C'],
      ['d', 'D'],
      ['e', 'E'],
    ]),
    encodes: true,
    diag: '{"a": "A", "b": "B", "c": "C", "d": "D", "e": "E"}',
  },
  {
    hex: '5f42010243030405ff',
    value: hexToBytes('0102030405'),
    encodes: false,
    diag: "(_ h'0102', h'030405')",
  },
  { hex: '7f657374726561646d696e67ff', value: 'streaming', encodes: false, diag: '(_ "strea", "ming")' },
  { hex: '9fff', value: [], encodes: false, diag: '[_ ]' },
  {
    hex: '9f018202039f0405ffff',
    value: [1, [2, 3], [4, 5]],
    encodes: false,
    diag: '[_ 1, [2, 3], [_ 4, 5]]',
  },
  { hex: '9f01820203820405ff', value: [1, [2, 3], [4, 5]], encodes: false, diag: '[_ 1, [2, 3], [4, 5]]' },
  { hex: '83018202039f0405ff', value: [1, [2, 3], [4, 5]], encodes: false, diag: '[1, [2, 3], [_ 4, 5]]' },
  { hex: '83019f0203ff820405', value: [1, [2, 3], [4, 5]], encodes: false, diag: '[1, [_ 2, 3], [4, 5]]' },
  {
    hex: '9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff',
    value: range(1, 25),
    encodes: false,
    diag: `[_ ${range(1, 25).join(', ')}]`,
  },
  {
    hex: 'bf61610161629f0203ffff',
    value: m([
      ['a', 1],
      ['b', [2, 3]],
    ]),
    encodes: false,
    diag: '{_ "a": 1, "b": [_ 2, 3]}',
  },
  { hex: '826161bf61626163ff', value: ['a', m([['b', 'c']])], encodes: false, diag: '["a", {_ "b": "c"}]' },
  {
    hex: 'bf6346756ef563416d7421ff',
    value: m([
      ['Fun', true],
      ['Amt', -2],
    ]),
    encodes: false,
    diag: '{_ "Fun": true, "Amt": -2}',
  },
];

describe('RFC 8949 Appendix A', () => {
  it.each(examples)('decodes $hex', ({ hex, value }) => {
    const decoded = decode(hexToBytes(hex));
    if (value instanceof EncodedCbor) {
      expect(decoded).toBeInstanceOf(EncodedCbor);
      expect(bytesToHex((decoded as EncodedCbor).bytes)).toBe(bytesToHex(value.bytes));
      expect(bytesToHex((decoded as EncodedCbor).raw)).toBe(hex);
      expect((decoded as EncodedCbor).decode()).toBe('IETF');
    } else {
      expect(decoded).toEqual(value);
      if (typeof value === 'number') expect(Object.is(decoded, value)).toBe(true); // tells -0 from 0
    }
  });

  it.each(examples.filter((e) => e.encodes))('encodes $diag as $hex', ({ hex, value }) => {
    expect(bytesToHex(encode(value))).toBe(hex);
  });

  it.each(examples.filter((e) => !e.encodes))('re-encodes $hex in preferred definite form', ({ hex }) => {
    // The deterministic encoding of what was decoded is never longer, and decodes to the same value.
    const out = encode(decode(hexToBytes(hex)));
    expect(out.length).toBeLessThanOrEqual(hex.length / 2);
    expect(decode(out)).toEqual(decode(hexToBytes(hex)));
  });

  it.each(examples)('diagnoses $hex as $diag', ({ hex, diag }) => {
    expect(diagnose(hexToBytes(hex))).toBe(diag);
  });
});
