/**
 * The verifier's pages in the sandbox: the list of relying parties and the bank's account opening with the
 * card-substitute record. No OS wallet exists here, so the phone emulator answers the bank's DC API request
 * through an explicit, labelled bridge: the sandbox opens a verifier session for the bank (the request the
 * page would hand to `navigator.credentials.get`), the chosen phone reads it and presents with its owner's
 * biometric and consent to exactly what was asked (services/wallet presentAnnexC, the origin being this
 * sandbox's), and the answer goes to the verifier, which verifies it, checks the status list at the issuer,
 * names the KYC method (or why none applies) and writes the verification record. Server-rendered: every
 * step works without scripts.
 */
import { html, type SafeHtml } from '@mynakit/page-html';
import { presentAnnexC, type WalletDevice, WalletError } from '@mynakit/wallet';
import type { Hono } from 'hono';
import type { SandboxBank } from './sandbox-bank.js';

const MNC = 'org.iso.23220.1.jp.mnc';
const JP = 'org.iso.23220.1.jp';

/** What a verification answered (the verifier's POST /sessions/:id/response). */
interface VerificationAnswer {
  verdict?: string;
  checks?: { id: string; status: string; detail?: string }[];
  method?: { letter: string; id: string } | null;
  methodReasons?: string[];
  elements?: Record<string, Record<string, unknown>>;
  recordId?: string;
  code?: string;
}

function frame(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body{font-family:"IPAGothic","Hiragino Sans",system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1b1b1b}
h1{font-size:1.5rem}.en,small{color:#555}.bridge{background:#fff6e0;border:1px solid #e0b050;padding:.6rem 1rem;border-radius:.4rem}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
.passed{color:#176f2c}.failed{color:#a4161a}.undetermined,.warning{color:#8a4b00}img.portrait{max-width:8rem;border:1px solid #ccc}
</style>
</head>
<body>
<p><a href="/">← サンドボックス / sandbox</a></p>
${body}
</body>
</html>
`.value;
}

/** The verifier's landing page in the sandbox. */
export function renderRelyingPartiesPage(): string {
  return frame(
    '依拠当事者 — mynakit sandbox',
    html`<h1>依拠当事者 <span class="en">Relying parties</span></h1>
<ul>
<li><a href="/verifier/bank/"><strong>銀行の口座開設</strong> <span class="en">A bank's account opening</span></a> — カード代替電磁的記録で本人確認(犯収法)<span class="en">identity verification with the card-substitute record (犯収法)</span></li>
<li>携帯キャリア・クリニック・ポータル・監査 <span class="en">carrier, clinic desk, portal, auditor</span> <em>(この版では未提供 / not in this version yet)</em></li>
</ul>
<p><a href="/verifier/openapi.json">OpenAPI 3.1</a> — <span class="en">the verifier's routes</span></p>`,
  );
}

function bankForm(phones: readonly WalletDevice[]): SafeHtml {
  return html`<form method="post" action="verify">
<p>どの電話で応答しますか <span class="en">Which phone answers?</span></p>
${phones.map(
  (p, i) =>
    html`<label><input type="radio" name="phone" value="${p.id}"${i === 0 ? ' checked' : ''}> ${p.id} (${p.family})</label><br>`,
)}
<button>マイナンバーカードで本人確認 / Verify with the My Number Card</button>
</form>`;
}

/** The bank's start page. */
export function renderBankPage(phones: readonly WalletDevice[]): string {
  return frame(
    '口座開設 — Sandbox Bank',
    html`<h1>サンドボックス銀行 口座開設 <span class="en">Sandbox Bank — open an account</span></h1>
<p>氏名・住所・生年月日・顔写真をスマートフォンのカード代替電磁的記録で確認します(マイナンバーは求めません)。
<br><span class="en">We verify your name, address, birth date and photo with the card-substitute record on your phone (never My Number).</span></p>
<p class="bridge">この環境には OS のウォレットがないため、電話エミュレータが DC API の代わりに応答します(明示的なブリッジ)。
<br><span class="en">No OS wallet exists here: the phone emulator answers in place of the browser's Digital Credentials API (an explicit bridge).</span></p>
${bankForm(phones)}`,
  );
}

function resultPage(phone: WalletDevice, answer: VerificationAnswer): string {
  const jp = answer.elements?.[JP] ?? {};
  const portrait = typeof jp.portrait === 'string' ? jp.portrait : undefined;
  return frame(
    '本人確認の結果 — Sandbox Bank',
    html`<h1>本人確認の結果 <span class="en">Verification result</span></h1>
<p class="bridge">応答した電話 <span class="en">answered by</span>: ${phone.id} (${phone.family}) — ブリッジ経由 <span class="en">through the bridge</span></p>
<p data-verdict="${answer.verdict ?? 'error'}">判定 <span class="en">verdict</span>: <strong class="${answer.verdict === 'valid' ? 'passed' : 'failed'}">${answer.verdict ?? answer.code ?? 'error'}</strong></p>
${
  answer.verdict === 'valid'
    ? html`<table>
<tr><th>氏名 <span class="en">name</span></th><td>${String(jp.full_name_unicode ?? '')}</td></tr>
<tr><th>住所 <span class="en">address</span></th><td>${String(jp.resident_address_unicode ?? '')}</td></tr>
<tr><th>生年月日 <span class="en">birth date</span></th><td>${String(jp.birth_date_unicode ?? '')}</td></tr>
${portrait ? html`<tr><th>顔写真 <span class="en">photo</span></th><td><img class="portrait" alt="portrait" src="data:image/jpeg;base64,${portrait}"></td></tr>` : ''}
</table>`
    : ''
}
<h2>本人確認方法 <span class="en">KYC method</span></h2>
${
  answer.method
    ? html`<p data-method="${answer.method.id}">犯収法施行規則 第6条第1項第1号 <strong>${answer.method.letter}</strong></p>`
    : html`<p data-method="none">該当なし <span class="en">none</span>: ${
        (answer.methodReasons ?? []).length > 0
          ? (answer.methodReasons ?? []).join(', ')
          : html`検証が有効ではありません <span class="en">the verification is not valid</span>`
      }</p>`
}
<h2>検証 <span class="en">Checks</span></h2>
<table>${(answer.checks ?? []).map((c) => html`<tr data-check="${c.id}"><td>${c.id}</td><td class="${c.status}">${c.status}</td></tr>`)}</table>
${answer.recordId ? html`<p data-record="${answer.recordId}">確認記録 <span class="en">verification record</span>: <code>${answer.recordId}</code></p>` : ''}
<p><a href="./">もう一度 / again</a></p>`,
  );
}

function errorPage(message: string, code: string): string {
  return frame(
    '本人確認できません — Sandbox Bank',
    html`<h1>本人確認できません <span class="en">Could not verify</span></h1>
<p data-error="${code}">${message}</p>
<p><a href="./">戻る / back</a> · <a href="/wallet/">電話へ / the phones</a></p>`,
  );
}

/** Registers `/verifier/`, `/verifier/bank/` and the bank's verification (before the verifier's own routes). */
export function registerBankPages(
  app: Hono,
  parts: {
    readonly url: string;
    readonly bank: SandboxBank;
    readonly verifierFetch: (request: Request) => Response | Promise<Response>;
    readonly phones: readonly WalletDevice[];
  },
): void {
  app.get('/verifier', (c) => c.redirect('/verifier/'));
  app.get('/verifier/', (c) => c.html(renderRelyingPartiesPage()));
  app.get('/verifier/bank', (c) => c.redirect('/verifier/bank/'));
  app.get('/verifier/bank/', (c) => c.html(renderBankPage(parts.phones)));
  app.post('/verifier/bank/verify', async (c) => {
    const form = new URLSearchParams((await c.req.text()).slice(0, 1024));
    const phone = parts.phones.find((p) => p.id === form.get('phone'));
    if (phone === undefined)
      return c.html(errorPage('電話を選んでください / choose a phone', 'no-phone'), 400);
    const api = (path: string, body: unknown) =>
      parts.verifierFetch(
        new Request(`${parts.url}/verifier${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${parts.bank.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
    const opened = await api('/sessions', { purpose: 'account-opening', origin: parts.url });
    const session = (await opened.json()) as {
      sessionId?: string;
      request?: { data: unknown };
      elements?: Record<string, string[]>;
      code?: string;
    };
    if (!opened.ok || session.sessionId === undefined || session.request === undefined)
      return c.html(
        errorPage('セッションを開けません / the session could not be opened', String(session.code)),
        502,
      );
    let response: string;
    try {
      ({ response } = await presentAnnexC({
        device: phone,
        data: session.request.data,
        origin: parts.url,
        consent: { [MNC]: session.elements ?? {} },
        userAuthentication: { method: 'biometric', matched: true },
      }));
    } catch (e) {
      if (e instanceof WalletError)
        return c.html(
          errorPage(
            e.code === 'WALLET_NOT_FOUND'
              ? 'この電話には有効なカード代替電磁的記録がありません / this phone holds no record in force'
              : 'この電話は応答できませんでした / the phone could not answer',
            e.code,
          ),
          409,
        );
      throw e;
    }
    const verified = await api(`/sessions/${session.sessionId}/response`, { response });
    const answer = (await verified.json()) as VerificationAnswer;
    return c.html(resultPage(phone, answer), verified.ok ? 200 : 422);
  });
}
