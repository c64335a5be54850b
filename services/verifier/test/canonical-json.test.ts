/** RFC 8785 canonical JSON as the record hashes use it, against the RFC's own examples. */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/records/canonical-json.js';
import { contentHashOf, GENESIS_PREV_HASH, recordHashOf } from '../src/records/record-hash.js';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts members by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const input = JSON.parse(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    );
    // JSON.parse puts "1" first (an array index); the canonical text's order is the RFC's.
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('writes numbers as ECMAScript does (RFC 8785 §3.2.2.3 examples) and refuses what I-JSON cannot carry', () => {
    expect(canonicalJson([1e21, 1e-7, 333333333.3333333, -0, 4.5, 0.002, 1e23])).toBe(
      '[1e+21,1e-7,333333333.3333333,0,4.5,0.002,1e+23]',
    );
    expect(canonicalJson({ b: [true, null], a: 'x' })).toBe('{"a":"x","b":[true,null]}');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '\uD800', undefined, 1n, new Date(0)])
      expect(() => canonicalJson({ v: bad }), String(bad)).toThrow(
        expect.objectContaining({ code: 'VERIFIER_RECORD_INVALID' }),
      );
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(expect.objectContaining({ code: 'VERIFIER_RECORD_INVALID' }));
  });

  it('hashes a record over its chain position and content hash, independently of member order', () => {
    const h1 = contentHashOf({ a: 1, b: 2 });
    expect(contentHashOf({ b: 2, a: 1 })).toBe(h1);
    const input = { chainId: 'rp/w', seq: 1, prevHash: GENESIS_PREV_HASH, contentHash: h1, recordedAt: 0 };
    const hash = recordHashOf(input);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(recordHashOf({ ...input, seq: 2 })).not.toBe(hash);
    expect(recordHashOf({ ...input, recordedAt: 1 })).not.toBe(hash);
  });
});
