import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  cardExpiryInstant,
  checkIssuanceEligibility,
  computeCertificateValidity,
  JpkiError,
  nthBirthdayAfter,
} from '../src/index.js';

const born = { year: 1971, month: 9, day: 1 };

describe('certificate validity', () => {
  it('ends at 23:59:59 JST (14:59:59Z) on the 5th birthday after issuance', () => {
    const v = computeCertificateValidity({
      purpose: 'signature',
      birthDate: born,
      issuedAt: new Date('2025-06-24T01:00:00Z'),
    });
    expect(v.notBefore.toISOString()).toBe('2025-06-24T01:00:00.000Z');
    expect(v.notAfter.toISOString()).toBe('2029-09-01T14:59:59.000Z');
    expect(v.limitedBy).toBe('fifthBirthday');
  });

  it('does not count a birthday on the day of issuance, in JST', () => {
    // 2025-09-01T00:30 JST is still 2025-08-31 in UTC: the JST date is the birthday itself.
    const onBirthday = computeCertificateValidity({
      purpose: 'userAuthentication',
      birthDate: born,
      issuedAt: new Date('2025-08-31T15:30:00Z'),
    });
    expect(onBirthday.notAfter.toISOString()).toBe('2030-09-01T14:59:59.000Z');
    const dayBefore = computeCertificateValidity({
      purpose: 'userAuthentication',
      birthDate: born,
      issuedAt: new Date('2025-08-31T14:59:59Z'),
    });
    expect(dayBefore.notAfter.toISOString()).toBe('2029-09-01T14:59:59.000Z');
  });

  it('is capped by the card expiry', () => {
    const cardExpiresAt = cardExpiryInstant({ year: 2027, month: 3, day: 31 });
    expect(cardExpiresAt.toISOString()).toBe('2027-03-31T14:59:59.000Z');
    const v = computeCertificateValidity({
      purpose: 'signature',
      birthDate: born,
      issuedAt: new Date('2025-06-24T01:00:00Z'),
      cardExpiresAt,
    });
    expect(v.notAfter).toEqual(cardExpiresAt);
    expect(v.limitedBy).toBe('cardExpiry');
  });

  it('uses 28 February for a 29 February birthday in a common year', () => {
    expect(nthBirthdayAfter({ year: 2000, month: 2, day: 29 }, new Date('2025-06-01T00:00:00Z'), 5)).toEqual({
      year: 2030,
      month: 2,
      day: 28,
    });
    expect(nthBirthdayAfter({ year: 2000, month: 2, day: 29 }, new Date('2023-06-01T00:00:00Z'), 5)).toEqual({
      year: 2028,
      month: 2,
      day: 29,
    });
  });

  it('refuses a signature certificate under 15 and says from when it is possible', () => {
    const child = { year: 2011, month: 3, day: 10 };
    const at = new Date('2026-03-09T14:59:59Z'); // 23:59:59 JST on the day before the 15th birthday
    expect(checkIssuanceEligibility('signature', child, at)).toEqual({
      eligible: false,
      code: 'SIGNATURE_CERTIFICATE_UNDER_15',
      eligibleFrom: { year: 2026, month: 3, day: 10 },
    });
    expect(checkIssuanceEligibility('signature', child, new Date('2026-03-09T15:00:00Z'))).toEqual({
      eligible: true,
    });
    expect(checkIssuanceEligibility('userAuthentication', child, at)).toEqual({ eligible: true });
    let caught: unknown;
    try {
      computeCertificateValidity({ purpose: 'signature', birthDate: child, issuedAt: at });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(JpkiError);
    expect((caught as JpkiError).code).toBe('SIGNATURE_CERTIFICATE_UNDER_15');
  });

  it('a 29 February child turns 15 on 1 March in a common year', () => {
    const leap = { year: 2012, month: 2, day: 29 };
    expect(ageOn(leap, { year: 2027, month: 2, day: 28 })).toBe(14);
    expect(ageOn(leap, { year: 2027, month: 3, day: 1 })).toBe(15);
    expect(checkIssuanceEligibility('signature', leap, new Date('2027-01-01T00:00:00Z'))).toMatchObject({
      eligibleFrom: { year: 2027, month: 3, day: 1 },
    });
  });

  it('refuses an already expired card', () => {
    expect(() =>
      computeCertificateValidity({
        purpose: 'userAuthentication',
        birthDate: born,
        issuedAt: new Date('2025-06-24T00:00:00Z'),
        cardExpiresAt: new Date('2025-06-01T00:00:00Z'),
      }),
    ).toThrow(expect.objectContaining({ code: 'VALIDITY_EMPTY' }));
  });

  it('property: notAfter is a 14:59:59Z instant on the birthday, 4-5 years after issuance, after notBefore', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1930-01-01T00:00:00Z'),
          max: new Date('2005-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.date({
          min: new Date('2024-01-01T00:00:00Z'),
          max: new Date('2040-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (b, issuedAt) => {
          const birthDate = { year: b.getUTCFullYear(), month: b.getUTCMonth() + 1, day: b.getUTCDate() };
          const v = computeCertificateValidity({ purpose: 'signature', birthDate, issuedAt });
          expect(v.notAfter.toISOString().slice(11)).toBe('14:59:59.000Z');
          const years = (v.notAfter.getTime() - issuedAt.getTime()) / (365.25 * 86400e3);
          expect(years).toBeGreaterThan(3.99);
          expect(years).toBeLessThan(5.01);
          const end = v.notAfter;
          const sameDay = end.getUTCMonth() + 1 === birthDate.month && end.getUTCDate() === birthDate.day;
          const feb28 =
            birthDate.month === 2 &&
            birthDate.day === 29 &&
            end.getUTCMonth() === 1 &&
            end.getUTCDate() === 28;
          expect(sameDay || feb28).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
