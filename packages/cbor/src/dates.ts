import { CborError } from './errors.js';
import { type CborValue, Tagged } from './types.js';

/**
 * Dates in CBOR as ISO/IEC 18013-5 uses them:
 * - `tdate = #6.0(tstr)` (RFC 8949 §3.4.1, RFC 3339 date-time); ISO 18013-5 §9.1.2.4 wants no fractional
 *   seconds and a `Z` offset when issuing, but real wallets send fractions and offsets (Google's does),
 *   so parsing accepts every RFC 3339 form; tag 1 epoch times are accepted too (RFC 8949 §3.4.2).
 * - `full-date = #6.1004(tstr)` (RFC 8943 §3, `YYYY-MM-DD`), or tag 100 epoch days (RFC 8943 §2).
 */

const MS_PER_DAY = 86_400_000;
const MAX_MS = 8.64e15; // ECMAScript Date range

function shape(message: string): CborError {
  return new CborError('CBOR_SHAPE', message);
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** `#6.0(tstr)` as `YYYY-MM-DDTHH:MM:SSZ`; milliseconds are dropped (ISO 18013-5 §9.1.2.4). */
export function tdate(date: Date): Tagged {
  const t = date.getTime();
  if (!Number.isFinite(t)) throw new CborError('CBOR_ENCODE', 'tdate: invalid Date');
  const y = date.getUTCFullYear();
  if (y < 0 || y > 9999) throw new CborError('CBOR_ENCODE', 'tdate: year outside 0000–9999');
  const s =
    `${formatDate(date)}T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:` +
    `${pad(date.getUTCSeconds(), 2)}Z`;
  return new Tagged(0, s);
}

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkFullDate(s: string): string {
  const m = FULL_DATE.exec(s);
  if (!m) throw shape('full-date is not YYYY-MM-DD');
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw shape('full-date is not a calendar date');
  return s;
}

/** `#6.1004(tstr)` (RFC 8943) from `YYYY-MM-DD`; the string must be a real calendar date. */
export function fullDate(isoDate: string): Tagged {
  try {
    return new Tagged(1004, checkFullDate(isoDate));
  } catch (cause) {
    throw new CborError('CBOR_ENCODE', 'fullDate: expected a YYYY-MM-DD calendar date', { cause });
  }
}

// RFC 3339 §5.6 date-time ("T"/"Z" case-insensitive per its note).
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Parses an RFC 3339 date-time string (any fraction, any offset) to a Date (millisecond precision, truncated). */
export function parseRfc3339(s: string): Date {
  const m = DATE_TIME.exec(s);
  if (!m) throw shape('tdate is not an RFC 3339 date-time');
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60) {
    throw shape('tdate has an out-of-range field');
  }
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  let offsetMin = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) throw shape('tdate has an out-of-range offset');
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // A leap second (:60) lands on the next minute's :00, the best a Date can do.
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, sec, ms);
  return new Date(date.getTime() - offsetMin * 60_000);
}

/** `tdate` (tag 0, RFC 3339 string) or an epoch time (tag 1, integer or float seconds) → Date. */
export function parseTdate(v: CborValue): Date {
  if (!(v instanceof Tagged)) throw shape('expected a tag 0 or tag 1 date');
  if (v.tag === 0) {
    if (typeof v.value !== 'string') throw shape('tag 0 must hold a text string');
    return parseRfc3339(v.value);
  }
  if (v.tag === 1) {
    const n = typeof v.value === 'bigint' ? Number(v.value) : v.value;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw shape('tag 1 must hold a finite number');
    const ms = Math.round(n * 1000);
    if (Math.abs(ms) > MAX_MS) throw shape('tag 1 time is out of range');
    return new Date(ms);
  }
  throw shape('expected a tag 0 or tag 1 date');
}

/**
 * `full-date` (tag 1004 `YYYY-MM-DD`) or epoch days (tag 100, RFC 8943 §2) → `YYYY-MM-DD`.
 * A calendar date has no time zone, so it stays a string rather than becoming a Date.
 */
export function parseFullDate(v: CborValue): string {
  if (!(v instanceof Tagged)) throw shape('expected a tag 1004 or tag 100 date');
  if (v.tag === 1004) {
    if (typeof v.value !== 'string') throw shape('tag 1004 must hold a text string');
    return checkFullDate(v.value);
  }
  if (v.tag === 100) {
    const n = typeof v.value === 'bigint' ? Number(v.value) : v.value;
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw shape('tag 100 must hold an integer');
    const ms = n * MS_PER_DAY;
    if (Math.abs(ms) > MAX_MS) throw shape('tag 100 date is out of range');
    const d = new Date(ms);
    const y = d.getUTCFullYear();
    if (y < 0 || y > 9999) throw shape('tag 100 date is outside years 0000–9999');
    return formatDate(d);
  }
  throw shape('expected a tag 1004 or tag 100 date');
}
