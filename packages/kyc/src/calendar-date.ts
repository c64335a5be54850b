/**
 * The legal calendar date of a verification. Japanese KYC ordinances take effect at 00:00 Japan
 * Standard Time on their effective day (Japan has no daylight saving time: JST is UTC+09:00 all year),
 * so a method that ends "on 2027-03-31" is still in force at 2027-03-31T14:59:59.999Z and gone at
 * 2027-03-31T15:00:00Z = 2027-04-01T00:00+09:00. The package never reads the clock: the caller passes
 * the date or the instant.
 */
import { KycError } from './errors.js';

/** A calendar date in Japan, `YYYY-MM-DD` (ISO 8601 extended format, Gregorian, years 0001–9999). */
export type JstDate = string;

/** JST is UTC+09:00 with no daylight saving time. */
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar date written `YYYY-MM-DD` (so `2027-02-29` is not). */
export function isJstDate(text: unknown): text is JstDate {
  if (typeof text !== 'string') return false;
  const m = DATE_PATTERN.exec(text);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const last = new Date(Date.UTC(2000, month, 0));
  last.setUTCFullYear(year, month, 0);
  return day <= last.getUTCDate();
}

/**
 * The calendar date in Japan of `on`: a `YYYY-MM-DD` string is taken as already being a JST date (and
 * checked to be a real one); a `Date` is an instant, converted to the JST calendar date by adding nine
 * hours. Throws `KYC_INVALID_DATE` for anything else.
 */
export function jstCalendarDate(on: JstDate | Date): JstDate {
  if (on instanceof Date) {
    const ms = on.getTime();
    if (!Number.isFinite(ms))
      throw new KycError('KYC_INVALID_DATE', 'the verification date is an invalid Date');
    const shifted = new Date(ms + JST_OFFSET_MS);
    const year = shifted.getUTCFullYear();
    if (year < 1 || year > 9999)
      throw new KycError('KYC_INVALID_DATE', 'the verification date is out of range');
    const mm = String(shifted.getUTCMonth() + 1).padStart(2, '0');
    const dd = String(shifted.getUTCDate()).padStart(2, '0');
    return `${String(year).padStart(4, '0')}-${mm}-${dd}`;
  }
  if (isJstDate(on)) return on;
  throw new KycError(
    'KYC_INVALID_DATE',
    'the verification date must be a YYYY-MM-DD calendar date or a Date',
  );
}
