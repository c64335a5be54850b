/**
 * The lean DER reader and the writer, against asn1js as an independent encoder/decoder.
 */
import * as fs from 'node:fs';
import { vectorPath } from '@mynakit/test-vectors';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  children,
  DerReader,
  readBigInt,
  readBitString,
  readBoolean,
  readDer,
  readOctetString,
  readOid,
  readString,
  readTime,
  Tag,
} from '../src/der-reader.js';
import { generalizedTime, integer, oid, sequence, setOf, utcTime, utf8String } from '../src/der-writer.js';
import { PkiError } from '../src/index.js';

const hex = (b: Uint8Array | ArrayBuffer) =>
  Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString('hex');

describe('INTEGER', () => {
  it('encodes like asn1js and decodes back (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }), (v) => {
        const ours = integer(v);
        expect(hex(ours)).toBe(hex(asn1js.Integer.fromBigInt(v).toBER()));
        expect(readBigInt(readDer(ours))).toBe(v);
      }),
      { numRuns: 500 },
    );
  });

  it('reads what asn1js writes', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 64n), max: 1n << 64n }), (v) => {
        expect(readBigInt(readDer(new Uint8Array(asn1js.Integer.fromBigInt(v).toBER())))).toBe(v);
      }),
    );
  });
});

describe('OBJECT IDENTIFIER', () => {
  const arcs = fc.tuple(
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: 0, max: 39 }),
    fc.array(fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 2 ** 40 })), {
      maxLength: 8,
    }),
  );
  it('encodes like asn1js and decodes back (property)', () => {
    fc.assert(
      fc.property(arcs, ([a, b, rest]) => {
        const s = [a, b, ...rest].join('.');
        const ours = oid(s);
        expect(hex(ours)).toBe(hex(new asn1js.ObjectIdentifier({ value: s }).toBER()));
        expect(readOid(readDer(ours))).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  it('reads large arcs (2.25 UUID form)', () => {
    const s = '2.25.329800735698586629295641978511506172918';
    expect(readOid(readDer(new Uint8Array(new asn1js.ObjectIdentifier({ value: s }).toBER())))).toBe(s);
  });
});

describe('times', () => {
  it('UTCTime and GeneralizedTime match asn1js (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1950-01-01T00:00:00Z'),
          max: new Date('2049-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
          const u = utcTime(whole);
          expect(hex(u)).toBe(hex(new asn1js.UTCTime({ valueDate: whole }).toBER()));
          expect(readTime(readDer(u)).getTime()).toBe(whole.getTime());
          expect(readTime(readDer(generalizedTime(whole))).getTime()).toBe(whole.getTime());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts BER variants: fractions, offsets, missing seconds; rejects nonsense', () => {
    const t = (tag: number, s: string) => readTime(readDer(Uint8Array.of(tag, s.length, ...Buffer.from(s))));
    expect(t(Tag.GENERALIZED_TIME, '20250220000000.123Z').toISOString()).toBe('2025-02-20T00:00:00.123Z');
    expect(t(Tag.UTC_TIME, '2502200900+0900').toISOString()).toBe('2025-02-20T00:00:00.000Z');
    expect(t(Tag.UTC_TIME, '491231235959Z').getUTCFullYear()).toBe(2049);
    expect(t(Tag.UTC_TIME, '500101000000Z').getUTCFullYear()).toBe(1950);
    for (const bad of ['251301000000Z', '250132000000Z', '25022a000000Z', 'x'])
      expect(() => t(Tag.UTC_TIME, bad)).toThrow(PkiError);
  });
});

describe('structure', () => {
  it('SET OF is sorted as DER requires (asn1js-independent check by byte order)', () => {
    const s = setOf(utf8String('b'), integer(5), utf8String('a'));
    const items = children(readDer(s))
      .rest()
      .map((e) => hex(e.bytes));
    expect(items).toEqual([...items].sort());
  });

  it('is zero-copy: elements are views into the input', () => {
    const buf = sequence(integer(1), utf8String('番号'));
    const el = readDer(buf);
    const kids = children(el).rest();
    expect(kids[1]!.bytes.buffer).toBe(buf.buffer);
    expect(readString(kids[1]!)).toBe('番号');
  });

  it('reads BER indefinite lengths and constructed OCTET STRINGs only when asked for BER', () => {
    const ber = Uint8Array.of(
      0x30,
      0x80,
      0x02,
      0x01,
      0x05,
      0x24,
      0x80,
      0x04,
      0x01,
      0xaa,
      0x04,
      0x01,
      0xbb,
      0x00,
      0x00,
      0x00,
      0x00,
    );
    // X.690 §10.1: DER uses the definite form; §10.2: strings in the primitive form
    expect(() => readDer(ber)).toThrow(/indefinite length/);
    const el = readDer(ber, 'BER', true);
    expect(el.indefinite).toBe(true);
    const r = children(el);
    expect(readBigInt(r.next())).toBe(5n);
    expect(hex(readOctetString(r.next()))).toBe('aabb');
    expect(r.done).toBe(true);
    // a constructed OCTET STRING with a definite length is BER too
    const constructed = Uint8Array.of(0x24, 0x06, 0x04, 0x01, 0xaa, 0x04, 0x01, 0xbb);
    expect(() => readDer(constructed)).toThrow(/constructed string/);
    expect(hex(readOctetString(readDer(constructed, 'BER', true)))).toBe('aabb');
  });

  it('rejects what DER and BER forbid: non-minimal lengths, INTEGERs, OIDs, tag numbers', () => {
    const bad =
      (...b: number[]) =>
      () =>
        readBigInt(readDer(Uint8Array.of(...b)));
    // X.690 §10.1: length 5 in the long form, and with a leading zero octet
    expect(() => readDer(Uint8Array.of(0x04, 0x81, 0x05, 1, 2, 3, 4, 5))).toThrow(/non-minimal length/);
    expect(() => readDer(Uint8Array.of(0x04, 0x82, 0x00, 0x01, 9))).toThrow(/non-minimal length/);
    expect(hex(readDer(Uint8Array.of(0x04, 0x81, 0x05, 1, 2, 3, 4, 5), 'BER', true).value)).toBe(
      '0102030405',
    );
    // §8.3.2: the first nine bits of an INTEGER are not all zeros or all ones
    expect(bad(0x02, 0x02, 0x00, 0x05)).toThrow(/non-minimal INTEGER/);
    expect(bad(0x02, 0x02, 0xff, 0x85)).toThrow(/non-minimal INTEGER/);
    expect(bad(0x02, 0x02, 0x00, 0x85)()).toBe(0x85n);
    expect(bad(0x02, 0x02, 0xff, 0x05)()).toBe(-251n);
    // §8.19.2: no subidentifier starts with 0x80
    expect(() => readOid(readDer(Uint8Array.of(0x06, 0x03, 0x2a, 0x80, 0x01)))).toThrow(/non-minimal OBJECT/);
    // §8.1.2.4.2: tag number 5 in the high-tag form
    expect(() => readDer(Uint8Array.of(0x9f, 0x05, 0x00))).toThrow(/non-minimal tag number/);
    // §11.1: DER TRUE is FF
    expect(() => readBoolean(readDer(Uint8Array.of(0x01, 0x01, 0x01)))).toThrow(/BOOLEAN/);
    // §11.2.1: unused bits of a BIT STRING are zero
    expect(() => readBitString(readDer(Uint8Array.of(0x03, 0x02, 0x01, 0x81)))).toThrow(/padding/);
    expect(readBitString(readDer(Uint8Array.of(0x03, 0x02, 0x01, 0x80))).unusedBits).toBe(1);
  });

  it('every truncation of a valid encoding throws DER_MALFORMED, never anything else', () => {
    const der = sequence(
      integer(123456789n),
      oid('1.2.840.113549.1.1.11'),
      sequence(utf8String('x'.repeat(200))),
    );
    for (let n = 0; n < der.length; n++) {
      try {
        const el = readDer(der.subarray(0, n));
        new DerReader(el.value).rest();
        expect.unreachable(`prefix ${n} parsed`);
      } catch (e) {
        expect(e).toBeInstanceOf(PkiError);
        expect((e as PkiError).code).toBe('DER_MALFORMED');
      }
    }
  });

  it('random bytes never crash the reader (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          const el = readDer(b);
          if (el.constructed) new DerReader(el.value).rest();
        } catch (e) {
          expect(e).toBeInstanceOf(PkiError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with asn1js on the structure of a real certificate', () => {
    const pem = Buffer.from(
      fs
        .readFileSync(vectorPath('iso-18013-5-annex-d', 'ds_cert.pem'), 'utf8')
        .replace(/-----[^-]+-----|\s/g, ''),
      'base64',
    );
    const der = new Uint8Array(pem);
    const theirs = asn1js.fromBER(der);
    expect(theirs.offset).toBe(der.length);
    const walk = (a: asn1js.AsnType, bytes: Uint8Array): void => {
      const el = readDer(bytes);
      expect(el.tagNumber).toBe(a.idBlock.tagNumber);
      expect(el.tagClass + 1).toBe(a.idBlock.tagClass);
      if (a instanceof asn1js.Sequence || a instanceof asn1js.Set) {
        const kids = children(el).rest();
        const value = a.valueBlock.value;
        expect(kids.length).toBe(value.length);
        kids.forEach((k, i) => {
          walk(value[i]!, k.bytes);
        });
      }
    };
    walk(theirs.result, der);
  });
});
