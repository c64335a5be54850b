/**
 * The effective-dated table of legal identity-verification methods for natural persons that the My
 * Number Card on a smartphone can satisfy (DOMAIN.md §5). All dates of the package live here, nowhere
 * else: when an ordinance changes, a row is added or its `effectiveUntil` is set, and the code that
 * reads the table does not change.
 *
 * 犯罪による収益の移転防止に関する法律施行規則 第6条第1項第1号 (Ordinance for Enforcement of the Act on
 * Prevention of Transfer of Criminal Proceeds, Art. 6(1)(i)) [S]:
 *
 * | content | until 2025-06-23 | 2025-06-24 → 2027-03-31 | from 2027-04-01 |
 * |---|---|---|---|
 * | ID image + selfie | ホ | ホ | abolished |
 * | IC chip data + selfie | ヘ | ヘ | 新ハ |
 * | card-substitute record (name, address, birth date, photo; no selfie) | — | ル | 新ト |
 * | JPKI signature certificate + signed data (business must be a signature verifier) | ワ | カ | 新ヌ |
 *
 * 携帯電話不正利用防止法施行規則, revised ordinance in force 2026-04-01 [S]: チ = card-substitute record
 * through a certified program, ト = JPKI electronic signature; the image-upload methods are gone.
 *
 * Source tags as in DOMAIN.md: `C` confirmed by a primary source or two agreeing ones, `S` one
 * secondary source, `I` our inference or design choice.
 */
import { type JstDate, jstCalendarDate } from './calendar-date.js';
import { KycError } from './errors.js';

/** How sure a fact is: `C` confirmed, `S` one secondary source, `I` inference / design choice (DOMAIN.md). */
export type SourceTag = 'C' | 'S' | 'I';

/** A law a relying party verifies identity under: 犯収法 (`hanshu`) or 携帯電話不正利用防止法 (`keitai`). */
export type KycLaw = 'hanshu' | 'keitai';

/**
 * What a method verifies. mynakit produces `card-substitute-record` (an mdoc of docType
 * `org.iso.23220.1.jp.mnc`) and `jpki-signature` (a CMS signature by the smartphone signature
 * certificate); the chip and image methods are listed so that the table is complete.
 */
export type KycMethodContent =
  | 'card-substitute-record'
  | 'jpki-signature'
  | 'ic-chip-selfie'
  | 'id-image-selfie';

/** A law with its names and the provision that lists its methods. */
export interface KycLawInfo {
  /** The package's identifier of the law. */
  readonly law: KycLaw;
  /** The law's formal Japanese title. */
  readonly title_ja: string;
  /** The short Japanese name everyone uses. */
  readonly name_ja: string;
  /** The English name. */
  readonly name_en: string;
  /** The provision that lists the methods, in Japanese. */
  readonly provision_ja: string;
  /** The provision in English. */
  readonly provision_en: string;
  /** How sure the provision is. */
  readonly source: SourceTag;
}

/** The two laws, by identifier. */
export const KYC_LAWS: ReadonlyMap<KycLaw, KycLawInfo> = new Map<KycLaw, KycLawInfo>([
  [
    'hanshu',
    {
      law: 'hanshu',
      title_ja: '犯罪による収益の移転防止に関する法律',
      name_ja: '犯収法',
      name_en: 'Act on Prevention of Transfer of Criminal Proceeds',
      provision_ja: '犯罪による収益の移転防止に関する法律施行規則 第6条第1項第1号',
      provision_en:
        'Ordinance for Enforcement of the Act on Prevention of Transfer of Criminal Proceeds, Art. 6(1)(i)',
      source: 'S',
    },
  ],
  [
    'keitai',
    {
      law: 'keitai',
      title_ja:
        '携帯音声通信事業者による契約者等の本人確認等及び携帯音声通信役務の不正な利用の防止に関する法律',
      name_ja: '携帯電話不正利用防止法',
      name_en: 'Mobile Phone Improper Use Prevention Act',
      provision_ja:
        '携帯音声通信事業者による契約者等の本人確認等及び携帯音声通信役務の不正な利用の防止に関する法律施行規則 (本人確認の方法)',
      provision_en:
        'Enforcement Ordinance of the Mobile Phone Improper Use Prevention Act (methods of identity verification)',
      source: 'S',
    },
  ],
]);

/**
 * The first day the table speaks for under 犯収法: 2018-11-30, when the amending ordinance that
 * introduced the online methods (image + selfie, IC chip + selfie) took effect [I: the horizon is our
 * choice; the letters in force before it are out of scope]. A date before it has no method.
 */
export const HANSHU_TABLE_HORIZON = '2018-11-30';

/** The day the card-substitute record became a 犯収法 method (ル) and the JPKI letter moved from ワ to カ [S]. */
export const HANSHU_2025_AMENDMENT = '2025-06-24';

/** The day the 犯収法 letters are renumbered (新ハ, 新ト, 新ヌ) and the image + selfie method ends [S]. */
export const HANSHU_2027_AMENDMENT = '2027-04-01';

/** The day the revised 携帯電話不正利用防止法 ordinance took effect (チ, ト; image uploads gone) [S]. */
export const KEITAI_2026_AMENDMENT = '2026-04-01';

/** The day before `date` (both `YYYY-MM-DD`): a row ends the day before the next one starts. */
function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** One legal method: a letter of a law, in force from one JST calendar date to another (inclusive). */
export interface KycMethod {
  /** Stable ASCII identifier, `<law>:<letter in romaji>` (e.g. `hanshu:ru`, `hanshu:shin-to`, `keitai:chi`). */
  readonly id: string;
  /** The law the letter belongs to. */
  readonly law: KycLaw;
  /** The letter (号のイロハ) as the ordinance writes it; `新` marks the letters renumbered on 2027-04-01. */
  readonly letter: string;
  /** What the method verifies. */
  readonly content: KycMethodContent;
  /** The method's name in Japanese. */
  readonly name_ja: string;
  /** The method's name in English. */
  readonly name_en: string;
  /** The first JST calendar date the letter applies (inclusive). */
  readonly effectiveFrom: string;
  /** The last JST calendar date the letter applies (inclusive); absent while no end is known. */
  readonly effectiveUntil?: string;
  /** The relying party must itself be a signature verifier (署名検証者, 公的個人認証法 §17). */
  readonly requiresSignatureVerifier: boolean;
  /** The verification program must be certified (番号法 §18-2(7)). */
  readonly requiresCertifiedProgram: boolean;
  /** How sure the row is (letter and dates). */
  readonly source: SourceTag;
  /** Where the row comes from and the sureness of its conditions, in English. */
  readonly note: string;
}

/**
 * Every row. For each law and content at most one row is in force on any date (the table test checks
 * it), so `kycMethodFor` can pick by date alone.
 */
export const KYC_METHODS: readonly KycMethod[] = Object.freeze(
  (
    [
      // ── 犯収法 施行規則 6条1項1号 ──
      {
        id: 'hanshu:ho',
        law: 'hanshu',
        letter: 'ホ',
        content: 'id-image-selfie',
        name_ja: '本人確認書類の画像と容貌の画像の送信を受ける方法',
        name_en: 'Receiving an image of a photo ID document and an image of the customer’s face (selfie)',
        effectiveFrom: HANSHU_TABLE_HORIZON,
        effectiveUntil: dayBefore(HANSHU_2027_AMENDMENT),
        requiresSignatureVerifier: false,
        requiresCertifiedProgram: false,
        source: 'S',
        note: 'Abolished from 2027-04-01 (DOMAIN.md §5). Not produced by mynakit.',
      },
      {
        id: 'hanshu:he',
        law: 'hanshu',
        letter: 'ヘ',
        content: 'ic-chip-selfie',
        name_ja: '本人確認書類のICチップ情報と容貌の画像の送信を受ける方法',
        name_en: 'Receiving the data read from an ID document’s IC chip and an image of the customer’s face',
        effectiveFrom: HANSHU_TABLE_HORIZON,
        effectiveUntil: dayBefore(HANSHU_2027_AMENDMENT),
        requiresSignatureVerifier: false,
        requiresCertifiedProgram: false,
        source: 'S',
        note: 'Becomes 新ハ on 2027-04-01. Not produced by mynakit.',
      },
      {
        id: 'hanshu:shin-ha',
        law: 'hanshu',
        letter: '新ハ',
        content: 'ic-chip-selfie',
        name_ja: '本人確認書類のICチップ情報と容貌の画像の送信を受ける方法',
        name_en: 'Receiving the data read from an ID document’s IC chip and an image of the customer’s face',
        effectiveFrom: HANSHU_2027_AMENDMENT,
        requiresSignatureVerifier: false,
        requiresCertifiedProgram: false,
        source: 'S',
        note: 'Formerly ヘ. Not produced by mynakit.',
      },
      {
        id: 'hanshu:ru',
        law: 'hanshu',
        letter: 'ル',
        content: 'card-substitute-record',
        name_ja: 'カード代替電磁的記録（氏名・住所・生年月日・写真）の送信を受ける方法',
        name_en: 'Receiving the card-substitute electromagnetic record (name, address, birth date and photo)',
        effectiveFrom: HANSHU_2025_AMENDMENT,
        effectiveUntil: dayBefore(HANSHU_2027_AMENDMENT),
        requiresSignatureVerifier: false,
        requiresCertifiedProgram: true,
        source: 'S',
        note:
          'No selfie. The certified program is required of every recipient of the record by 番号法 §18-2(7) ' +
          '(DOMAIN.md §1) [I: applied here as a condition of the method].',
      },
      {
        id: 'hanshu:shin-to',
        law: 'hanshu',
        letter: '新ト',
        content: 'card-substitute-record',
        name_ja: 'カード代替電磁的記録（氏名・住所・生年月日・写真）の送信を受ける方法',
        name_en: 'Receiving the card-substitute electromagnetic record (name, address, birth date and photo)',
        effectiveFrom: HANSHU_2027_AMENDMENT,
        requiresSignatureVerifier: false,
        requiresCertifiedProgram: true,
        source: 'S',
        note: 'Formerly ル. Certified program as for ル (番号法 §18-2(7)) [I].',
      },
      {
        id: 'hanshu:wa',
        law: 'hanshu',
        letter: 'ワ',
        content: 'jpki-signature',
        name_ja: '署名用電子証明書と電子署名が行われた特定取引等に関する情報の送信を受ける方法',
        name_en: 'Receiving the JPKI signature certificate and transaction data signed with it',
        effectiveFrom: HANSHU_TABLE_HORIZON,
        effectiveUntil: dayBefore(HANSHU_2025_AMENDMENT),
        requiresSignatureVerifier: true,
        requiresCertifiedProgram: false,
        source: 'S',
        note: 'Only where the business is itself a signature verifier (公的個人認証法 §17) [S]. Became カ on 2025-06-24.',
      },
      {
        id: 'hanshu:ka',
        law: 'hanshu',
        letter: 'カ',
        content: 'jpki-signature',
        name_ja: '署名用電子証明書と電子署名が行われた特定取引等に関する情報の送信を受ける方法',
        name_en: 'Receiving the JPKI signature certificate and transaction data signed with it',
        effectiveFrom: HANSHU_2025_AMENDMENT,
        effectiveUntil: dayBefore(HANSHU_2027_AMENDMENT),
        requiresSignatureVerifier: true,
        requiresCertifiedProgram: false,
        source: 'S',
        note: 'Formerly ワ; becomes 新ヌ on 2027-04-01. Only for a signature verifier (公的個人認証法 §17) [S].',
      },
      {
        id: 'hanshu:shin-nu',
        law: 'hanshu',
        letter: '新ヌ',
        content: 'jpki-signature',
        name_ja: '署名用電子証明書と電子署名が行われた特定取引等に関する情報の送信を受ける方法',
        name_en: 'Receiving the JPKI signature certificate and transaction data signed with it',
        effectiveFrom: HANSHU_2027_AMENDMENT,
        requiresSignatureVerifier: true,
        requiresCertifiedProgram: false,
        source: 'S',
        note: 'Formerly カ. Only for a signature verifier (公的個人認証法 §17) [S].',
      },
      // ── 携帯電話不正利用防止法 施行規則 (revised, in force 2026-04-01) ──
      {
        id: 'keitai:chi',
        law: 'keitai',
        letter: 'チ',
        content: 'card-substitute-record',
        name_ja: '認定を受けたプログラムによりカード代替電磁的記録の送信を受ける方法',
        name_en:
          'Receiving the card-substitute electromagnetic record through a certified verification program',
        effectiveFrom: KEITAI_2026_AMENDMENT,
        requiresSignatureVerifier: false,
        requiresCertifiedProgram: true,
        source: 'S',
        note: 'The table starts with the revised ordinance; earlier 携帯法 letters are out of scope [I].',
      },
      {
        id: 'keitai:to',
        law: 'keitai',
        letter: 'ト',
        content: 'jpki-signature',
        name_ja: '署名用電子証明書による電子署名が行われた情報の送信を受ける方法',
        name_en: 'Receiving data signed with the JPKI signature certificate, with the certificate',
        effectiveFrom: KEITAI_2026_AMENDMENT,
        requiresSignatureVerifier: true,
        requiresCertifiedProgram: false,
        source: 'S',
        note:
          'The carrier must be a signature verifier to check the certificate (公的個人認証法 §17) [I: as under ' +
          '犯収法]. The table starts with the revised ordinance [I].',
      },
    ] satisfies KycMethod[]
  ).map((m) => Object.freeze(m)),
);

/** The rows by `id`. */
export const KYC_METHODS_BY_ID: ReadonlyMap<string, KycMethod> = new Map(KYC_METHODS.map((m) => [m.id, m]));

/**
 * Whether `method` applies on `on`: a JST calendar date `YYYY-MM-DD` or an instant (converted to its
 * JST calendar date). Bounds are inclusive; `YYYY-MM-DD` strings compare in date order.
 */
export function isInForce(method: KycMethod, on: JstDate | Date): boolean {
  const date = jstCalendarDate(on);
  return (
    method.effectiveFrom <= date && (method.effectiveUntil === undefined || date <= method.effectiveUntil)
  );
}

/** Reads a law identifier from configuration: own entries of `KYC_LAWS` only (never `__proto__` & co.). */
export function parseKycLaw(law: unknown): KycLaw {
  if (typeof law === 'string' && KYC_LAWS.has(law as KycLaw)) return law as KycLaw;
  throw new KycError('KYC_UNKNOWN_LAW', "the law must be 'hanshu' or 'keitai'");
}

/** The rows of `law` in force on `on` (a JST `YYYY-MM-DD` or an instant), in table order. */
export function methodsInForce(law: KycLaw, on: JstDate | Date): KycMethod[] {
  const known = parseKycLaw(law);
  const date = jstCalendarDate(on);
  return KYC_METHODS.filter((m) => m.law === known && isInForce(m, date));
}

/**
 * The row for a law and letter (`'hanshu'`, `'ル'`) or a row id (`'hanshu:ru'`). Within one law a letter
 * names one row of this table (the old and new ト/ハ/ヌ are written `新ト`, `新ハ`, `新ヌ`). Throws
 * `KYC_UNKNOWN_METHOD` for anything else.
 */
export function kycMethodByLetter(law: KycLaw, letter: string): KycMethod {
  const known = parseKycLaw(law);
  if (typeof letter === 'string') {
    const byId = KYC_METHODS_BY_ID.get(letter);
    if (byId !== undefined && byId.law === known) return byId;
    for (const m of KYC_METHODS) if (m.law === known && m.letter === letter) return m;
  }
  throw new KycError('KYC_UNKNOWN_METHOD', 'no method of that law has that letter');
}
