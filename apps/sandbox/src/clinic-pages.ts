/**
 * Story 6 — the clinic's front desk (DOMAIN.md §3 "Health insurance"): the holder holds the phone to the
 * clinic's reader; the Android holder types the 4-digit auth PIN on the reader page, the iPhone holder
 * approves with the phone's biometric (Face ID). The clinic's server
 *
 * 1. opens a jpki-authentication session at the verifier (a fresh 32-byte challenge; its API key stays
 *    here) and hands the challenge to the phone through the labelled bridge — the phone emulator's
 *    `authenticateWithJpki` (the user-authentication key signs after the PIN or the biometric; three wrong
 *    PINs lock it, as story 5 shows on the phone's page);
 * 2. sends the certificate and signature to the verifier: chain to the sandbox JPKI CAs, the
 *    user-authentication profile, the signature over the challenge, OCSP status at the issuer, a record;
 * 3. asks the issuer's insurer registry for the qualification in force today (online qualification
 *    confirmation, `POST /issuer/insurance/qualification-confirmations` as the clinic's `insurance` client),
 *    with the same answer to the same challenge;
 * 4. for the face check at the desk, reads the portrait, name and birth date only from the phone's
 *    card-substitute record in person, over ISO/IEC 18013-5 proximity: the verifier is the desk's reader
 *    (POST /verifier/sessions/proximity with the clinic's key) and runs a real session with the phone —
 *    device engagement, SessionEstablishment with the reader's ephemeral key, encrypted SessionData — over a
 *    loopback WebSocket standing in for the radio (proximity-read.ts; the holder consents on the phone),
 *    verifies the answer and writes its verification record; the page shows them beside the qualification.
 *
 * The user-authentication certificate carries no personal data: who the person is comes from the
 * insurer's answer and the record, never from the certificate.
 */
import { html, type SafeHtml } from '@mynakit/page-html';
import type { UserAuthentication, WalletDevice } from '@mynakit/wallet';
import type { Hono } from 'hono';
import { authenticateThroughBridge, JP_NAMESPACE as JP, userAuthenticationFrom } from './bridge-flows.js';
import {
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
import { readRecordOverProximity } from './proximity-read.js';
import { SANDBOX_CLINIC_NAME, type SandboxClinic } from './sandbox-clinic.js';

/** What the desk asks of the record for the face check: the photo, the name, the birth date — no more. */
export const CLINIC_FACE_CHECK_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  [JP]: ['portrait', 'full_name_unicode', 'birth_date_unicode'],
};

const back = '/verifier/clinic/';
const REFUSED = '受付できません — Sandbox Clinic';

/** The insurer registry's answer (services/issuer insurance/routes.ts). */
interface QualificationAnswer {
  readonly qualification?: {
    insurerNumber: string;
    symbol: string;
    number: string;
    branch: string | null;
    copaymentPercent: number;
    validFrom: string;
    validUntil: string | null;
  };
  readonly confirmedFor?: string;
  readonly code?: string;
}

/** What the record gave for the face check, or why it is not shown. */
type FaceCheck =
  | {
      readonly shown: true;
      readonly verdict: string;
      readonly elements: Record<string, unknown>;
      /** The verifier's record of the read. */
      readonly recordId: string;
      readonly errorCode?: string | undefined;
    }
  | { readonly shown: false; readonly reason: string };

const WHY_NO_METHOD = html`診療所は犯収法の特定事業者ではなく、利用者証明は本人確認の方法でもありません(利用者証明用電子証明書には氏名などが入っていません)。受付に要るのは、本人であることと保険の資格です。
<br><span class="en">A clinic is under no KYC law, and user authentication is no identity-verification method (the user-authentication certificate holds no name or address): the desk needs to know it is the holder, and the insurance qualification.</span>`;

/** The clinic's reader page: one form per phone, as its family unlocks the auth key. */
export function renderClinicPage(phones: readonly WalletDevice[]): string {
  return rpPage(
    '受付 — Sandbox Clinic',
    html`<h1>${SANDBOX_CLINIC_NAME} 受付 <span class="en">front desk</span></h1>
<p>スマートフォンを受付のリーダーにかざしてください。利用者証明用電子証明書で本人を確かめ、オンライン資格確認で保険の資格を確認します。顔写真・氏名・生年月日はカード代替電磁的記録から表示し、受付の職員が目で確かめます。
<br><span class="en">Hold your phone to the desk's reader. The user-authentication certificate proves it is you, the online qualification confirmation gives your insurance, and the photo, name and birth date from the card-substitute record let the desk check your face.</span></p>
<p class="bridge">この環境にはリーダーも OS もないため、電話エミュレータがブリッジ経由で応答します(<code>authenticateWithJpki</code>)。顔確認の記録は ISO/IEC 18013-5 の近接読み取り(無線は WebSocket で模擬)で受け取ります。Android では暗証番号をこのリーダー画面で入力し、iPhone では電話の生体認証(Face ID)で承認します。
<br><span class="en">No reader and no OS exist here: the phone emulator answers through an explicit bridge (<code>authenticateWithJpki</code>); the record for the face check comes over an ISO/IEC 18013-5 proximity read (radio simulated over WebSocket). Android holders type the auth PIN on this reader page; iPhone holders approve with the phone's biometric (Face ID).</span></p>
${phones.map((p) =>
  p.family === 'android'
    ? html`<form class="phone" method="post" action="check" data-phone-form="${p.id}">
<input type="hidden" name="phone" value="${p.id}">
<p><strong>${p.id}</strong> (${p.family}) — 電話エミュレータ、ブリッジ経由 <span class="en">phone emulator, through the bridge</span></p>
<label>利用者証明用暗証番号(数字4桁) <span class="en">auth PIN (4 digits)</span>
<input type="password" name="pin" required inputmode="numeric" minlength="4" maxlength="4" pattern="[0-9]{4}" autocomplete="off"></label>
<button>確認 / Confirm</button>
<p><small>3回間違えるとロックされます <span class="en">three wrong PINs lock it</span></small></p>
</form>`
    : html`<form class="phone" method="post" action="check" data-phone-form="${p.id}">
<input type="hidden" name="phone" value="${p.id}">
<p><strong>${p.id}</strong> (${p.family}) — 電話エミュレータ、ブリッジ経由 <span class="en">phone emulator, through the bridge</span></p>
<button name="biometric" value="matched">Face ID で承認 / Approve with Face ID</button>
<button name="biometric" value="failed">Face ID が一致しない(試験用)/ Face ID does not match (test)</button>
</form>`,
)}`,
  );
}

function qualificationHtml(answer: QualificationAnswer | undefined, status: number): SafeHtml {
  if (answer === undefined)
    return html`<p data-qualification="not-asked">本人確認が有効でないため、資格は照会していません <span class="en">not asked: the authentication is not valid</span></p>`;
  const q = answer.qualification;
  if (q === undefined)
    return html`<p data-qualification="refused" data-qualification-code="${answer.code ?? String(status)}">資格を確認できません <span class="en">no qualification confirmed</span>: <code>${answer.code ?? String(status)}</code></p>`;
  return html`<table data-qualification="confirmed">
<tr><th>保険者番号 <span class="en">insurer number</span></th><td data-field="insurerNumber">${q.insurerNumber}</td></tr>
<tr><th>記号・番号・枝番 <span class="en">symbol, number, branch</span></th><td>${q.symbol} · ${q.number} · ${q.branch ?? '—'}</td></tr>
<tr><th>一部負担金割合 <span class="en">copayment</span></th><td data-field="copaymentPercent">${String(q.copaymentPercent)} %</td></tr>
<tr><th>資格の期間 <span class="en">valid</span></th><td>${q.validFrom} 〜 ${q.validUntil ?? ''}</td></tr>
<tr><th>確認日 <span class="en">confirmed for</span></th><td>${answer.confirmedFor ?? ''}</td></tr>
</table>
<p><small>サンドボックスの保険者番号は 99 で始まります <span class="en">sandbox insurer numbers start with 99</span></small></p>`;
}

function faceCheckHtml(face: FaceCheck | undefined): SafeHtml {
  if (face === undefined)
    return html`<p data-face-check="not-asked">本人確認が有効でないため、記録は求めていません <span class="en">not asked: the authentication is not valid</span></p>`;
  if (!face.shown)
    return html`<p data-face-check="not-shown" data-face-check-reason="${face.reason}">顔写真は表示できません — 受付で写真付きの本人確認書類を見てください <span class="en">no photo to show — check a photo ID at the desk</span>: <code>${face.reason}</code></p>`;
  const portrait = typeof face.elements.portrait === 'string' ? face.elements.portrait : undefined;
  return html`<p data-face-channel="proximity">近接読み取り(無線は WebSocket で模擬)/ proximity read (radio simulated over WebSocket) — ISO/IEC 18013-5: device engagement, SessionEstablishment, SessionData</p>
<p data-face-check="${face.verdict}">記録の検証(検証サービス)<span class="en">record verification (the verifier service)</span>: <strong class="${face.verdict === 'valid' ? 'passed' : 'failed'}">${face.verdict}</strong>${face.errorCode ? html` — <code>${face.errorCode}</code>` : ''}</p>
<p data-face-record="${face.recordId}">確認記録 <span class="en">verification record</span>: <code>${face.recordId}</code></p>
${
  face.verdict === 'valid'
    ? html`<table>
${portrait ? html`<tr><th>顔写真 <span class="en">photo</span></th><td><img class="portrait" alt="portrait" src="data:image/jpeg;base64,${portrait}"></td></tr>` : ''}
<tr><th>氏名 <span class="en">name</span></th><td data-field="faceName">${String(face.elements.full_name_unicode ?? '')}</td></tr>
<tr><th>生年月日 <span class="en">birth date</span></th><td data-field="faceBirthDate">${String(face.elements.birth_date_unicode ?? '')}</td></tr>
</table>
<p><small>住所・性別・マイナンバーは求めていません <span class="en">address, sex and My Number were not asked</span></small></p>`
    : ''
}`;
}

function resultPage(
  phone: WalletDevice,
  how: UserAuthentication['method'],
  answer: JpkiAnswer,
  qualification: { answer: QualificationAnswer; status: number } | undefined,
  face: FaceCheck | undefined,
): string {
  return rpPage(
    '受付の結果 — Sandbox Clinic',
    html`<h1>受付の結果 <span class="en">Front desk result</span></h1>
<p class="bridge" data-answered-by="bridge">応答した電話 <span class="en">answered by</span>: ${phone.id} (${phone.family}) — ${how === 'pin' ? html`暗証番号(リーダーで入力) <span class="en">auth PIN typed on the reader</span>` : html`生体認証(電話) <span class="en">the phone's biometric</span>`} — ブリッジ経由 <span class="en">through the bridge</span></p>
<h2>本人確認(利用者証明) <span class="en">User authentication</span></h2>
${verdictHtml(answer)}
<h2>保険の資格(オンライン資格確認) <span class="en">Insurance qualification (online confirmation)</span></h2>
${qualificationHtml(qualification?.answer, qualification?.status ?? 0)}
<h2>顔の確認 <span class="en">Face check</span></h2>
${faceCheckHtml(face)}
${answer.certificate ? html`<h2>利用者証明用電子証明書 <span class="en">User-authentication certificate</span></h2>${certificateHtml(answer.certificate)}` : ''}
<h2>本人確認方法 <span class="en">KYC method</span></h2>
${methodHtml(answer, WHY_NO_METHOD)}
<h2>検証 <span class="en">Checks</span></h2>
${checksHtml(answer)}
${recordHtml(answer)}
<p><a href="${back}">次の方 / next</a></p>`,
  );
}

/** Registers `/verifier/clinic/` and its check (before the verifier's own routes). */
export function registerClinicPages(
  app: Hono,
  parts: {
    readonly url: string;
    readonly clinic: SandboxClinic;
    readonly verifierFetch: (request: Request) => Response | Promise<Response>;
    /** The issuer app under /issuer (the insurer registry). */
    readonly issuerFetch: (request: Request) => Response | Promise<Response>;
    readonly phones: readonly WalletDevice[];
  },
): void {
  const api = verifierCall(parts.verifierFetch, parts.url, parts.clinic.apiKey);

  /** The online qualification confirmation with the holder's answer to the clinic's challenge. */
  const confirmQualification = async (body: {
    certificate: Uint8Array;
    challenge: string;
    signature: Uint8Array;
  }): Promise<{ answer: QualificationAnswer; status: number }> => {
    const res = await parts.issuerFetch(
      new Request(`${parts.url}/issuer/insurance/qualification-confirmations`, {
        method: 'POST',
        headers: { authorization: parts.clinic.insurerAuthorization, 'content-type': 'application/json' },
        body: JSON.stringify({
          certificate: Buffer.from(body.certificate).toString('base64'),
          challenge: body.challenge,
          signature: Buffer.from(body.signature).toString('base64'),
        }),
      }),
    );
    return { answer: (await res.json()) as QualificationAnswer, status: res.status };
  };

  /** The face check: portrait, name, birth date from the record, read in person over proximity. */
  const faceCheck = async (phone: WalletDevice): Promise<FaceCheck> => {
    const outcome = await readRecordOverProximity({
      phone,
      elements: CLINIC_FACE_CHECK_ELEMENTS,
      purpose: 'reception-face-check',
      read: api,
    });
    if (outcome.kind !== 'verified') return { shown: false, reason: outcome.code };
    const { answer } = outcome;
    const values =
      answer.elements !== undefined && Object.hasOwn(answer.elements, JP) ? answer.elements[JP] : {};
    return {
      shown: true,
      verdict: answer.verdict,
      elements: values ?? {},
      recordId: answer.recordId,
      errorCode: answer.errorCode,
    };
  };

  app.get('/verifier/clinic', (c) => c.redirect(back));
  app.get(back, (c) => c.html(renderClinicPage(parts.phones)));
  app.post('/verifier/clinic/check', async (c) => {
    const form = await formFields(c.req.raw);
    const phone = parts.phones.find((p) => p.id === form.get('phone'));
    if (phone === undefined) return c.html(noPhonePage(REFUSED, back), 400);
    const userAuthentication = userAuthenticationFrom(phone, form, REFUSED, back);
    if ('status' in userAuthentication) return c.html(userAuthentication.page, userAuthentication.status);
    // The bridge: the phone signs the verifier's challenge with its user-authentication key.
    const outcome = await authenticateThroughBridge({
      api,
      phone,
      userAuthentication,
      purpose: 'reception',
      relyingParty: SANDBOX_CLINIC_NAME,
      title: REFUSED,
      back,
    });
    if (outcome.kind === 'refused') return c.html(outcome.refusal.page, outcome.refusal.status);
    const answer = outcome.answer;
    const valid = outcome.ok && answer.verdict === 'valid';
    const qualification = valid ? await confirmQualification(outcome) : undefined;
    const face = valid ? await faceCheck(phone) : undefined;
    return c.html(
      resultPage(phone, userAuthentication.method, answer, qualification, face),
      outcome.ok ? 200 : 422,
    );
  });
}
