import { type CalendarDate, isValidCalendarDate } from './calendar-date.js';
import { JpkiError } from './errors.js';
import { type EraCode, eraOf } from './japanese-era.js';

/**
 * The JPKI birth date, otherName 1.2.392.200149.8.5.5.4 (J-LIS profile; DOMAIN.md §3):
 *   `EYYYYMMDD` — one era digit (0 unknown, 1 Meiji, 2 Taisho, 3 Showa, 4 Heisei, 5 Reiwa) followed by the
 *   Gregorian date, e.g. `419900102` = Heisei, 1990-01-02.
 * The era digit is redundant with the date; we derive it from the date when writing (japanese-era.ts) and
 * compare by the Gregorian date when reading. Era 0 with zero digits marks a date not known in full
 * (resident-register entries 不詳) [I]: such a date decodes with `date` undefined.
 */
export interface JpkiBirthDate {
  readonly era: EraCode;
  /** 0 = unknown. */
  readonly year: number;
  /** 0 = unknown. */
  readonly month: number;
  /** 0 = unknown. */
  readonly day: number;
  /** The full Gregorian date when every part is known. */
  readonly date?: CalendarDate;
}

const SHAPE = /^([0-5])(\d{4})(\d{2})(\d{2})$/;

export function parseJpkiBirthDate(text: string): JpkiBirthDate {
  const m = SHAPE.exec(text);
  if (m === null)
    throw new JpkiError('INVALID_BIRTH_DATE', 'birth date must be 9 digits EYYYYMMDD with era 0-5');
  const era = Number(m[1]) as EraCode;
  const year = Number(m[2]);
  const month = Number(m[3]);
  const day = Number(m[4]);
  if (year === 0 || month === 0 || day === 0) {
    if (month > 12 || day > 31)
      throw new JpkiError('INVALID_BIRTH_DATE', 'birth date has an impossible month or day');
    return { era, year, month, day };
  }
  const date = { year, month, day };
  if (!isValidCalendarDate(date))
    throw new JpkiError('INVALID_BIRTH_DATE', 'birth date is not a calendar date');
  return { era, year, month, day, date };
}

/** Writes `EYYYYMMDD` for a full Gregorian date, deriving the era digit from the date. */
export function formatJpkiBirthDate(date: CalendarDate): string {
  if (!isValidCalendarDate(date))
    throw new JpkiError('INVALID_BIRTH_DATE', 'birth date is not a calendar date');
  return `${eraOf(date)}${String(date.year).padStart(4, '0')}${String(date.month).padStart(2, '0')}${String(date.day).padStart(2, '0')}`;
}
