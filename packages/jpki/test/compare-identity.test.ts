import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareIdentity,
  encodeBasicFour,
  identityFactsFromBasicFour,
  parseBirthDateForm,
  parseSexForm,
} from '../src/index.js';

// A JPKI certificate's basic four and the same person's card-substitute record (mdoc) fields.
const cert = identityFactsFromBasicFour(
  encodeBasicFour({
    name: '番号　花子',
    address: '東京都千代田区霞が関１－２－３',
    birthDate: '319710901',
    sex: '2',
  }),
);
const mdoc = {
  name: '番号 花子',
  address: '東京都千代田区霞が関1丁目2番3号',
  birthDate: '1971年9月1日',
  sex: '女',
};

describe('compareIdentity', () => {
  it('matches the same person across the mdoc and JPKI forms', () => {
    expect(compareIdentity(cert, mdoc)).toEqual({
      name: 'match',
      address: 'match',
      birthDate: 'match',
      sex: 'match',
    });
  });

  it('matches ISO 23220 forms: full-date and ISO/IEC 5218 sex', () => {
    expect(compareIdentity(cert, { birthDate: '1971-09-01', sex: 2 })).toMatchObject({
      birthDate: 'match',
      sex: 'match',
    });
    expect(compareIdentity(cert, { birthDate: new Date('1971-09-01T00:00:00Z'), sex: 1 })).toMatchObject({
      birthDate: 'match',
      sex: 'mismatch',
    });
  });

  it('folds whitespace and width', () => {
    expect(compareIdentity({ name: '　番号　　花子 ' }, { name: '番号 花子' }).name).toBe('match');
    expect(compareIdentity({ name: 'ＳＭＩＴＨ　ＪＯＨＮ' }, { name: 'Smith John' }).name).toBe('match');
    expect(compareIdentity({ name: 'ﾊﾞﾝｺﾞｳ ﾊﾅｺ' }, { name: 'バンゴウ　ハナコ' }).name).toBe('match');
    expect(compareIdentity({ name: '番号　花子' }, { name: '番号　花江' }).name).toBe('mismatch');
    expect(compareIdentity({ name: '番号　花子' }, { name: '番号花子' }).name).toBe('mismatch');
  });

  it('treats a substituted character as any one character', () => {
    const substituted = { name: '〓田\u3000葛子', nameSubstitutionMap: '10000' };
    expect(compareIdentity(substituted, { name: '𠮷田　葛子' }).name).toBe('match');
    expect(compareIdentity(substituted, { name: '吉田　葛子' }).name).toBe('match');
    // An IVS glyph variant is one character on the other side.
    expect(compareIdentity({ name: '葛子', nameSubstitutionMap: '10' }, { name: '葛\u{E0100}子' }).name).toBe(
      'match',
    );
    // Not a wildcard for a different length or for the other positions.
    expect(compareIdentity(substituted, { name: '𠮷田　葛' }).name).toBe('mismatch');
    expect(compareIdentity(substituted, { name: '𠮷川　葛子' }).name).toBe('mismatch');
    // Without the map the stand-in is an ordinary character.
    expect(compareIdentity({ name: '〓田　葛子' }, { name: '𠮷田　葛子' }).name).toBe('mismatch');
  });

  it('normalises address block-number notations', () => {
    const a = '東京都千代田区霞が関１－２－３';
    for (const b of [
      '東京都千代田区霞が関1-2-3',
      '東京都千代田区霞が関一丁目2番3号',
      '東京都 千代田区 霞が関1丁目2番地3',
      '東京都千代田区霞が関1−2−3',
    ]) {
      expect(compareIdentity({ address: a }, { address: b }).address).toBe('match');
    }
    expect(compareIdentity({ address: a }, { address: '東京都千代田区霞が関1-2-4' }).address).toBe(
      'mismatch',
    );
    expect(compareIdentity({ address: a }, { address: '東京都千代田区霞が関二丁目2番3号' }).address).toBe(
      'mismatch',
    );
    expect(
      compareIdentity(
        { address: '北海道札幌市中央区北1条西2丁目' },
        { address: '北海道札幌市中央区北１条西２' },
      ).address,
    ).toBe('match');
  });

  it('says unknown when a side lacks or cannot state the fact', () => {
    expect(compareIdentity({}, mdoc)).toEqual({
      name: 'unknown',
      address: 'unknown',
      birthDate: 'unknown',
      sex: 'unknown',
    });
    expect(compareIdentity({ sex: '3' }, { sex: '女' }).sex).toBe('unknown');
    expect(compareIdentity({ sex: 0 }, { sex: 2 }).sex).toBe('unknown');
    expect(compareIdentity({ sex: 9 }, { sex: 2 }).sex).toBe('unknown');
    expect(compareIdentity({ birthDate: '000000000' }, { birthDate: '1971-09-01' }).birthDate).toBe(
      'unknown',
    );
    expect(compareIdentity({ birthDate: 'yesterday' }, { birthDate: '1971-09-01' }).birthDate).toBe(
      'unknown',
    );
  });

  it('reads every birth-date form', () => {
    const d = { year: 1971, month: 9, day: 1 };
    for (const s of [
      '1971年9月1日',
      '１９７１年９月１日',
      '昭和46年9月1日',
      'S46.9.1',
      '319710901',
      '1971-09-01',
      '19710901',
      '1971/9/1',
    ]) {
      expect(parseBirthDateForm(s)).toEqual(d);
    }
    expect(parseBirthDateForm('平成元年1月8日')).toEqual({ year: 1989, month: 1, day: 8 });
    expect(parseBirthDateForm('令和元年5月1日')).toEqual({ year: 2019, month: 5, day: 1 });
    expect(parseBirthDateForm('1971-02-30')).toBeUndefined();
    expect(compareIdentity({ birthDate: '319710901' }, { birthDate: '1971年9月2日' }).birthDate).toBe(
      'mismatch',
    );
  });

  it('reads every sex form', () => {
    expect(['男', '1', 1, 'male', 'M'].map(parseSexForm)).toEqual(Array(5).fill('male'));
    expect(['女', '2', 2, 'female', 'Ｆ'].map(parseSexForm)).toEqual(Array(5).fill('female'));
    expect(['3', 0, 9].map(parseSexForm)).toEqual(Array(3).fill('unknown'));
    expect(parseSexForm('x')).toBeUndefined();
  });

  it('property: a date in any form matches itself in every other form', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (dt) => {
          const y = dt.getUTCFullYear();
          const m = dt.getUTCMonth() + 1;
          const d = dt.getUTCDate();
          const p = (n: number) => String(n).padStart(2, '0');
          const forms = [`${y}年${m}月${d}日`, `${y}-${p(m)}-${p(d)}`, `0${y}${p(m)}${p(d)}`, dt];
          for (const a of forms)
            for (const b of forms)
              expect(compareIdentity({ birthDate: a }, { birthDate: b }).birthDate).toBe('match');
        },
      ),
      { numRuns: 300 },
    );
  });
});
