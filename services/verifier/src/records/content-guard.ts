/**
 * What a verification record must never keep (DOMAIN.md §5: "Never store My Number or a PIN"; 番号法 §19
 * forbids collecting the My Number outside the purposes the law lists, and a relying party's KYC record is
 * not one of them). The rule has one definition, @mynakit/kyc `checkRecordContent`, shared with whoever
 * builds a record: a member named like My Number, a PIN or a password, and a string written like a My
 * Number (twelve digits with a valid check digit) wherever it stands. The error names the first offending
 * member's path when it is made of plain names, never a value.
 *
 * That rule sees a My Number only as a whole string. Free text the relying party sends — the transaction
 * type and the customer's declaration (sessions/customer-declaration.ts) — may hold one inside a sentence,
 * so in those members any run of twelve digits or more is refused, whatever its check digit (a mistyped
 * My Number is still one), with or without spaces or hyphens between the digits, full-width digits too.
 * Only there: digests and signatures elsewhere in a record hold digit runs by chance.
 */
import { checkRecordContent } from '@mynakit/kyc';
import { VerifierError } from '../errors.js';
import type { JsonValue } from './canonical-json.js';

/** The mdoc data element of the My Number (org.iso.23220.1.jp.mnc). */
export const MY_NUMBER_ELEMENT = 'individual_number_unicode';

/** The record members that hold free text from the relying party, as paths of plain names. */
export const FREE_TEXT_MEMBERS: readonly (readonly string[])[] = [
  ['transactionType'],
  ['transactionPurpose', 'detail'],
  ['occupation', 'detail'],
];

/** Digits, ASCII or full-width (NFKC makes them ASCII). */
const DIGIT = /[0-9０-９]/;
/** What may stand between two digits of one number: spaces and hyphens of any width. */
const DIGIT_SEPARATOR = /[\s\-‐‑‒–—―−－]/;

/** Whether `text` holds twelve digits or more in a row, single spaces or hyphens between them allowed. */
export function holdsTwelveDigits(text: string): boolean {
  let run = 0;
  let pendingSeparator = false;
  // Bounded by the text, which its schema bounds.
  for (const ch of text) {
    if (DIGIT.test(ch)) {
      run++;
      pendingSeparator = false;
      if (run >= 12) return true;
    } else if (run > 0 && !pendingSeparator && DIGIT_SEPARATOR.test(ch)) pendingSeparator = true;
    else {
      run = 0;
      pendingSeparator = false;
    }
  }
  return false;
}

/** Throws VERIFIER_RECORD_FORBIDDEN_CONTENT when free text at `path` holds twelve digits in a row. */
export function refuseMyNumberInFreeText(text: string, path: string): void {
  if (holdsTwelveDigits(text))
    throw new VerifierError(
      'VERIFIER_RECORD_FORBIDDEN_CONTENT',
      `a verification record may not hold a number written like a My Number (at ${path})`,
    );
}

function memberAt(content: JsonValue, path: readonly string[]): JsonValue | undefined {
  let at: JsonValue | undefined = content;
  for (const name of path) {
    if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.hasOwn(at, name))
      return undefined;
    at = (at as { [key: string]: JsonValue })[name];
  }
  return at;
}

/**
 * Throws VERIFIER_RECORD_FORBIDDEN_CONTENT when the content holds a My Number or a PIN / password
 * (see the file comment). `content` has passed canonicalJson, so its size and depth are bounded.
 */
export function refuseForbiddenContent(content: JsonValue): void {
  for (const path of FREE_TEXT_MEMBERS) {
    const text = memberAt(content, path);
    if (typeof text === 'string') refuseMyNumberInFreeText(text, path.join('.'));
  }
  const found = checkRecordContent(content);
  if (found.length === 0) return;
  const first = found[0] as string;
  // A path of plain names is shown; anything else (a quoted member chosen by the caller) is not echoed.
  const shown = /^[A-Za-z0-9_.[\]-]{1,120}$/.test(first) ? first : '*';
  throw new VerifierError(
    'VERIFIER_RECORD_FORBIDDEN_CONTENT',
    `a verification record may not hold a My Number, a PIN or a password (at ${shown})`,
  );
}
