/**
 * The bank's branch counter (窓口): from 2027-04-01 a face-to-face check under 犯収法 reads the chip rather
 * than looking at a card, and here the chip is the customer's phone. Staff read the phone in person over
 * ISO/IEC 18013-5 proximity (proximity-read.ts): the verifier service is the counter's reader — it connects
 * to the loopback transport the phone's engagement names (the radio simulated), sends the bank's request,
 * verifies the answer (issuer, device authentication over its own transcript, the status list at the
 * issuer) and writes the verification record with what the customer declared (the purpose of the transaction
 * and the occupation, which 取引時確認 under 犯収法 records; staff enter them). The page shows the photo, name, address and birth date for
 * the face check; staff confirm "顔写真と一致 / face matches" (or not), and the result page shows the record
 * with its method — for a read face to face @mynakit/kyc names none (KYC_IN_PERSON_NOT_TABULATED: its table
 * holds the methods of receiving the record over the network, ル/新ト), and the page says so rather than
 * guess a letter.
 *
 * No phone OS exists here: the phone emulator shows its engagement and approves with its owner's biometric
 * through the explicit, labelled bridge. Server-rendered, no script. The portrait is shown once, on the
 * read's page; what the confirmation keeps (in this process's memory, bounded, used once) holds no portrait.
 */
import { randomUUID } from 'node:crypto';
import { html, type SafeHtml } from '@mynakit/page-html';
import { OCCUPATIONS, TRANSACTION_PURPOSES } from '@mynakit/verifier';
import type { UserAuthentication, WalletDevice } from '@mynakit/wallet';
import type { Hono } from 'hono';
import { JP_NAMESPACE as JP } from './bridge-flows.js';
import {
  checksHtml,
  formFields,
  methodHtml,
  noPhonePage,
  recordHtml,
  refusalPage,
  rpPage,
  verdictHtml,
  verifierCall,
} from './jpki-page-parts.js';
import { type ProximityAnswer, readRecordOverProximity } from './proximity-read.js';
import type { SandboxBank } from './sandbox-bank.js';

/** What the counter reads: the four facts of the record method (name, address, birth date, photo). */
export const BRANCH_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  [JP]: ['full_name_unicode', 'resident_address_unicode', 'birth_date_unicode', 'portrait'],
};

const back = '/verifier/bank/branch/';
const REFUSED = '読み取れません — サンドボックス銀行 窓口';

/** Reads awaiting the staff's face check, kept for their confirmation (bounded, used once). */
const MAX_PENDING = 64;

/** One declared item: a code of the verifier's list and an optional detail. */
interface DeclaredItem {
  readonly code: string;
  readonly detail?: string;
}

/** What the customer declared at the counter (取引時確認 under 犯収法: purpose of the transaction, occupation). */
interface CounterDeclaration {
  readonly transactionPurpose?: DeclaredItem;
  readonly occupation?: DeclaredItem;
}

/** What a confirmation needs of a read: never the portrait. */
interface PendingRead {
  readonly phoneId: string;
  readonly declared: CounterDeclaration;
  readonly answer: Omit<ProximityAnswer, 'elements'>;
  readonly name: string;
}

const WHY_NO_METHOD = html`窓口で電話から対面で読み取った記録です。本人確認方法の表(@mynakit/kyc)にあるのは記録の「送信を受ける方法」(ル、2027年4月1日から新ト)だけで、対面の方法の号は載っていないため、号は示しません。
<br><span class="en">The record was read face to face at the counter. The method table (@mynakit/kyc) holds only the methods of receiving the record over the network (ル, 新ト from 2027-04-01) and names no face-to-face letter, so none is shown rather than guessed.</span>`;

const BRIDGE = html`<p class="bridge">この環境には無線も電話の OS もありません。電話エミュレータがデバイスエンゲージメント(<code>mdoc:</code> の QR の内容)を示し、検証サービスが窓口のリーダーとしてそこに書かれたループバックの WebSocket(無線の代わり)へ接続します。お客様は電話の生体認証で承認します(ブリッジ経由)。
<br><span class="en">No radio and no phone OS exist here: the phone emulator shows its device engagement (the <code>mdoc:</code> QR content), and the verifier service, as the counter's reader, connects to the loopback WebSocket it names (standing in for the radio). The customer approves with the phone's biometric, through the bridge.</span></p>`;

function choices(name: string, list: typeof OCCUPATIONS, ja: string, en: string): SafeHtml {
  return html`<label>${ja} <span class="en">${en}</span>
<select name="${name}" required style="max-width:100%">${[...list].map(([code, n]) => html`<option value="${code}">${n.name_ja} / ${n.name_en}</option>`)}</select></label>
<label><small>補足(「その他」のとき)<span class="en">detail (for other)</span></small> <input name="${name}Detail" maxlength="60" autocomplete="off"></label><br>`;
}

/** The declaration the form carries (bounded by formFields; the verifier checks the codes and details). */
function declarationFrom(form: URLSearchParams): CounterDeclaration {
  // An item not chosen is left out: the verifier names what is missing (VERIFIER_OCCUPATION_REQUIRED…).
  const item = (name: string): { [key: string]: DeclaredItem } => {
    const code = form.get(name) ?? '';
    const detail = (form.get(`${name}Detail`) ?? '').trim();
    return code === '' ? {} : { [name]: { code, ...(detail === '' ? {} : { detail }) } };
  };
  return { ...item('transactionPurpose'), ...item('occupation') };
}

/** A declared item as the result page shows it: the category's Japanese name, and the detail. */
function declaredText(item: DeclaredItem | undefined, list: typeof OCCUPATIONS): string {
  if (item === undefined) return '—';
  const name = list.get(item.code)?.name_ja ?? item.code;
  return item.detail === undefined ? name : `${name} (${item.detail})`;
}

/** The counter's page: one read per phone. */
export function renderBranchPage(phones: readonly WalletDevice[]): string {
  return rpPage(
    '窓口 — サンドボックス銀行',
    html`<h1>サンドボックス銀行 窓口 <span class="en">Sandbox Bank — branch counter</span></h1>
<p>口座開設の取引時確認を対面で行います。お客様の電話をリーダーで読み取り(ISO/IEC 18013-5 近接)、顔写真とご本人を見比べてください。2027年4月1日からは、対面でも IC チップの読み取りが求められます。
<br><span class="en">Identity verification for opening an account, face to face: read the customer's phone at the reader (ISO/IEC 18013-5 proximity) and compare the photo with the customer. From 2027-04-01 face-to-face checks under 犯収法 read the chip.</span></p>
${BRIDGE}
${phones.map(
  (p) => html`<form class="phone" method="post" action="read" data-phone-form="${p.id}">
<input type="hidden" name="phone" value="${p.id}">
<p><strong>${p.id}</strong> (${p.family}) — 電話エミュレータ、ブリッジ経由 <span class="en">phone emulator, through the bridge</span></p>
<p><small>お客様の申告(取引時確認)<span class="en">what the customer declares (取引時確認)</span></small><br>
${choices('transactionPurpose', TRANSACTION_PURPOSES, '取引を行う目的', 'purpose of the transaction')}
${choices('occupation', OCCUPATIONS, '職業', 'occupation')}</p>
<button name="biometric" value="matched">電話を読み取る / Read the phone</button>
<button name="biometric" value="failed">お客様が承認しない(試験用)/ the customer does not approve (test)</button>
</form>`,
)}
<p><a href="/verifier/bank/">オンラインの口座開設 / online account opening</a></p>`,
  );
}

function factsHtml(values: Record<string, unknown>): SafeHtml {
  const portrait = typeof values.portrait === 'string' ? values.portrait : undefined;
  return html`<table data-face-facts>
${portrait ? html`<tr><th>顔写真 <span class="en">photo</span></th><td><img class="portrait" data-portrait alt="portrait" src="data:image/jpeg;base64,${portrait}"></td></tr>` : ''}
<tr><th>氏名 <span class="en">name</span></th><td data-field="name">${String(values.full_name_unicode ?? '')}</td></tr>
<tr><th>住所 <span class="en">address</span></th><td data-field="address">${String(values.resident_address_unicode ?? '')}</td></tr>
<tr><th>生年月日 <span class="en">birth date</span></th><td data-field="birthDate">${String(values.birth_date_unicode ?? '')}</td></tr>
</table>`;
}

function readPage(phone: WalletDevice, answer: ProximityAnswer, token: string | undefined): string {
  const values =
    answer.elements !== undefined && Object.hasOwn(answer.elements, JP) ? answer.elements[JP] : undefined;
  return rpPage(
    '読み取り結果 — サンドボックス銀行 窓口',
    html`<h1>読み取り結果 <span class="en">Read at the counter</span></h1>
<p class="bridge" data-answered-by="bridge">応答した電話 <span class="en">answered by</span>: ${phone.id} (${phone.family}) — 近接読み取り、ブリッジ経由 <span class="en">proximity read, through the bridge</span></p>
<p data-face-channel="proximity">ISO/IEC 18013-5: デバイスエンゲージメント、SessionEstablishment、SessionData <span class="en">device engagement, SessionEstablishment, SessionData</span> — リーダーは検証サービス <span class="en">the reader is the verifier service</span></p>
${verdictHtml(answer)}
${
  values !== undefined && token !== undefined
    ? html`<h2>顔の確認 <span class="en">Face check</span></h2>
${factsHtml(values)}
<form method="post" action="confirm" data-face-confirm>
<input type="hidden" name="read" value="${token}">
<button name="face" value="match">顔写真と一致 / Face matches</button>
<button name="face" value="mismatch">一致しない / Does not match</button>
</form>`
    : html`<p data-face-check="not-shown">顔写真は表示できません — 取引を進めないでください <span class="en">no photo to show — do not proceed</span></p>`
}
${recordHtml(answer)}
<h2>検証 <span class="en">Checks</span></h2>
${checksHtml(answer)}
<p><a href="${back}">次の方 / next</a></p>`,
  );
}

function confirmedPage(pending: PendingRead, matched: boolean): string {
  const { answer } = pending;
  return rpPage(
    '確認結果 — サンドボックス銀行 窓口',
    html`<h1>確認結果 <span class="en">Counter result</span></h1>
${
  matched
    ? html`<p data-face-match="match" class="passed">顔写真と一致(職員が確認)<span class="en">the face matches the photo (checked by staff)</span>: ${pending.name}</p>`
    : html`<p data-face-match="mismatch" class="failed">顔写真と一致しません — 取引を進めないでください <span class="en">the face does not match the photo — do not proceed</span></p>`
}
${verdictHtml(answer)}
${recordHtml(answer)}
<table data-declaration>
<tr><th>取引を行う目的 <span class="en">purpose of the transaction</span></th><td data-field="transactionPurpose">${declaredText(pending.declared.transactionPurpose, TRANSACTION_PURPOSES)}</td></tr>
<tr><th>職業 <span class="en">occupation</span></th><td data-field="occupation">${declaredText(pending.declared.occupation, OCCUPATIONS)}</td></tr>
</table>
<h2>本人確認方法 <span class="en">KYC method</span></h2>
${methodHtml(answer, WHY_NO_METHOD)}
<p><small>確認記録は検証サービスが読み取りと同時に書きました(顔写真そのものは残さず、そのハッシュだけ。マイナンバーは求めていません)。顔の照合は窓口の職員が行い、銀行が自ら記録します。
<br><span class="en">The verifier wrote the verification record with the read (not the photo, only its hash; My Number was not asked). The face comparison is the staff's, and the bank records it itself.</span></small></p>
<p><a href="${back}">次の方 / next</a></p>`,
  );
}

/** Registers `/verifier/bank/branch/` (before the verifier's own routes). */
export function registerBankBranchPages(
  app: Hono,
  parts: {
    readonly url: string;
    readonly bank: SandboxBank;
    readonly verifierFetch: (request: Request) => Response | Promise<Response>;
    readonly phones: readonly WalletDevice[];
  },
): void {
  const api = verifierCall(parts.verifierFetch, parts.url, parts.bank.apiKey);
  const pending = new Map<string, PendingRead>();

  app.get('/verifier/bank/branch', (c) => c.redirect(back));
  app.get(back, (c) => c.html(renderBranchPage(parts.phones)));
  app.post('/verifier/bank/branch/read', async (c) => {
    const form = await formFields(c.req.raw);
    const phone = parts.phones.find((p) => p.id === form.get('phone'));
    if (phone === undefined) return c.html(noPhonePage(REFUSED, back), 400);
    const userAuthentication: UserAuthentication = {
      method: 'biometric',
      matched: form.get('biometric') !== 'failed',
    };
    const declared = declarationFrom(form);
    const outcome = await readRecordOverProximity({
      phone,
      elements: BRANCH_ELEMENTS,
      purpose: 'account-opening',
      declaration: declared,
      read: api,
      userAuthentication,
    });
    if (outcome.kind === 'refused')
      return c.html(
        refusalPage(
          REFUSED,
          html`電話を読み取れませんでした <span class="en">the phone could not be read</span>`,
          outcome.code,
          back,
        ),
        422,
      );
    const { answer } = outcome;
    const values =
      answer.elements !== undefined && Object.hasOwn(answer.elements, JP) ? answer.elements[JP] : undefined;
    let token: string | undefined;
    if (answer.verdict === 'valid' && values !== undefined) {
      token = randomUUID();
      const { elements: _shown, ...kept } = answer;
      if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value as string);
      pending.set(token, {
        phoneId: phone.id,
        declared,
        answer: kept,
        name: String(values.full_name_unicode ?? ''),
      });
    }
    return c.html(readPage(phone, answer, token), answer.verdict === 'valid' ? 200 : 422);
  });
  app.post('/verifier/bank/branch/confirm', async (c) => {
    const form = await formFields(c.req.raw);
    const token = form.get('read') ?? '';
    const read = pending.get(token);
    if (read === undefined)
      return c.html(
        refusalPage(
          REFUSED,
          html`この読み取りは確認済みか、見つかりません — もう一度読み取ってください <span class="en">this read was already confirmed or is unknown — read the phone again</span>`,
          'read-unknown',
          back,
        ),
        404,
      );
    pending.delete(token);
    return c.html(confirmedPage(read, form.get('face') === 'match'));
  });
}
