/**
 * What the customer declares at 取引時確認 under 犯収法 (DOMAIN.md §5) on the bank's Vite + Preact pages of
 * the branch counter and of the QR-code channel: the purpose of the transaction (取引を行う目的) and the
 * occupation (職業), each one category of the verifier's lists (@mynakit/verifier TRANSACTION_PURPOSES,
 * OCCUPATIONS — the codes the verifier records) with an optional detail.
 *
 * A page sends `{transactionPurpose: {code, detail?}, occupation: {code, detail?}}`. A code not on its list is
 * left out, so the verifier refuses with its own code (VERIFIER_TRANSACTION_PURPOSE_REQUIRED,
 * VERIFIER_OCCUPATION_REQUIRED…); details are bounded here and checked again by the verifier. Received codes
 * are looked up in the lists (Maps) and members read as own properties only.
 */
import {
  type DeclarationCategory,
  MAX_DECLARATION_DETAIL,
  OCCUPATIONS,
  TRANSACTION_PURPOSES,
} from '@mynakit/verifier';

/** One declared item: a code of its list and an optional detail. */
export interface DeclaredItem {
  readonly code: string;
  readonly detail?: string;
}

/** What the customer declared (either may be missing: the verifier then refuses). */
export interface Declaration {
  readonly transactionPurpose?: DeclaredItem;
  readonly occupation?: DeclaredItem;
}

/** A category of a list as a page offers it. */
export interface CategoryChoice {
  readonly code: string;
  readonly name_ja: string;
  readonly name_en: string;
}

/** The two lists a page offers, and the longest detail. */
export interface DeclarationLists {
  readonly purposes: readonly CategoryChoice[];
  readonly occupations: readonly CategoryChoice[];
  readonly maxDetail: number;
}

/** A declared item as a result shows it: the category's names and the detail. */
export interface DeclaredView {
  readonly code: string;
  readonly name_ja: string;
  readonly name_en: string;
  readonly detail: string | null;
}

const choicesOf = (list: ReadonlyMap<string, DeclarationCategory>): CategoryChoice[] =>
  [...list].map(([code, n]) => ({ code, name_ja: n.name_ja, name_en: n.name_en }));

/** The lists of the verifier, for a page's form. */
export function declarationLists(): DeclarationLists {
  return {
    purposes: choicesOf(TRANSACTION_PURPOSES),
    occupations: choicesOf(OCCUPATIONS),
    maxDetail: MAX_DECLARATION_DETAIL,
  };
}

const own = (o: unknown, name: string): unknown =>
  typeof o === 'object' && o !== null && !Array.isArray(o) && Object.hasOwn(o, name)
    ? (o as { readonly [k: string]: unknown })[name]
    : undefined;

function itemOf(list: ReadonlyMap<string, DeclarationCategory>, value: unknown): DeclaredItem | undefined {
  const code = own(value, 'code');
  if (typeof code !== 'string' || !list.has(code)) return undefined;
  const detail = own(value, 'detail');
  const text = typeof detail === 'string' ? detail.trim().slice(0, MAX_DECLARATION_DETAIL) : '';
  return text === '' ? { code } : { code, detail: text };
}

/** The declaration of a page's JSON body (its members `transactionPurpose` and `occupation`). */
export function declarationFromBody(body: ReadonlyMap<string, unknown>): Declaration {
  const transactionPurpose = itemOf(TRANSACTION_PURPOSES, body.get('transactionPurpose'));
  const occupation = itemOf(OCCUPATIONS, body.get('occupation'));
  return {
    ...(transactionPurpose === undefined ? {} : { transactionPurpose }),
    ...(occupation === undefined ? {} : { occupation }),
  };
}

function viewOf(
  list: ReadonlyMap<string, DeclarationCategory>,
  item: DeclaredItem | undefined,
): DeclaredView | null {
  if (item === undefined) return null;
  const n = list.get(item.code);
  return {
    code: item.code,
    name_ja: n?.name_ja ?? item.code,
    name_en: n?.name_en ?? item.code,
    detail: item.detail ?? null,
  };
}

/** The declaration as a result shows it, beside the record that keeps it. */
export function declaredView(declared: Declaration): {
  readonly transactionPurpose: DeclaredView | null;
  readonly occupation: DeclaredView | null;
} {
  return {
    transactionPurpose: viewOf(TRANSACTION_PURPOSES, declared.transactionPurpose),
    occupation: viewOf(OCCUPATIONS, declared.occupation),
  };
}
