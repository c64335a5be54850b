import { Tagged } from '@mynakit/cbor';
import {
  ISO_23220_NAMESPACE,
  isMyNumberCheckDigitValid,
  JP_MNC_NAMESPACE,
  MY_NUMBER_ELEMENT,
  validateJpMncElements,
} from '@mynakit/mdoc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IssuerError } from '../src/errors.js';
import { ageInYears, birthDateText, recordNameSpaces } from '../src/records/record-name-spaces.js';
import { hepburn, MDL_NAMESPACE, sampleMdlNameSpaces } from '../src/records/sample-mdl.js';
import { myNumberCheckDigit, sandboxMyNumber } from '../src/records/sandbox-my-number.js';
import { SANDBOX_PORTRAIT_COMMENT, sandboxPortrait } from '../src/records/sandbox-portrait.js';
import type { Resident } from '../src/store/index.js';

const HANAKO: Resident = {
  id: 'sandbox-ordinary-female',
  fullName: '番号　花子',
  fullNameKana: 'バンゴウ　ハナコ',
  address: '東京都試験区見本町一丁目２番３号',
  birthDate: '1986-04-01',
  sex: 2,
  municipalityCode: '139904',
  municipalityName: '試験区',
  createdAt: 0,
};
const SIGNED = new Date('2026-04-02T00:00:00Z');

describe('recordNameSpaces: the card-substitute record from a resident (DOMAIN.md §2)', () => {
  const ns = recordNameSpaces(HANAKO, SIGNED, {
    myNumber: sandboxMyNumber(HANAKO.id),
    portrait: sandboxPortrait(),
  });
  const jp = ns[JP_MNC_NAMESPACE] as Record<string, unknown>;
  const iso = ns[ISO_23220_NAMESPACE] as Record<string, unknown>;

  it('fills both namespaces with the profile elements, and the profile accepts every value', () => {
    expect(Object.keys(ns).sort()).toEqual([ISO_23220_NAMESPACE, JP_MNC_NAMESPACE].sort());
    expect(jp).toMatchObject({
      full_name_unicode: '番号　花子',
      resident_address_unicode: '東京都試験区見本町一丁目２番３号',
      local_gov_code_unicode: '139904',
      sex_unicode: '女',
      birth_date_unicode: '1986年4月1日',
    });
    expect(isMyNumberCheckDigitValid(jp[MY_NUMBER_ELEMENT] as string)).toBe(true);
    expect(jp.portrait).toBeInstanceOf(Uint8Array);
    expect(iso.birth_date).toEqual(new Tagged(1004, '1986-04-01'));
    expect(iso).toMatchObject({
      sex: 2,
      age_in_years: 40,
      age_over_18: true,
      age_over_20: true,
      age_over_65: false,
    });
    expect(validateJpMncElements(ns)).toEqual([]);
  });

  it('leaves My Number and the portrait out when there is no source for them (outside the sandbox)', () => {
    const plain = recordNameSpaces(HANAKO, SIGNED)[JP_MNC_NAMESPACE] as Record<string, unknown>;
    expect(Object.hasOwn(plain, MY_NUMBER_ELEMENT)).toBe(false);
    expect(Object.hasOwn(plain, 'portrait')).toBe(false);
  });

  it('maps the register’s sex codes to ISO/IEC 5218 and the printed text', () => {
    const sexOf = (sex: Resident['sex']) => {
      const r = recordNameSpaces({ ...HANAKO, sex }, SIGNED);
      return [
        (r[JP_MNC_NAMESPACE] as Record<string, unknown>).sex_unicode,
        (r[ISO_23220_NAMESPACE] as Record<string, unknown>).sex,
      ];
    };
    expect(sexOf(1)).toEqual(['男', 1]);
    expect(sexOf(2)).toEqual(['女', 2]);
    expect(sexOf(3)).toEqual(['不明', 0]);
    expect(sexOf(9)).toEqual(['該当なし', 9]);
  });

  it('counts age on the JST calendar day: the birthday begins at 15:00 UTC the day before', () => {
    expect(ageInYears('2008-04-02', new Date('2026-04-01T14:59:59Z'))).toBe(17);
    expect(ageInYears('2008-04-02', new Date('2026-04-01T15:00:00Z'))).toBe(18);
    // 29 February: in a common year the age turns on 1 March.
    expect(ageInYears('2008-02-29', new Date('2026-02-28T14:59:59Z'))).toBe(17);
    expect(ageInYears('2008-02-29', new Date('2026-02-28T15:00:00Z'))).toBe(18);
    const young = recordNameSpaces({ ...HANAKO, birthDate: '2008-04-02' }, new Date('2026-04-01T15:00:00Z'));
    expect(young[ISO_23220_NAMESPACE]).toMatchObject({
      age_in_years: 18,
      age_over_18: true,
      age_over_20: false,
    });
  });

  it('writes the birth date as printed: Gregorian year, no zero padding', () => {
    expect(birthDateText('1971-09-01')).toBe('1971年9月1日');
    expect(birthDateText('2000-12-31')).toBe('2000年12月31日');
  });

  it('refuses a resident row that cannot make a valid record, naming the element but not the value', () => {
    const bad = { ...HANAKO, municipalityCode: '1399' };
    let error: unknown;
    try {
      recordNameSpaces(bad, SIGNED);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IssuerError);
    expect((error as IssuerError).code).toBe('ISSUER_RECORD_INVALID');
    expect((error as IssuerError).message).toContain('local_gov_code_unicode');
    expect((error as IssuerError).message).not.toContain('1399');
    expect(() => recordNameSpaces({ ...HANAKO, sex: 5 as never }, SIGNED)).toThrow(IssuerError);
  });
});

describe('sandbox My Number', () => {
  it('has the check digit of 番号法施行令 §8, as @mynakit/mdoc checks it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{11}$/), (eleven) => {
        const check = myNumberCheckDigit(eleven);
        expect(isMyNumberCheckDigitValid(`${eleven}${check}`)).toBe(true);
        for (let other = 0; other <= 9; other++)
          if (other !== check) expect(isMyNumberCheckDigitValid(`${eleven}${other}`)).toBe(false);
      }),
      { seed: 20260402, numRuns: 100 },
    );
  });

  it('is the same for a resident every time and differs between residents', () => {
    expect(sandboxMyNumber('resident-a')).toBe(sandboxMyNumber('resident-a'));
    expect(sandboxMyNumber('resident-a')).not.toBe(sandboxMyNumber('resident-b'));
    expect(sandboxMyNumber('resident-a')).toMatch(/^[0-9]{12}$/);
  });
});

describe('sandbox portrait', () => {
  /** Walks the JPEG marker segments (T.81 §B.1.1.4) up to SOS. */
  function segments(jpeg: Uint8Array): Map<number, Uint8Array[]> {
    const out = new Map<number, Uint8Array[]>();
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    let p = 2;
    for (let guard = 0; guard < 32; guard++) {
      expect(jpeg[p]).toBe(0xff);
      const marker = jpeg[p + 1] as number;
      const length = ((jpeg[p + 2] as number) << 8) | (jpeg[p + 3] as number);
      out.set(marker, [...(out.get(marker) ?? []), jpeg.subarray(p + 4, p + 2 + length)]);
      p += 2 + length;
      if (marker === 0xda) break;
    }
    return out;
  }

  it('is a baseline greyscale JPEG that says it is a sandbox placeholder', () => {
    const jpeg = sandboxPortrait();
    expect([jpeg.at(-2), jpeg.at(-1)]).toEqual([0xff, 0xd9]);
    const s = segments(jpeg);
    const sof = s.get(0xc0)?.[0] as Uint8Array;
    expect(sof[0]).toBe(8);
    expect((sof[1]! << 8) | sof[2]!).toBe(264);
    expect((sof[3]! << 8) | sof[4]!).toBe(200);
    expect(sof[5]).toBe(1);
    expect(Buffer.from(s.get(0xfe)?.[0] as Uint8Array).toString('latin1')).toBe(SANDBOX_PORTRAIT_COMMENT);
    expect(s.get(0xc4)).toHaveLength(2);
    expect(jpeg.length).toBeLessThan(4096);
  });

  it('hands out a copy each time', () => {
    const a = sandboxPortrait();
    a[6] = 0;
    expect(sandboxPortrait()[6]).toBe(0x4a);
  });
});

describe('sample mDL', () => {
  it('romanises the registered reading (passport Hepburn)', () => {
    expect(hepburn('バンゴウ')).toBe('BANGO');
    expect(hepburn('ハナコ')).toBe('HANAKO');
    expect(hepburn('シケン')).toBe('SHIKEN');
    expect(hepburn('キョウコ')).toBe('KYOKO');
    expect(hepburn('ハットリ')).toBe('HATTORI');
    expect(hepburn('マッチャ')).toBe('MATCHA');
    expect(hepburn('ユウキ')).toBe('YUKI');
    expect(hepburn('花子')).toBeUndefined();
  });

  it('has the mandatory elements of ISO/IEC 18013-5 §7.2.1, country ZZ', () => {
    const ns = sampleMdlNameSpaces(HANAKO, SIGNED, new Date('2027-04-02T00:00:00Z'), sandboxPortrait());
    const mdl = ns[MDL_NAMESPACE] as Record<string, unknown>;
    for (const id of [
      'family_name',
      'given_name',
      'birth_date',
      'issue_date',
      'expiry_date',
      'issuing_country',
      'issuing_authority',
      'document_number',
      'portrait',
      'driving_privileges',
      'un_distinguishing_sign',
    ])
      expect(Object.hasOwn(mdl, id), id).toBe(true);
    expect(mdl).toMatchObject({
      family_name: 'BANGO',
      given_name: 'HANAKO',
      family_name_national_character: '番号',
      given_name_national_character: '花子',
      issuing_country: 'ZZ',
    });
    expect(mdl.expiry_date).toEqual(new Tagged(1004, '2027-04-02'));
    const noReading = sampleMdlNameSpaces(
      { ...HANAKO, fullNameKana: null },
      SIGNED,
      SIGNED,
      sandboxPortrait(),
    );
    expect(noReading[MDL_NAMESPACE]).toMatchObject({ family_name: 'SANDBOX', given_name: 'RESIDENT' });
  });
});
