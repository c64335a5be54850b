/**
 * LeanReader keeps recently read short ASCII texts in a small fixed table (lean-reader.ts): a text must
 * come back exactly as its bytes say whatever the table holds — same bytes give the same string, other
 * bytes in the same slot (or of another length) never return the remembered one, non-ASCII and long texts
 * are decoded as before (RFC 8949 §3.1, major type 3).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CborError, encode, LeanReader } from '../src/index.js';

function readText(bytes: Uint8Array): string {
  return new LeanReader(bytes).text();
}

describe('LeanReader short texts', () => {
  it('reads many distinct short texts (more than the table holds) exactly, twice over', () => {
    const texts = Array.from({ length: 2000 }, (_, i) => `id_${i.toString(36)}${'x'.repeat(i % 20)}`);
    for (let round = 0; round < 2; round++) for (const t of texts) expect(readText(encode(t))).toBe(t);
  });

  it('never returns a remembered text for other bytes of the same length', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 0, maxLength: 40 }), { minLength: 1, maxLength: 50 }),
        (texts) => {
          for (const t of texts) expect(readText(encode(t))).toBe(t);
          for (const t of [...texts].reverse()) expect(readText(encode(t))).toBe(t);
        },
      ),
      { seed: 18013, numRuns: 100 },
    );
  });

  it('still refuses invalid UTF-8 in a short text', () => {
    // 0x63 = text of 3 bytes; 0xc3 0x28 is an invalid two-byte sequence.
    expect(() => readText(Uint8Array.of(0x63, 0x61, 0xc3, 0x28))).toThrow(CborError);
  });

  it('reads a short text inside a larger buffer from its own offset', () => {
    const a = encode(['algorithm', 'algorithms', 'algorithn']);
    const r = new LeanReader(a);
    expect(r.arrayHead()).toBe(3);
    expect([r.text(), r.text(), r.text()]).toEqual(['algorithm', 'algorithms', 'algorithn']);
  });
});
