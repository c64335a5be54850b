/**
 * A mobile carrier's contract under 携帯電話不正利用防止法 (DOMAIN.md §1 "KYC law moves to chips", §5: the
 * revised ordinance in force 2026-04-01; the image-upload methods are gone). The customer picks one of the
 * two methods left for a contract made at a distance:
 *
 * - **チ** — the card-substitute record through a certified verification program: the same Annex C session
 *   flow through the labelled bridge as the bank's (bridge-flows.ts `presentRecordThroughBridge`), asking
 *   the least the law needs — name, address, birth date and portrait — never My Number;
 * - **ト** — a JPKI signature over the contract text, as the bank's JPKI page (`signThroughBridge`: the
 *   signature password on the phone, the basic four read from the certificate).
 *
 * The verifier verifies, checks the status at the sandbox issuer, names the method or why none applies and
 * writes the verification record (kept about 3 years after the contract ends under this law, DOMAIN.md §5).
 * The sandbox carrier's program is not certified and it is no signature verifier (sandbox-carrier.ts), so
 * the page shows honestly why no letter applies: KYC_PROGRAM_NOT_CERTIFIED for チ, KYC_NOT_A_SIGNATURE_VERIFIER
 * for ト. Server-rendered, no script; the carrier's API key never leaves the server.
 */
import { html, type SafeHtml } from '@mynakit/page-html';
import type { WalletDevice } from '@mynakit/wallet';
import type { Hono } from 'hono';
import {
  presentRecordThroughBridge,
  type RecordAnswer,
  recordIdentityHtml,
  signThroughBridge,
} from './bridge-flows.js';
import {
  basicFourHtml,
  certificateHtml,
  checksHtml,
  formFields,
  type JpkiAnswer,
  methodHtml,
  recordHtml,
  noPhonePage,
  refusalPage,
  rpPage,
  verdictHtml,
  verifierCall,
} from './jpki-page-parts.js';
import { SANDBOX_CARRIER_NAME, type SandboxCarrier } from './sandbox-carrier.js';

/** The contract the customer signs for ト (UTF-8), the same bytes on the page and in the verifier's session. */
export const CARRIER_CONTRACT = [
  'サンドボックス携帯 携帯電話利用契約申込書',
  'Sandbox Mobile — application for a mobile phone service contract',
  '',
  '申込者は、以下の内容で携帯電話の利用契約を申し込み、本人確認のため署名用電子証明書で電子署名します。',
  'The applicant applies for a mobile phone contract on these terms and signs with the JPKI signature certificate.',
  '',
  '料金プラン / plan: サンドボックス 5GB / Sandbox 5 GB',
  '回線数 / lines: 1',
  '契約者 / subscriber: 本人 / the applicant',
].join('\n');

/** Where a 携帯電話不正利用防止法 method's letter stands (the revised ordinance, DOMAIN.md §5). */
const KEITAI_METHOD_PLACE = html`携帯電話不正利用防止法施行規則(2026年4月1日施行の改正後)`;

const WHY_NO_CHI = html`チ は「認定を受けた検証プログラム」でカード代替電磁的記録を受け取る方法です。サンドボックスのプログラムは認定を受けていないので、チ を名乗りません(KYC_PROGRAM_NOT_CERTIFIED)。記録の検証はすべて実際に行い、確認記録も残します。認定を受けたプログラムを使う事業者なら、同じ記録で チ になります。
<br><span class="en">チ is receiving the card-substitute record through a certified verification program. The sandbox's program is not certified, so it claims no チ (KYC_PROGRAM_NOT_CERTIFIED). Every check of the record runs for real and the record is written; a carrier using a certified program would get チ for the same record.</span>`;

const WHY_NO_TO = html`サンドボックス携帯は署名検証者(公的個人認証法 第17条)の認定を受けていない架空の事業者なので、電子署名による方法 ト を名乗りません(KYC_NOT_A_SIGNATURE_VERIFIER)。検証はすべて実際に行い、確認記録も残します。認定を受けた事業者なら同じ署名で ト になります。
<br><span class="en">Sandbox Mobile is a fictional carrier without the authorization of a signature verifier (公的個人認証法 §17), so it claims no signature method ト (KYC_NOT_A_SIGNATURE_VERIFIER). Every check runs for real and the record is written; an authorized carrier would get ト for the same signature.</span>`;

const back = '/verifier/carrier/';
const REFUSED = '本人確認できません — Sandbox Mobile';

function phoneChoice(phones: readonly WalletDevice[], verb: SafeHtml): SafeHtml {
  return html`<p>${verb}</p>
${phones.map(
  (p, i) =>
    html`<label><input type="radio" name="phone" value="${p.id}"${i === 0 ? ' checked' : ''}> ${p.id} (${p.family}) — 電話エミュレータ、ブリッジ経由 <span class="en">phone emulator, through the bridge</span></label><br>`,
)}`;
}

/** The carrier's start page: the two methods, each its own form. */
export function renderCarrierPage(phones: readonly WalletDevice[]): string {
  return rpPage(
    '携帯電話の契約 — Sandbox Mobile',
    html`<h1>${SANDBOX_CARRIER_NAME} 携帯電話の契約 <span class="en">a mobile phone contract</span></h1>
<p>携帯電話不正利用防止法により、契約の前に本人確認をします。2026年4月1日から、非対面の本人確認は IC チップによる方法に限られます。次のどちらかを選んでください(マイナンバーは求めません)。
<br><span class="en">The Mobile Phone Improper Use Prevention Act asks us to verify your identity before the contract. From 2026-04-01 a remote check reads the chip; the image-upload methods are gone. Pick one of these (never My Number).</span></p>
<p class="bridge">この環境には OS のウォレットも署名アプリもないため、選んだ電話エミュレータがブリッジ経由で応答します(<code>presentAnnexC</code>、<code>signWithJpki</code>)。携帯会社の API キーはサーバーから出ません。
<br><span class="en">No OS wallet or signing app exists here: the chosen phone emulator answers through an explicit bridge (<code>presentAnnexC</code>, <code>signWithJpki</code>). The carrier's API key never leaves its server.</span></p>
<h2>チ — カード代替電磁的記録 <span class="en">チ — the card-substitute record</span></h2>
<p>氏名・住所・生年月日・顔写真をスマートフォンの記録から受け取ります。<span class="en">We receive your name, address, birth date and photo from the record on your phone.</span></p>
<form class="phone" method="post" action="record" data-method-form="chi">
${phoneChoice(phones, html`どの電話で応答しますか <span class="en">Which phone answers?</span>`)}
<button>カード代替電磁的記録で本人確認 / Verify with the card-substitute record</button>
</form>
<h2>ト — 電子署名 <span class="en">ト — a JPKI signature</span></h2>
<p>次の申込書に署名用電子証明書で電子署名してください。基本4情報は証明書から読み取ります。<span class="en">Sign this application with the signature certificate; the basic four are read from the certificate.</span></p>
<pre class="document" data-document>${CARRIER_CONTRACT}</pre>
<form class="phone" method="post" action="sign" data-method-form="to">
${phoneChoice(phones, html`どの電話で署名しますか <span class="en">Which phone signs?</span>`)}
<p><label>署名用パスワード(英大文字・数字 6〜16文字) <span class="en">signature password (6–16 of A–Z, 0–9)</span><br>
<input type="password" name="password" required minlength="6" maxlength="16" pattern="[A-Z0-9]{6,16}" autocomplete="off"></label></p>
<button>申込書に署名して本人確認 / Sign the application and verify</button>
</form>`,
  );
}

function answeredBy(phone: WalletDevice, what: SafeHtml): SafeHtml {
  return html`<p class="bridge" data-answered-by="bridge">${what}: ${phone.id} (${phone.family}) — ブリッジ経由 <span class="en">through the bridge</span></p>`;
}

function recordResultPage(phone: WalletDevice, answer: RecordAnswer): string {
  return rpPage(
    '本人確認の結果(チ)— Sandbox Mobile',
    html`<h1>本人確認の結果 — カード代替電磁的記録 <span class="en">Verification result — the card-substitute record</span></h1>
${answeredBy(phone, html`応答した電話 <span class="en">answered by</span>`)}
${verdictHtml(answer)}
${answer.verdict === 'valid' ? html`<h2>本人特定事項 <span class="en">Identity facts</span></h2>${recordIdentityHtml(answer)}` : ''}
<h2>本人確認方法 <span class="en">KYC method</span></h2>
${methodHtml(answer, WHY_NO_CHI, KEITAI_METHOD_PLACE)}
<h2>検証 <span class="en">Checks</span></h2>
${checksHtml(answer)}
${recordHtml(answer)}
<p><a href="${back}">もう一度 / again</a></p>`,
  );
}

function signatureResultPage(phone: WalletDevice, answer: JpkiAnswer): string {
  return rpPage(
    '本人確認の結果(ト)— Sandbox Mobile',
    html`<h1>本人確認の結果 — 電子署名 <span class="en">Verification result — JPKI signature</span></h1>
${answeredBy(phone, html`署名した電話 <span class="en">signed by</span>`)}
${verdictHtml(answer)}
${answer.identity ? html`<h2>基本4情報(署名用電子証明書から) <span class="en">The basic four, from the signature certificate</span></h2>${basicFourHtml(answer.identity)}` : ''}
${answer.signingTime ? html`<p>署名日時 <span class="en">signing time</span>: ${answer.signingTime}</p>` : ''}
${answer.certificate ? html`<h2>署名用電子証明書 <span class="en">Signature certificate</span></h2>${certificateHtml(answer.certificate)}` : ''}
<h2>本人確認方法 <span class="en">KYC method</span></h2>
${methodHtml(answer, WHY_NO_TO, KEITAI_METHOD_PLACE)}
<h2>検証 <span class="en">Checks</span></h2>
${checksHtml(answer)}
${recordHtml(answer)}
<h2>署名した申込書 <span class="en">The signed application</span></h2>
<pre class="document">${CARRIER_CONTRACT}</pre>
<p><a href="${back}">もう一度 / again</a></p>`,
  );
}

/** Registers `/verifier/carrier/` and its two methods (before the verifier's own routes). */
export function registerCarrierPages(
  app: Hono,
  parts: {
    readonly url: string;
    readonly carrier: SandboxCarrier;
    readonly verifierFetch: (request: Request) => Response | Promise<Response>;
    readonly phones: readonly WalletDevice[];
  },
): void {
  const api = verifierCall(parts.verifierFetch, parts.url, parts.carrier.apiKey);
  const noPhone = () => noPhonePage(REFUSED, back);
  app.get('/verifier/carrier', (c) => c.redirect(back));
  app.get(back, (c) => c.html(renderCarrierPage(parts.phones)));
  app.post('/verifier/carrier/record', async (c) => {
    const form = await formFields(c.req.raw);
    const phone = parts.phones.find((p) => p.id === form.get('phone'));
    if (phone === undefined) return c.html(noPhone(), 400);
    // No elements named: the verifier asks what the law's record method needs, and nothing else.
    const outcome = await presentRecordThroughBridge({
      api,
      phone,
      origin: parts.url,
      purpose: 'mobile-contract',
    });
    if (outcome.kind === 'session-refused')
      return c.html(
        refusalPage(
          REFUSED,
          html`セッションを開けません <span class="en">the session could not be opened</span>`,
          outcome.code,
          back,
        ),
        502,
      );
    if (outcome.kind === 'phone-refused')
      return c.html(
        refusalPage(
          REFUSED,
          outcome.code === 'WALLET_NOT_FOUND'
            ? html`この電話には有効なカード代替電磁的記録がありません <span class="en">this phone holds no record in force</span>`
            : html`この電話は応答できませんでした <span class="en">the phone could not answer</span>`,
          outcome.code,
          back,
        ),
        409,
      );
    return c.html(recordResultPage(phone, outcome.answer), outcome.ok ? 200 : 422);
  });
  app.post('/verifier/carrier/sign', async (c) => {
    const form = await formFields(c.req.raw);
    const phone = parts.phones.find((p) => p.id === form.get('phone'));
    if (phone === undefined) return c.html(noPhone(), 400);
    const outcome = await signThroughBridge({
      api,
      phone,
      password: form.get('password') ?? '',
      purpose: 'mobile-contract',
      text: CARRIER_CONTRACT,
      relyingParty: SANDBOX_CARRIER_NAME,
      title: REFUSED,
      back,
    });
    if (outcome.kind === 'refused') return c.html(outcome.refusal.page, outcome.refusal.status);
    return c.html(signatureResultPage(phone, outcome.answer), outcome.ok ? 200 : 422);
  });
}
