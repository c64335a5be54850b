/**
 * The phone's screens for a JPKI request by link or QR code (jpki-request-routes.ts; the request:
 * @mynakit/oid4vp jpki-request README): the consent screen — who asks as the verified request object's
 * certificate names them and the verified client id, why, which secret opens the key (DOMAIN.md §3: the
 * 4-digit auth PIN or the owner's biometric for a user authentication; the 6–16 character signature
 * password, never a biometric, for a signature), for a signature the document to be signed (its text, or
 * its size and SHA-256 when it is not text), and the PIN pad or password field — and the screen after the
 * answer left the phone. Server-rendered, Japanese first with English labels; every form is relative, so
 * the screens work under any mount point (the sandbox's `/wallet/`).
 */
import { html, type SafeHtml } from '@mynakit/page-html';
import type { WalletDevice } from '../device/wallet-device.js';
import type { JpkiRequestSummary } from '../jpki-use/jpki-request.js';
import { frame } from './cross-device-page.js';

/** Japanese names of the purposes the mynakit verifier uses; any other is shown as sent. */
const PURPOSE_NAMES = new Map([
  ['log-in', 'ログイン / log in'],
  ['account-opening', '口座開設 / account opening'],
  ['contract', '契約 / contract'],
]);

/** What the consent screen shows besides the request: the secret's tries, and a refusal just met. */
export interface JpkiConsentState {
  /** Tries left of the secret this request needs (auth PIN or signature password). */
  readonly remainingTries: number;
  readonly locked: boolean;
  /** A wrong secret just typed: its code (WALLET_SECRET_WRONG) — the screen asks again. */
  readonly refusal?: string;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** `at` as the holder reads it: Japan time (UTC+9, no daylight saving), to the minute. */
function japanTime(at: Date): string {
  return `${new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} JST`;
}

function documentBlock(document: NonNullable<JpkiRequestSummary['document']>): SafeHtml {
  return html`<h2>署名する文書 <span class="en">The document to be signed</span></h2>
${
  document.text === undefined
    ? html`<p data-document="binary">テキストではない文書 <span class="en">not text</span> (${document.mediaType}): <span data-document-size>${document.size}</span> バイト <span class="en">bytes</span></p>`
    : html`<pre data-document="text" class="document">${document.text}</pre>`
}
<p><small>SHA-256: <code data-document-sha256>${document.sha256}</code></small></p>`;
}

function secretForms(walletUrl: string, summary: JpkiRequestSummary, state: JpkiConsentState): SafeHtml {
  if (state.locked)
    return html`<p class="warn" data-refusal="WALLET_SECRET_LOCKED">${
      summary.secret === 'signature-password'
        ? '署名用パスワードがロックされています。'
        : '利用者証明用暗証番号がロックされています。'
    }カードから搭載し直してください。<span class="en">The secret is locked: install from the card again.</span> <code>WALLET_SECRET_LOCKED</code></p>`;
  const url = html`<input type="hidden" name="url" value="${walletUrl}">`;
  if (summary.secret === 'signature-password')
    return html`<h2>署名用パスワード <span class="en">Signature password</span></h2>
<p><small>6〜16文字の英大文字と数字。署名は生体認証ではできません。<span class="en">6–16 capital letters and digits; a signature never opens with a biometric.</span> 残り <span data-remaining-tries="${state.remainingTries}">${state.remainingTries}</span> 回 <span class="en">tries left</span></small></p>
<form method="post" action="jpki-request">
${url}
<label>署名用パスワード <span class="en">signature password</span><br><input type="password" name="password" pattern="[A-Z0-9]{6,16}" minlength="6" maxlength="16" autocapitalize="characters" autocomplete="off" required></label>
<button>署名して送信 / Sign and send</button>
</form>`;
  return html`<h2>利用者証明用暗証番号 <span class="en">Auth PIN</span></h2>
<p><small>4桁の数字、または顔認証。<span class="en">4 digits, or the owner's biometric.</span> 残り <span data-remaining-tries="${state.remainingTries}">${state.remainingTries}</span> 回 <span class="en">tries left</span></small></p>
<form method="post" action="jpki-request">
${url}
<label>暗証番号 <span class="en">PIN</span><br><input type="password" name="pin" inputmode="numeric" pattern="[0-9]{4}" minlength="4" maxlength="4" autocomplete="off" required></label>
<button>暗証番号で承認して送信 / Approve with the PIN and send</button>
</form>
<form method="post" action="jpki-request">
${url}
<button name="biometric" value="matched">顔認証で承認して送信 / Approve with Face ID and send</button>
<button name="biometric" value="failed">顔が一致しない(試験)/ Face does not match (test)</button>
</form>`;
}

/** The consent screen of a verified JPKI request (see the file comment). */
export function renderJpkiConsentPage(
  phone: WalletDevice,
  walletUrl: string,
  summary: JpkiRequestSummary,
  state: JpkiConsentState,
): string {
  const signature = summary.requestType === 'jpki-signature';
  return frame(
    signature ? '電子署名の確認' : '利用者証明の確認',
    html`<h1 data-request-type="${summary.requestType}">${
      signature
        ? html`電子署名 <span class="en">Sign a document?</span>`
        : html`利用者証明(ログイン)<span class="en">Prove it is you?</span>`
    }</h1>
<p><small>${phone.id} (${phone.family}) — ${
      signature
        ? '署名用電子証明書で署名します。署名には基本4情報(氏名・生年月日・性別・住所)が含まれます。'
        : '利用者証明用電子証明書で本人であることを示します(氏名などは送られません)。'
    }<span class="en">${
      signature
        ? 'The signature certificate signs; it carries your name, birth date, sex and address.'
        : 'The user-authentication certificate proves it is you; it carries no name or address.'
    }</span></small></p>
${
  state.refusal === undefined
    ? ''
    : html`<p class="warn" data-refusal="${state.refusal}">${
        signature ? '署名用パスワードが違います。' : '暗証番号が違います。'
      }<span class="en">Wrong; nothing was sent.</span> <code>${state.refusal}</code></p>`
}
<h2>要求元 <span class="en">Who asks</span></h2>
<p data-reader="${summary.reader.authentication}" class="wrap"><strong data-reader-subject>${summary.reader.subject ?? '—'}</strong>${
      summary.clientName === undefined
        ? ''
        : html`<br><small>名乗り <span class="en">calls itself</span>: <span data-client-name>${summary.clientName}</span></small>`
    }<br>
<small>証明書で確認済み <span class="en">verified by its certificate</span> · <code data-client-id>${summary.clientId}</code></small></p>
<h2>目的 <span class="en">Why</span></h2>
<p data-purpose="${summary.purpose}">${PURPOSE_NAMES.get(summary.purpose) ?? summary.purpose}</p>
${summary.document === undefined ? '' : documentBlock(summary.document)}
<p><small>送信先 <span class="en">the answer goes to</span>: <code data-response-host>${hostOf(summary.responseUri)}</code> · 期限 <span class="en">until</span> <time data-expires datetime="${summary.expiresAt.toISOString()}">${japanTime(summary.expiresAt)}</time></small></p>
${secretForms(walletUrl, summary, state)}
<p><a href="../../">送らずに戻る / back without sending</a></p>`,
  );
}

/** The screen after the answer left the phone: to whom, and where the result shows. */
export function renderJpkiSentPage(phone: WalletDevice, summary: JpkiRequestSummary): string {
  return frame(
    '送信しました',
    html`<h1 data-sent="${summary.requestType}">${
      summary.requestType === 'jpki-signature'
        ? html`署名して送信しました <span class="en">Signed and sent</span>`
        : html`利用者証明を送信しました <span class="en">Proof sent</span>`
    }</h1>
<p class="wrap"><strong>${summary.reader.subject ?? '—'}</strong> <small>(<code>${hostOf(summary.responseUri)}</code>)</small></p>
<p>元の端末の画面に戻ってください。結果はそちらに表示されます。<br><span class="en">Go back to the other device: the result shows there.</span></p>
<p><small>${phone.id} の利用履歴に記録しました(文書の内容は記録しません)<span class="en">kept in this phone's history (not the document)</span></small></p>
<p><a href="../../">電話の一覧へ / the phones</a></p>`,
  );
}
