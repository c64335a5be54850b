/**
 * The phone emulator's overview page, rendered on the server so it works before any script loads:
 * every phone of this wallet with what it holds and its secrets' remaining tries, and whether the issuer
 * is reachable. Japanese first, English labels. It shows summaries only (phone-summary.ts): the held
 * documents' elements are shown by a phone only to its holder, after the device owner's biometric.
 */
import { html, type SafeHtml } from '@mynakit/page-html';
import type { IssuerStatus } from './issuer-status.js';
import type { PhoneSummary } from './phone-summary.js';

const DOC_TYPE_NAMES = new Map([
  [
    'org.iso.23220.1.jp.mnc',
    'マイナンバーカード(カード代替電磁的記録) / My Number Card (card-substitute record)',
  ],
  ['org.iso.18013.5.1.mDL', '運転免許証(見本) / sample mobile driving licence'],
]);

const FAMILY_NAMES = new Map([
  ['iphone', 'iPhone 型 / iPhone-like'],
  ['android', 'Android 型 / Android-like'],
]);

function issuerLine(status: IssuerStatus): SafeHtml {
  switch (status.state) {
    case 'not-configured':
      return html`<p class="warn" data-issuer="not-configured">発行者が設定されていません — 保持している記録は提示できますが、新しい搭載はできません。<br><span class="en">No issuer configured: the phones present what they hold, but cannot install anything new. Start with <code>--issuer-url</code> or <code>MYNAKIT_ISSUER_URL</code>.</span></p>`;
    case 'unreachable':
      return html`<p class="warn" data-issuer="unreachable">発行者 ${status.url} に接続できません(${status.reason})— オフラインとして動作します。<br><span class="en">The issuer at ${status.url} is unreachable (${status.reason}): the phones work offline.</span></p>`;
    case 'reachable':
      return html`<p data-issuer="reachable">発行者 <span class="en">Issuer</span>: <a href="${status.url}/">${status.url}</a> ✓</p>`;
  }
}

function secretLine(label: string, s: PhoneSummary['secrets']['authPin']): SafeHtml {
  if (!s.set) return html`<li>${label}: 未設定 <span class="en">not set</span></li>`;
  if (s.locked) return html`<li class="warn">${label}: ロック中 <span class="en">locked</span></li>`;
  return html`<li>${label}: 残り ${s.remaining} 回 <span class="en">${s.remaining} tries left</span></li>`;
}

function installForm(p: PhoneSummary, residents: readonly string[]): SafeHtml {
  const hasRecord = p.documents.some((d) => d.docType === 'org.iso.23220.1.jp.mnc' && d.state === 'active');
  const hasCertificates = p.certificates.some((c) => c.state === 'active');
  return html`<details${p.documents.length === 0 && p.certificates.length === 0 ? ' open' : ''}><summary>カードを読み取って搭載 <span class="en">Read a card and install</span></summary>
<form method="post" action="phones/${p.id}/install" class="install">
<label>住民(テストカード)<span class="en">resident (test card)</span> <select name="residentId">${residents.map((r) => html`<option value="${r}">${r}</option>`)}</select></label>
<label>新しい利用者証明用暗証番号 <span class="en">new auth PIN (4 digits)</span> <input name="newAuthPin" inputmode="numeric" pattern="[0-9]{4}" required autocomplete="off"></label>
<label>もう一度 <span class="en">again</span> <input name="newAuthPinAgain" inputmode="numeric" pattern="[0-9]{4}" required autocomplete="off"></label>
<label>新しい署名用パスワード <span class="en">new signature password (6–16 A–Z 0–9; 15 and over)</span> <input name="newSignaturePassword" pattern="[A-Z0-9]{6,16}" autocomplete="off"></label>
<label>もう一度 <span class="en">again</span> <input name="newSignaturePasswordAgain" pattern="[A-Z0-9]{6,16}" autocomplete="off"></label>
<label><input type="checkbox" name="liveness" value="confirmed"> 顔の撮影(生体確認)を行った <span class="en">liveness check done</span></label>
<button>搭載する / Install</button>
<p><small>カードの暗証番号はテストカードのファイルから入力します。<span class="en">The card's PINs are typed from the test card's file.</span></small></p>
</form></details>
${
  p.family === 'android' && hasCertificates && !hasRecord
    ? html`<form method="post" action="phones/${p.id}/record"><input type="hidden" name="biometric" value="matched"><button>記録を追加(カード読取なし)/ Add the record (no card needed)</button></form>`
    : ''
}`;
}

/**
 * Reading a QR code another device shows (OpenID4VP cross-device, or a JPKI request): the camera's part is
 * the link it holds; the scan route dispatches by its scheme.
 */
function scanForm(p: PhoneSummary): SafeHtml {
  return html`<h3>QRコード <span class="en">QR code</span></h3>
<form method="get" action="phones/${p.id}/openid4vp" class="scan"><label>別の端末の QR コードのリンク <span class="en">the link of a QR code on another device</span> <input name="url" placeholder="openid4vp://… / mynakit-jpki://…" required autocomplete="off" spellcheck="false"></label> <button>読み取る / Scan</button></form>`;
}

function phoneCard(p: PhoneSummary, residents: readonly string[] | undefined): SafeHtml {
  const active = p.documents.filter((d) => d.state === 'active');
  return html`<section class="phone" data-phone="${p.id}">
<h2>${p.id} <small>${FAMILY_NAMES.get(p.family) ?? p.family}${p.model ? ` · ${p.model}` : ''}</small></h2>
<h3>書類 <span class="en">Documents</span> (${active.length})</h3>
${
  p.documents.length === 0
    ? html`<p class="empty">まだ何も搭載されていません <span class="en">Nothing installed yet</span></p>`
    : html`<ul>${p.documents.map(
        (d) =>
          html`<li data-doctype="${d.docType}" data-state="${d.state}">${DOC_TYPE_NAMES.get(d.docType) ?? d.docType} — ${
            d.state === 'active'
              ? html`有効 <span class="en">active</span>, ${d.validUntil.slice(0, 10)} まで <span class="en">until</span>`
              : html`<span class="warn">無効 <span class="en">invalidated</span>${d.invalidationReason ? ` (${d.invalidationReason})` : ''}</span>`
          }</li>`,
      )}</ul>`
}
<h3>電子証明書 <span class="en">JPKI certificates</span></h3>
${
  p.certificates.length === 0
    ? html`<p class="empty">なし <span class="en">none</span></p>`
    : html`<ul>${p.certificates.map(
        (c) =>
          html`<li data-certificate="${c.purpose}" data-state="${c.state}">${c.purpose === 'sign' ? '署名用 / signature' : '利用者証明用 / user authentication'} — ${c.state === 'active' ? '有効 / active' : '無効 / invalidated'}, ${c.notAfter.slice(0, 10)}</li>`,
      )}</ul>`
}
<h3>暗証番号 <span class="en">Secrets</span></h3>
<ul>
${secretLine('利用者証明用暗証番号(4桁)/ auth PIN', p.secrets.authPin)}
${secretLine('署名用パスワード / signature password', p.secrets.signaturePassword)}
</ul>
${
  p.certificates.some((c) => c.purpose === 'auth' && c.state === 'active')
    ? html`<form method="post" action="phones/${p.id}/keys/auth/unlock"><label>利用者証明用暗証番号を入力 <span class="en">type the auth PIN (as a site's login would ask)</span> <input name="pin" inputmode="numeric" maxlength="4" autocomplete="off"></label> <button>送信 / Send</button></form>`
    : ''
}
<h3>通信 <span class="en">Network</span></h3>
<p data-offline="${p.offline ? 'yes' : 'no'}">${p.offline ? html`<span class="warn">オフライン <span class="en">offline</span></span> — 発行者からの通知を受け取りません <span class="en">(hears nothing from the issuer; keeps presenting what it holds)</span>` : html`オンライン <span class="en">online</span>`}</p>
<form method="post" action="phones/${p.id}/offline"><input type="hidden" name="offline" value="${p.offline ? '0' : '1'}"><button>${p.offline ? 'オンラインに戻す / Go online' : 'オフラインにする / Go offline'}</button></form>
${p.offline ? '' : html`<form method="post" action="phones/${p.id}/notices/sync"><input type="hidden" name="biometric" value="matched"><button>顔認証でロック解除して通知を受信 / Unlock (biometric) and hear notices</button></form>`}
${p.offline ? '' : scanForm(p)}
${residents === undefined || p.offline ? '' : installForm(p, residents)}
</section>`;
}

/**
 * The overview page of every phone of this wallet; `residents` (the sandbox's test cards) adds the
 * installation forms.
 */
export function renderPhonesPage(
  phones: readonly PhoneSummary[],
  issuer: IssuerStatus,
  residents?: readonly string[],
): string {
  return html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>スマートフォン — mynakit wallet</title>
<style>
body{font-family:"IPAGothic","Hiragino Sans",system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.2rem}h3{font-size:1rem;margin:.8rem 0 .2rem}.en,small{color:#555}.warn{color:#8a4b00}
.phones{display:flex;flex-wrap:wrap;gap:1rem}.phone{flex:1 1 22rem;border:2px solid #333;border-radius:1.6rem;padding:1rem 1.4rem}
.empty{color:#777}.install label{display:block;margin:.2rem 0}form{margin:.4rem 0}
</style>
</head>
<body>
<h1>スマートフォン <span class="en">Phones</span></h1>
${issuerLine(issuer)}
<div class="phones">
${phones.map((p) => phoneCard(p, residents))}
</div>
<p><small>鍵は暗号化ファイルに保管された模擬セキュアエリアにあります。<span class="en">Keys live in a simulated secure area (software keys encrypted at rest).</span></small></p>
</body>
</html>
`.value;
}

/**
 * What a form of the page gets when the phone refuses (a wrong PIN, a locked secret, no issuer…): the
 * stable code, the wallet's own message (it names no personal data) and the tries left, with a link back
 * to the overview relative to the form's path (the page works under any mount point).
 */
export function renderRefusalPage(
  code: string,
  message: string,
  path: string,
  remainingTries?: number,
): string {
  const depth = Math.max(0, path.split('/').filter((p) => p !== '').length - 1);
  const home = depth === 0 ? './' : '../'.repeat(depth);
  return html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>できませんでした — mynakit wallet</title>
<style>body{font-family:"IPAGothic","Hiragino Sans",system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.6}.en{color:#555}.warn{color:#8a4b00}</style>
</head>
<body>
<h1>できませんでした <span class="en">Not done</span></h1>
<p class="warn" data-refusal="${code}">${message} <code>${code}</code></p>
${remainingTries === undefined ? '' : html`<p data-remaining-tries="${remainingTries}">残り ${remainingTries} 回 <span class="en">${remainingTries} tries left</span></p>`}
<p><a href="${home}">電話の一覧へ戻る / back to the phones</a></p>
</body>
</html>
`.value;
}
