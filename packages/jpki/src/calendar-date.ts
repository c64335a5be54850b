/**
 * A Gregorian calendar date without a time zone, as printed on the card and in the resident register.
 * JPKI reasons in Japan Standard Time (UTC+9, no daylight saving): "the 5th birthday", "age 15" and
 * "ends 23:59:59" are JST calendar facts, so instants are converted with a fixed +9 h offset.
 */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isValidCalendarDate(d: CalendarDate): boolean {
  return (
    Number.isInteger(d.year) &&
    Number.isInteger(d.month) &&
    Number.isInteger(d.day) &&
    d.year >= 1 &&
    d.year <= 9999 &&
    d.month >= 1 &&
    d.month <= 12 &&
    d.day >= 1 &&
    d.day <= daysInMonth(d.year, d.month)
  );
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareCalendarDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** The JST calendar date of an instant. */
export function jstDateOf(instant: Date): CalendarDate {
  const t = new Date(instant.getTime() + JST_OFFSET_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The instant 23:59:59 JST on a calendar date (= 14:59:59Z the same day). */
export function endOfJstDay(d: CalendarDate): Date {
  return new Date(Date.UTC(d.year, d.month - 1, d.day, 23, 59, 59) - JST_OFFSET_MS);
}

/** The instant 00:00:00 JST on a calendar date (= 15:00:00Z the day before). */
export function startOfJstDay(d: CalendarDate): Date {
  return new Date(Date.UTC(d.year, d.month - 1, d.day) - JST_OFFSET_MS);
}

/** `YYYY-MM-DD`. */
export function formatCalendarDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/**
 * The birthday of someone born on `birth` in `year`. A 29 February birthday falls on 28 February in common
 * years: it is the day at whose end the age rises (Act on Age Calculation with Civil Code art. 143(2): a
 * year counted from 29 February ends with 28 February when the final year has none), and it is the earlier
 * of the two candidate days, so a certificate that ends "on the birthday" never outlives the rule.
 */
export function birthdayIn(birth: CalendarDate, year: number): CalendarDate {
  if (birth.month === 2 && birth.day === 29 && !isLeapYear(year)) return { year, month: 2, day: 28 };
  return { year, month: birth.month, day: birth.day };
}

/**
 * Age in completed years on a JST calendar date. Under the Act on Age Calculation a person's age rises at the
 * end of the day before the birthday anniversary — i.e. from the start of the anniversary day; for a
 * 29 February birth in a common year the anniversary period ends with 28 February, so the age rises from
 * 1 March.
 */
export function ageOn(birth: CalendarDate, on: CalendarDate): number {
  let age = on.year - birth.year;
  const anniversary =
    birth.month === 2 && birth.day === 29 && !isLeapYear(on.year)
      ? { year: on.year, month: 3, day: 1 }
      : { year: on.year, month: birth.month, day: birth.day };
  if (compareCalendarDates(on, anniversary) < 0) age -= 1;
  return age;
}
