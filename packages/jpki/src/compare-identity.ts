import type { BasicFour } from './basic-four.js';
import { parseJpkiBirthDate } from './birth-date.js';
import { type CalendarDate, compareCalendarDates, isValidCalendarDate } from './calendar-date.js';
import { ERAS, eraByKanji, gregorianYear } from './japanese-era.js';
import { characterUnits } from './substitution.js';

/**
 * Decides whether two renderings of one person's facts say the same thing — the verifier's cross-check
 * between a card-substitute record (mdoc: `full_name_unicode`, `birth_date_unicode` `1971年9月1日`,
 * `sex_unicode` `女`, ISO/IEC 5218 `sex` 2, `birth_date` full-date) and a JPKI signature certificate (basic
 * four: `319710901`, sex `2`, substitution maps).
 *
 * Result per fact: `match`, `mismatch`, or `unknown` (a side lacks the fact, it cannot be parsed, or it says
 * "unknown"). Forms are compared after Unicode NFKC (full-width ↔ half-width), whitespace folding (U+3000 ↔
 * U+0020, runs collapsed, ends trimmed) and case folding; a character the certificate marks as substituted
 * matches any one character of the other side, because the certificate only holds a stand-in for it.
 * Addresses additionally ignore whitespace and treat block-number notations alike (`1丁目2番3号`,
 * `一丁目2番3号`, `1-2-3`, `１－２－３`).
 */
export type FactMatch = 'match' | 'mismatch' | 'unknown';

export interface IdentityFacts {
  readonly name?: string | undefined;
  /** One `0`/`1` per character of `name` (JPKI); `1` = substituted. */
  readonly nameSubstitutionMap?: string | undefined;
  readonly address?: string | undefined;
  readonly addressSubstitutionMap?: string | undefined;
  /** `1971年9月1日`, `昭和46年9月1日`, `319710901` (JPKI), `1971-09-01`, `19710901`, a CalendarDate, or a Date (UTC day). */
  readonly birthDate?: string | CalendarDate | Date | undefined;
  /** `男`/`女`, JPKI `1`/`2`/`3`, ISO/IEC 5218 0/1/2/9, `male`/`female`. */
  readonly sex?: string | number | undefined;
}

export interface IdentityComparison {
  readonly name: FactMatch;
  readonly address: FactMatch;
  readonly birthDate: FactMatch;
  readonly sex: FactMatch;
}

/** The facts of a JPKI signature certificate's basic four. */
export function identityFactsFromBasicFour(b: BasicFour): IdentityFacts {
  return {
    name: b.name,
    nameSubstitutionMap: b.nameSubstitutionMap,
    address: b.address,
    addressSubstitutionMap: b.addressSubstitutionMap,
    birthDate: b.birthDate,
    sex: b.sex,
  };
}

export function compareIdentity(a: IdentityFacts, b: IdentityFacts): IdentityComparison {
  return {
    name: compareText(a.name, a.nameSubstitutionMap, b.name, b.nameSubstitutionMap, normalizeNameRun),
    address: compareText(
      a.address,
      a.addressSubstitutionMap,
      b.address,
      b.addressSubstitutionMap,
      normalizeAddressRun,
    ),
    birthDate: compareBirthDates(a.birthDate, b.birthDate),
    sex: compareSex(a.sex, b.sex),
  };
}

// ---- text ---------------------------------------------------------------------------------------------

const ANY = Symbol('substituted');
type Token = string | typeof ANY;

function normalizeNameRun(run: string): string {
  return run.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ');
}

const KANJI_DIGITS: ReadonlyMap<string, number> = new Map([
  ['一', 1],
  ['二', 2],
  ['三', 3],
  ['四', 4],
  ['五', 5],
  ['六', 6],
  ['七', 7],
  ['八', 8],
  ['九', 9],
]);

/** 一…九十九 → number (the range used for 丁目). */
function kanjiNumber(text: string): number | undefined {
  const m = /^([二三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(text);
  if (m === null || text === '') return undefined;
  const [, tensDigit = '', ten = '', ones = ''] = m;
  if (tensDigit !== '' && ten === '') return undefined;
  const tens = ten === '' ? 0 : tensDigit === '' ? 1 : (KANJI_DIGITS.get(tensDigit) ?? 0);
  return tens * 10 + (ones === '' ? 0 : (KANJI_DIGITS.get(ones) ?? 0));
}

function normalizeAddressRun(run: string): string {
  let s = run.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
  s = s.replace(/([一二三四五六七八九十]+)丁目/gu, (all, k: string) => {
    const n = kanjiNumber(k);
    return n === undefined ? all : `${n}丁目`;
  });
  s = s
    .replace(/[\u2010-\u2015\u2212\ufe63]/gu, '-')
    .replace(/(?<=\d)[ー-](?=\d)/gu, '-')
    .replace(/(?<=\d)の(?=\d)/gu, '-')
    .replace(/(\d+)丁目/gu, '$1-')
    .replace(/(\d+)番地?/gu, '$1-')
    .replace(/(\d+)号/gu, '$1')
    .replace(/-+/gu, '-')
    .replace(/-(?!\d)/gu, '');
  return s;
}

function tokens(text: string, map: string | undefined, normalizeRun: (run: string) => string): Token[] {
  const cps = Array.from(text);
  const usableMap = map !== undefined && /^[01]*$/.test(map) && map.length === cps.length ? map : undefined;
  const out: Token[] = [];
  let run = '';
  const flush = () => {
    if (run === '') return;
    for (const unit of characterUnits(normalizeRun(run))) out.push(unit);
    run = '';
  };
  cps.forEach((cp, i) => {
    if (usableMap?.[i] === '1') {
      flush();
      out.push(ANY);
    } else {
      run += cp;
    }
  });
  flush();
  // Fold whitespace across run boundaries: collapse and trim.
  const folded: Token[] = [];
  for (const t of out) {
    if (t === ' ' && (folded.length === 0 || folded[folded.length - 1] === ' ')) continue;
    folded.push(t);
  }
  while (folded[folded.length - 1] === ' ') folded.pop();
  return folded;
}

function compareText(
  a: string | undefined,
  aMap: string | undefined,
  b: string | undefined,
  bMap: string | undefined,
  normalizeRun: (run: string) => string,
): FactMatch {
  if (a === undefined || b === undefined) return 'unknown';
  const ta = tokens(a, aMap, normalizeRun);
  const tb = tokens(b, bMap, normalizeRun);
  if (ta.length === 0 || tb.length === 0) return 'unknown';
  if (ta.length !== tb.length) return 'mismatch';
  for (let i = 0; i < ta.length; i++) {
    const x = ta[i];
    const y = tb[i];
    if (x === ANY || y === ANY) {
      if (x === ' ' || y === ' ') return 'mismatch';
      continue;
    }
    if (x !== y) return 'mismatch';
  }
  return 'match';
}

// ---- birth date ---------------------------------------------------------------------------------------

const ERA_LETTERS: ReadonlyMap<string, number> = new Map([
  ['m', 1],
  ['t', 2],
  ['s', 3],
  ['h', 4],
  ['r', 5],
]);

const gregorian = (m: RegExpExecArray): CalendarDate => ({
  year: Number(m[1]),
  month: Number(m[2]),
  day: Number(m[3]),
});

function eraDate(eraCode: number | undefined, m: RegExpExecArray): CalendarDate | undefined {
  const era = ERAS.find((e) => e.code === eraCode);
  if (era === undefined) return undefined;
  return {
    year: gregorianYear(era, m[2] === '元' ? 1 : Number(m[2])),
    month: Number(m[3]),
    day: Number(m[4]),
  };
}

/** Text forms, tried in order, each with how to read its match. */
const BIRTH_DATE_FORMS: readonly [RegExp, (m: RegExpExecArray) => CalendarDate | undefined][] = [
  // JPKI EYYYYMMDD
  [
    /^[0-5]\d{8}$/,
    (m) => {
      try {
        return parseJpkiBirthDate(m[0]).date;
      } catch {
        return undefined;
      }
    },
  ],
  [/^(\d{4})-(\d{2})-(\d{2})$/, gregorian], // ISO 8601 full-date (ISO 23220 birth_date)
  [/^(\d{4})(\d{2})(\d{2})$/, gregorian],
  [/^(\d{4})年(\d{1,2})月(\d{1,2})日生?$/, gregorian], // mdoc birth_date_unicode, 1971年9月1日
  [/^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/, gregorian],
  [
    /^(明治|大正|昭和|平成|令和)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日生?$/,
    (m) => eraDate(eraByKanji(m[1] ?? '')?.code, m),
  ],
  [/^([mtshr])(\d{1,2})[./](\d{1,2})[./](\d{1,2})$/, (m) => eraDate(ERA_LETTERS.get(m[1] ?? ''), m)],
];

/** Parses the birth-date forms listed on `IdentityFacts.birthDate`; undefined when not a full known date. */
export function parseBirthDateForm(value: string | CalendarDate | Date): CalendarDate | undefined {
  let d: CalendarDate | undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    d = { year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate() };
  } else if (typeof value !== 'string') {
    d = value;
  } else {
    const s = value.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();
    for (const [re, read] of BIRTH_DATE_FORMS) {
      const m = re.exec(s);
      if (m !== null) {
        d = read(m);
        break;
      }
    }
  }
  return d !== undefined && isValidCalendarDate(d) ? d : undefined;
}

function compareBirthDates(
  a: string | CalendarDate | Date | undefined,
  b: string | CalendarDate | Date | undefined,
): FactMatch {
  if (a === undefined || b === undefined) return 'unknown';
  const da = parseBirthDateForm(a);
  const db = parseBirthDateForm(b);
  if (da === undefined || db === undefined) return 'unknown';
  return compareCalendarDates(da, db) === 0 ? 'match' : 'mismatch';
}

// ---- sex ----------------------------------------------------------------------------------------------

/**
 * Maps every form to male/female/unknown. The codes agree where they overlap: JPKI 1 male, 2 female,
 * 3 unknown; ISO/IEC 5218 0 not known, 1 male, 2 female, 9 not applicable.
 */
export function parseSexForm(value: string | number): 'male' | 'female' | 'unknown' | undefined {
  const s = String(value).normalize('NFKC').trim().toLowerCase();
  if (s === '1' || s === '男' || s === '男性' || s === 'male' || s === 'm') return 'male';
  if (s === '2' || s === '女' || s === '女性' || s === 'female' || s === 'f') return 'female';
  if (s === '0' || s === '3' || s === '9' || s === '不明' || s === 'unknown') return 'unknown';
  return undefined;
}

function compareSex(a: string | number | undefined, b: string | number | undefined): FactMatch {
  if (a === undefined || b === undefined) return 'unknown';
  const sa = parseSexForm(a);
  const sb = parseSexForm(b);
  if (sa === undefined || sb === undefined || sa === 'unknown' || sb === 'unknown') return 'unknown';
  return sa === sb ? 'match' : 'mismatch';
}
