/**
 * What a verification record must never keep (DOMAIN.md §5: "Never store My Number or a PIN"; 番号法 §19
 * forbids collecting the My Number outside the purposes the law lists, and a relying party's KYC record is
 * not one of them). The rule has one definition, @mynakit/kyc `checkRecordContent`, shared with whoever
 * builds a record: a member named like My Number, a PIN or a password, and a string written like a My
 * Number (twelve digits with a valid check digit) wherever it stands. The error names the first offending
 * member's path when it is made of plain names, never a value.
 */
import { checkRecordContent } from '@mynakit/kyc';
import { VerifierError } from '../errors.js';
import type { JsonValue } from './canonical-json.js';

/** The mdoc data element of the My Number (org.iso.23220.1.jp.mnc). */
export const MY_NUMBER_ELEMENT = 'individual_number_unicode';

/**
 * Throws VERIFIER_RECORD_FORBIDDEN_CONTENT when the content holds a My Number or a PIN / password
 * (see the file comment). `content` has passed canonicalJson, so its size and depth are bounded.
 */
export function refuseForbiddenContent(content: JsonValue): void {
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
