/**
 * What the sandbox bank asks its customer at 取引時確認 under 犯収法 (DOMAIN.md §5): the purpose of the
 * transaction (取引を行う目的) and the occupation (職業), each one category of the verifier's lists
 * (@mynakit/verifier TRANSACTION_PURPOSES, OCCUPATIONS — the same codes the verifier records) with an optional
 * detail, required for その他 / other. The bank passes them to its verifier session, which refuses a
 * session without them and records them with the verification; the result page shows them beside the record.
 *
 * Also the developer's switch "ask for My Number (個人番号)": the bank has no legal basis configured, so the
 * verifier refuses to open such a session (VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS) and no request reaches a
 * phone — the page shows the refusal and its code.
 *
 * Received values are looked up in the lists (Maps), never used as keys of a plain object; details are
 * bounded here and checked again by the verifier, which also refuses twelve digits in a row.
 */
import { JP_MNC_NAMESPACE, MY_NUMBER_ELEMENT } from '@mynakit/mdoc';
import { html, type SafeHtml } from '@mynakit/page-html';
import {
  type DeclarationCategory,
  KYC_RECORD_ELEMENTS,
  MAX_DECLARATION_DETAIL,
  OCCUPATIONS,
  TRANSACTION_PURPOSES,
} from '@mynakit/verifier';

/** One declared item: a code of its list and an optional detail. */
export interface DeclaredItem {
  readonly code: string;
  readonly detail?: string;
}

/** What the customer declared (either may be missing: the verifier then refuses the session). */
export interface BankDeclaration {
  readonly transactionPurpose?: DeclaredItem;
  readonly occupation?: DeclaredItem;
}

/** A declaration and the developer's My Number switch, as the bank's pages read them. */
export interface BankRequest {
  readonly declared: BankDeclaration;
  /** The developer asked for My Number too (refused by the verifier: the bank has no legal basis). */
  readonly askMyNumber: boolean;
}

function itemOf(list: ReadonlyMap<string, DeclarationCategory>, code: unknown, detail: unknown) {
  if (typeof code !== 'string' || !list.has(code)) return undefined;
  const text = typeof detail === 'string' ? detail.trim().slice(0, MAX_DECLARATION_DETAIL) : '';
  return text === '' ? { code } : { code, detail: text };
}

/** The bank's request from its form fields (`transactionPurpose`, `…Detail`, `occupation`, `…Detail`, `askMyNumber`). */
export function bankRequestFromForm(form: URLSearchParams): BankRequest {
  const transactionPurpose = itemOf(
    TRANSACTION_PURPOSES,
    form.get('transactionPurpose'),
    form.get('transactionPurposeDetail'),
  );
  const occupation = itemOf(OCCUPATIONS, form.get('occupation'), form.get('occupationDetail'));
  return {
    declared: {
      ...(transactionPurpose === undefined ? {} : { transactionPurpose }),
      ...(occupation === undefined ? {} : { occupation }),
    },
    askMyNumber: form.get('askMyNumber') === 'on',
  };
}

/** The bank's request from its page's JSON (`{transactionPurpose: {code, detail?}, occupation, askMyNumber}`). */
export function bankRequestFromJson(body: unknown): BankRequest {
  const own = (o: unknown, name: string): unknown =>
    typeof o === 'object' && o !== null && !Array.isArray(o) && Object.hasOwn(o, name)
      ? (o as { readonly [k: string]: unknown })[name]
      : undefined;
  const purpose = own(body, 'transactionPurpose');
  const occupation = own(body, 'occupation');
  const transactionPurpose = itemOf(TRANSACTION_PURPOSES, own(purpose, 'code'), own(purpose, 'detail'));
  const occ = itemOf(OCCUPATIONS, own(occupation, 'code'), own(occupation, 'detail'));
  return {
    declared: {
      ...(transactionPurpose === undefined ? {} : { transactionPurpose }),
      ...(occ === undefined ? {} : { occupation: occ }),
    },
    askMyNumber: own(body, 'askMyNumber') === true,
  };
}

/** The elements the bank asks: absent (the verifier's least for 犯収法), or those and My Number. */
export function requestedElements(request: BankRequest): Record<string, string[]> | undefined {
  if (!request.askMyNumber) return undefined;
  const base = [...(KYC_RECORD_ELEMENTS[JP_MNC_NAMESPACE] ?? [])];
  return { [JP_MNC_NAMESPACE]: [...base, MY_NUMBER_ELEMENT] };
}

function optionsOf(list: ReadonlyMap<string, DeclarationCategory>): SafeHtml[] {
  return [...list].map(([code, n]) => html`<option value="${code}">${n.name_ja} / ${n.name_en}</option>`);
}

/**
 * The form's fields: the purpose of the transaction and the occupation (required, no choice made for the
 * customer), their details, and — apart, labelled for developers — the My Number switch.
 */
export function declarationFieldsHtml({ myNumberSwitch }: { readonly myNumberSwitch: boolean }): SafeHtml {
  const max = String(MAX_DECLARATION_DETAIL);
  return html`<fieldset class="declaration" style="min-width:0">
<legend>お取引の内容(犯収法の取引時確認) <span class="en">About this transaction (取引時確認 under 犯収法)</span></legend>
<p><label>取引を行う目的 <span class="en">purpose of the transaction</span><br>
<select name="transactionPurpose" required style="max-width:100%"><option value="">選んでください / choose</option>${optionsOf(TRANSACTION_PURPOSES)}</select></label>
<label>補足(任意、「その他」は必須) <span class="en">detail (optional; needed for other)</span>
<input name="transactionPurposeDetail" maxlength="${max}" autocomplete="off" style="max-width:100%"></label></p>
<p><label>ご職業 <span class="en">occupation</span><br>
<select name="occupation" required style="max-width:100%"><option value="">選んでください / choose</option>${optionsOf(OCCUPATIONS)}</select></label>
<label>補足(任意、「その他」は必須) <span class="en">detail (optional; needed for other)</span>
<input name="occupationDetail" maxlength="${max}" autocomplete="off" style="max-width:100%"></label></p>
<p><small>確認記録に記録します。個人番号(マイナンバー)は書かないでください。<span class="en">Kept in the verification record. Never write your My Number here.</span></small></p>
</fieldset>${
    myNumberSwitch
      ? html`
<details class="developer"><summary>開発者向け <span class="en">For developers</span></summary>
<label><input type="checkbox" name="askMyNumber"> 個人番号(マイナンバー)も求める <span class="en">also ask for My Number (個人番号)</span></label>
<br><small>この銀行には個人番号を受け取る法令上の根拠が設定されていないので、検証サービスがセッションを開かずに拒否します(電話には何も届きません)。<span class="en">The bank has no legal basis configured to receive My Number: the verifier refuses to open the session, and no request reaches a phone.</span></small>
</details>`
      : ''
  }`;
}

function itemText(list: ReadonlyMap<string, DeclarationCategory>, item: DeclaredItem | undefined): string {
  if (item === undefined) return '—';
  const n = list.get(item.code);
  const name = n === undefined ? item.code : `${n.name_ja} / ${n.name_en}`;
  return item.detail === undefined ? name : `${name}(${item.detail})`;
}

/** The declaration's lines in the signed application (the signature covers what the customer declared). */
export function declarationLines(declared: BankDeclaration): string[] {
  return [
    `取引を行う目的 / purpose of the transaction: ${itemText(TRANSACTION_PURPOSES, declared.transactionPurpose)}`,
    `職業 / occupation: ${itemText(OCCUPATIONS, declared.occupation)}`,
  ];
}

/** The declaration as the result page shows it, beside the record that keeps it. */
export function declarationHtml(declared: BankDeclaration, recordId: string | undefined): SafeHtml {
  return html`<h2>お客さまの申告 <span class="en">What the customer declared</span></h2>
<table data-declaration>
<tr><th>取引を行う目的 <span class="en">purpose of the transaction</span></th><td data-field="transactionPurpose" data-code="${declared.transactionPurpose?.code ?? ''}">${itemText(TRANSACTION_PURPOSES, declared.transactionPurpose)}</td></tr>
<tr><th>職業 <span class="en">occupation</span></th><td data-field="occupation" data-code="${declared.occupation?.code ?? ''}">${itemText(OCCUPATIONS, declared.occupation)}</td></tr>
</table>
${recordId === undefined ? '' : html`<p><small>確認記録 <code>${recordId}</code> に記録しました <span class="en">kept in the verification record</span></small></p>`}`;
}
