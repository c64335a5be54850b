/**
 * What the customer declares at 取引時確認 under 犯収法 (the purpose of the transaction, the occupation), as
 * the bank's pages ask it: one category of each of the verifier's lists (sent by the page's server, the codes
 * the verifier records) with an optional detail, needed for その他 / other. And the declaration as a result
 * shows it, beside the record that keeps it.
 */
import { Fragment } from 'preact';
import './declaration-fields.css';

/** A category of a list as the server offers it. */
export interface CategoryChoice {
  code: string;
  name_ja: string;
  name_en: string;
}

/** The two lists and the longest detail (the server's `declarationLists`). */
export interface DeclarationLists {
  purposes: CategoryChoice[];
  occupations: CategoryChoice[];
  maxDetail: number;
}

/** One declared item as the page sends it. */
export interface DeclaredInput {
  code: string;
  detail: string;
}

/** The declaration as the page sends it (`transactionPurpose`, `occupation`). */
export interface DeclarationInput {
  transactionPurpose: DeclaredInput;
  occupation: DeclaredInput;
}

/** A declared item as a result shows it. */
export interface DeclaredView {
  code: string;
  name_ja: string;
  name_en: string;
  detail: string | null;
}

/** An empty declaration, or one with the first category of each list chosen. */
export function initialDeclaration(lists: DeclarationLists, firstChosen: boolean): DeclarationInput {
  return {
    transactionPurpose: { code: firstChosen ? (lists.purposes[0]?.code ?? '') : '', detail: '' },
    occupation: { code: firstChosen ? (lists.occupations[0]?.code ?? '') : '', detail: '' },
  };
}

/** The declaration without empty details, as the page's routes take it. */
export function declarationBody(value: DeclarationInput): Record<string, { code: string; detail?: string }> {
  const item = (i: DeclaredInput) =>
    i.detail.trim() === '' ? { code: i.code } : { code: i.code, detail: i.detail };
  return { transactionPurpose: item(value.transactionPurpose), occupation: item(value.occupation) };
}

function Item({
  name,
  ja,
  en,
  choices,
  value,
  maxDetail,
  prompt,
  onChange,
}: {
  name: keyof DeclarationInput;
  ja: string;
  en: string;
  choices: CategoryChoice[];
  value: DeclaredInput;
  maxDetail: number;
  prompt: boolean;
  onChange: (v: DeclaredInput) => void;
}) {
  return (
    <div class="declared-item">
      <label>
        <span>
          {ja} <small>{en}</small>
        </span>
        <select
          name={name}
          required
          value={value.code}
          onChange={(e) => onChange({ ...value, code: (e.target as HTMLSelectElement).value })}
        >
          {prompt ? <option value="">選んでください / choose</option> : null}
          {choices.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name_ja} / {c.name_en}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>
          補足(任意、「その他」は必須) <small>detail (optional; needed for other)</small>
        </span>
        <input
          name={`${name}Detail`}
          maxLength={maxDetail}
          autoComplete="off"
          value={value.detail}
          onInput={(e) => onChange({ ...value, detail: (e.target as HTMLInputElement).value })}
        />
      </label>
    </div>
  );
}

/** The form's fields: the purpose of the transaction and the occupation, each with its detail. */
export function DeclarationFields({
  lists,
  value,
  onChange,
  prompt,
}: {
  lists: DeclarationLists;
  value: DeclarationInput;
  onChange: (v: DeclarationInput) => void;
  /** Whether no category is chosen for the customer (a "choose" entry first). */
  prompt: boolean;
}) {
  return (
    <fieldset class="declaration">
      <legend>
        お取引の内容(犯収法の取引時確認) <small>About this transaction (取引時確認 under 犯収法)</small>
      </legend>
      <Item
        name="transactionPurpose"
        ja="取引を行う目的"
        en="purpose of the transaction"
        choices={lists.purposes}
        value={value.transactionPurpose}
        maxDetail={lists.maxDetail}
        prompt={prompt}
        onChange={(transactionPurpose) => onChange({ ...value, transactionPurpose })}
      />
      <Item
        name="occupation"
        ja="職業"
        en="occupation"
        choices={lists.occupations}
        value={value.occupation}
        maxDetail={lists.maxDetail}
        prompt={prompt}
        onChange={(occupation) => onChange({ ...value, occupation })}
      />
      <p class="small muted">
        確認記録に記録します。個人番号(マイナンバー)は書かないでください。{' '}
        <small>Kept in the verification record. Never write your My Number here.</small>
      </p>
    </fieldset>
  );
}

function declaredText(item: DeclaredView | null): string {
  if (item === null) return '—';
  return item.detail === null ? item.name_ja : `${item.name_ja}(${item.detail})`;
}

/** What the customer declared, as a result shows it. */
/** What the customer declared, as a result shows it. */
export interface DeclaredPair {
  transactionPurpose: DeclaredView | null;
  occupation: DeclaredView | null;
}

export function DeclaredTable({ declared }: { declared: DeclaredPair }) {
  const rows: [keyof DeclarationInput, string, string][] = [
    ['transactionPurpose', '取引を行う目的', 'purpose of the transaction'],
    ['occupation', '職業', 'occupation'],
  ];
  return (
    <dl class="facts" data-declaration>
      {rows.map(([name, ja, en]) => {
        const item = declared[name];
        return (
          <Fragment key={name}>
            <dt>
              {ja} <small>{en}</small>
            </dt>
            <dd data-field={name} data-code={item?.code ?? ''}>
              {declaredText(item)}
              {item !== null ? <small> {item.name_en}</small> : null}
            </dd>
          </Fragment>
        );
      })}
    </dl>
  );
}
