/** The org.iso.23220.1.jp.mnc profile: element table, typed validation, labels, request guard, redaction. */
import { fullDate, Tagged } from '@mynakit/cbor';
import { describe, expect, it } from 'vitest';
import {
  buildJpMncRequest,
  ISO_23220_NAMESPACE,
  isMyNumberCheckDigitValid,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  jpMncBirthDate,
  jpMncElement,
  jpMncLabel,
  MdocError,
  REDACTED,
  redactMyNumber,
  validateJpMncElement,
} from '../src/index.js';

describe('the element table', () => {
  it('has the docType and both namespaces', () => {
    expect(JP_MNC_DOCTYPE).toBe('org.iso.23220.1.jp.mnc');
    for (const id of [
      'full_name_unicode',
      'resident_address_unicode',
      'local_gov_code_unicode',
      'individual_number_unicode',
      'portrait',
      'sex_unicode',
      'birth_date_unicode',
    ]) {
      expect(jpMncElement(JP_MNC_NAMESPACE, id)?.namespace).toBe('org.iso.23220.1.jp');
    }
    for (const id of ['birth_date', 'sex', 'age_in_years', 'age_over_18', 'age_over_20', 'age_over_65']) {
      expect(jpMncElement(ISO_23220_NAMESPACE, id)?.namespace).toBe('org.iso.23220.1');
    }
    expect(jpMncElement(JP_MNC_NAMESPACE, 'age_over_18')).toBeUndefined(); // not in the Japanese namespace
    expect(jpMncElement(ISO_23220_NAMESPACE, 'age_over_1')).toBeUndefined();
    expect(jpMncElement(ISO_23220_NAMESPACE, 'family_name')).toBeUndefined();
  });

  it('has Japanese and English labels', () => {
    expect(jpMncLabel(JP_MNC_NAMESPACE, 'full_name_unicode')).toBe('氏名');
    expect(jpMncLabel(JP_MNC_NAMESPACE, 'full_name_unicode', 'en')).toBe('Full name');
    expect(jpMncLabel(JP_MNC_NAMESPACE, 'individual_number_unicode')).toBe('個人番号');
    expect(jpMncLabel(ISO_23220_NAMESPACE, 'age_over_20')).toBe('20歳以上');
    expect(jpMncLabel(ISO_23220_NAMESPACE, 'age_over_65', 'en')).toBe('Age over 65');
    expect(jpMncLabel('x', 'unknown')).toBe('unknown');
  });
});

describe('typed validation', () => {
  const ok = (ns: string, id: string, v: unknown) =>
    expect(validateJpMncElement(ns, id, v as never)).toBeUndefined();
  const bad = (ns: string, id: string, v: unknown) => {
    const p = validateJpMncElement(ns, id, v as never);
    expect(p?.identifier).toBe(id);
    // The reason names the rule, never the value.
    if (typeof v === 'string' && v.length > 2) expect(p?.reason).not.toContain(v);
    return p;
  };

  it('text elements', () => {
    ok(JP_MNC_NAMESPACE, 'full_name_unicode', '番号　花子');
    bad(JP_MNC_NAMESPACE, 'full_name_unicode', 42);
    bad(JP_MNC_NAMESPACE, 'full_name_unicode', '');
    ok(JP_MNC_NAMESPACE, 'sex_unicode', '女');
    ok(JP_MNC_NAMESPACE, 'birth_date_unicode', '1971年9月1日');
  });

  it('municipality code: 5 or 6 digits', () => {
    ok(JP_MNC_NAMESPACE, 'local_gov_code_unicode', '13101');
    ok(JP_MNC_NAMESPACE, 'local_gov_code_unicode', '131016');
    bad(JP_MNC_NAMESPACE, 'local_gov_code_unicode', '1310');
    bad(JP_MNC_NAMESPACE, 'local_gov_code_unicode', '1310167');
    bad(JP_MNC_NAMESPACE, 'local_gov_code_unicode', '１３１０１'); // full-width digits
    bad(JP_MNC_NAMESPACE, 'local_gov_code_unicode', 13101);
  });

  it('My Number: 12 digits, and the check digit', () => {
    ok(JP_MNC_NAMESPACE, 'individual_number_unicode', '123456789018');
    const p = bad(JP_MNC_NAMESPACE, 'individual_number_unicode', '12345678901');
    expect(p?.reason).toContain('12');
    bad(JP_MNC_NAMESPACE, 'individual_number_unicode', '1234567890123');
    expect(isMyNumberCheckDigitValid('123456789018')).toBe(true);
    expect(isMyNumberCheckDigitValid('123456789010')).toBe(false);
    // Check digits computed independently with the formula of 施行令第8条.
    const check = (eleven: string) => {
      let sum = 0;
      for (let n = 1; n <= 11; n++) sum += Number(eleven[11 - n]) * (n <= 6 ? n + 1 : n - 5);
      const r = sum % 11;
      return r <= 1 ? 0 : 11 - r;
    };
    for (const eleven of ['00000000000', '11111111111', '98765432109', '31415926535']) {
      expect(isMyNumberCheckDigitValid(`${eleven}${check(eleven)}`)).toBe(true);
      expect(isMyNumberCheckDigitValid(`${eleven}${(check(eleven) + 1) % 10}`)).toBe(false);
    }
  });

  it('portrait is a byte string', () => {
    ok(JP_MNC_NAMESPACE, 'portrait', Uint8Array.of(0xff, 0xd8));
    bad(JP_MNC_NAMESPACE, 'portrait', 'not bytes');
  });

  it('birth_date: a bare full-date or the map {birth_date: full-date}', () => {
    ok(ISO_23220_NAMESPACE, 'birth_date', fullDate('1971-09-01'));
    ok(ISO_23220_NAMESPACE, 'birth_date', new Map([['birth_date', fullDate('1971-09-01')]]));
    ok(ISO_23220_NAMESPACE, 'birth_date', new Tagged(100, 624)); // RFC 8943 days since 1970
    bad(ISO_23220_NAMESPACE, 'birth_date', '1971-09-01');
    bad(ISO_23220_NAMESPACE, 'birth_date', new Map([['date', fullDate('1971-09-01')]]));
    expect(jpMncBirthDate(fullDate('1971-09-01'))).toBe('1971-09-01');
    expect(jpMncBirthDate(new Map([['birth_date', fullDate('1971-09-01')]]))).toBe('1971-09-01');
    expect(jpMncBirthDate(new Tagged(100, 624))).toBe('1971-09-17');
    bad(ISO_23220_NAMESPACE, 'birth_date', new Tagged(1004, '1971-02-30'));
  });

  it('sex (ISO/IEC 5218), age_in_years, age_over_NN', () => {
    for (const v of [0, 1, 2, 9]) ok(ISO_23220_NAMESPACE, 'sex', v);
    bad(ISO_23220_NAMESPACE, 'sex', 3);
    bad(ISO_23220_NAMESPACE, 'sex', '2');
    ok(ISO_23220_NAMESPACE, 'age_in_years', 54);
    bad(ISO_23220_NAMESPACE, 'age_in_years', -1);
    bad(ISO_23220_NAMESPACE, 'age_in_years', 5.5);
    ok(ISO_23220_NAMESPACE, 'age_over_18', true);
    bad(ISO_23220_NAMESPACE, 'age_over_18', 1);
  });

  it('unknown elements', () => {
    expect(validateJpMncElement(JP_MNC_NAMESPACE, 'nickname', 'x')?.reason).toContain('not an element');
  });
});

describe('buildJpMncRequest', () => {
  it('builds an items request with intent to retain', () => {
    const r = buildJpMncRequest({
      elements: {
        [JP_MNC_NAMESPACE]: ['full_name_unicode', 'portrait'],
        [ISO_23220_NAMESPACE]: { age_over_20: false, birth_date: true },
      },
      intentToRetain: true,
    });
    expect(r).toEqual({
      docType: JP_MNC_DOCTYPE,
      nameSpaces: {
        [JP_MNC_NAMESPACE]: { full_name_unicode: true, portrait: true },
        [ISO_23220_NAMESPACE]: { age_over_20: false, birth_date: true },
      },
    });
  });

  it('refuses My Number without a legal basis (MY_NUMBER_WITHOUT_LEGAL_BASIS)', () => {
    for (const legalBasis of [undefined, { provision: '' }, { provision: '   ' }]) {
      let err: unknown;
      try {
        buildJpMncRequest({
          elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'individual_number_unicode'] },
          ...(legalBasis ? { legalBasis } : {}),
        });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MdocError);
      expect((err as MdocError).code).toBe('MY_NUMBER_WITHOUT_LEGAL_BASIS');
    }
  });

  it('accepts My Number with an explicit legal basis, and records it', () => {
    const legalBasis = { provision: '番号法第19条第1号', purpose: '法定調書作成' };
    const r = buildJpMncRequest({
      elements: { [JP_MNC_NAMESPACE]: ['individual_number_unicode'] },
      legalBasis,
    });
    expect(r.nameSpaces[JP_MNC_NAMESPACE]).toEqual({ individual_number_unicode: false });
    expect(r.legalBasis).toEqual(legalBasis);
  });

  it('refuses unknown elements and empty requests', () => {
    expect(() => buildJpMncRequest({ elements: { [JP_MNC_NAMESPACE]: ['family_name'] } })).toThrow(
      expect.objectContaining({ code: 'MDOC_ELEMENT_INVALID' }),
    );
    expect(() => buildJpMncRequest({ elements: {} })).toThrow(
      expect.objectContaining({ code: 'MDOC_INVALID_ARGUMENT' }),
    );
  });
});

describe('redactMyNumber', () => {
  it('removes the element in every shape (by namespace, flat, Maps, nested)', () => {
    const byNs = {
      [JP_MNC_NAMESPACE]: { full_name_unicode: '番号　花子', individual_number_unicode: '123456789018' },
    };
    expect(redactMyNumber(byNs)).toEqual({
      [JP_MNC_NAMESPACE]: { full_name_unicode: '番号　花子', individual_number_unicode: REDACTED },
    });
    expect(byNs[JP_MNC_NAMESPACE].individual_number_unicode).toBe('123456789018'); // the input is not changed
    expect(redactMyNumber({ individual_number_unicode: '999999999999' })).toEqual({
      individual_number_unicode: REDACTED,
    });
    const m = new Map<string, unknown>([['x', new Map([['individual_number_unicode', '123456789018']])]]);
    expect(JSON.stringify([...(redactMyNumber(m).get('x') as Map<string, unknown>)])).toBe(
      `[["individual_number_unicode","${REDACTED}"]]`,
    );
  });

  it('also removes a well-formed My Number copied into another field, and leaves other text', () => {
    const out = redactMyNumber({
      note: '123456789018',
      phone: '09012345678',
      name: '番号　花子',
      list: ['123456789018'],
    });
    expect(out).toEqual({ note: REDACTED, phone: '09012345678', name: '番号　花子', list: [REDACTED] });
    expect(JSON.stringify(out)).not.toContain('123456789018');
  });
});
