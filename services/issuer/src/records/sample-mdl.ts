/**
 * The sandbox's sample mDL (ISO/IEC 18013-5 §7.2.1, docType `org.iso.18013.5.1.mDL`): a stand-in for a
 * foreign driving licence on the same phone as the card-substitute record, so wallets and verifiers deal
 * with several documents of different docTypes (DOMAIN.md §1 "Several documents on one phone"). It is
 * issued under its own sandbox IACA, country ZZ (user-assigned: no real state's), and says "SANDBOX" where
 * an issuing authority would stand.
 *
 * The mandatory elements of §7.2.1 from the resident: family_name / given_name in Latin letters (Hepburn
 * romanisation of the registered kana reading, passport style: long vowels unmarked; "SANDBOX" /
 * "RESIDENT" when the register has no reading), the names as registered in the *_national_character
 * elements, birth_date, portrait (the sandbox portrait), issue / expiry dates, issuing_country and
 * issuing_authority, a document number derived from the resident id, no driving privileges, and the
 * UN distinguishing sign of no country.
 */
import { createHash } from 'node:crypto';
import { type CborValue, fullDate } from '@mynakit/cbor';
import { SANDBOX_MDL_COUNTRY } from '../ca/sandbox-names.js';
import type { Resident } from '../store/index.js';
import type { RecordNameSpaces } from './record-name-spaces.js';

/** The mDL namespace (ISO/IEC 18013-5 §7.2.1). */
export const MDL_NAMESPACE = 'org.iso.18013.5.1';

const KANA_DIGRAPHS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    キャ: 'KYA',
    キュ: 'KYU',
    キョ: 'KYO',
    シャ: 'SHA',
    シュ: 'SHU',
    ショ: 'SHO',
    チャ: 'CHA',
    チュ: 'CHU',
    チョ: 'CHO',
    ニャ: 'NYA',
    ニュ: 'NYU',
    ニョ: 'NYO',
    ヒャ: 'HYA',
    ヒュ: 'HYU',
    ヒョ: 'HYO',
    ミャ: 'MYA',
    ミュ: 'MYU',
    ミョ: 'MYO',
    リャ: 'RYA',
    リュ: 'RYU',
    リョ: 'RYO',
    ギャ: 'GYA',
    ギュ: 'GYU',
    ギョ: 'GYO',
    ジャ: 'JA',
    ジュ: 'JU',
    ジョ: 'JO',
    ビャ: 'BYA',
    ビュ: 'BYU',
    ビョ: 'BYO',
    ピャ: 'PYA',
    ピュ: 'PYU',
    ピョ: 'PYO',
    ヂャ: 'JA',
    ヂュ: 'JU',
    ヂョ: 'JO',
  }),
);

const KANA: ReadonlyMap<string, string> = new Map(
  Object.entries({
    ア: 'A',
    イ: 'I',
    ウ: 'U',
    エ: 'E',
    オ: 'O',
    カ: 'KA',
    キ: 'KI',
    ク: 'KU',
    ケ: 'KE',
    コ: 'KO',
    サ: 'SA',
    シ: 'SHI',
    ス: 'SU',
    セ: 'SE',
    ソ: 'SO',
    タ: 'TA',
    チ: 'CHI',
    ツ: 'TSU',
    テ: 'TE',
    ト: 'TO',
    ナ: 'NA',
    ニ: 'NI',
    ヌ: 'NU',
    ネ: 'NE',
    ノ: 'NO',
    ハ: 'HA',
    ヒ: 'HI',
    フ: 'FU',
    ヘ: 'HE',
    ホ: 'HO',
    マ: 'MA',
    ミ: 'MI',
    ム: 'MU',
    メ: 'ME',
    モ: 'MO',
    ヤ: 'YA',
    ユ: 'YU',
    ヨ: 'YO',
    ラ: 'RA',
    リ: 'RI',
    ル: 'RU',
    レ: 'RE',
    ロ: 'RO',
    ワ: 'WA',
    ヰ: 'I',
    ヱ: 'E',
    ヲ: 'O',
    ン: 'N',
    ガ: 'GA',
    ギ: 'GI',
    グ: 'GU',
    ゲ: 'GE',
    ゴ: 'GO',
    ザ: 'ZA',
    ジ: 'JI',
    ズ: 'ZU',
    ゼ: 'ZE',
    ゾ: 'ZO',
    ダ: 'DA',
    ヂ: 'JI',
    ヅ: 'ZU',
    デ: 'DE',
    ド: 'DO',
    バ: 'BA',
    ビ: 'BI',
    ブ: 'BU',
    ベ: 'BE',
    ボ: 'BO',
    パ: 'PA',
    ピ: 'PI',
    プ: 'PU',
    ペ: 'PE',
    ポ: 'PO',
    ヴ: 'VU',
    ァ: 'A',
    ィ: 'I',
    ゥ: 'U',
    ェ: 'E',
    ォ: 'O',
  }),
);

/**
 * Passport-style Hepburn of a katakana reading (upper case): ッ doubles the next consonant (TCH for
 * ッチ), ン before B, M or P stays N, the long vowel mark ー and a repeated O or U are dropped (passport
 * Hepburn writes no macrons). Undefined when the text has anything but katakana.
 */
export function hepburn(kana: string): string | undefined {
  let out = '';
  let doubleNext = false;
  const chars = [...kana];
  for (let i = 0; i < chars.length; i++) {
    const two = `${chars[i]}${chars[i + 1] ?? ''}`;
    let syllable = KANA_DIGRAPHS.get(two);
    if (syllable !== undefined) i++;
    else if (chars[i] === 'ッ') {
      doubleNext = true;
      continue;
    } else if (chars[i] === 'ー') continue;
    else syllable = KANA.get(chars[i] as string);
    if (syllable === undefined) return undefined;
    if (doubleNext) syllable = (syllable.startsWith('CH') ? 'T' : syllable[0]) + syllable;
    doubleNext = false;
    // OU and OO, UU: long vowels, written once.
    if ((syllable === 'U' && /[OU]$/.test(out)) || (syllable === 'O' && out.endsWith('O'))) continue;
    out += syllable;
  }
  return out.length > 0 && !doubleNext ? out : undefined;
}

/** Latin family and given names from the registered reading (`surname U+3000 given`). */
function latinNames(resident: Resident): { family: string; given: string } {
  const parts = resident.fullNameKana?.split('\u3000');
  const family = parts?.length === 2 ? hepburn(parts[0] as string) : undefined;
  const given = parts?.length === 2 ? hepburn(parts[1] as string) : undefined;
  return family !== undefined && given !== undefined
    ? { family, given }
    : { family: 'SANDBOX', given: 'RESIDENT' };
}

/** `YYYY-MM-DD` of an instant (UTC). */
const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * The sample mDL's name spaces for a resident, valid from `issuedAt` to `expiresAt` (the dates of the
 * licence itself; the MSO validity is the record's).
 */
export function sampleMdlNameSpaces(
  resident: Resident,
  issuedAt: Date,
  expiresAt: Date,
  portrait: Uint8Array,
): RecordNameSpaces {
  const { family, given } = latinNames(resident);
  const [surname, givenName] = resident.fullName.split('\u3000');
  const documentNumber = `ZZ${createHash('sha256')
    .update(`mynakit sample mdl\u0000${resident.id}`, 'utf8')
    .digest('hex')
    .slice(0, 10)
    .toUpperCase()}`;
  const mdl: Record<string, CborValue> = {
    family_name: family,
    given_name: given,
    birth_date: fullDate(resident.birthDate),
    issue_date: fullDate(isoDate(issuedAt)),
    expiry_date: fullDate(isoDate(expiresAt)),
    issuing_country: SANDBOX_MDL_COUNTRY,
    issuing_authority: 'SANDBOX (mynakit sample licence)',
    document_number: documentNumber,
    portrait,
    driving_privileges: [],
    un_distinguishing_sign: 'ZZ',
  };
  if (surname !== undefined && givenName !== undefined) {
    mdl.family_name_national_character = surname;
    mdl.given_name_national_character = givenName;
  }
  return { [MDL_NAMESPACE]: mdl };
}
