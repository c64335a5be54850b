/**
 * What the customer declares at 取引時確認 under 犯収法 (§4(1)(ii)–(iii); DOMAIN.md §5; @mynakit/kyc
 * requiredRecordFields `transactionPurpose` and `occupation`): the purpose of the transaction (取引を行う目的)
 * and the occupation (職業). They are the customer's own words — the relying party's backend sends them with
 * the session — and nothing of the card or the certificate says them.
 *
 * The design [I]: each is one code of a stable list (the categories banks and JAFIC's guidance use), named
 * in Japanese and English here and nowhere else, and an optional free-text detail (required for `other`),
 * at most MAX_DECLARATION_DETAIL characters of printable text. A record keeps the code and its Japanese name
 * as of that day, so it reads the same in seven years whatever this list becomes; codes are never renamed,
 * only added. One category is recorded (the principal one); the detail names more.
 *
 * `purpose` of a session stays what it was: the type of the transaction (取引の種類, `account-opening`).
 *
 * Under 犯収法 a session whose answer can be a 取引時確認 — a DC API or cross-device session that asks what
 * the record method needs (requested-elements.ts KYC_RECORD_ELEMENTS), or a JPKI signature session — is
 * refused without them (VERIFIER_TRANSACTION_PURPOSE_REQUIRED, VERIFIER_OCCUPATION_REQUIRED). An identity
 * cross-check copies them from the card-substitute record's verification record.
 * A JPKI user authentication names no person and is no 取引時確認. Under 携帯電話不正利用防止法 or no law they
 * are optional and recorded when given. A detail written with twelve digits or more in a row (a My Number,
 * 番号法 §19, whatever its check digit, with or without spaces or hyphens, full-width too) is refused
 * (VERIFIER_RECORD_FORBIDDEN_CONTENT, records/content-guard.ts). No message echoes what was sent.
 */
import { z } from 'zod';
import { VerifierError } from '../errors.js';
import type { JsonValue } from '../records/canonical-json.js';
import { refuseMyNumberInFreeText } from '../records/content-guard.js';
import type { Law } from '../relying-parties/config.js';

/** A category of a declaration list. */
export interface DeclarationCategory {
  readonly name_ja: string;
  readonly name_en: string;
}

/** The occupation categories (職業) [I: the list banks use under 犯収法; JAFIC's guidance names no list]. */
export const OCCUPATIONS: ReadonlyMap<string, DeclarationCategory> = new Map([
  ['company-employee', { name_ja: '会社員', name_en: 'Company employee' }],
  ['company-officer', { name_ja: '会社役員・団体役員', name_en: 'Company or organisation officer' }],
  ['public-servant', { name_ja: '公務員', name_en: 'Public servant' }],
  ['self-employed', { name_ja: '自営業・個人事業主', name_en: 'Self-employed' }],
  [
    'part-time',
    { name_ja: '派遣・契約社員・パート・アルバイト', name_en: 'Temporary, contract or part-time worker' },
  ],
  ['student', { name_ja: '学生', name_en: 'Student' }],
  ['homemaker', { name_ja: '主婦・主夫', name_en: 'Homemaker' }],
  ['unemployed', { name_ja: '無職（退職された方を含む）', name_en: 'Not employed (retired included)' }],
  ['other', { name_ja: 'その他', name_en: 'Other' }],
]);

/** The purposes of a transaction (取引を行う目的) [I: the list banks use for an account under 犯収法]. */
export const TRANSACTION_PURPOSES: ReadonlyMap<string, DeclarationCategory> = new Map([
  ['living-expenses', { name_ja: '生計費決済', name_en: 'Living expenses' }],
  ['business-expenses', { name_ja: '事業費決済', name_en: 'Business expenses' }],
  ['salary-or-pension', { name_ja: '給与受取・年金受取', name_en: 'Receiving a salary or a pension' }],
  ['savings-or-investment', { name_ja: '貯蓄・資産運用', name_en: 'Savings or investment' }],
  ['borrowing', { name_ja: '融資', name_en: 'Borrowing' }],
  ['foreign-exchange', { name_ja: '外国為替取引', name_en: 'Foreign exchange' }],
  ['other', { name_ja: 'その他', name_en: 'Other' }],
]);

/** Longest detail, characters. */
export const MAX_DECLARATION_DETAIL = 60;

/** Printable text: no control characters (C0, DEL, C1), no line or paragraph separators. */
const PRINTABLE = /^[^\p{Cc}\u2028\u2029]+$/u;

const detailSchema = z
  .string()
  .trim()
  .min(1)
  .max(MAX_DECLARATION_DETAIL)
  .regex(PRINTABLE, 'printable text on one line');

function categorySchema(list: ReadonlyMap<string, DeclarationCategory>, id: string, what: string) {
  return z
    .object({
      code: z.enum([...list.keys()] as [string, ...string[]]),
      detail: detailSchema.optional(),
    })
    .strict()
    .refine((v) => v.code !== 'other' || v.detail !== undefined, {
      message: '`other` needs a detail',
      path: ['detail'],
    })
    .meta({
      id,
      description: `${what}: one code (${[...list.entries()].map(([c, n]) => `${c} ${n.name_ja}`).join(', ')}) and an optional detail (required for other), at most ${MAX_DECLARATION_DETAIL} characters, never twelve digits in a row`,
    });
}

/** The body member `occupation` of a new session. */
export const OccupationSchema = categorySchema(OCCUPATIONS, 'Occupation', 'The customer’s occupation (職業)');

/** The body member `transactionPurpose` of a new session. */
export const TransactionPurposeSchema = categorySchema(
  TRANSACTION_PURPOSES,
  'TransactionPurpose',
  'The purpose of the transaction the customer declared (取引を行う目的)',
);

/** One declared item. */
export interface DeclaredItem {
  readonly code: string;
  readonly detail?: string | undefined;
}

/** What a session may carry of the customer's declaration. */
export interface CustomerDeclarationInput {
  readonly transactionPurpose?: DeclaredItem | undefined;
  readonly occupation?: DeclaredItem | undefined;
}

/** The declaration a session keeps until its record is written. */
export interface CustomerDeclaration {
  readonly transactionPurpose: DeclaredItem | null;
  readonly occupation: DeclaredItem | null;
}

/** Whether a session of this law and kind is a 取引時確認 that needs the declaration (file comment). */
export interface DeclarationNeed {
  readonly law: Law;
  /** The session's answer can be a KYC method's (it asks what the method needs). */
  readonly kycTransaction: boolean;
}

function item(
  given: DeclaredItem | undefined,
  list: ReadonlyMap<string, DeclarationCategory>,
  path: string,
): DeclaredItem | null {
  if (given === undefined) return null;
  // The routes' schemas have checked the shape; a caller in code gets the same rules.
  if (!list.has(given.code))
    throw new VerifierError('VERIFIER_INVALID_INPUT', `${path}.code is not one of the list`);
  const detail = given.detail?.trim();
  if (detail !== undefined) {
    if (detail.length === 0 || detail.length > MAX_DECLARATION_DETAIL || !PRINTABLE.test(detail))
      throw new VerifierError(
        'VERIFIER_INVALID_INPUT',
        `${path}.detail must be 1 to ${MAX_DECLARATION_DETAIL} printable characters`,
      );
    refuseMyNumberInFreeText(detail, `${path}.detail`);
  } else if (given.code === 'other')
    throw new VerifierError('VERIFIER_INVALID_INPUT', `${path}.detail is needed for other`);
  return detail === undefined ? { code: given.code } : { code: given.code, detail };
}

/**
 * The declaration a new session keeps (see the file comment): VERIFIER_TRANSACTION_PURPOSE_REQUIRED or
 * VERIFIER_OCCUPATION_REQUIRED when the law needs it and it is missing; VERIFIER_RECORD_FORBIDDEN_CONTENT
 * for a detail written like a My Number; undefined when nothing was declared.
 */
export function customerDeclarationFor(
  input: CustomerDeclarationInput,
  need: DeclarationNeed,
): CustomerDeclaration | undefined {
  if (need.law === 'hanshu' && need.kycTransaction) {
    if (input.transactionPurpose === undefined)
      throw new VerifierError(
        'VERIFIER_TRANSACTION_PURPOSE_REQUIRED',
        '取引時確認 under 犯収法 records the purpose of the transaction: send transactionPurpose',
      );
    if (input.occupation === undefined)
      throw new VerifierError(
        'VERIFIER_OCCUPATION_REQUIRED',
        '取引時確認 under 犯収法 records the customer’s occupation: send occupation',
      );
  }
  const transactionPurpose = item(input.transactionPurpose, TRANSACTION_PURPOSES, 'transactionPurpose');
  const occupation = item(input.occupation, OCCUPATIONS, 'occupation');
  if (transactionPurpose === null && occupation === null) return undefined;
  return { transactionPurpose, occupation };
}

/** The declaration as a session row keeps it (JSON text), or null. */
export function declarationColumn(declaration: CustomerDeclaration | undefined): string | null {
  return declaration === undefined ? null : JSON.stringify(declaration);
}

/** A session row's declaration column read back; null when none (or unreadable). */
export function declarationOfColumn(text: string | null | undefined): CustomerDeclaration | null {
  if (text == null) return null;
  try {
    const v = JSON.parse(text) as Partial<CustomerDeclaration>;
    return { transactionPurpose: v.transactionPurpose ?? null, occupation: v.occupation ?? null };
  } catch {
    return null;
  }
}

function recordItem(
  value: DeclaredItem | null | undefined,
  list: ReadonlyMap<string, DeclarationCategory>,
): JsonValue {
  if (value == null) return null;
  const names = list.get(value.code);
  return {
    code: value.code,
    name_ja: names?.name_ja ?? null,
    ...(value.detail === undefined ? {} : { detail: value.detail }),
  };
}

/**
 * The record's members `transactionPurpose` and `occupation` (each `{code, name_ja, detail?}` or null):
 * what the customer declared, with the category's Japanese name as of the day of the record.
 */
export function declarationRecordContent(declaration: CustomerDeclaration | null | undefined): {
  transactionPurpose: JsonValue;
  occupation: JsonValue;
} {
  return {
    transactionPurpose: recordItem(declaration?.transactionPurpose, TRANSACTION_PURPOSES),
    occupation: recordItem(declaration?.occupation, OCCUPATIONS),
  };
}
