import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  CborError,
  type CborValue,
  decode,
  decodeFirst,
  diagnose,
  EncodedCbor,
  encode,
  rawSpanOf,
  Tagged,
} from '../src/index.js';
import { cborValueArb } from './helpers/arbitrary.js';
import { seeded, type Written, wideEncode } from './helpers/wide-encoder.js';

const everything = cborValueArb({ simple: true, encodedCbor: true, complexKeys: true, bignums: true });

/** Replaces every EncodedCbor by one built from its decoded content, so values compare by meaning. */
function normalize(v: CborValue): CborValue {
  if (v instanceof EncodedCbor) return EncodedCbor.of(normalize(v.decode()));
  if (Array.isArray(v)) return v.map(normalize);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [normalize(k), normalize(x)]));
  if (v instanceof Tagged) return new Tagged(v.tag, normalize(v.value));
  return v;
}

/** Asserts that every span recorded while decoding equals the bytes the wide encoder wrote for that item. */
function expectSpans(decoded: CborValue, written: Written): void {
  const hex = (b: Uint8Array | undefined) => (b === undefined ? 'none' : bytesToHex(b));
  if (decoded instanceof EncodedCbor) {
    expect(hex(decoded.raw)).toBe(hex(written.bytes));
    expect(hex(rawSpanOf(decoded))).toBe(hex(written.bytes));
    expect(hex(decoded.bytes)).toBe(hex(written.inner!.bytes));
    expectSpans(decoded.decode({ spans: true }), written.inner!);
  } else if (Array.isArray(decoded)) {
    expect(hex(rawSpanOf(decoded))).toBe(hex(written.bytes));
    decoded.forEach((item, i) => {
      expectSpans(item, written.children[i]!);
    });
  } else if (decoded instanceof Map) {
    expect(hex(rawSpanOf(decoded))).toBe(hex(written.bytes));
    let i = 0;
    for (const [k, v] of decoded) {
      expectSpans(k, written.children[i++]!);
      expectSpans(v, written.children[i++]!);
    }
  } else if (decoded instanceof Tagged) {
    expect(hex(rawSpanOf(decoded))).toBe(hex(written.bytes));
    expectSpans(decoded.value, written.children[0]!);
  }
}

/** decode/diagnose either return or throw a CborError; nothing else escapes. */
function onlyCborErrors(bytes: Uint8Array): { decoded: boolean; code?: string } {
  let decoded = false;
  let code: string | undefined;
  try {
    decode(bytes);
    decoded = true;
  } catch (e) {
    if (!(e instanceof CborError)) throw e;
    code = e.code;
  }
  try {
    diagnose(bytes);
  } catch (e) {
    if (!(e instanceof CborError)) throw e;
    // Anything decode accepts, diagnose prints.
    if (decoded) throw new Error(`diagnose rejected what decode accepted: ${e.code}`);
  }
  return code === undefined ? { decoded } : { decoded, code };
}

describe('property: encode → decode → encode is the identity on bytes', () => {
  it('for arbitrary values (complex keys, tags, tag 24, bignums, simple values, floats)', () => {
    fc.assert(
      fc.property(everything, (v) => {
        const first = encode(v);
        const second = encode(decode(first));
        expect(bytesToHex(second)).toBe(bytesToHex(first));
      }),
      { numRuns: 1500, seed: 12771 },
    );
  });

  it('decode(encode(v)) equals v for values without number/bigint ambiguity', () => {
    fc.assert(
      fc.property(cborValueArb({ encodedCbor: false, bignums: false }), (v) => {
        // bigints in the safe range decode as numbers by design; compare through a second encoding.
        const back = decode(encode(v));
        expect(bytesToHex(encode(back))).toBe(bytesToHex(encode(v)));
      }),
      { numRuns: 500, seed: 21720 },
    );
  });
});

describe('property: spans and tag-24 raw bytes are exactly what was received, whatever the heads', () => {
  it('non-preferred heads, floats, bignums and indefinite lengths', () => {
    fc.assert(
      fc.property(everything, fc.integer({ min: 1, max: 2 ** 31 }), (v, seed) => {
        const written = wideEncode(v, seeded(seed));
        const decoded = decode(written.bytes, { spans: true });
        expectSpans(decoded, written);
        // Same meaning as the original value: the canonical encodings agree.
        expect(bytesToHex(encode(normalize(decoded)))).toBe(bytesToHex(encode(normalize(v))));
        // And decodeFirst sees the end of the item.
        expect(decodeFirst(written.bytes).end).toBe(written.bytes.length);
      }),
      { numRuns: 1500, seed: 30669 },
    );
  });
});

describe('property: hostile input never crashes or hangs the decoder', () => {
  it('random bytes: a value or a CborError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        onlyCborErrors(bytes);
      }),
      { numRuns: 20000, seed: 39618 },
    );
  });

  it('random bytes after a plausible head', () => {
    const prefix = fc.constantFrom(0x9f, 0xbf, 0x5f, 0x7f, 0xd8, 0x9b, 0xbb, 0x5b, 0xa1, 0x81, 0xc2, 0xfb);
    fc.assert(
      fc.property(prefix, fc.uint8Array({ maxLength: 64 }), (p, rest) => {
        onlyCborErrors(Uint8Array.of(p, ...rest));
      }),
      { numRuns: 5000, seed: 48567 },
    );
  });

  it('mutated valid encodings', () => {
    fc.assert(
      fc.property(everything, fc.nat(), fc.integer({ min: 1, max: 255 }), (v, at, xor) => {
        const bytes = encode(v);
        const mutated = new Uint8Array(bytes);
        const i = at % mutated.length;
        mutated[i] = mutated[i]! ^ xor;
        onlyCborErrors(mutated);
      }),
      { numRuns: 3000, seed: 57516 },
    );
  });

  it('every proper prefix of an item is truncated or declares too much; appended bytes are trailing', () => {
    fc.assert(
      fc.property(everything, fc.integer({ min: 1, max: 2 ** 31 }), fc.nat(), (v, seed, cut) => {
        const { bytes } = wideEncode(v, seeded(seed));
        const n = cut % bytes.length;
        const r = onlyCborErrors(bytes.subarray(0, n));
        expect(r.decoded).toBe(false);
        expect(['CBOR_TRUNCATED', 'CBOR_LENGTH_EXCEEDS_INPUT']).toContain(r.code);
        const longer = Uint8Array.of(...bytes, 0);
        expect(onlyCborErrors(longer).code).toBe('CBOR_TRAILING_BYTES');
      }),
      { numRuns: 1500, seed: 66465 },
    );
  });

  it('deep nesting of every container kind stops at maxDepth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0x81, 0x9f, 0xc6, 0xa1, 0xd8), { minLength: 65, maxLength: 3000 }),
        (heads) => {
          // 0xa1 needs a key first: give it one, then nest in the value. 0xd8 needs its tag byte.
          const bytes: number[] = [];
          for (const h of heads) {
            if (h === 0xa1) bytes.push(0xa1, 0x00);
            else if (h === 0xd8) bytes.push(0xd8, 0x40);
            else bytes.push(h);
          }
          bytes.push(0x00);
          const r = onlyCborErrors(Uint8Array.from(bytes));
          expect(r.code).toBe('CBOR_DEPTH_EXCEEDED');
        },
      ),
      { numRuns: 300, seed: 75414 },
    );
  });
});
