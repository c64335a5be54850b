import { describe, expect, it } from 'vitest';
import { base64urlToBytesPortable, bytesToBase64Portable, bytesToHexPortable } from '../src/bytes.js';
import {
  asUint,
  base64urlToBytes,
  bytesEqual,
  bytesToBase64,
  bytesToBase64url,
  bytesToHex,
  CborError,
  type CborMap,
  type CborValue,
  concatBytes,
  decode,
  detectBinaryInput,
  EncodedCbor,
  encode,
  fullDate,
  getArray,
  getBool,
  getBytes,
  getEncodedCbor,
  getInt,
  getMap,
  getTagged,
  getText,
  getUint,
  hexToBytes,
  isMap,
  optText,
  optUint,
  parseFullDate,
  parseTdate,
  RawCbor,
  rawSpanOf,
  Tagged,
  tdate,
} from '../src/index.js';

const code = (f: () => unknown): string => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof CborError ? e.code : String(e);
  }
};
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('dates', () => {
  it('tdate writes RFC 3339 without fractional seconds (ISO 18013-5 §9.1.2.4)', () => {
    const t = tdate(new Date('2020-10-01T13:30:02.789Z'));
    expect(t).toEqual(new Tagged(0, '2020-10-01T13:30:02Z'));
    expect(bytesToHex(encode(t))).toBe(`c074${bytesToHex(utf8('2020-10-01T13:30:02Z'))}`);
    expect(code(() => tdate(new Date(Number.NaN)))).toBe('CBOR_ENCODE');
  });

  it('parseTdate accepts fractions, offsets and tag 1', () => {
    expect(parseTdate(new Tagged(0, '2020-10-01T13:30:02Z')).toISOString()).toBe('2020-10-01T13:30:02.000Z');
    // Google's wallet: fractional seconds
    expect(parseTdate(new Tagged(0, '2025-02-20T10:11:12.123456789Z')).toISOString()).toBe(
      '2025-02-20T10:11:12.123Z',
    );
    expect(parseTdate(new Tagged(0, '2025-02-20T19:11:12.5+09:00')).toISOString()).toBe(
      '2025-02-20T10:11:12.500Z',
    );
    expect(parseTdate(new Tagged(0, '2025-02-19T23:59:00-00:30')).toISOString()).toBe(
      '2025-02-20T00:29:00.000Z',
    );
    expect(parseTdate(new Tagged(0, '0050-01-01t00:00:00z')).toISOString()).toBe('0050-01-01T00:00:00.000Z');
    expect(parseTdate(new Tagged(1, 1363896240)).toISOString()).toBe('2013-03-21T20:04:00.000Z');
    expect(parseTdate(new Tagged(1, 1363896240.5)).toISOString()).toBe('2013-03-21T20:04:00.500Z');
    expect(parseTdate(new Tagged(1, -1)).toISOString()).toBe('1969-12-31T23:59:59.000Z');
  });

  it.each([
    ['untagged', '2020-10-01T13:30:02Z'],
    ['wrong tag', new Tagged(1004, '2020-10-01')],
    ['no time', new Tagged(0, '2020-10-01')],
    ['no offset', new Tagged(0, '2020-10-01T13:30:02')],
    ['month 13', new Tagged(0, '2020-13-01T13:30:02Z')],
    ['30 February', new Tagged(0, '2020-02-30T13:30:02Z')],
    ['hour 24', new Tagged(0, '2020-10-01T24:00:00Z')],
    ['offset without colon', new Tagged(0, '2020-10-01T13:30:02+0900')],
    ['tag 0 number', new Tagged(0, 5)],
    ['tag 1 text', new Tagged(1, 'x')],
    ['tag 1 infinite', new Tagged(1, Number.POSITIVE_INFINITY)],
    ['tag 1 out of range', new Tagged(1, 1e300)],
  ] as [string, CborValue][])('parseTdate rejects %s with CBOR_SHAPE', (_, v) => {
    expect(code(() => parseTdate(v))).toBe('CBOR_SHAPE');
  });

  it('fullDate and parseFullDate (RFC 8943)', () => {
    expect(fullDate('2019-10-20')).toEqual(new Tagged(1004, '2019-10-20'));
    expect(bytesToHex(encode(fullDate('2019-10-20')))).toBe('d903ec6a323031392d31302d3230');
    expect(parseFullDate(new Tagged(1004, '2024-02-29'))).toBe('2024-02-29');
    // RFC 8943 §2 example: 1940-10-09 is day -10676, 1980-12-08 is day 3994.
    expect(parseFullDate(new Tagged(100, -10676))).toBe('1940-10-09');
    expect(parseFullDate(new Tagged(100, 3994))).toBe('1980-12-08');
    expect(code(() => fullDate('2023-02-29'))).toBe('CBOR_ENCODE');
    expect(code(() => fullDate('20230101'))).toBe('CBOR_ENCODE');
    expect(code(() => parseFullDate('2024-01-01'))).toBe('CBOR_SHAPE');
    expect(code(() => parseFullDate(new Tagged(1004, '2023-02-29')))).toBe('CBOR_SHAPE');
    expect(code(() => parseFullDate(new Tagged(100, 1.5)))).toBe('CBOR_SHAPE');
  });
});

describe('accessors', () => {
  const map: CborMap = new Map<CborValue, CborValue>([
    ['text', 'x'],
    ['bytes', hexToBytes('01')],
    ['uint', 7],
    ['neg', -7],
    ['big', 2n ** 64n],
    ['bool', true],
    ['map', new Map()],
    ['array', []],
    ['enc', EncodedCbor.of(1)],
    ['date', new Tagged(1004, '2020-01-01')],
    [33, 'label'],
  ]);

  it('return typed values', () => {
    expect(getText(map, 'text')).toBe('x');
    expect(getBytes(map, 'bytes')).toEqual(hexToBytes('01'));
    expect(getUint(map, 'uint')).toBe(7);
    expect(getInt(map, 'neg')).toBe(-7);
    expect(getBool(map, 'bool')).toBe(true);
    expect(isMap(getMap(map, 'map'))).toBe(true);
    expect(getArray(map, 'array')).toEqual([]);
    expect(getEncodedCbor(map, 'enc').decode()).toBe(1);
    expect(getTagged(map, 'date', 1004).value).toBe('2020-01-01');
    expect(getText(map, 33)).toBe('label');
    expect(optText(map, 'absent')).toBeUndefined();
    expect(optUint(map, 'uint')).toBe(7);
  });

  it('throw CBOR_SHAPE naming the key, not the value', () => {
    const e = (() => {
      try {
        getUint(map, 'text');
      } catch (err) {
        return err as CborError;
      }
    })();
    expect(e?.code).toBe('CBOR_SHAPE');
    expect(e?.message).toBe('key "text": expected an unsigned integer, found text string');
    expect(code(() => getText(map, 'absent'))).toBe('CBOR_SHAPE');
    expect(code(() => getUint(map, 'neg'))).toBe('CBOR_SHAPE');
    expect(code(() => getUint(map, 'big'))).toBe('CBOR_SHAPE');
    expect(code(() => getTagged(map, 'date', 0))).toBe('CBOR_SHAPE');
    expect(code(() => optText(map, 'uint'))).toBe('CBOR_SHAPE');
    expect(code(() => asUint(1.5, 'x'))).toBe('CBOR_SHAPE');
    expect(code(() => asUint(-0, 'x'))).toBe('CBOR_SHAPE');
  });
});

describe('EncodedCbor (tag 24)', () => {
  it('of() wraps the deterministic encoding with preferred heads', () => {
    const e = EncodedCbor.of(
      new Map<CborValue, CborValue>([
        ['b', 1],
        ['a', 2],
      ]),
    );
    expect(bytesToHex(e.bytes)).toBe('a2616102616201');
    expect(bytesToHex(e.raw)).toBe('d81847a2616102616201');
    expect(bytesToHex(encode([e]))).toBe('81d81847a2616102616201');
    const long = EncodedCbor.fromBytes(new Uint8Array(300));
    expect(bytesToHex(long.raw.subarray(0, 5))).toBe('d818590' + '12c'); // bstr head 59 012c
  });

  it('keeps non-preferred tag and length heads in raw, and the encoder emits raw verbatim', () => {
    // tag 24 written as d9 0018, bstr length as 58 02
    const input = hexToBytes('82d90018580261610f');
    const v = decode(input, { spans: true }) as CborValue[];
    const e = v[0] as EncodedCbor;
    expect(e).toBeInstanceOf(EncodedCbor);
    expect(bytesToHex(e.raw)).toBe('d9001858026161');
    expect(bytesToHex(e.bytes)).toBe('6161');
    expect(e.decode()).toBe('a');
    expect(bytesToHex(encode(v))).toBe('82d90018580261610f');
    expect(rawSpanOf(v)).toEqual(input);
  });

  it('decodes lazily and memoises', () => {
    const e = EncodedCbor.fromBytes(hexToBytes('a0'));
    expect(e.decode()).toBe(e.decode());
    const bad = EncodedCbor.fromBytes(hexToBytes('ff'));
    expect(code(() => decode(encode(bad)))).toBe('no error');
    expect(code(() => bad.decode())).toBe('CBOR_INVALID');
    const withSpans = EncodedCbor.fromBytes(hexToBytes('8101')).decode({ spans: true }) as CborValue[];
    expect(rawSpanOf(withSpans)).toEqual(hexToBytes('8101'));
  });

  it('tag 24 around a non-bstr stays an opaque Tagged', () => {
    expect(decode(hexToBytes('d81801'))).toEqual(new Tagged(24, 1));
  });

  it('RawCbor is emitted verbatim', () => {
    expect(bytesToHex(encode([new RawCbor(hexToBytes('b90000'))]))).toBe('81b90000');
    expect(rawSpanOf(new RawCbor(hexToBytes('00')))).toEqual(hexToBytes('00'));
  });
});

describe('deterministic map order (RFC 8949 §4.2.1: bytewise lexicographic order of encoded keys)', () => {
  it('orders keys of mixed types and lengths', () => {
    const keys: CborValue[] = [
      'aa',
      'b',
      100,
      -1,
      10,
      hexToBytes(''),
      false,
      [],
      'a',
      -100,
      1000,
      new Tagged(1, 0),
      hexToBytes('00'),
      new Map(),
      null,
      24,
      '',
      1.5,
    ];
    const map = new Map<CborValue, CborValue>(keys.map((k, i) => [k, i]));
    const out = decode(encode(map)) as CborMap;
    const order = [...out.keys()].map((k) => bytesToHex(encode(k)));
    // Hand-written expectation: sorted by the encoded bytes, so by major type first and shorter heads
    // first within a type. RFC 7049 length-first order would differ (e.g. `"b"` (6162) before `100` (1864)).
    expect(order).toEqual([
      '0a', // 10
      '1818', // 24
      '1864', // 100
      '1903e8', // 1000
      '20', // -1
      '3863', // -100
      '40', // h''
      '4100', // h'00'
      '60', // ""
      '6161', // "a"
      '6162', // "b"
      '626161', // "aa"
      '80', // []
      'a0', // {}
      'c100', // 1(0)
      'f4', // false
      'f6', // null
      'f93e00', // 1.5
    ]);
  });

  it('is bytewise, not length-first: a long byte string key sorts before a short text key', () => {
    const map = new Map<CborValue, CborValue>([
      ['z', 1],
      [hexToBytes('0102030405'), 2],
    ]);
    expect(bytesToHex(encode(map))).toBe('a24501020304050261 7a01'.replace(' ', ''));
  });
});

describe('input views', () => {
  it('a Buffer or a subarray decodes to plain Uint8Array views of the same memory', () => {
    const backing = Buffer.from('ff82430102036161ff', 'hex');
    const view = backing.subarray(1, backing.length - 1);
    const v = decode(view, { spans: true }) as CborValue[];
    const b = v[0] as Uint8Array;
    expect(b.constructor).toBe(Uint8Array);
    expect(b).toEqual(hexToBytes('010203'));
    expect(b.buffer).toBe(backing.buffer);
    expect(b.byteOffset).toBe(backing.byteOffset + 3);
    expect(rawSpanOf(v)!.byteOffset).toBe(backing.byteOffset + 1);
  });
});

describe('bytes helpers', () => {
  it('hex', () => {
    expect(bytesToHex(hexToBytes('00ff10AB'))).toBe('00ff10ab');
    expect(hexToBytes(' 00 ff\n10 ')).toEqual(new Uint8Array([0, 255, 16]));
    expect(code(() => hexToBytes('0'))).toBe('CBOR_SHAPE');
    expect(code(() => hexToBytes('0g'))).toBe('CBOR_SHAPE');
  });

  it('base64url and base64 against node:buffer', () => {
    for (let n = 0; n < 40; n++) {
      const b = new Uint8Array(n).map((_, i) => (i * 37 + n * 11) & 0xff);
      const buf = Buffer.from(b);
      expect(bytesToBase64url(b)).toBe(buf.toString('base64url'));
      expect(bytesToBase64(b)).toBe(buf.toString('base64'));
      expect(base64urlToBytes(buf.toString('base64url'))).toEqual(b);
      expect(base64urlToBytes(buf.toString('base64'))).toEqual(b);
    }
    expect(code(() => base64urlToBytes('a'))).toBe('CBOR_SHAPE');
    expect(code(() => base64urlToBytes('ab$d'))).toBe('CBOR_SHAPE');
    expect(code(() => base64urlToBytes('ab==='))).toBe('CBOR_SHAPE');
  });

  it('the native codecs (long inputs, Node) and the JavaScript fallback (browsers) agree, errors included', () => {
    for (const n of [0, 1, 2, 3, 47, 48, 49, 50, 64, 100, 255, 1000, 25_000]) {
      const b = new Uint8Array(n).map((_, i) => (i * 131 + n * 7) & 0xff);
      // A view into a larger buffer, as received bytes usually are.
      const framed = new Uint8Array(n + 5);
      framed.set(b, 3);
      const view = framed.subarray(3, 3 + n);
      for (const x of [b, view]) {
        expect(bytesToBase64url(x)).toBe(bytesToBase64Portable(x, true));
        expect(bytesToBase64(x)).toBe(bytesToBase64Portable(x, false));
        expect(bytesToHex(x)).toBe(bytesToHexPortable(x));
      }
      const url = bytesToBase64url(b);
      const std = bytesToBase64(b);
      for (const text of [url, std, std.replace(/=+$/, ''), `${url.slice(0, 10)}\n${url.slice(10)}`]) {
        const decoded = base64urlToBytes(text);
        expect(decoded.constructor).toBe(Uint8Array);
        expect(decoded).toEqual(b);
        expect(base64urlToBytesPortable(text)).toEqual(b);
      }
    }
    const long = bytesToBase64url(new Uint8Array(90).fill(7));
    for (const bad of [
      `${long}$`,
      `${long.slice(0, 40)}=${long.slice(41)}`,
      `${long}a`,
      `${long}é`,
      `${long}====`,
    ])
      for (const decode of [base64urlToBytes, base64urlToBytesPortable])
        expect(code(() => decode(bad))).toBe('CBOR_SHAPE');
  });

  it('bytesEqual and concatBytes', () => {
    expect(bytesEqual(hexToBytes('0102'), hexToBytes('0102'))).toBe(true);
    expect(bytesEqual(hexToBytes('0102'), hexToBytes('0103'))).toBe(false);
    expect(bytesEqual(hexToBytes('01'), hexToBytes('0102'))).toBe(false);
    expect(concatBytes(hexToBytes('01'), new Uint8Array(0), hexToBytes('0203'))).toEqual(
      hexToBytes('010203'),
    );
  });

  it('detectBinaryInput: hex, base64url, base64, raw', () => {
    const cbor = hexToBytes('a26161016162820203');
    expect(detectBinaryInput(utf8('a26161016162820203\n'))).toEqual(cbor);
    expect(detectBinaryInput(utf8('A2 61 61 01\n61 62 82 02 03'))).toEqual(cbor);
    expect(detectBinaryInput(utf8(Buffer.from(cbor).toString('base64url')))).toEqual(cbor);
    expect(detectBinaryInput(utf8(`${Buffer.from(cbor).toString('base64')}\n`))).toEqual(cbor);
    expect(detectBinaryInput(cbor)).toBe(cbor); // raw binary stays raw
    expect(detectBinaryInput(utf8('not base64!'))).toEqual(utf8('not base64!'));
    expect(detectBinaryInput(new Uint8Array(0))).toEqual(new Uint8Array(0));
  });
});
