import type { OpenedIssuer } from '@mynakit/issuer';
import { html } from '@mynakit/page-html';

/**
 * The sandbox's page about its issuer: where the protocol documents are, which test residents exist and
 * where their card files (the "physical cards") are. Test residents are fictional; the page shows no
 * key, PIN or My Number.
 */
export async function renderIssuerPage(issuer: OpenedIssuer): Promise<string> {
  const { residents } = await issuer.deps.store.residents.list({ limit: 50 });
  const origin = issuer.deps.config.origin;
  const page = html`<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>発行者 — mynakit sandbox issuer</title>
<style>body{font-family:"IPAGothic",system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6}
.en{color:#555}table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.3rem .5rem}</style>
</head>
<body>
<p><a href="/">← サンドボックス / sandbox</a></p>
<h1>発行者 <span class="en">Issuer</span></h1>
<p>住民基本台帳(テスト住民)、カード、スマホへの搭載(OpenID4VCI と JPKI 証明書の CSR)、1人1台の管理。
<br><span class="en">The test residents' register, their cards, installation on a phone (OpenID4VCI and CSRs for the JPKI certificates), one device per person.</span></p>
<ul>
<li><a href="/issuer/console/">運用コンソール <span class="en">Operator console</span></a> — 住民の検索、異動の登録、失効リスト・CRL・統計 <span class="en">find a resident, record life events, watch status lists, CRLs and statistics</span></li>
<li><a href="/issuer/openapi.json">OpenAPI 3.1</a> — <span class="en">every route of the issuer</span></li>
<li><a href="/.well-known/openid-credential-issuer/issuer">OpenID4VCI credential issuer metadata</a> (<code>${origin}</code>)</li>
<li><a href="/.well-known/oauth-authorization-server/issuer">OAuth authorization server metadata</a></li>
</ul>
<h2>テスト住民 <span class="en">Test residents</span></h2>
<p class="en">Card files (sandbox cards' private keys and PINs): <code>${issuer.cardDirectory}</code></p>
<table><tr><th>ID</th><th>氏名 <span class="en">name</span></th><th>生年月日 <span class="en">birth date</span></th><th>市区町村 <span class="en">municipality</span></th></tr>
${residents.map((r) => html`<tr><td><code>${r.id}</code></td><td>${r.fullName}</td><td>${r.birthDate}</td><td>${r.municipalityName}</td></tr>`)}
</table>
</body></html>
`;
  return page.value;
}
