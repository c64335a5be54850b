/**
 * What the sandbox bank's customer declares on its forms (取引時確認 under 犯収法; src/bank-declaration.ts):
 * the purpose of the transaction 生計費決済 and the occupation 会社員 — as form fields, as the page's JSON,
 * and chosen on a page in Chromium.
 */
import { sandboxFetch, withHolderAnswer } from './phone-consent.js';

/** The bank forms' fields. */
export const DECLARED_FIELDS = {
  transactionPurpose: 'living-expenses',
  occupation: 'company-employee',
} as const;

/** The bank page's JSON for `api/sessions`. */
export const DECLARED_JSON = {
  transactionPurpose: { code: 'living-expenses' },
  occupation: { code: 'company-employee' },
} as const;

/** The part of a Playwright page (or frame) the choice needs. */
interface Selecting {
  selectOption(selector: string, value: string): Promise<unknown>;
}

/** Chooses the declaration on the bank page open in `page` (both bank pages have the same fields). */
export async function chooseDeclaration(page: Selecting): Promise<void> {
  await page.selectOption('select[name="transactionPurpose"]', DECLARED_FIELDS.transactionPurpose);
  await page.selectOption('select[name="occupation"]', DECLARED_FIELDS.occupation);
}

/** What the bank's labelled bridge answered (`POST /verifier/bank/api/bridge`): the result, or a problem. */
export interface BridgeAnswer {
  readonly status: number;
  readonly body: { verdict?: string; recordId?: string | null; code?: string };
}

/**
 * Has `phone` present its record to the bank through the labelled bridge, with the declaration above: the
 * holder approves what is offered on the phone's consent screen with a matched biometric.
 */
export async function verifyAtBank(sandboxUrl: string, phone: string): Promise<BridgeAnswer> {
  const { result: res } = await withHolderAnswer(sandboxFetch(sandboxUrl), phone, () =>
    fetch(`${sandboxUrl}/verifier/bank/api/bridge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone, ...DECLARED_JSON }),
    }),
  );
  return { status: res.status, body: (await res.json()) as BridgeAnswer['body'] };
}
