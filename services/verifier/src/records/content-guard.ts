/**
 * What a verification record must never keep (DOMAIN.md §5: "Never store My Number or a PIN"; 番号法 §19
 * forbids collecting the My Number outside the purposes the law lists, and a relying party's KYC record is
 * not one of them unless its configuration names a legal basis — which these records do not take).
 *
 * This is the verifier's own small check, kept until @mynakit/kyc's `checkRecordContent` takes its
 * place as the single definition shared with the request builder. It walks the content (bounded: depth
 * and member counts are those of canonical-json.ts, which runs first) and refuses:
 * - the mdoc element `individual_number_unicode` (org.iso.23220.1.jp.mnc) as a member name or a string value;
 * - a member named like the My Number (`my_number`, `myNumber`, `individualNumber`, `個人番号`, `マイナンバー`…);
 * - a 12-digit string under a member whose name mentions a number (`number`, `no`, `番号`) — the shape of a
 *   My Number (12 digits, 番号法施行令 §8) in a field that could be one;
 * - a member named like a PIN or password (`pin`, `signPin`, `password`, `passcode`, `暗証番号`, `パスワード`).
 * The error names the member's path when it is made of plain names, never a value.
 */
import { VerifierError } from '../errors.js';
import type { JsonValue } from './canonical-json.js';

/** The mdoc data element of the My Number (org.iso.23220.1.jp.mnc). */
export const MY_NUMBER_ELEMENT = 'individual_number_unicode';

/** A member name with case, `_`, `-`, spaces and dots removed. */
function normalised(name: string): string {
  return name.toLowerCase().replace(/[\s_.-]/g, '');
}

function isMyNumberName(name: string): boolean {
  const n = normalised(name);
  return (
    n.includes('individualnumber') ||
    n.includes('mynumber') ||
    n.includes('mynum') ||
    name.includes('個人番号') ||
    name.includes('マイナンバー')
  );
}

/** The words of a member name: camelCase, `_`, `-`, spaces and dots split it (`signPin` → sign, pin). */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

function isSecretName(name: string): boolean {
  const n = normalised(name);
  const words = wordsOf(name);
  return (
    words.includes('pin') ||
    words.includes('pincode') ||
    n.includes('password') ||
    n.includes('passwd') ||
    n.includes('passcode') ||
    n.includes('passphrase') ||
    name.includes('暗証番号') ||
    name.includes('パスワード')
  );
}

function mentionsNumber(name: string): boolean {
  const words = wordsOf(name);
  return words.some((w) => w === 'no' || w === 'num' || w.endsWith('number')) || name.includes('番号');
}

function pathText(path: readonly (string | number)[]): string {
  return path
    .map((p) => (typeof p === 'number' || /^[A-Za-z0-9_-]{1,40}$/.test(p) ? String(p) : '*'))
    .join('.');
}

/**
 * Throws VERIFIER_RECORD_FORBIDDEN_CONTENT when the content holds a My Number or a PIN / password
 * (see the file comment). `content` has passed canonicalJson, so its size and depth are bounded.
 */
export function refuseForbiddenContent(content: JsonValue): void {
  const refuse = (path: readonly (string | number)[], what: string): never => {
    throw new VerifierError(
      'VERIFIER_RECORD_FORBIDDEN_CONTENT',
      `a verification record may not hold ${what} (at ${pathText(path) || 'the top'})`,
    );
  };
  const walk = (value: JsonValue, path: (string | number)[], name: string | undefined): void => {
    if (typeof value === 'string') {
      if (value.trim() === MY_NUMBER_ELEMENT) refuse(path, 'the My Number element');
      if (name !== undefined && /^\d{12}$/.test(value.replace(/[\s-]/g, '')) && mentionsNumber(name))
        refuse(path, 'a My Number');
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) walk(value[i] as JsonValue, [...path, i], name);
      return;
    }
    for (const key of Object.keys(value)) {
      const at = [...path, key];
      if (key === MY_NUMBER_ELEMENT || isMyNumberName(key)) refuse(at, 'a My Number');
      if (isSecretName(key)) refuse(at, 'a PIN or password');
      walk((value as Record<string, JsonValue>)[key] as JsonValue, at, key);
    }
  };
  walk(content, [], undefined);
}
