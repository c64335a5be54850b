import * as cborg from 'cborg';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { bytesToHex, type CborValue, decode, EncodedCbor, encode, Simple, Tagged } from '../src/index.js';
import { cborValueArb } from './helpers/arbitrary.js';
import { readHex, walletResponsesWithWideMapHeads } from './helpers/vectors.js';
import { seeded, wideEncode } from './helpers/wide-encoder.js';

/**
 * cborg is the independent oracle: a second, widely used decoder and encoder. Where both apply, they
 * must agree with ours. (cborg is used in tests only: the production codec is ours, see src/decode.ts.)
 */

// Decode every tag as cborg's Tagged, so unknown tags pass through.
const allTags = new Proxy({} as Record<number, (d: () => unknown) => unknown>, {
  get: (_, tag) => (d: () => unknown) => new cborg.Tagged(Number(tag), d()),
});
const cborgDecode = (b: Uint8Array): unknown => cborg.decode(b, { useMaps: true, tags: allTags });

/** A comparable plain form of both decoders' results. */
function plain(v: unknown): unknown {
  if (v instanceof EncodedCbor) return ['#24', bytesToHex(v.bytes)];
  if (v instanceof cborg.Tagged) {
    const t = v as unknown as { tag: number; value: unknown };
    if (t.tag === 24 && t.value instanceof Uint8Array) return ['#24', bytesToHex(t.value)];
    if ((t.tag === 2 || t.tag === 3) && t.value instanceof Uint8Array) {
      const n = t.value.length === 0 ? 0n : BigInt(`0x${bytesToHex(t.value)}`);
      return plain(t.tag === 2 ? n : -1n - n);
    }
    return [`#${t.tag}`, plain(t.value)];
  }
  if (v instanceof Tagged) return [`#${v.tag}`, plain(v.value)];
  if (v instanceof Uint8Array) return `h'${bytesToHex(v)}'`;
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [plain(k), plain(x)]));
  if (typeof v === 'bigint' && Number.isSafeInteger(Number(v)) && BigInt(Number(v)) === v) return Number(v);
  return v;
}

/** Whether a value holds -0 anywhere: cborg writes -0 as the integer 0, we keep the float (f98000). */
function hasNegativeZero(v: CborValue): boolean {
  if (Object.is(v, -0)) return true;
  if (Array.isArray(v)) return v.some(hasNegativeZero);
  if (v instanceof Map) return [...v].some(([k, x]) => hasNegativeZero(k) || hasNegativeZero(x));
  if (v instanceof Tagged) return hasNegativeZero(v.value);
  if (v instanceof EncodedCbor) return hasNegativeZero(v.decode());
  return false;
}

/** Our value → what cborg.encode takes. */
function toCborg(v: CborValue): unknown {
  if (v instanceof EncodedCbor) return new cborg.Tagged(24, v.bytes);
  if (v instanceof Tagged) return new cborg.Tagged(v.tag, toCborg(v.value));
  if (v instanceof Simple) throw new Error('cborg has no simple values');
  if (Array.isArray(v)) return v.map(toCborg);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [toCborg(k), toCborg(x)]));
  return v;
}

describe('cborg agrees with our decoder', () => {
  it('on our deterministic encodings', () => {
    fc.assert(
      fc.property(cborValueArb({ encodedCbor: true, complexKeys: true }), (v) => {
        const bytes = encode(v);
        expect(plain(decode(bytes))).toEqual(plain(cborgDecode(bytes)));
      }),
      { numRuns: 1000, seed: 84363 },
    );
  });

  it('on non-preferred heads and indefinite-length arrays and maps (cborg rejects indefinite strings)', () => {
    fc.assert(
      fc.property(
        cborValueArb({ encodedCbor: true, complexKeys: true }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (v, seed) => {
          const { bytes } = wideEncode(v, seeded(seed), 'containers');
          expect(plain(decode(bytes))).toEqual(plain(cborgDecode(bytes)));
        },
      ),
      { numRuns: 1000, seed: 93312 },
    );
  });

  it.each([
    'iso-18013-5-annex-d/device_response.hex',
    'iso-18013-5-annex-d/device_request.hex',
    ...walletResponsesWithWideMapHeads(),
  ])('on %s', (file) => {
    const bytes = readHex(file);
    expect(plain(decode(bytes))).toEqual(plain(cborgDecode(bytes)));
  });
});

describe('our encoder writes what cborg writes with rfc8949EncodeOptions (RFC 8949 §4.2.1)', () => {
  it('for values with simple map keys (and no -0, which cborg folds into the integer 0)', () => {
    fc.assert(
      fc.property(cborValueArb({ encodedCbor: true, complexKeys: false, bignums: false }), (v) => {
        fc.pre(!hasNegativeZero(v));
        expect(bytesToHex(encode(v))).toBe(bytesToHex(cborg.encode(toCborg(v), cborg.rfc8949EncodeOptions)));
      }),
      { numRuns: 1000, seed: 2258 },
    );
  });

  it('-0 stays a float (RFC 8949 §4.2.1 keeps the value; cborg writes 00)', () => {
    expect(bytesToHex(encode(-0))).toBe('f98000');
    expect(bytesToHex(cborg.encode(-0))).toBe('00');
  });

  it("cborg's sorters cannot order complex keys; ours orders them bytewise", () => {
    // For integer, text and byte-string keys cborg's default (major type, then length-first) order
    // coincides with bytewise order. With array keys its default sorter compares only the first token
    // and keeps insertion order on a tie, and rfc8949EncodeOptions refuses them.
    const map = new Map<CborValue, CborValue>([
      [[2], 'b'],
      [[1], 'a'],
    ]);
    expect(bytesToHex(encode(map))).toBe('a28101616181026162');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(bytesToHex(cborg.encode(map))).toBe('a28102616281016161');
    } finally {
      warn.mockRestore();
    }
    expect(() => cborg.encode(map, cborg.rfc8949EncodeOptions)).toThrow(/complex key/);
  });
});
