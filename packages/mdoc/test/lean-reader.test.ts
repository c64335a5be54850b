/**
 * The LeanReader (packages/cbor/src/lean-reader.ts) used on the verification hot path must decode
 * exactly what `decode` decodes and reject exactly what it rejects.
 */
import {
  CborError,
  type CborValue,
  decode,
  EncodedCbor,
  encode,
  hexToBytes,
  LeanReader,
  Tagged,
} from '@mynakit/cbor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const leaf: fc.Arbitrary<CborValue> = fc.oneof(
  fc.integer(),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }),
  fc.string(),
  fc.uint8Array({ maxLength: 40 }),
  fc.boolean(),
  fc.constant(null),
  fc.double({ noNaN: true }),
);
const value: fc.Arbitrary<CborValue> = fc.letrec<{ v: CborValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('v'), { maxLength: 5 }),
    fc
      .uniqueArray(fc.tuple(fc.oneof(fc.string(), fc.integer()), tie('v')), {
        maxLength: 5,
        selector: (e) => `${typeof e[0]}:${String(e[0])}`,
      })
      .map((entries) => new Map<CborValue, CborValue>(entries)),
    tie('v').map((x) => new Tagged(1004, x)),
    tie('v').map((x) => EncodedCbor.of(x)),
  ),
})).v;

function lean(bytes: Uint8Array): CborValue {
  const r = new LeanReader(bytes);
  const v = r.value();
  r.expectEnd();
  return v;
}

function outcome(f: () => CborValue): { ok: true; value: CborValue } | { ok: false; code: string } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (!(e instanceof CborError)) throw e;
    return { ok: false, code: e.code };
  }
}

describe('LeanReader', () => {
  it('decodes what decode decodes', () => {
    fc.assert(
      fc.property(value, (v) => {
        const bytes = encode(v);
        expect(lean(bytes)).toEqual(decode(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes: the same value or the same kind of failure, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const a = outcome(() => decode(bytes));
        const b = outcome(() => lean(bytes));
        expect(b.ok).toBe(a.ok);
        if (a.ok && b.ok) expect(b.value).toEqual(a.value);
      }),
      { numRuns: 2000 },
    );
  });

  it('skipValue accepts exactly what value() accepts and ends at the same place', () => {
    const both = (bytes: Uint8Array) => {
      const a = new LeanReader(bytes);
      const b = new LeanReader(bytes);
      const va = outcome(() => a.value());
      let ok = true;
      try {
        b.skipValue();
      } catch (e) {
        if (!(e instanceof CborError)) throw e;
        ok = false;
      }
      expect(ok).toBe(va.ok);
      if (ok) expect(b.pos).toBe(a.pos);
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 48 }), both), { numRuns: 3000 });
    fc.assert(
      fc.property(value, (v) => both(encode(v))),
      { numRuns: 300 },
    );
  });

  it('skipValue validates UTF-8 exactly like the fatal TextDecoder', () => {
    const td = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (content) => {
        const head = content.length < 24 ? [0x60 | content.length] : [0x78, content.length];
        const r = new LeanReader(Uint8Array.from([...head, ...content]));
        let decoderOk = true;
        try {
          td.decode(content);
        } catch {
          decoderOk = false;
        }
        let skipOk = true;
        try {
          r.skipValue();
        } catch {
          skipOk = false;
        }
        expect(skipOk).toBe(decoderOk);
      }),
      { numRuns: 20000 },
    );
    // Edge cases: overlong, surrogate, above U+10FFFF, truncated, and valid 4-byte.
    for (const [hex, ok] of [
      ['62c0af', false],
      ['63eda080', false],
      ['64f4908080', false],
      ['62e282', false],
      ['64f09f9880', true],
      ['63e282ac', true],
    ] as const) {
      const r = new LeanReader(hexToBytes(hex));
      const skipped = outcome(() => {
        r.skipValue();
        return null;
      });
      expect(skipped.ok, hex).toBe(ok);
    }
  });

  it('accepts non-preferred heads and indefinite lengths; rejects duplicates and bombs', () => {
    expect(lean(hexToBytes('b9000161610a'))).toEqual(new Map([['a', 10]]));
    expect(lean(hexToBytes('5f42010243030405ff'))).toEqual(Uint8Array.of(1, 2, 3, 4, 5));
    expect(lean(hexToBytes('9f0102ff'))).toEqual([1, 2]);
    expect(() => lean(hexToBytes('a201000100'))).toThrow(
      expect.objectContaining({ code: 'CBOR_DUPLICATE_KEY' }),
    );
    expect(() => lean(hexToBytes('5affffffff00'))).toThrow(
      expect.objectContaining({ code: 'CBOR_LENGTH_EXCEEDS_INPUT' }),
    );
    expect(() => lean(new Uint8Array(10_000).fill(0x81))).toThrow(
      expect.objectContaining({ code: 'CBOR_DEPTH_EXCEEDED' }),
    );
  });

  it('reads an embedded item in place and returns its exact received bytes', () => {
    // d9 0018 (non-preferred tag head) + 59 0003 (non-preferred bstr head) + 820102
    const bytes = hexToBytes('d90018590003820102');
    const r = new LeanReader(bytes);
    const span = r.enterEmbedded();
    expect(r.arrayHead()).toBe(2);
    expect(r.uint()).toBe(1);
    expect(r.uint()).toBe(2);
    const e = r.leaveEmbedded(span);
    expect(e.raw).toEqual(bytes);
    expect(e.bytes).toEqual(hexToBytes('820102'));
    // An embedded item that does not fill its byte string.
    const short = new LeanReader(hexToBytes('d818448201020a'));
    const s2 = short.enterEmbedded();
    short.value();
    expect(() => short.leaveEmbedded(s2)).toThrow(CborError);
    // Reading past the byte string is refused.
    const over = new LeanReader(hexToBytes('d81842820102'));
    over.enterEmbedded();
    expect(() => over.value()).toThrow(CborError);
  });

  it('matches keys by bytes', () => {
    const keys = ['digestID', 'random'].map((k) => new TextEncoder().encode(k));
    const r = new LeanReader(encode(['random', 'other', 'digestID']));
    r.arrayHead();
    expect(r.keyIndex(keys)).toBe(1);
    expect(r.keyIndex(keys)).toBe(-1);
    expect(r.text()).toBe('other');
    expect(r.keyIndex(keys)).toBe(0);
  });
});
