/**
 * Story 3 — the bank's account opening with a JPKI signature (DOMAIN.md §3 and §5): the application text
 * is shown, the holder picks a phone and types that phone's signature password (6–16 of A–Z 0–9; never a
 * biometric), and the bank's server
 *
 * 1. opens a jpki-signature session at the verifier with the application text (its API key stays here);
 * 2. hands the exact bytes the verifier keeps to the chosen phone through the labelled bridge — the phone
 *    emulator's `signWithJpki` (CMS SignedData by the signature key after the password; a wrong password is
 *    counted by the phone, locked after 5), as an OS would hand them to the phone's JPKI app;
 * 3. sends the CMS to the verifier, which checks the signature over exactly that document, the chain to the
 *    sandbox JPKI CAs, the signature profile and the basic four, the certificate's status at the issuer's
 *    OCSP (then CRL), names the KYC method or why none applies, and writes the verification record.
 *
 * The result page shows the verdict, every check, the basic four taken from the certificate, the
 * certificate's serial, the method (or why none) and the record — and, for a valid signature, the same
 * "パスキーを作成 / Create a passkey" offer as story 2's result page (bank-passkeys.ts): the verifier binds
 * the passkey to the person the signature certificate names, and the bank's sign-in page signs in with it.
 * The sandbox bank is honestly *no*
 * signature verifier (署名検証者, 公的個人認証法 §17; sandbox-bank.ts), so the method is "none —
 * KYC_NOT_A_SIGNATURE_VERIFIER", and the page says what an authorized bank would get.
 *
 * Account opening under 犯収法 is a 取引時確認: the form asks the purpose of the transaction and the
 * occupation (bank-declaration.ts); they are written into the application the holder signs, sent with the
 * signature session (the verifier refuses one without them) and shown on the result page beside the record.
 */
import { html } from '@mynakit/page-html';
import type { WalletDevice } from '@mynakit/wallet';
import type { Hono } from 'hono';
import {
  type BankDeclaration,
  bankRequestFromForm,
  declarationFieldsHtml,
  declarationHtml,
  declarationLines,
} from './bank-declaration.js';
import { renderPasskeyOffer } from './bank-passkeys.js';
import { signThroughBridge } from './bridge-flows.js';
import {
  basicFourHtml,
  certificateHtml,
  checksHtml,
  formFields,
  type JpkiAnswer,
  methodHtml,
  noPhonePage,
  recordHtml,
  rpPage,
  verdictHtml,
  verifierCall,
} from './jpki-page-parts.js';
import type { SandboxBank } from './sandbox-bank.js';

/**
 * The application the holder signs (UTF-8), the same bytes in the verifier's session and on the result page:
 * with what the customer declared on the form, so the signature covers it.
 */
export function bankJpkiApplication(declared: BankDeclaration): string {
  return [
    'サンドボックス銀行 普通預金口座開設申込書',
    'Sandbox Bank — application to open an ordinary deposit account',
    '',
    '申込者は、以下の内容で口座の開設を申し込み、本人確認のため署名用電子証明書で電子署名します。',
    'The applicant applies to open an account on these terms and signs with the JPKI signature certificate.',
    '',
    ...declarationLines(declared),
    '口座の種類 / account: 普通預金 / ordinary deposit',
  ].join('\n');
}

/** The application as the start page shows it, before the customer chose (their answers fill it in). */
export const BANK_JPKI_APPLICATION = bankJpkiApplication({});

const WHY_NO_METHOD = html`サンドボックス銀行は署名検証者(公的個人認証法 第17条)の認定を受けていない架空の銀行なので、電子署名による方法(犯収法施行規則 第6条第1項第1号 カ、2027年4月1日から 新ヌ)を名乗りません。検証はすべて実際に行い、確認記録も残します。認定を受けた銀行なら同じ署名で カ(新ヌ)になります。
<br><span class="en">The sandbox bank is a fictional bank without the authorization of a signature verifier (公的個人認証法 §17), so it claims no signature method (カ; 新ヌ from 2027-04-01). Every check runs for real and the record is written; an authorized bank would get カ (新ヌ) for the same signature.</span>`;

const back = '/verifier/bank/jpki/';

/** The bank's JPKI start page: the application, a phone and its signature password. */
export function renderJpkiBankPage(phones: readonly WalletDevice[]): string {
  return rpPage(
    '口座開設(JPKI 署名)— Sandbox Bank',
    html`<h1>サンドボックス銀行 口座開設 — 電子署名で本人確認 <span class="en">Sandbox Bank — open an account with a JPKI signature</span></h1>
<p>次の申込書に、スマートフォンの署名用電子証明書で電子署名してください。氏名・住所・生年月日・性別(基本4情報)は証明書から読み取ります。
<br><span class="en">Sign this application with the signature certificate on your phone. Your name, address, birth date and sex (the basic four) are read from the certificate.</span></p>
<h2>申込書 <span class="en">The application</span></h2>
<pre class="document" data-document>${BANK_JPKI_APPLICATION}</pre>
<p><small>取引を行う目的と職業は、下でお選びいただいた内容が申込書に入ります。<span class="en">The purpose of the transaction and the occupation you choose below are written into the application.</span></small></p>
<p class="bridge">この環境には OS の署名アプリがないため、選んだ電話エミュレータが署名します(明示的なブリッジ: <code>signWithJpki</code>)。署名用パスワードは電話が確かめ、間違いを数えます(5回でロック)。銀行の API キーはサーバーから出ません。
<br><span class="en">No OS signing app exists here: the chosen phone emulator signs (an explicit bridge: <code>signWithJpki</code>). The phone checks the signature password and counts wrong ones (locked after 5). The bank's API key never leaves its server.</span></p>
<form method="post" action="sign">
${declarationFieldsHtml({ myNumberSwitch: false })}
<p>どの電話で署名しますか <span class="en">Which phone signs?</span></p>
${phones.map(
  (p, i) =>
    html`<label><input type="radio" name="phone" value="${p.id}"${i === 0 ? ' checked' : ''}> ${p.id} (${p.family}) — 電話エミュレータ、ブリッジ経由 <span class="en">phone emulator, through the bridge</span></label><br>`,
)}
<p><label>署名用パスワード(英大文字・数字 6〜16文字) <span class="en">signature password (6–16 of A–Z, 0–9)</span><br>
<input type="password" name="password" required minlength="6" maxlength="16" pattern="[A-Z0-9]{6,16}" autocomplete="off"></label></p>
<button>申込書に署名して本人確認 / Sign the application and verify</button>
</form>
<p><small>カード代替電磁的記録での口座開設は <a href="/verifier/bank/">こちら</a> <span class="en">— with the card-substitute record instead</span></small></p>`,
  );
}

function resultPage(
  phone: WalletDevice,
  answer: JpkiAnswer,
  sessionId: string | undefined,
  declared: BankDeclaration,
): string {
  return rpPage(
    '本人確認の結果(JPKI 署名)— Sandbox Bank',
    html`<h1>本人確認の結果 — 電子署名 <span class="en">Verification result — JPKI signature</span></h1>
<p class="bridge" data-answered-by="bridge">署名した電話 <span class="en">signed by</span>: ${phone.id} (${phone.family}) — ブリッジ経由 <span class="en">through the bridge</span></p>
${verdictHtml(answer)}
${answer.identity ? html`<h2>基本4情報(署名用電子証明書から) <span class="en">The basic four, from the signature certificate</span></h2>${basicFourHtml(answer.identity)}` : ''}
${answer.signingTime ? html`<p>署名日時 <span class="en">signing time</span>: ${answer.signingTime}</p>` : ''}
${answer.certificate ? html`<h2>署名用電子証明書 <span class="en">Signature certificate</span></h2>${certificateHtml(answer.certificate)}` : ''}
<h2>本人確認方法 <span class="en">KYC method</span></h2>
${methodHtml(answer, WHY_NO_METHOD)}
<h2>検証 <span class="en">Checks</span></h2>
${checksHtml(answer)}
${recordHtml(answer)}
${declarationHtml(declared, answer.recordId)}
${answer.verdict === 'valid' && sessionId !== undefined ? renderPasskeyOffer(sessionId) : ''}
<h2>署名した申込書 <span class="en">The signed application</span></h2>
<pre class="document">${bankJpkiApplication(declared)}</pre>
<p><a href="${back}">もう一度 / again</a></p>`,
  );
}

/** Registers `/verifier/bank/jpki/` and its signing step (before the verifier's own routes). */
export function registerJpkiBankPages(
  app: Hono,
  parts: {
    readonly url: string;
    readonly bank: SandboxBank;
    readonly verifierFetch: (request: Request) => Response | Promise<Response>;
    readonly phones: readonly WalletDevice[];
  },
): void {
  const api = verifierCall(parts.verifierFetch, parts.url, parts.bank.apiKey);
  app.get('/verifier/bank/jpki', (c) => c.redirect(back));
  app.get(back, (c) => c.html(renderJpkiBankPage(parts.phones)));
  app.post('/verifier/bank/jpki/sign', async (c) => {
    const form = await formFields(c.req.raw);
    const phone = parts.phones.find((p) => p.id === form.get('phone'));
    const title = '署名できません — Sandbox Bank';
    if (phone === undefined) return c.html(noPhonePage(title, back), 400);
    const { declared } = bankRequestFromForm(form);
    // The bridge: the phone receives exactly the bytes the verifier keeps, and the bank's name.
    const outcome = await signThroughBridge({
      api,
      phone,
      password: form.get('password') ?? '',
      purpose: 'account-opening',
      text: bankJpkiApplication(declared),
      declared,
      relyingParty: 'サンドボックス銀行 / Sandbox Bank',
      title,
      back,
    });
    if (outcome.kind === 'refused') return c.html(outcome.refusal.page, outcome.refusal.status);
    return c.html(resultPage(phone, outcome.answer, outcome.sessionId, declared), outcome.ok ? 200 : 422);
  });
}
