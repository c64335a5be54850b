/**
 * The element values of the card-substitute record (docType `org.iso.23220.1.jp.mnc`, DOMAIN.md §2) built
 * from a registered resident, in @mynakit/mdoc's profile (profiles/jp-mnc.ts):
 *
 *   org.iso.23220.1.jp  full_name_unicode, resident_address_unicode, local_gov_code_unicode,
 *                       individual_number_unicode (when known), portrait (when known), sex_unicode,
 *                       birth_date_unicode
 *   org.iso.23220.1     birth_date (full-date, tag 1004), sex (ISO/IEC 5218), age_in_years,
 *                       age_over_18 / 20 / 65
 *
 * Where the published element list gives no value format (the `_unicode` texts), the forms here are our
 * reading [DOMAIN.md §2 "value formats S"]: the name and address as registered, the birth date as
 * `1971年9月1日` (Gregorian, no zero padding), sex as printed on the card. Ages are counted in Japan's
 * calendar (JST, UTC+9) on the day the record is signed: a record states facts as of its `signed` time
 * (ISO/IEC 18013-5 §9.1.2.4), and is re-issued rather than updated.
 */
import { type CborValue, fullDate } from '@mynakit/cbor';
import {
  ISO_23220_NAMESPACE,
  JP_MNC_NAMESPACE,
  MY_NUMBER_ELEMENT,
  validateJpMncElements,
} from '@mynakit/mdoc';
import { IssuerError } from '../errors.js';
import type { Resident } from '../store/index.js';
import type { ResidentSex } from '../store/schema.js';

/** The `age_over_NN` attestations every record carries: adulthood (18, Civil Code §4), 20 (alcohol, tobacco, public gaming) and 65 (elderly care, transport discounts). */
export const RECORD_AGE_OVER = [18, 20, 65] as const;

/** JST: Japan keeps no daylight saving time. */
const JST_OFFSET_MS = 9 * 3_600_000;

/**
 * Sex on the record. The resident register's codes (1 male, 2 female, 3 unknown, 9 not applicable) become
 * ISO/IEC 5218 codes for `org.iso.23220.1/sex` (0 not known, 1, 2, 9) and the card's printed text for
 * `sex_unicode` (男 / 女; the texts for 3 and 9 are ours [DOMAIN.md §2: only 男/女 are attested]).
 */
const SEX: ReadonlyMap<ResidentSex, { readonly iso5218: 0 | 1 | 2 | 9; readonly text: string }> = new Map([
  [1, { iso5218: 1, text: '男' }],
  [2, { iso5218: 2, text: '女' }],
  [3, { iso5218: 0, text: '不明' }],
  [9, { iso5218: 9, text: '該当なし' }],
]);

/** What the record carries beyond the resident table: My Number and the portrait have no column of their own. */
export interface RecordExtras {
  /** 12 digits with a valid check digit; in the sandbox from `sandboxMyNumber`. Absent: the element is left out. */
  readonly myNumber?: string;
  /** A JPEG; in the sandbox `sandboxPortrait()`. Absent: the element is left out. */
  readonly portrait?: Uint8Array;
}

/** Element values by namespace, ready for issueMdoc. */
export type RecordNameSpaces = Record<string, Record<string, CborValue>>;

/** `YYYY-MM-DD` → `1971年9月1日`. */
export function birthDateText(birthDate: string): string {
  const [y, m, d] = birthDate.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** Completed years of age on the JST calendar day of `at` (a birthday counts on its own day). */
export function ageInYears(birthDate: string, at: Date): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const jst = new Date(at.getTime() + JST_OFFSET_MS);
  const y = jst.getUTCFullYear();
  const m = jst.getUTCMonth() + 1;
  const d = jst.getUTCDate();
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * The record's name spaces for `resident` as of `signedAt`. The values are checked against the jp.mnc
 * profile before they are handed back: a resident row that cannot make a valid record (a code of the
 * wrong form, an unknown sex code) is ISSUER_RECORD_INVALID — the reason names the element, never its value.
 */
export function recordNameSpaces(
  resident: Resident,
  signedAt: Date,
  extras: RecordExtras = {},
): RecordNameSpaces {
  const sex = SEX.get(resident.sex);
  if (sex === undefined) throw new IssuerError('ISSUER_RECORD_INVALID', 'the resident has no known sex code');
  const jp: Record<string, CborValue> = {
    full_name_unicode: resident.fullName,
    resident_address_unicode: resident.address,
    local_gov_code_unicode: resident.municipalityCode,
  };
  if (extras.myNumber !== undefined) jp[MY_NUMBER_ELEMENT] = extras.myNumber;
  if (extras.portrait !== undefined) jp.portrait = extras.portrait;
  jp.sex_unicode = sex.text;
  jp.birth_date_unicode = birthDateText(resident.birthDate);

  const age = ageInYears(resident.birthDate, signedAt);
  const iso: Record<string, CborValue> = {
    birth_date: fullDate(resident.birthDate),
    sex: sex.iso5218,
    age_in_years: Math.max(0, age),
  };
  for (const nn of RECORD_AGE_OVER) iso[`age_over_${nn}`] = age >= nn;

  const nameSpaces: RecordNameSpaces = { [JP_MNC_NAMESPACE]: jp, [ISO_23220_NAMESPACE]: iso };
  const problems = validateJpMncElements(nameSpaces);
  if (problems.length > 0) {
    const where = problems.map((p) => `${p.namespace}/${p.identifier}: ${p.reason}`).join('; ');
    throw new IssuerError('ISSUER_RECORD_INVALID', `the resident cannot make a valid record (${where})`);
  }
  return nameSpaces;
}
