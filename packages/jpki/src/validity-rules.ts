import {
  ageOn,
  birthdayIn,
  type CalendarDate,
  compareCalendarDates,
  endOfJstDay,
  formatCalendarDate,
  isValidCalendarDate,
  jstDateOf,
} from './calendar-date.js';
import { JpkiError } from './errors.js';
import type { JpkiCertificatePurpose } from './profiles.js';

/**
 * Validity of JPKI certificates (DOMAIN.md §3, J-LIS): a certificate is valid until the holder's 5th
 * birthday after the day of issuance (発行の日後5回目の誕生日), capped by the card's own expiry, and ends at
 * 23:59:59 JST (= 14:59:59Z) of that day. Signature certificates are not issued to anyone under 15.
 * All calendar reasoning is in JST.
 */
export const SIGNATURE_CERTIFICATE_MINIMUM_AGE = 15;
export const VALIDITY_BIRTHDAYS = 5;

export type EligibilityRefusal = {
  readonly eligible: false;
  readonly code: 'SIGNATURE_CERTIFICATE_UNDER_15';
  /** The first JST day on which the holder may receive a signature certificate. */
  readonly eligibleFrom: CalendarDate;
};

export type Eligibility = { readonly eligible: true } | EligibilityRefusal;

/** Whether a certificate of this purpose may be issued to someone born on `birthDate` at instant `at`. */
export function checkIssuanceEligibility(
  purpose: JpkiCertificatePurpose,
  birthDate: CalendarDate,
  at: Date,
): Eligibility {
  assertDate(birthDate);
  if (purpose !== 'signature') return { eligible: true };
  if (ageOn(birthDate, jstDateOf(at)) >= SIGNATURE_CERTIFICATE_MINIMUM_AGE) return { eligible: true };
  const y = birthDate.year + SIGNATURE_CERTIFICATE_MINIMUM_AGE;
  // The day the age rises: the anniversary, or 1 March for a 29 February birth in a common year.
  const anniversary = birthdayIn(birthDate, y);
  const eligibleFrom = anniversary.day === birthDate.day ? anniversary : { year: y, month: 3, day: 1 };
  return { eligible: false, code: 'SIGNATURE_CERTIFICATE_UNDER_15', eligibleFrom };
}

/** The holder's `n`th birthday strictly after the JST day of `issuedAt`. */
export function nthBirthdayAfter(birthDate: CalendarDate, issuedAt: Date, n: number): CalendarDate {
  assertDate(birthDate);
  const issueDay = jstDateOf(issuedAt);
  const thisYear = birthdayIn(birthDate, issueDay.year);
  const firstYear = compareCalendarDates(thisYear, issueDay) > 0 ? issueDay.year : issueDay.year + 1;
  return birthdayIn(birthDate, firstYear + n - 1);
}

export interface CertificateValidityInput {
  readonly purpose: JpkiCertificatePurpose;
  readonly birthDate: CalendarDate;
  /** Issuance instant: becomes notBefore. */
  readonly issuedAt: Date;
  /** The card's own expiry (an instant); the certificate never outlives it. */
  readonly cardExpiresAt?: Date;
}

export interface CertificateValidity {
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** What bounded notAfter. */
  readonly limitedBy: 'fifthBirthday' | 'cardExpiry';
}

/**
 * notBefore = issuance; notAfter = 23:59:59 JST on the 5th birthday after issuance, or the card's expiry when
 * earlier. Throws SIGNATURE_CERTIFICATE_UNDER_15 for a signature certificate to someone under 15 and
 * VALIDITY_EMPTY when the card has already expired.
 */
export function computeCertificateValidity(input: CertificateValidityInput): CertificateValidity {
  const eligibility = checkIssuanceEligibility(input.purpose, input.birthDate, input.issuedAt);
  if (!eligibility.eligible) {
    throw new JpkiError(
      'SIGNATURE_CERTIFICATE_UNDER_15',
      `no signature certificate under age ${SIGNATURE_CERTIFICATE_MINIMUM_AGE}`,
    );
  }
  const birthdayEnd = endOfJstDay(nthBirthdayAfter(input.birthDate, input.issuedAt, VALIDITY_BIRTHDAYS));
  const capped = input.cardExpiresAt !== undefined && input.cardExpiresAt < birthdayEnd;
  const notAfter = capped ? (input.cardExpiresAt as Date) : birthdayEnd;
  if (notAfter <= input.issuedAt) throw new JpkiError('VALIDITY_EMPTY', 'the card expires before issuance');
  return { notBefore: input.issuedAt, notAfter, limitedBy: capped ? 'cardExpiry' : 'fifthBirthday' };
}

/** The card's expiry as an instant from its printed JST date: the end of that day. */
export function cardExpiryInstant(printedDate: CalendarDate): Date {
  assertDate(printedDate);
  return endOfJstDay(printedDate);
}

function assertDate(d: CalendarDate): void {
  if (!isValidCalendarDate(d)) {
    throw new JpkiError(
      'INVALID_BIRTH_DATE',
      `not a calendar date: ${formatCalendarDate(d).replace(/\d/g, '#')}`,
    );
  }
}
