/**
 * What a form posted without scripts gets when the phone refuses (a wrong PIN, a locked secret, no
 * issuer…): a small page rendered on the server, since a form's answer is a page. The phone page itself
 * (services/wallet/pages/phone) calls the same routes with JSON and shows the problem's code instead.
 */
import { html } from '@mynakit/page-html';

/**
 * The refusal page: the
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
