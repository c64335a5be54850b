import { type CalendarDate, compareCalendarDates } from './calendar-date.js';

/**
 * Japanese era (元号) codes as JPKI writes them in the first digit of the birth date `EYYYYMMDD`
 * (J-LIS 公的個人認証サービス プロファイル仕様書: 0 unknown, 1 Meiji, 2 Taisho, 3 Showa, 4 Heisei, 5 Reiwa).
 */
export type EraCode = 0 | 1 | 2 | 3 | 4 | 5;

export interface Era {
  readonly code: Exclude<EraCode, 0>;
  readonly name: string;
  readonly kanji: string;
  /** First Gregorian day of the era. */
  readonly start: CalendarDate;
}

/**
 * Dated table of era start days (Gregorian).
 *
 * Meiji: the era name was proclaimed on 1868-10-23 (Meiji 1, 9th month, 8th day) and made retroactive to the
 * start of that lunisolar year (1868-01-25); Japan adopted the Gregorian calendar only on 1873-01-01. We use
 * the proclamation day, 1868-10-23, as CLDR/ICU do, so the era digit we write is the era every
 * `Intl.DateTimeFormat('ja-JP-u-ca-japanese')` prints for the same day (and our tests can use it as an
 * independent oracle). Days before it (Keio 4 and earlier) have no JPKI era code: 0. Nobody alive was born
 * in 1868, so the choice only matters for historical data.
 * Taisho 1912-07-30, Showa 1926-12-25, Heisei 1989-01-08, Reiwa 2019-05-01: the days the eras began.
 */
export const ERAS: readonly Era[] = [
  { code: 1, name: 'Meiji', kanji: '明治', start: { year: 1868, month: 10, day: 23 } },
  { code: 2, name: 'Taisho', kanji: '大正', start: { year: 1912, month: 7, day: 30 } },
  { code: 3, name: 'Showa', kanji: '昭和', start: { year: 1926, month: 12, day: 25 } },
  { code: 4, name: 'Heisei', kanji: '平成', start: { year: 1989, month: 1, day: 8 } },
  { code: 5, name: 'Reiwa', kanji: '令和', start: { year: 2019, month: 5, day: 1 } },
];

/** The era a Gregorian date falls in; 0 before Meiji. */
export function eraOf(date: CalendarDate): EraCode {
  let code: EraCode = 0;
  for (const era of ERAS) if (compareCalendarDates(date, era.start) >= 0) code = era.code;
  return code;
}

export function eraByCode(code: number): Era | undefined {
  return ERAS.find((e) => e.code === code);
}

export function eraByKanji(kanji: string): Era | undefined {
  return ERAS.find((e) => e.kanji === kanji);
}

/** The Gregorian year of `eraYear` (1 = 元年) of an era. */
export function gregorianYear(era: Era, eraYear: number): number {
  return era.start.year + eraYear - 1;
}
