/**
 * Text the DER reader makes from received octets. UTF8String values (X.680 §41, RFC 3629): the in-place
 * decoder that JPKI names and addresses take must agree with a fatal WHATWG TextDecoder on every input,
 * and an invalid encoding is DER_MALFORMED whichever path reads it. Hex (serial numbers, key
 * identifiers, CertID hashes): the same text as node's Buffer encoder, short spans and long.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexAt, integerHexAt, readDer, readString, stringAt, toHex } from '../src/der-reader.js';
import { utf8String } from '../src/der-writer.js';
import { PkiError } from '../src/index.js';

const oracle = new TextDecoder('utf-8', { fatal: true });

/** The oracle's reading, or `malformed` when it refuses the bytes. */
function expected(bytes: Uint8Array): string {
  try {
    return oracle.decode(bytes);
  } catch {
    return 'malformed';
  }
}

/** Our reading of the bytes as the contents of a UTF8String, at an offset inside a larger buffer. */
function ours(bytes: Uint8Array): string {
  const buf = new Uint8Array(bytes.length + 7);
  buf.set(bytes, 3);
  try {
    return stringAt(buf, 0x0c, 3, 3 + bytes.length);
  } catch (e) {
    if (e instanceof PkiError && e.code === 'DER_MALFORMED') return 'malformed';
    throw e;
  }
}

describe('UTF8String', () => {
  it('reads any text as the TextDecoder does (property, astral planes included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const bytes = new TextEncoder().encode(s);
        expect(ours(bytes)).toBe(expected(bytes));
      }),
      { numRuns: 100, seed: 20260601 },
    );
  });

  it('agrees with the TextDecoder on arbitrary octets, refusing what it refuses (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 24 }), (bytes) => {
        expect(ours(bytes)).toBe(expected(bytes));
      }),
      { numRuns: 100, seed: 5652 },
    );
  });

  it.each([
    ['a surrogate (ED A0 80)', [0xed, 0xa0, 0x80]],
    ['an overlong two-octet form (C0 80)', [0xc0, 0x80]],
    ['an overlong three-octet form (E0 80 80)', [0xe0, 0x80, 0x80]],
    ['an overlong four-octet form (F0 8F BF BF)', [0xf0, 0x8f, 0xbf, 0xbf]],
    ['a code point above U+10FFFF (F4 90 80 80)', [0xf4, 0x90, 0x80, 0x80]],
    ['a truncated sequence (E3 81)', [0xe3, 0x81]],
    ['a stray continuation octet (41 80)', [0x41, 0x80]],
  ])('refuses %s as DER_MALFORMED', (_what, octets) => {
    expect(ours(Uint8Array.from(octets))).toBe('malformed');
  });

  it.each([
    ['Japanese text with an ideographic space', '番号\u3000花子'],
    ['a full-width address', '東京都千代田区霞が関１－２－３'],
    ['an astral code point', 'a😀b'],
    ['the boundaries of each length', '\u0080\u07ff\u0800\uffff\u{10000}\u{10ffff}'],
    ['a leading byte order mark, dropped as the TextDecoder drops it', '\ufeffabc東'],
  ])('reads %s as the TextDecoder does', (_what, text) => {
    const bytes = new TextEncoder().encode(text);
    expect(ours(bytes)).toBe(expected(bytes));
    expect(readString(readDer(utf8String(text)))).toBe(expected(bytes));
  });
});

describe('hex', () => {
  it('writes any span as node writes it, at any offset (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(7), (bytes, pad) => {
        const buf = new Uint8Array(bytes.length + pad + 3);
        buf.set(bytes, pad);
        const want = Buffer.from(bytes).toString('hex');
        expect(hexAt(buf, pad, pad + bytes.length)).toBe(want);
        expect(toHex(buf.subarray(pad, pad + bytes.length))).toBe(want);
      }),
      { numRuns: 100, seed: 6960 },
    );
  });

  it('serial numbers: leading zero octets dropped, one kept for zero', () => {
    expect(integerHexAt(Uint8Array.of(0x00, 0x80, 0x01), 0, 3)).toBe('8001');
    expect(integerHexAt(Uint8Array.of(0x00), 0, 1)).toBe('00');
    expect(integerHexAt(Uint8Array.of(0x7f, 0xff), 0, 2)).toBe('7fff');
  });
});

describe('short ASCII values (read through a small table of recent ones)', () => {
  const ascii = (s: string, tag: number) => {
    const bytes = new TextEncoder().encode(s);
    return stringAt(Uint8Array.of(0xff, tag, bytes.length, ...bytes), tag, 3, 3 + bytes.length);
  };

  it('come back exactly as their octets say, however many distinct ones are read', () => {
    const texts = Array.from({ length: 2000 }, (_, i) => `CN ${i.toString(36)}${'.'.repeat(i % 25)}`);
    for (let round = 0; round < 2; round++)
      for (const [k, t] of texts.entries()) expect(ascii(t, k % 2 ? 0x13 : 0x0c)).toBe(t);
  });

  it('never stand for other octets of the same length', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[ -~]{0,32}$/), { minLength: 1, maxLength: 40 }), (texts) => {
        for (const t of texts) expect(ascii(t, 0x0c)).toBe(t);
        for (const t of [...texts].reverse()) expect(ascii(t, 0x16)).toBe(t);
      }),
      { seed: 5280, numRuns: 100 },
    );
  });
});
