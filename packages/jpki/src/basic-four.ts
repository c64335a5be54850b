import type { Certificate } from '@mynakit/pki';
import { formatJpkiBirthDate, type JpkiBirthDate, parseJpkiBirthDate } from './birth-date.js';
import type { CalendarDate } from './calendar-date.js';
import { JpkiError } from './errors.js';
import { decodeOtherNameString, encodeUtf8String } from './other-name-value.js';
import { JPKI_OID } from './profiles.js';
import {
  assertSubstitutionMap,
  type SubstitutedText,
  type SubstitutionOptions,
  substituteText,
} from './substitution.js';

/**
 * The basic four facts (基本4情報) of a JPKI signature certificate, as SubjectAltName otherNames with
 * UTF8String values (J-LIS 公的個人認証サービス プロファイル仕様書; DOMAIN.md §3):
 *
 *   1.2.392.200149.8.5.5.1  name: surname, U+3000 IDEOGRAPHIC SPACE, given name (substituted characters)
 *   1.2.392.200149.8.5.5.2  name substitution map, one `0`/`1` per character of the name
 *   1.2.392.200149.8.5.5.3  sex: `1` male, `2` female, `3` unknown
 *   1.2.392.200149.8.5.5.4  birth date `EYYYYMMDD` (birth-date.ts)
 *   1.2.392.200149.8.5.5.5  address from the prefecture, no postal code, at most 200 characters
 *   1.2.392.200149.8.5.5.6  address substitution map
 *
 * Values are exactly the strings of the certificate; nothing is normalised on reading.
 */
export type JpkiSex = '1' | '2' | '3';

export interface BasicFour {
  readonly name: string;
  readonly nameSubstitutionMap: string;
  readonly sex: JpkiSex;
  /** `EYYYYMMDD` as written in the certificate. */
  readonly birthDate: string;
  readonly address: string;
  readonly addressSubstitutionMap: string;
}

/** The basic four as the resident register gives them, before substitution. */
export interface BasicFourInput {
  /** Whole name (see `composeName`) or an already substituted text with its map. */
  readonly name: string | SubstitutedText;
  readonly address: string | SubstitutedText;
  readonly birthDate: CalendarDate | string;
  readonly sex: JpkiSex | 'male' | 'female' | 'unknown';
}

/** An otherName to write: type-id and its UTF8String value. */
export interface BasicFourOtherName {
  readonly typeId: string;
  readonly value: string;
  /** DER of the UTF8String (the content of `[0] EXPLICIT`). */
  readonly valueDer: Uint8Array;
}

export const FULL_WIDTH_SPACE = '\u3000';
export const MAX_ADDRESS_LENGTH = 200;

/** 47 prefectures: a JPKI address starts with one of them. */
export const PREFECTURES: readonly string[] = [
  '北海道',
  '青森県',
  '岩手県',
  '宮城県',
  '秋田県',
  '山形県',
  '福島県',
  '茨城県',
  '栃木県',
  '群馬県',
  '埼玉県',
  '千葉県',
  '東京都',
  '神奈川県',
  '新潟県',
  '富山県',
  '石川県',
  '福井県',
  '山梨県',
  '長野県',
  '岐阜県',
  '静岡県',
  '愛知県',
  '三重県',
  '滋賀県',
  '京都府',
  '大阪府',
  '兵庫県',
  '奈良県',
  '和歌山県',
  '鳥取県',
  '島根県',
  '岡山県',
  '広島県',
  '山口県',
  '徳島県',
  '香川県',
  '愛媛県',
  '高知県',
  '福岡県',
  '佐賀県',
  '長崎県',
  '熊本県',
  '大分県',
  '宮崎県',
  '鹿児島県',
  '沖縄県',
];

/** surname + U+3000 + given name. */
export function composeName(surname: string, givenName: string): string {
  return givenName === '' ? surname : `${surname}${FULL_WIDTH_SPACE}${givenName}`;
}

/** Splits at the first U+3000; a name without one is all surname. */
export function splitName(name: string): { surname: string; givenName: string } {
  const i = name.indexOf(FULL_WIDTH_SPACE);
  return i < 0
    ? { surname: name, givenName: '' }
    : { surname: name.slice(0, i), givenName: name.slice(i + 1) };
}

function sexCode(sex: BasicFourInput['sex']): JpkiSex {
  switch (sex) {
    case '1':
    case 'male':
      return '1';
    case '2':
    case 'female':
      return '2';
    case '3':
    case 'unknown':
      return '3';
    default:
      throw new JpkiError('INVALID_SEX', 'sex must be 1 (male), 2 (female) or 3 (unknown)');
  }
}

function assertName(text: string): void {
  if (text.trim() === '' || /\p{Cc}/u.test(text)) {
    throw new JpkiError('INVALID_NAME', 'name must be non-empty and free of control characters');
  }
}

function assertAddress(text: string): void {
  const n = Array.from(text).length;
  if (n > MAX_ADDRESS_LENGTH) {
    throw new JpkiError('ADDRESS_TOO_LONG', `address has ${n} characters; at most ${MAX_ADDRESS_LENGTH}`);
  }
  if (/^\s*(〒|[0-9０-９]{3}[-－ー]?[0-9０-９]{4})/.test(text)) {
    throw new JpkiError('INVALID_ADDRESS', 'address must not contain a postal code');
  }
  if (!PREFECTURES.some((p) => text.startsWith(p))) {
    throw new JpkiError('INVALID_ADDRESS', 'address must start with the prefecture');
  }
  if (/\p{Cc}/u.test(text)) throw new JpkiError('INVALID_ADDRESS', 'address contains control characters');
}

function substituted(
  value: string | SubstitutedText,
  field: string,
  options: SubstitutionOptions,
): SubstitutedText {
  if (typeof value === 'string') return substituteText(value, options);
  assertSubstitutionMap(value.text, value.map, field);
  return value;
}

/** Validates and substitutes the basic four for writing into a certificate. */
export function encodeBasicFour(input: BasicFourInput, options: SubstitutionOptions = {}): BasicFour {
  const name = substituted(input.name, 'name', options);
  assertName(name.text);
  const address = substituted(input.address, 'address', options);
  assertAddress(address.text);
  let birthDate: string;
  if (typeof input.birthDate === 'string') {
    parseJpkiBirthDate(input.birthDate);
    birthDate = input.birthDate;
  } else {
    birthDate = formatJpkiBirthDate(input.birthDate);
  }
  return {
    name: name.text,
    nameSubstitutionMap: name.map,
    sex: sexCode(input.sex),
    birthDate,
    address: address.text,
    addressSubstitutionMap: address.map,
  };
}

/** The six otherNames in OID order, ready for the SubjectAltName extension. */
export function basicFourToOtherNames(b: BasicFour): BasicFourOtherName[] {
  const pairs: [string, string][] = [
    [JPKI_OID.name, b.name],
    [JPKI_OID.nameSubstitutionMap, b.nameSubstitutionMap],
    [JPKI_OID.sex, b.sex],
    [JPKI_OID.birthDate, b.birthDate],
    [JPKI_OID.address, b.address],
    [JPKI_OID.addressSubstitutionMap, b.addressSubstitutionMap],
  ];
  return pairs.map(([typeId, value]) => ({ typeId, value, valueDer: encodeUtf8String(value) }));
}

/** An otherName as a certificate reader gives it: the value is the UTF8String, bare or `[0] EXPLICIT`. */
export interface OtherNameEntry {
  readonly typeId: string;
  readonly valueDer: Uint8Array;
  /** The value already decoded from `valueDer` (a UTF8String), when the reader did so. */
  readonly text?: string;
}

const BASIC_FOUR_OIDS = [
  JPKI_OID.name,
  JPKI_OID.nameSubstitutionMap,
  JPKI_OID.sex,
  JPKI_OID.birthDate,
  JPKI_OID.address,
  JPKI_OID.addressSubstitutionMap,
] as const;

/**
 * Reads the basic four from SubjectAltName otherNames. Returns `undefined` when none of the six is present
 * (e.g. a user-authentication certificate); throws BASIC_FOUR_MISSING when only some are,
 * BASIC_FOUR_MALFORMED / INVALID_* when a value is malformed.
 */
export function basicFourFromOtherNames(otherNames: readonly OtherNameEntry[]): BasicFour | undefined {
  // One slot per OID of BASIC_FOUR_OIDS, in that order.
  const values: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined, undefined];
  let found = 0;
  for (const on of otherNames) {
    const k = BASIC_FOUR_OIDS.indexOf(on.typeId as (typeof BASIC_FOUR_OIDS)[number]);
    if (k < 0) continue;
    if (values[k] !== undefined)
      throw new JpkiError('BASIC_FOUR_MALFORMED', `otherName ${on.typeId} appears twice`);
    values[k] = on.text ?? decodeOtherNameString(on.valueDer);
    found++;
  }
  if (found === 0) return undefined;
  if (found < BASIC_FOUR_OIDS.length) {
    const missing = BASIC_FOUR_OIDS.filter((_, k) => values[k] === undefined);
    throw new JpkiError('BASIC_FOUR_MISSING', `basic four incomplete: missing ${missing.join(', ')}`);
  }
  const [name, nameSubstitutionMap, sex, birthDate, address, addressSubstitutionMap] = values as string[];
  if (sex !== '1' && sex !== '2' && sex !== '3') throw new JpkiError('INVALID_SEX', 'sex must be 1, 2 or 3');
  const b: BasicFour = {
    name: name!,
    nameSubstitutionMap: nameSubstitutionMap!,
    sex,
    birthDate: birthDate!,
    address: address!,
    addressSubstitutionMap: addressSubstitutionMap!,
  };
  assertSubstitutionMap(b.name, b.nameSubstitutionMap, 'name');
  assertSubstitutionMap(b.address, b.addressSubstitutionMap, 'address');
  parseJpkiBirthDate(b.birthDate);
  return b;
}

/** The birth date of decoded basic four, parsed. */
export function birthDateOf(b: BasicFour): JpkiBirthDate {
  return parseJpkiBirthDate(b.birthDate);
}

/** The basic four of a certificate's SubjectAltName, or undefined when it carries none (throws as above). */
export function basicFourOfCertificate(
  certificate: Pick<Certificate, 'subjectAltName'>,
): BasicFour | undefined {
  const otherNames: OtherNameEntry[] = [];
  for (const n of certificate.subjectAltName) {
    if (n.type === 'otherName') {
      // The reader has usually decoded the string already; reuse it only for a UTF8String (the JPKI type).
      const text = n.valueDer[0] === 0x0c ? n.text : undefined;
      otherNames.push(
        text !== undefined
          ? { typeId: n.typeId, valueDer: n.valueDer, text }
          : { typeId: n.typeId, valueDer: n.valueDer },
      );
    }
  }
  return basicFourFromOtherNames(otherNames);
}
