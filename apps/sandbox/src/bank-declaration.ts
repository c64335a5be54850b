/**
 * What the sandbox bank's online account opening asks its customer at 取引時確認 under 犯収法 (DOMAIN.md §5):
 * the purpose of the transaction (取引を行う目的) and the occupation (職業), read by declared-items.ts (one
 * category of each of the verifier's lists, with an optional detail, required for その他 / other). The bank
 * passes them to its verifier session, which refuses a session without them and records them with the
 * verification; the result shows them beside the record.
 *
 * Also the developer's switch "ask for My Number (個人番号)": the bank has no legal basis configured, so the
 * verifier refuses to open such a session (VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS) and no request reaches a
 * phone — the page shows the refusal and its code.
 */
import { JP_MNC_NAMESPACE, MY_NUMBER_ELEMENT } from '@mynakit/mdoc';
import { KYC_RECORD_ELEMENTS, OCCUPATIONS, TRANSACTION_PURPOSES } from '@mynakit/verifier';
import { type Declaration, type DeclaredItem, declarationFromBody } from './declared-items.js';

/** A declaration and the developer's My Number switch, as the bank's page sends them. */
export interface BankRequest {
  readonly declared: Declaration;
  /** The developer asked for My Number too (refused by the verifier: the bank has no legal basis). */
  readonly askMyNumber: boolean;
}

/** The bank's request from its page's JSON (`{transactionPurpose: {code, detail?}, occupation, askMyNumber}`). */
export function bankRequestFromBody(body: ReadonlyMap<string, unknown>): BankRequest {
  return { declared: declarationFromBody(body), askMyNumber: body.get('askMyNumber') === true };
}

/** The elements the bank asks: absent (the verifier's least for 犯収法), or those and My Number. */
export function requestedElements(request: BankRequest): Record<string, string[]> | undefined {
  if (!request.askMyNumber) return undefined;
  const base = [...(KYC_RECORD_ELEMENTS[JP_MNC_NAMESPACE] ?? [])];
  return { [JP_MNC_NAMESPACE]: [...base, MY_NUMBER_ELEMENT] };
}

function itemText(
  list: ReadonlyMap<string, { readonly name_ja: string; readonly name_en: string }>,
  item: DeclaredItem | undefined,
): string {
  if (item === undefined) return '—';
  const n = list.get(item.code);
  const name = n === undefined ? item.code : `${n.name_ja} / ${n.name_en}`;
  return item.detail === undefined ? name : `${name}(${item.detail})`;
}

/** The declaration's lines in the signed application (the signature covers what the customer declared). */
export function declarationLines(declared: Declaration): string[] {
  return [
    `取引を行う目的 / purpose of the transaction: ${itemText(TRANSACTION_PURPOSES, declared.transactionPurpose)}`,
    `職業 / occupation: ${itemText(OCCUPATIONS, declared.occupation)}`,
  ];
}
