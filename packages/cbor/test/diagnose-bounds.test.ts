/**
 * diagnose (RFC 8949 §8) on hostile input: the work and the output are linear in the input.
 *
 * A byte string shown as embedded CBOR (`24(<<…>>)`, §8.1; or any byte string with
 * `expandByteStrings`) must not be read again at each level of nesting: nested tag-24 items used to be
 * read twice per level with `expandByteStrings` (2^depth) and hex-printed at every level otherwise
 * (size × depth). Work is counted in head reads and hex-printed bytes, never by the clock.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as bytesModule from '../src/bytes.js';
import { CborError, type CborErrorCode, concatBytes, diagnose, encode, hexToBytes } from '../src/index.js';
import { Reader } from '../src/reader.js';
import { cborValueArb } from './helpers/arbitrary.js';
import { seeded, wideEncode } from './helpers/wide-encoder.js';

vi.mock(import('../src/bytes.js'), async (original) => {
  const m = await original();
  return { ...m, bytesToHex: vi.fn(m.bytesToHex) };
});

const hexed = vi.mocked(bytesModule.bytesToHex);

function codeOf(f: () => unknown): CborErrorCode | 'no error' | 'not a CborError' {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof CborError ? e.code : 'not a CborError';
  }
}

/** Runs `f` and returns the head reads and the bytes hex-printed meanwhile. */
function work(f: () => unknown): { heads: number; hexBytes: number } {
  const spy = vi.spyOn(Reader.prototype, 'head');
  hexed.mockClear();
  try {
    f();
    const hexBytes = hexed.mock.calls.reduce((n, [b]) => n + b.length, 0);
    return { heads: spy.mock.calls.length, hexBytes };
  } finally {
    spy.mockRestore();
  }
}

/** `d818 <bstr>` around the previous level, `levels` times; `junk` appends a byte inside each level. */
function nestedTag24(levels: number, innermost: Uint8Array, junk = false): Uint8Array {
  let item = innermost;
  for (let i = 0; i < levels; i++) {
    const content = junk ? concatBytes(item, Uint8Array.of(0x00)) : item;
    item = concatBytes(Uint8Array.of(0xd8, 0x18), encode(content).subarray(0, -content.length), content);
  }
  return item;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('diagnose does linear work', () => {
  it('expandByteStrings reads each head of nested tag-24 items once per pass (was 2^depth)', () => {
    const bytes = nestedTag24(16, encode([1, 2, 3]));
    let text = '';
    const w = work(() => {
      text = diagnose(bytes, { expandByteStrings: true });
    });
    expect(text).toBe(`${'24(<<'.repeat(16)}[1, 2, 3]${'>>)'.repeat(16)}`);
    // One pass checks the embedded items, one prints them: at most two heads per input byte.
    expect(w.heads).toBeLessThanOrEqual(2 * bytes.length);
    expect(w.hexBytes).toBe(0);
  });

  it('default options hex-print no byte that is shown embedded (was every level: size × depth)', () => {
    const payload = encode(new Uint8Array(20_000));
    const bytes = nestedTag24(30, payload);
    const w = work(() => diagnose(bytes));
    expect(w.hexBytes).toBe(20_000); // the innermost byte string only
    expect(w.heads).toBeLessThanOrEqual(2 * bytes.length);
  });

  it('nested byte strings that are not one item each are hex-printed once, at the outermost level', () => {
    const bytes = nestedTag24(30, encode(new Uint8Array(5_000)), true);
    let text = '';
    const w = work(() => {
      text = diagnose(bytes, { expandByteStrings: true });
    });
    expect(text.startsWith("24(h'd818")).toBe(true);
    expect(w.hexBytes).toBeLessThanOrEqual(bytes.length);
    expect(w.heads).toBeLessThanOrEqual(2 * bytes.length);
  });

  it('tag-24 expansion is bounded by maxDepth: deeper levels are shown as bytes, not refused', () => {
    const bytes = nestedTag24(100, encode('deep'));
    let text = '';
    const w = work(() => {
      text = diagnose(bytes);
    });
    // 64 nested tags are allowed; the 64th tag's byte string would put its content at depth 65.
    expect(text.match(/<</g)?.length).toBe(63);
    expect(text).toContain("24(h'd818");
    expect(w.heads).toBeLessThanOrEqual(2 * bytes.length);
    expect(codeOf(() => diagnose(bytes, { maxDepth: 10 }))).toBe('no error');
    expect(diagnose(bytes, { maxDepth: 10 }).match(/<</g)?.length).toBe(9);
  });

  it('a 64 KB tag-24 tower (63 levels) is printed with one hex pass over its payload', () => {
    const bytes = nestedTag24(63, encode(new Uint8Array(1 << 16)));
    const w = work(() => diagnose(bytes));
    expect(w.hexBytes).toBe(1 << 16);
  });
});

describe('diagnose output is bounded', () => {
  it('one-line output is at most 12 characters per input byte (fuzz: every value kind, every head)', () => {
    fc.assert(
      fc.property(
        cborValueArb({ simple: true, encodedCbor: true, complexKeys: true, bignums: true }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.boolean(),
        (v, seed, expand) => {
          const { bytes } = wideEncode(v, seeded(seed));
          expect(diagnose(bytes, { expandByteStrings: expand }).length).toBeLessThanOrEqual(
            12 * bytes.length,
          );
        },
      ),
      { numRuns: 300, seed: 8949 },
    );
    // The densest items: a one-byte simple value printed as ten characters, plus ", ".
    const simples = hexToBytes(`98 20 ${'f3'.repeat(32)}`.replace(/\s/g, ''));
    expect(diagnose(simples).length).toBeLessThanOrEqual(12 * simples.length);
  });

  it('maxOutput caps the output with CBOR_OUTPUT_EXCEEDED', () => {
    const bytes = encode(new Uint8Array(100));
    expect(diagnose(bytes, { maxOutput: 203 })).toHaveLength(203);
    expect(codeOf(() => diagnose(bytes, { maxOutput: 202 }))).toBe('CBOR_OUTPUT_EXCEEDED');
    const nested = hexToBytes(`${'81'.repeat(60)}00`);
    expect(codeOf(() => diagnose(nested, { indent: 2, maxOutput: 1000 }))).toBe('CBOR_OUTPUT_EXCEEDED');
    // The default leaves room for the deepest indentation the depth limit allows.
    expect(codeOf(() => diagnose(nested, { indent: 8 }))).toBe('no error');
  });
});
