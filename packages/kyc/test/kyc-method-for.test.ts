/**
 * kycMethodFor: the JST day boundary, the signature-verifier rule (公的個人認証法 §17), the
 * certified-program rule (番号法 §18-2(7)), the record's four facts, and the reasons when no method
 * applies.
 */
import { describe, expect, it } from 'vitest';
import {
  jstCalendarDate,
  KycError,
  type KycEvidence,
  type KycMethodInput,
  type KycReasonCode,
  kycMethodFor,
  type RelyingPartyKycConfig,
} from '../src/index.js';

const FOUR = ['full_name_unicode', 'resident_address_unicode', 'birth_date_unicode', 'portrait'];
const RECORD: KycEvidence = { kind: 'card-substitute-record', elements: FOUR };
const SIGNATURE: KycEvidence = { kind: 'jpki-signature', signedData: true };
const BANK: RelyingPartyKycConfig = { law: 'hanshu', isSignatureVerifier: true, programCertified: true };
const CARRIER: RelyingPartyKycConfig = { law: 'keitai', isSignatureVerifier: true, programCertified: true };

function codes(input: KycMethodInput): KycReasonCode[] | string {
  const r = kycMethodFor(input);
  return r.method === null ? r.reasons.map((x) => x.code) : r.method.letter;
}

describe('the JST calendar date', () => {
  it('turns 2027-04-01T00:00+09:00 (= 2027-03-31T15:00Z) into 2027-04-01 and a millisecond before into 2027-03-31', () => {
    expect(jstCalendarDate(new Date('2027-03-31T15:00:00Z'))).toBe('2027-04-01');
    expect(jstCalendarDate(new Date('2027-04-01T00:00:00+09:00'))).toBe('2027-04-01');
    expect(jstCalendarDate(new Date('2027-03-31T14:59:59.999Z'))).toBe('2027-03-31');
  });

  it('switches ル to 新ト and カ to 新ヌ at 2027-04-01T00:00+09:00, not at midnight UTC', () => {
    const before = new Date('2027-03-31T14:59:59.999Z');
    const at = new Date('2027-03-31T15:00:00Z');
    expect(codes({ evidence: RECORD, relyingParty: BANK, date: before })).toBe('ル');
    expect(codes({ evidence: RECORD, relyingParty: BANK, date: at })).toBe('新ト');
    expect(codes({ evidence: SIGNATURE, relyingParty: BANK, date: before })).toBe('カ');
    expect(codes({ evidence: SIGNATURE, relyingParty: BANK, date: at })).toBe('新ヌ');
    const r = kycMethodFor({ evidence: RECORD, relyingParty: BANK, date: at });
    expect(r.date).toBe('2027-04-01');
  });

  it('starts ル at 2025-06-24T00:00+09:00 (= 2025-06-23T15:00Z)', () => {
    expect(
      codes({ evidence: RECORD, relyingParty: BANK, date: new Date('2025-06-23T14:59:59.999Z') }),
    ).toEqual(['KYC_METHOD_NOT_IN_FORCE']);
    expect(codes({ evidence: RECORD, relyingParty: BANK, date: new Date('2025-06-23T15:00:00Z') })).toBe(
      'ル',
    );
  });

  it('takes a YYYY-MM-DD string as a JST date and refuses anything that is not a calendar date', () => {
    expect(codes({ evidence: RECORD, relyingParty: BANK, date: '2027-03-31' })).toBe('ル');
    for (const bad of ['2027-02-29', '2027-3-31', '2027-04-01T00:00:00+09:00', '', 'today', 20270401, null]) {
      expect(() => kycMethodFor({ evidence: RECORD, relyingParty: BANK, date: bad as string })).toThrow(
        expect.objectContaining({ code: 'KYC_INVALID_DATE' }),
      );
    }
    expect(() => kycMethodFor({ evidence: RECORD, relyingParty: BANK, date: new Date(Number.NaN) })).toThrow(
      KycError,
    );
    expect(codes({ evidence: RECORD, relyingParty: BANK, date: '2028-02-29' })).toBe('新ト');
  });
});

describe('the signature-verifier rule', () => {
  it('gives a JPKI signature a method only to a relying party that is a signature verifier', () => {
    const notVerifier = { ...BANK, isSignatureVerifier: false };
    for (const date of ['2025-06-23', '2026-01-01', '2027-04-01']) {
      const r = kycMethodFor({ evidence: SIGNATURE, relyingParty: notVerifier, date });
      expect(r.method).toBeNull();
      expect(r.method === null && r.reasons.map((x) => x.code)).toEqual(['KYC_NOT_A_SIGNATURE_VERIFIER']);
    }
    expect(
      codes({
        evidence: SIGNATURE,
        relyingParty: { ...CARRIER, isSignatureVerifier: false },
        date: '2026-04-01',
      }),
    ).toEqual(['KYC_NOT_A_SIGNATURE_VERIFIER']);
  });

  it('does not ask it of the record method', () => {
    expect(
      codes({ evidence: RECORD, relyingParty: { ...BANK, isSignatureVerifier: false }, date: '2026-01-01' }),
    ).toBe('ル');
  });

  it('needs the transaction data signed', () => {
    const r = kycMethodFor({
      evidence: { kind: 'jpki-signature', signedData: false },
      relyingParty: BANK,
      date: '2026-01-01',
    });
    expect(r.method === null && r.reasons.map((x) => x.code)).toEqual(['KYC_SIGNED_DATA_MISSING']);
  });
});

describe('the certified-program rule', () => {
  it('refuses 携帯法 チ through an uncertified program and allows ト', () => {
    const uncertified = { ...CARRIER, programCertified: false };
    expect(codes({ evidence: RECORD, relyingParty: uncertified, date: '2026-04-01' })).toEqual([
      'KYC_PROGRAM_NOT_CERTIFIED',
    ]);
    expect(codes({ evidence: RECORD, relyingParty: CARRIER, date: '2026-04-01' })).toBe('チ');
    expect(codes({ evidence: SIGNATURE, relyingParty: uncertified, date: '2026-04-01' })).toBe('ト');
  });

  it('applies 番号法 §18-2(7) to the 犯収法 record methods too', () => {
    const uncertified = { ...BANK, programCertified: false };
    expect(codes({ evidence: RECORD, relyingParty: uncertified, date: '2026-04-01' })).toEqual([
      'KYC_PROGRAM_NOT_CERTIFIED',
    ]);
    expect(codes({ evidence: RECORD, relyingParty: uncertified, date: '2027-04-01' })).toEqual([
      'KYC_PROGRAM_NOT_CERTIFIED',
    ]);
  });
});

describe('the record’s four facts', () => {
  it('needs name, address, birth date and portrait, and names the missing ones', () => {
    const r = kycMethodFor({
      evidence: {
        kind: 'card-substitute-record',
        elements: ['full_name_unicode', 'sex_unicode', 'individual_number_unicode'],
      },
      relyingParty: BANK,
      date: '2026-01-01',
    });
    expect(r.method).toBeNull();
    if (r.method !== null) return;
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toMatchObject({
      code: 'KYC_MISSING_ELEMENTS',
      missing: ['address', 'birthDate', 'portrait'],
    });
  });

  it('takes the ISO/IEC 23220-2 birth_date for the birth date, and needs neither My Number nor sex', () => {
    const elements = ['full_name_unicode', 'resident_address_unicode', 'birth_date', 'portrait'];
    expect(
      codes({
        evidence: { kind: 'card-substitute-record', elements },
        relyingParty: BANK,
        date: '2026-01-01',
      }),
    ).toBe('ル');
  });

  it('reports every reason at once', () => {
    const r = kycMethodFor({
      evidence: { kind: 'card-substitute-record', elements: [] },
      relyingParty: { ...CARRIER, programCertified: false },
      date: '2026-04-01',
    });
    expect(r.method === null && r.reasons.map((x) => x.code)).toEqual([
      'KYC_PROGRAM_NOT_CERTIFIED',
      'KYC_MISSING_ELEMENTS',
    ]);
    const early = kycMethodFor({
      evidence: { kind: 'card-substitute-record', elements: [] },
      relyingParty: BANK,
      date: '2025-06-23',
    });
    expect(early.method === null && early.reasons.map((x) => x.code)).toEqual([
      'KYC_METHOD_NOT_IN_FORCE',
      'KYC_MISSING_ELEMENTS',
    ]);
  });

  it('refuses a non-array, non-string or too long element list', () => {
    for (const elements of ['portrait', [1], new Array(65).fill('portrait'), undefined]) {
      expect(() =>
        kycMethodFor({
          evidence: { kind: 'card-substitute-record', elements } as unknown as KycEvidence,
          relyingParty: BANK,
          date: '2026-01-01',
        }),
      ).toThrow(expect.objectContaining({ code: 'KYC_INVALID_INPUT' }));
    }
  });
});

describe('no method', () => {
  it('says KYC_LAW_NONE for a relying party under no law', () => {
    expect(codes({ evidence: RECORD, relyingParty: { ...BANK, law: 'none' }, date: '2026-01-01' })).toEqual([
      'KYC_LAW_NONE',
    ]);
  });

  it('says JPKI user authentication is no method', () => {
    for (const relyingParty of [BANK, CARRIER]) {
      expect(
        codes({ evidence: { kind: 'jpki-user-authentication' }, relyingParty, date: '2027-04-01' }),
      ).toEqual(['KYC_EVIDENCE_NOT_A_METHOD']);
    }
  });

  it('says KYC_METHOD_NOT_IN_FORCE under 携帯法 before 2026-04-01', () => {
    expect(codes({ evidence: RECORD, relyingParty: CARRIER, date: '2026-03-31' })).toEqual([
      'KYC_METHOD_NOT_IN_FORCE',
    ]);
    expect(codes({ evidence: SIGNATURE, relyingParty: CARRIER, date: '2026-03-31' })).toEqual([
      'KYC_METHOD_NOT_IN_FORCE',
    ]);
  });

  it('says KYC_IN_PERSON_NOT_TABULATED for a record read face to face, before and after 2027-04-01', () => {
    const inPerson: KycEvidence = { kind: 'card-substitute-record', elements: FOUR, inPerson: true };
    expect(codes({ evidence: inPerson, relyingParty: BANK, date: '2027-03-31' })).toEqual([
      'KYC_IN_PERSON_NOT_TABULATED',
    ]);
    expect(codes({ evidence: inPerson, relyingParty: BANK, date: '2027-04-01' })).toEqual([
      'KYC_IN_PERSON_NOT_TABULATED',
    ]);
    expect(
      codes({
        evidence: { kind: 'card-substitute-record', elements: ['portrait'], inPerson: true },
        relyingParty: BANK,
        date: '2027-04-01',
      }),
    ).toEqual(['KYC_IN_PERSON_NOT_TABULATED', 'KYC_MISSING_ELEMENTS']);
    expect(codes({ evidence: { ...RECORD, inPerson: false }, relyingParty: BANK, date: '2027-04-01' })).toBe(
      '新ト',
    );
    expect(() =>
      kycMethodFor({
        evidence: { ...RECORD, inPerson: 'yes' } as unknown as KycEvidence,
        relyingParty: BANK,
        date: '2027-04-01',
      }),
    ).toThrow(KycError);
  });

  it('never puts personal data in a reason', () => {
    const r = kycMethodFor({
      evidence: { kind: 'card-substitute-record', elements: ['番号　花子'] },
      relyingParty: BANK,
      date: '2026-01-01',
    });
    expect(JSON.stringify(r)).not.toContain('花子');
  });
});
