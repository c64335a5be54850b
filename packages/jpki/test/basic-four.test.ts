import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BasicFour,
  basicFourFromOtherNames,
  basicFourToOtherNames,
  composeName,
  decodeOtherNameString,
  encodeBasicFour,
  encodeUtf8String,
  eraOf,
  formatJpkiBirthDate,
  JPKI_OID,
  JpkiError,
  parseJpkiBirthDate,
  splitName,
  substituteText,
} from '../src/index.js';
import { openssl, tempDir } from './helpers/openssl.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof JpkiError) return e.code;
    throw e;
  }
  return undefined;
}

/** OpenSSL's own DER of a UTF8String (the oracle for our otherName values). */
function opensslUtf8(text: string): Uint8Array {
  const out = tmp.file('s.der');
  openssl(['asn1parse', '-genstr', `FORMAT:UTF8,UTF8:${text}`, '-out', out, '-noout']);
  return tmp.read('s.der');
}

const hanako: BasicFour = encodeBasicFour({
  name: composeName('番号', '花子'),
  address: '東京都千代田区霞が関１－２－３',
  birthDate: { year: 1990, month: 1, day: 2 },
  sex: 'female',
});

describe('otherName values are UTF8Strings', () => {
  it.each([
    ['番号　花子'],
    ['東京都千代田区霞が関１－２－３'],
    ['419900102'],
    ['東'.repeat(80)], // > 127 bytes: long-form length
    ['S'],
  ])('encodes %s exactly as OpenSSL does', (text) => {
    expect(Buffer.from(encodeUtf8String(text)).toString('hex')).toBe(
      Buffer.from(opensslUtf8(text)).toString('hex'),
    );
  });

  it('decodes the bare UTF8String and the [0] EXPLICIT wrapper', () => {
    const der = opensslUtf8('番号　花子');
    expect(decodeOtherNameString(der)).toBe('番号　花子');
    const wrapped = new Uint8Array([0xa0, der.length, ...der]);
    expect(decodeOtherNameString(wrapped)).toBe('番号　花子');
  });

  it('rejects malformed values with BASIC_FOUR_MALFORMED', () => {
    expect(code(() => decodeOtherNameString(new Uint8Array([0x0c, 0x05, 0x41])))).toBe(
      'BASIC_FOUR_MALFORMED',
    );
    expect(code(() => decodeOtherNameString(new Uint8Array([0x02, 0x01, 0x01])))).toBe(
      'BASIC_FOUR_MALFORMED',
    );
    expect(code(() => decodeOtherNameString(new Uint8Array([0x0c, 0x01, 0xff])))).toBe(
      'BASIC_FOUR_MALFORMED',
    );
    expect(code(() => decodeOtherNameString(new Uint8Array([0x0c, 0x01, 0x41, 0x00])))).toBe(
      'BASIC_FOUR_MALFORMED',
    );
  });
});

describe('the basic four', () => {
  it('writes the six otherNames in OID order with the full-width space kept', () => {
    const names = basicFourToOtherNames(hanako);
    expect(names.map((n) => n.typeId)).toEqual([
      JPKI_OID.name,
      JPKI_OID.nameSubstitutionMap,
      JPKI_OID.sex,
      JPKI_OID.birthDate,
      JPKI_OID.address,
      JPKI_OID.addressSubstitutionMap,
    ]);
    expect(names[0]?.value).toBe('番号\u3000花子');
    expect(names[1]?.value).toBe('00000');
    expect(names[2]?.value).toBe('2');
    expect(names[3]?.value).toBe('419900102');
    expect(names[5]?.value).toBe('0'.repeat(15));
  });

  it('round-trips through otherNames, in any order and with the EXPLICIT wrapper', () => {
    const names = basicFourToOtherNames(hanako)
      .map((n) => ({ typeId: n.typeId, valueDer: new Uint8Array([0xa0, n.valueDer.length, ...n.valueDer]) }))
      .reverse();
    expect(
      basicFourFromOtherNames([{ typeId: '1.2.3.4', valueDer: encodeUtf8String('x') }, ...names]),
    ).toEqual(hanako);
  });

  it('is absent from a certificate without any of the six', () => {
    expect(basicFourFromOtherNames([])).toBeUndefined();
  });

  it('refuses an incomplete or duplicated set', () => {
    const names = basicFourToOtherNames(hanako);
    expect(code(() => basicFourFromOtherNames(names.slice(0, 5)))).toBe('BASIC_FOUR_MISSING');
    expect(code(() => basicFourFromOtherNames([...names, names[0]!]))).toBe('BASIC_FOUR_MALFORMED');
  });

  it('refuses a bad sex, birth date or map', () => {
    const names = basicFourToOtherNames(hanako);
    const swap = (oid: string, v: string) =>
      names.map((n) => (n.typeId === oid ? { typeId: oid, valueDer: encodeUtf8String(v) } : n));
    expect(code(() => basicFourFromOtherNames(swap(JPKI_OID.sex, '4')))).toBe('INVALID_SEX');
    expect(code(() => basicFourFromOtherNames(swap(JPKI_OID.birthDate, '619900102')))).toBe(
      'INVALID_BIRTH_DATE',
    );
    expect(code(() => basicFourFromOtherNames(swap(JPKI_OID.birthDate, '419900230')))).toBe(
      'INVALID_BIRTH_DATE',
    );
    expect(code(() => basicFourFromOtherNames(swap(JPKI_OID.nameSubstitutionMap, '0000')))).toBe(
      'INVALID_SUBSTITUTION_MAP',
    );
    expect(code(() => basicFourFromOtherNames(swap(JPKI_OID.addressSubstitutionMap, '2'.repeat(15))))).toBe(
      'INVALID_SUBSTITUTION_MAP',
    );
  });

  it('validates the address on writing: length, postal code, prefecture', () => {
    const base = { name: '番号　花子', birthDate: '419900102', sex: '2' as const };
    expect(code(() => encodeBasicFour({ ...base, address: `東京都${'あ'.repeat(197)}` }))).toBeUndefined();
    expect(code(() => encodeBasicFour({ ...base, address: `東京都${'あ'.repeat(198)}` }))).toBe(
      'ADDRESS_TOO_LONG',
    );
    expect(code(() => encodeBasicFour({ ...base, address: '〒100-0013 東京都千代田区' }))).toBe(
      'INVALID_ADDRESS',
    );
    expect(code(() => encodeBasicFour({ ...base, address: '100-0013東京都千代田区' }))).toBe(
      'INVALID_ADDRESS',
    );
    expect(code(() => encodeBasicFour({ ...base, address: '千代田区霞が関' }))).toBe('INVALID_ADDRESS');
    expect(code(() => encodeBasicFour({ ...base, address: '東京都千代田区', sex: 'x' as never }))).toBe(
      'INVALID_SEX',
    );
    expect(code(() => encodeBasicFour({ ...base, address: '東京都千代田区', name: '　' }))).toBe(
      'INVALID_NAME',
    );
  });

  it('substitutes characters outside the repertoire and marks them', () => {
    // 𠮷 (U+20BB7) is outside the BMP; 葛󠄀 is 葛 with an IVS selector; both are written as stand-ins.
    const b = encodeBasicFour({
      name: composeName('𠮷田', '葛\u{E0100}子'),
      address: '東京都千代田区',
      birthDate: { year: 2001, month: 2, day: 3 },
      sex: '3',
    });
    expect(b.name).toBe('〓田\u3000葛子');
    expect(b.nameSubstitutionMap).toBe('10010');
    expect(splitName(b.name)).toEqual({ surname: '〓田', givenName: '葛子' });
    expect(basicFourFromOtherNames(basicFourToOtherNames(b))).toEqual(b);
  });

  it('accepts an already substituted text and checks its map', () => {
    const b = encodeBasicFour({
      name: { text: '髙橋　一郎', map: '10000' },
      address: { text: '北海道札幌市', map: '000000' },
      birthDate: '000000000',
      sex: '1',
    });
    expect(b.nameSubstitutionMap).toBe('10000');
    expect(code(() => encodeBasicFour({ ...b, name: { text: '髙橋', map: '1' } }))).toBe(
      'INVALID_SUBSTITUTION_MAP',
    );
  });

  it('round-trips every era code 0-5', () => {
    for (const [date, era] of [
      [{ year: 1850, month: 5, day: 5 }, 0],
      [{ year: 1900, month: 1, day: 1 }, 1],
      [{ year: 1920, month: 6, day: 1 }, 2],
      [{ year: 1971, month: 9, day: 1 }, 3],
      [{ year: 1990, month: 1, day: 2 }, 4],
      [{ year: 2020, month: 2, day: 29 }, 5],
    ] as const) {
      const text = formatJpkiBirthDate(date);
      expect(text[0]).toBe(String(era));
      const b = encodeBasicFour({
        name: '番号　太郎',
        address: '沖縄県那覇市',
        birthDate: date,
        sex: 'male',
      });
      const back = basicFourFromOtherNames(basicFourToOtherNames(b));
      expect(back?.birthDate).toBe(text);
      expect(parseJpkiBirthDate(text)).toMatchObject({ era, ...date, date });
    }
    expect(formatJpkiBirthDate({ year: 1990, month: 1, day: 2 })).toBe('419900102');
    expect(parseJpkiBirthDate('000000000')).toEqual({ era: 0, year: 0, month: 0, day: 0 });
  });

  it('property: any text round-trips through substitution and otherNames, map one digit per character', () => {
    fc.assert(
      fc.property(
        fc
          .string({ unit: 'binary', minLength: 1, maxLength: 40 })
          .filter((s) => s.trim() !== '' && !/\p{Cc}/u.test(s)),
        fc.string({ unit: 'binary', maxLength: 100 }).filter((s) => !/\p{Cc}/u.test(s)),
        fc.integer({ min: 1, max: 5 }),
        (name, rest, sex) => {
          const sub = substituteText(name);
          expect(sub.map).toMatch(/^[01]*$/);
          expect(sub.map.length).toBe(Array.from(sub.text).length);
          if (sub.text.trim() === '') return;
          const b = encodeBasicFour({
            name,
            address: `大阪府${rest}`,
            birthDate: { year: 1950 + sex, month: sex, day: sex * 3 },
            sex: sex === 1 ? 'male' : sex === 2 ? 'female' : 'unknown',
          });
          expect(basicFourFromOtherNames(basicFourToOtherNames(b))).toEqual(b);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('era codes agree with CLDR (Intl japanese calendar) as an independent oracle', () => {
  const fmt = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
    era: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const kanjiToCode: Record<string, number> = { 明治: 1, 大正: 2, 昭和: 3, 平成: 4, 令和: 5 };
  const oracle = (d: Date) => {
    const era = fmt.format(d).replace(/[0-9元]+年$/, '');
    return kanjiToCode[era] ?? 0;
  };

  it('on every era boundary', () => {
    for (const iso of [
      '1868-10-22',
      '1868-10-23',
      '1912-07-29',
      '1912-07-30',
      '1926-12-24',
      '1926-12-25',
      '1989-01-07',
      '1989-01-08',
      '2019-04-30',
      '2019-05-01',
    ]) {
      const d = new Date(`${iso}T00:00:00Z`);
      expect(eraOf({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() })).toBe(
        oracle(d),
      );
    }
  });

  it('property: on any day 1850-2100', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1850-01-01T00:00:00Z'),
          max: new Date('2100-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const cd = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
          expect(eraOf(cd)).toBe(oracle(d));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
