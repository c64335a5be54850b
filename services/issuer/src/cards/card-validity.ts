/**
 * How long a My Number Card is valid. The ministerial ordinance on the individual number card (番号法施行規則
 * 第26条 [S]) gives: for a holder 18 or older on the day of issuance, until the holder's 10th birthday
 * after that day (発行の日後のその者の10回目の誕生日); for a younger holder, until the 5th. The card expires
 * at the end of that day in Japan (23:59:59 JST), as JPKI certificates do — @mynakit/jpki's
 * `nthBirthdayAfter` and `cardExpiryInstant` do the calendar work (29 February births, JST days).
 */
import { ageOn, type CalendarDate, cardExpiryInstant, jstDateOf, nthBirthdayAfter } from '@mynakit/jpki';

/** Holders at least this old on the day of issuance get a card valid to their 10th birthday after it. */
export const CARD_ADULT_AGE = 18;

/** Birthdays after issuance a card lasts: 10 for an adult holder, 5 for a minor. */
export const CARD_VALIDITY_BIRTHDAYS = { adult: 10, minor: 5 } as const;

/** The instant a card issued at `issuedAt` to someone born on `birthDate` expires (23:59:59 JST). */
export function cardExpiry(birthDate: CalendarDate, issuedAt: Date): Date {
  const adult = ageOn(birthDate, jstDateOf(issuedAt)) >= CARD_ADULT_AGE;
  const n = adult ? CARD_VALIDITY_BIRTHDAYS.adult : CARD_VALIDITY_BIRTHDAYS.minor;
  return cardExpiryInstant(nthBirthdayAfter(birthDate, issuedAt, n));
}

/** A register birth date `YYYY-MM-DD` as a calendar date (the register validated it on the way in). */
export function calendarDateOf(birthDate: string): CalendarDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (m === null) throw new RangeError('birth date must be YYYY-MM-DD');
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}
