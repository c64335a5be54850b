/**
 * The phone's screens for a QR code scanned from another device (cross-device-routes.ts): the scan screen
 * (a real phone's camera reads the QR code; the emulator takes the link it holds, `openid4vp://…`), the
 * consent screen — who asks as the verified request object's certificate names them, where the answer goes,
 * and per requested document the elements with a box each: ticked when the phone holds it, never offered
 * when it does not or when My Number is asked without a legal basis (DOMAIN.md §2) — and the screen after
 * the answer left the phone. Server-rendered, Japanese first with English labels; every link and form is
 * relative, so the pages work under any mount point (the sandbox's `/wallet/`).
 */
import { jpMncLabel } from '@mynakit/mdoc';
import { html, type SafeHtml } from '@mynakit/page-html';
import type { WalletDevice } from '../device/wallet-device.js';
import type {
  OpenId4VpCrossDevicePresentation,
  OpenId4VpCrossDeviceRequestSummary,
} from '../presentation/openid4vp-cross-device.js';

const DOC_TYPE_NAMES = new Map([
  [
    'org.iso.23220.1.jp.mnc',
    'マイナンバーカード(カード代替電磁的記録)/ My Number Card (card-substitute record)',
  ],
  ['org.iso.18013.5.1.mDL', '運転免許証(見本)/ sample mobile driving licence'],
]);

/** The form value naming one element of one document: `[docType, namespace, identifier]` as JSON. */
export function elementValue(docType: string, namespace: string, identifier: string): string {
  return JSON.stringify([docType, namespace, identifier]);
}

/** `url` when it is an http(s) URL, else undefined. */
function httpUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'https:' || protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** A screen of the phone (the scan, consent and sent screens share it; jpki-request-page.ts too). */
export function frame(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — mynakit wallet</title>
<style>
body{font-family:"IPAGothic","Hiragino Sans",system-ui,sans-serif;max-width:30rem;margin:1.5rem auto;padding:0 1rem;line-height:1.6;color:#1b1b1b}
h1{font-size:1.3rem}h2{font-size:1.05rem;margin:1rem 0 .3rem}.en,small{color:#555}.warn{color:#8a4b00}
.screen{border:2px solid #333;border-radius:1.6rem;padding:1rem 1.2rem}code,.wrap{overflow-wrap:anywhere}
ul.elements{list-style:none;padding-left:0}ul.elements li{margin:.2rem 0}textarea{width:100%;box-sizing:border-box}
button{margin:.3rem .3rem .3rem 0}pre.document{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid #999;padding:.5rem}
</style>
</head>
<body>
<div class="screen">
${body}
</div>
</body>
</html>
`.value;
}

/** The scan screen of `phone`: paste the QR code's link (a real phone reads it with its camera). */
export function renderScanPage(phone: WalletDevice): string {
  return frame(
    'QRコードを読み取る',
    html`<h1>QRコードを読み取る <span class="en">Scan a QR code</span></h1>
<p><small>${phone.id} (${phone.family}) — 実機ではカメラで読み取ります。ここでは QR コードのリンク(<code>openid4vp://…</code> または JPKI の <code>mynakit-jpki://…</code>)を貼り付けます。
<span class="en">A real phone reads the code with its camera; here, paste the link the QR code holds.</span></small></p>
<form method="get" action="openid4vp">
<label>リンク <span class="en">link</span><br><textarea name="url" rows="4" required spellcheck="false"></textarea></label>
<button>読み取る / Read</button>
</form>
<p><a href="../../">電話の一覧へ戻る / back to the phones</a></p>`,
  );
}

function elementLine(
  docType: string,
  e: OpenId4VpCrossDeviceRequestSummary['documents'][number]['elements'][number],
): SafeHtml {
  const label = html`${jpMncLabel(e.namespace, e.identifier, 'ja')} <span class="en">${jpMncLabel(e.namespace, e.identifier, 'en')}</span>${
    e.intentToRetain ? html` <small>(保存されます <span class="en">will be kept</span>)</small>` : ''
  }`;
  const attrs = html`data-element="${e.identifier}" data-namespace="${e.namespace}"`;
  if (e.withheld !== undefined)
    return html`<li ${attrs} data-withheld="${e.withheld}" class="warn">✕ ${label} — 提供しません: 相手に法令上の根拠がありません <span class="en">withheld: the requester declares no legal basis for My Number</span></li>`;
  if (!e.held)
    return html`<li ${attrs} data-held="no">✕ ${label} — この電話にはありません <span class="en">not held by this phone</span></li>`;
  return html`<li ${attrs}><label><input type="checkbox" name="element" value="${elementValue(docType, e.namespace, e.identifier)}" checked> ${label}</label></li>`;
}

/**
 * The consent screen of a verified cross-device request: who asks and what, the boxes of what to share,
 * and the owner's biometric (a button here) that sends the answer.
 */
export function renderConsentPage(
  phone: WalletDevice,
  walletUrl: string,
  summary: OpenId4VpCrossDeviceRequestSummary,
): string {
  const basis = summary.reader.myNumberLegalBasis;
  const anyHeld = summary.documents.some(
    (d) => d.available && d.elements.some((e) => e.held && e.withheld === undefined),
  );
  let host = '';
  try {
    host = new URL(summary.responseUri).host;
  } catch {}
  return frame(
    '提示の確認',
    html`<h1>本人確認情報の提供 <span class="en">Share your identity?</span></h1>
<p><small>${phone.id} (${phone.family})</small></p>
<h2>要求元 <span class="en">Who asks</span></h2>
<p data-reader="${summary.reader.authentication}" class="wrap"><strong data-reader-subject>${summary.reader.subject ?? '—'}</strong><br>
<small>証明書で確認済み <span class="en">verified by its certificate</span> · <code data-client-id>${summary.clientId}</code></small></p>
<p><small>送信先 <span class="en">the answer goes to</span>: <code data-response-host>${host}</code>(暗号化 <span class="en">encrypted</span>, direct_post.jwt)</small></p>
${
  basis === undefined
    ? ''
    : html`<p data-my-number-basis="${basis.basisCode}"><small>個人番号の利用根拠 <span class="en">legal basis for My Number</span>: ${basis.provision}</small></p>`
}
<form method="post" action="openid4vp">
<input type="hidden" name="url" value="${walletUrl}">
${summary.documents.map(
  (d) => html`<h2 data-doctype="${d.docType}">${DOC_TYPE_NAMES.get(d.docType) ?? d.docType}</h2>
${
  d.available
    ? html`<ul class="elements">${d.elements.map((e) => elementLine(d.docType, e))}</ul>`
    : html`<p class="warn" data-available="no">この電話には有効な書類がありません <span class="en">this phone holds no such document in force</span></p>`
}`,
)}
${
  anyHeld
    ? html`<p><small>チェックした項目だけが送られます。<span class="en">Only the ticked items are sent.</span></small></p>
<button name="biometric" value="matched">顔認証で承認して送信 / Approve with Face ID and send</button>
<button name="biometric" value="failed">顔が一致しない(試験)/ Face does not match (test)</button>`
    : ''
}
</form>
<p><a href="../../">送らずに戻る / back without sending</a></p>`,
  );
}

/** The screen after the answer left the phone: what went where, and where to look next. */
export function renderSentPage(phone: WalletDevice, presented: OpenId4VpCrossDevicePresentation): string {
  // A verifier's redirect_uri (§8.2) is followed only as an http(s) link, never as script or data.
  const redirect = httpUrl(presented.answer.redirectUri);
  let host = '';
  try {
    host = new URL(presented.responseUri).host;
  } catch {}
  return frame(
    '送信しました',
    html`<h1 data-sent>送信しました <span class="en">Sent</span></h1>
<p class="wrap"><strong>${presented.reader.subject ?? '—'}</strong> <small>(<code>${host}</code>)</small></p>
${Object.entries(presented.disclosed).map(
  ([docType, pairs]) => html`<h2>${DOC_TYPE_NAMES.get(docType) ?? docType}</h2>
<ul>${pairs.map(([ns, id]) => html`<li data-disclosed="${id}">${jpMncLabel(ns, id, 'ja')} <span class="en">${jpMncLabel(ns, id, 'en')}</span></li>`)}</ul>`,
)}
<p>元の端末の画面に戻ってください。結果はそちらに表示されます。<br><span class="en">Go back to the other device: the result shows there.</span></p>
${
  redirect === undefined
    ? ''
    : html`<p><a href="${redirect}" rel="noreferrer" data-redirect>続ける / continue</a></p>`
}
<p><small>${phone.id} の提示履歴に記録しました(項目名のみ)<span class="en">kept in this phone's history (element names only)</span></small></p>
<p><a href="../../">電話の一覧へ / the phones</a></p>`,
  );
}
