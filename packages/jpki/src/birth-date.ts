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

/** The decimal value of `text[start..end)`, or -1 when a character there is not an ASCII digit. */
function digitsAt(text: string, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Reads `EYYYYMMDD` (read on every signature verification: by character codes, not a regular expression). */
export function parseJpkiBirthDate(text: string): JpkiBirthDate {
  const era = text.length === 9 ? digitsAt(text, 0, 1) : -1;
  const year = digitsAt(text, 1, 5);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 7, 9);
  if (era < 0 || era > 5 || year < 0 || month < 0 || day < 0)
    throw new JpkiError('INVALID_BIRTH_DATE', 'birth date must be 9 digits EYYYYMMDD with era 0-5');
  if (year === 0 || month === 0 || day === 0) {
    if (month > 12 || day > 31)
      throw new JpkiError('INVALID_BIRTH_DATE', 'birth date has an impossible month or day');
    return { era: era as EraCode, year, month, day };
  }
  const date = { year, month, day };
  if (!isValidCalendarDate(date))
    throw new JpkiError('INVALID_BIRTH_DATE', 'birth date is not a calendar date');
  return { era: era as EraCode, year, month, day, date };
}

/** Writes `EYYYYMMDD` for a full Gregorian date, deriving the era digit from the date. */
export function formatJpkiBirthDate(date: CalendarDate): string {
  if (!isValidCalendarDate(date))
    throw new JpkiError('INVALID_BIRTH_DATE', 'birth date is not a calendar date');
  return `${eraOf(date)}${String(date.year).padStart(4, '0')}${String(date.month).padStart(2, '0')}${String(date.day).padStart(2, '0')}`;
}
