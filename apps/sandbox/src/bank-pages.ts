/**
 * The verifier's pages in the sandbox: the list of relying parties and the bank's account opening with the
 * card-substitute record. No OS wallet exists here, so the phone emulator answers the bank's DC API request
 * through an explicit, labelled bridge: the sandbox opens a verifier session for the bank (the request the
 * page would hand to `navigator.credentials.get`), the chosen phone reads it and presents with its owner's
 * biometric and consent to exactly what was asked (services/wallet presentAnnexC, the origin being this
 * sandbox's), and the answer goes to the verifier, which verifies it, checks the status list at the issuer,
 * names the KYC method (or why none applies) and writes the verification record. Server-rendered: every
 * step works without scripts.
 *
 * Where the browser has the Digital Credentials API, the page (bank-page-script.ts) also offers the
 * browser's own wallet: @mynakit/verifier-sdk asks it through `navigator.credentials.get` with the request
 * the bank's backend opened (`POST api/sessions`, the API key staying on the server), sends the answer to
 * `POST api/sessions/:id/response`, and shows the report at `result/:id`. With no wallet answering in time
 * the form falls back to the bridge, and the result page says so. Every result page says who answered,
 * and a valid one offers a passkey bound to that verification (bank-passkeys.ts: sign-in, step-up).
 *
 * Account opening under 犯収法 is a 取引時確認: the form asks the customer the purpose of the transaction and
 * the occupation (bank-declaration.ts), both paths send them with the session, and the result page shows
 * them beside the verification record that keeps them. A developer's switch also asks for My Number: the
 * bank has no legal basis, so the verifier refuses the session and the page shows its code — no request is
 * made, for the bridge's phone or the browser's wallet.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { methodsInForce } from '@mynakit/kyc';
import { html, SafeHtml } from '@mynakit/page-html';
import type { WalletDevice } from '@mynakit/wallet';
import type { Context, Hono } from 'hono';
import {
  type BankDeclaration,
  bankRequestFromForm,
  bankRequestFromJson,
  declarationFieldsHtml,
  declarationHtml,
  requestedElements,
} from './bank-declaration.js';
import { BANK_PAGE_SCRIPT } from './bank-page-script.js';
import { ownOrigin, registerBankPasskeys, renderPasskeyOffer } from './bank-passkeys.js';
import {
  presentRecordThroughBridge,
  recordIdentityHtml,
  type RecordAnswer as VerificationAnswer,
} from './bridge-flows.js';
import { verifierCall } from './jpki-page-parts.js';
import type { SandboxBank } from './sandbox-bank.js';

/** How long the page waits for the browser's wallet by default (ms); `?dcTimeout=` overrides, bounded. */
export const BANK_DC_TIMEOUT_MS = 60_000;

/** The verification reports the page's DC API path produced, kept for their result page (bounded). */
const MAX_KEPT_RESULTS = 64;

/** The verifier's refusals of a session the bank asked for, as the page explains them (else: not opened). */
const SESSION_REFUSALS = new Map([
  [
    'VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS',
    '検証サービスが個人番号(マイナンバー)の要求を拒否しました。この銀行には法令上の根拠が設定されていません。電話には何も届いていません / The verifier refused to ask for My Number: the bank has no legal basis configured. No request reached a phone.',
  ],
  [
    'VERIFIER_TRANSACTION_PURPOSE_REQUIRED',
    '取引を行う目的を選んでください(犯収法の取引時確認) / Choose the purpose of the transaction (取引時確認 under 犯収法).',
  ],
  [
    'VERIFIER_OCCUPATION_REQUIRED',
    'ご職業を選んでください(犯収法の取引時確認) / Choose your occupation (取引時確認 under 犯収法).',
  ],
  [
    'VERIFIER_RECORD_FORBIDDEN_CONTENT',
    '補足に12桁の数字は書けません(個人番号のおそれ) / A detail may not hold twelve digits in a row (it may be a My Number).',
  ],
  [
    'VERIFIER_INVALID_BODY',
    '申告の内容を確かめてください(「その他」には補足が必要です) / Check what you declared (other needs a detail).',
  ],
]);

/** Why the page fell back to the bridge (set by the page script). */
const FALLBACK_REASONS = new Map([
  [
    'unsupported',
    html`このブラウザには Digital Credentials API がありません <span class="en">this browser has no Digital Credentials API</span>`,
  ],
  [
    'timed-out',
    html`ブラウザのウォレットが時間内に応答しませんでした <span class="en">no wallet answered the browser in time</span>`,
  ],
]);

/** The SDK's page bundle, built by scripts/build-pages.mjs; undefined when not built. */
async function readSdkBundle(): Promise<string | undefined> {
  try {
    const pkg = createRequire(import.meta.url).resolve('@mynakit/verifier-sdk/package.json');
    return await readFile(join(dirname(pkg), 'dist', 'browser', 'verifier-sdk-dc-api.js'), 'utf8');
  } catch {
    return undefined;
  }
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
<li><a href="/verifier/bank/branch/"><strong>銀行の窓口(対面)</strong> <span class="en">A bank's branch counter (face to face)</span></a> — 電話を近接で読み取り、顔写真で本人を確かめる(2027年4月から対面も IC 読み取り)<span class="en">read the phone in person and check the face against the photo (from 2027-04 face-to-face checks read the chip)</span></li>
<li><a href="/verifier/bank/jpki/"><strong>銀行の口座開設(電子署名)</strong> <span class="en">A bank's account opening with a JPKI signature</span></a> — 署名用電子証明書で本人確認(基本4情報は証明書から)<span class="en">the signature certificate; the basic four from the certificate</span></li>
<li><a href="/verifier/clinic/"><strong>診療所の受付</strong> <span class="en">A clinic's front desk</span></a> — 利用者証明とオンライン資格確認、顔写真の確認 <span class="en">user authentication, the insurance qualification, the face check</span></li>
<li><a href="/verifier/auditor/"><strong>監査</strong> <span class="en">Auditor</span></a> — 確認記録の閲覧・出力・改ざん検査 <span class="en">read, export and chain-check the verification records</span></li>
<li><a href="/verifier/carrier/"><strong>携帯電話の契約</strong> <span class="en">A carrier's contract</span></a> — 携帯電話不正利用防止法 チ(カード代替電磁的記録)または ト(電子署名)<span class="en">under the Mobile Phone Improper Use Prevention Act: チ, the card-substitute record, or ト, a JPKI signature</span></li>
<li><a href="/verifier/portal/"><strong>行政ポータルのログイン</strong> <span class="en">A government portal's sign-in</span></a> — 利用者証明用電子証明書でログイン(個人情報なし)<span class="en">sign in with the user-authentication certificate (no personal data)</span></li>
</ul>
<p><a href="/verifier/openapi.json">OpenAPI 3.1</a> — <span class="en">the verifier's routes</span></p>`,
  );
}

function bankForm(phones: readonly WalletDevice[], dcTimeoutMs: number): SafeHtml {
  return html`<form class="bank" method="post" action="verify" data-dc-timeout="${String(dcTimeoutMs)}">
${declarationFieldsHtml({ myNumberSwitch: true })}
<p>どの電話で応答しますか <span class="en">Which phone answers?</span></p>
<div data-choice="dc-api" hidden><label><input type="radio" name="phone" value="dc-api" disabled> このブラウザのウォレット(Digital Credentials API)<span class="en">this browser's wallet (Digital Credentials API)</span></label>
— 応答がなければ <span class="en">if none answers</span>: <select name="fallbackPhone">${phones.map((p) => html`<option value="${p.id}">${p.id} (${p.family})</option>`)}</select> がブリッジで応答 <span class="en">answers through the bridge</span></div>
${phones.map(
  (p, i) =>
    html`<label><input type="radio" name="phone" value="${p.id}"${i === 0 ? ' checked' : ''}> ${p.id} (${p.family}) — 電話エミュレータ、ブリッジ経由 <span class="en">phone emulator, through the bridge</span></label><br>`,
)}
<input type="hidden" name="fallback" value="">
<button>マイナンバーカードで本人確認 / Verify with the My Number Card</button>
</form>
<p id="dc-status" role="status" aria-live="polite"></p>`;
}

/** The bank's start page. */
export function renderBankPage(phones: readonly WalletDevice[], dcTimeoutMs = BANK_DC_TIMEOUT_MS): string {
  return frame(
    '口座開設 — Sandbox Bank',
    html`<h1>サンドボックス銀行 口座開設 <span class="en">Sandbox Bank — open an account</span></h1>
<p>氏名・住所・生年月日・顔写真をスマートフォンのカード代替電磁的記録で確認します(マイナンバーは求めません)。
<br><span class="en">We verify your name, address, birth date and photo with the card-substitute record on your phone (never My Number).</span></p>
<p class="bridge">この環境には OS のウォレットがないため、電話エミュレータが DC API の代わりに応答します(明示的なブリッジ)。ブラウザに Digital Credentials API があれば、そのウォレットも選べます。
<br><span class="en">No OS wallet exists here: the phone emulator answers in place of the browser's Digital Credentials API (an explicit bridge). Where the browser has the Digital Credentials API, its wallet can answer too.</span></p>
${bankForm(phones, dcTimeoutMs)}
<p><a href="/verifier/bank/signin/">口座をお持ちの方: パスキーでサインイン / Already a customer: sign in with a passkey</a></p>
<p><a href="/verifier/bank/cross-device/" data-cross-device>別の端末で(QRコードをスマートフォンで読み取る)/ On another device (scan a QR code with your phone)</a></p>
<script type="module">${new SafeHtml(BANK_PAGE_SCRIPT)}</script>`,
  );
}

/** Who answered, as the result page says it. */
function answeredByBridge(phone: WalletDevice, fallback: string | null): SafeHtml {
  const why = fallback === null ? undefined : FALLBACK_REASONS.get(fallback);
  return html`<p class="bridge" data-answered-by="bridge">応答した電話 <span class="en">answered by</span>: ${phone.id} (${phone.family}) — ブリッジ経由 <span class="en">through the bridge</span></p>${
    why === undefined
      ? ''
      : html`<p data-fallback="${fallback ?? ''}">ブリッジに切り替えた理由 <span class="en">why the bridge</span>: ${why}</p>`
  }`;
}

const ANSWERED_BY_DC_API = html`<p class="dc-api" data-answered-by="dc-api">応答 <span class="en">answered by</span>: このブラウザのウォレット(Digital Credentials API, org-iso-mdoc)<span class="en">this browser's wallet through the Digital Credentials API</span></p>`;

function resultPage(
  answeredBy: SafeHtml,
  answer: VerificationAnswer,
  declared: BankDeclaration,
  sessionId?: string,
): string {
  return frame(
    '本人確認の結果 — Sandbox Bank',
    html`<h1>本人確認の結果 <span class="en">Verification result</span></h1>
${answeredBy}
<p data-verdict="${answer.verdict ?? 'error'}">判定 <span class="en">verdict</span>: <strong class="${answer.verdict === 'valid' ? 'passed' : 'failed'}">${answer.verdict ?? answer.code ?? 'error'}</strong></p>
${answer.verdict === 'valid' ? recordIdentityHtml(answer) : ''}
${answer.errorCode ? html`<p data-error-code="${answer.errorCode}">理由 <span class="en">reason</span>: <code>${answer.errorCode}</code></p>` : ''}
<h2>本人確認方法 <span class="en">KYC method</span></h2>
${
  answer.method
    ? html`<p data-method="${answer.method.id}">犯収法施行規則 第6条第1項第1号 <strong>${answer.method.letter}</strong></p>`
    : html`<p data-method="none">該当なし <span class="en">none</span>: ${
        (answer.methodReasons ?? []).length > 0
          ? (answer.methodReasons ?? []).join(', ')
          : html`検証が有効ではありません <span class="en">the verification is not valid</span>`
      }</p>${
        answer.verdict === 'valid' && (answer.methodReasons ?? []).includes('KYC_PROGRAM_NOT_CERTIFIED')
          ? letterIfCertified()
          : ''
      }`
}
<h2>検証 <span class="en">Checks</span></h2>
<table>${(answer.checks ?? []).map((c) => html`<tr data-check="${c.id}"><td>${c.id}</td><td class="${c.status}">${c.status}</td></tr>`)}</table>
${answer.recordId ? html`<p data-record="${answer.recordId}">確認記録 <span class="en">verification record</span>: <code>${answer.recordId}</code></p>` : ''}
${declarationHtml(declared, answer.recordId)}
${answer.verdict === 'valid' && sessionId !== undefined ? renderPasskeyOffer(sessionId) : ''}
<p><a href="/verifier/bank/">もう一度 / again</a></p>`,
  );
}

/**
 * The letter the same verification would satisfy today under a certified verification program (@mynakit/kyc's
 * dated table: ル until 2027-03-31, 新ト from 2027-04-01), shown beside the honest "none": the sandbox cannot
 * claim a certification it does not have (DOMAIN.md §1), but the holder and the developer see which method the
 * record is for.
 */
function letterIfCertified(): SafeHtml {
  const method = methodsInForce('hanshu', new Date()).find((m) => m.content === 'card-substitute-record');
  if (method === undefined) return html``;
  return html`<p data-method-if-certified="${method.id}">認定を受けたプログラムなら 犯収法施行規則 第6条第1項第1号 <strong>${method.letter}</strong> ${method.name_ja}
<span class="en">— a certified program would satisfy ${method.letter} (${method.name_en}) today</span></p>`;
}

/** The page of a session the verifier would not open, with its code. */
function sessionRefusedPage(code: string): string {
  return errorPage(
    SESSION_REFUSALS.get(code) ?? 'セッションを開けません / the session could not be opened',
    code,
  );
}

function errorPage(message: string, code: string): string {
  return frame(
    '本人確認できません — Sandbox Bank',
    html`<h1>本人確認できません <span class="en">Could not verify</span></h1>
<p data-error="${code}">${message}<br><small>コード <span class="en">code</span>: <code>${code}</code></small></p>
<p><a href="/verifier/bank/">戻る / back</a> · <a href="/wallet/">電話へ / the phones</a></p>`,
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
  app.get('/verifier/bank/', (c) => {
    const asked = Number(c.req.query('dcTimeout'));
    const timeout = Number.isInteger(asked) ? Math.min(Math.max(asked, 500), 300_000) : BANK_DC_TIMEOUT_MS;
    return c.html(renderBankPage(parts.phones, timeout));
  });
  let sdk: Promise<string | undefined> | undefined;
  app.get('/verifier/bank/verifier-sdk-dc-api.js', async (c) => {
    sdk ??= readSdkBundle();
    const text = await sdk;
    // Not built: the page's script fails to load and the form stays the bridge.
    if (text === undefined) {
      sdk = undefined;
      return c.text('the SDK bundle is not built: node scripts/build-pages.mjs', 404);
    }
    return c.body(text, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
    });
  });
  registerBankApi(app, parts);
  registerBankPasskeys(app, { ...parts, frame });
  app.post('/verifier/bank/verify', async (c) => {
    // Room for the two details, percent-encoded (60 characters of up to 9 bytes each).
    const form = new URLSearchParams((await c.req.text()).slice(0, 4096));
    const phone = parts.phones.find((p) => p.id === form.get('phone'));
    if (phone === undefined)
      return c.html(errorPage('電話を選んでください / choose a phone', 'no-phone'), 400);
    // The bank's own origin the page is on (the sandbox URL or its localhost twin), never the browser's word.
    const origin = ownOrigin(c.req.url, parts.url);
    const request = bankRequestFromForm(form);
    const outcome = await presentRecordThroughBridge({
      api: verifierCall(parts.verifierFetch, parts.url, parts.bank.apiKey),
      phone,
      origin,
      purpose: 'account-opening',
      elements: requestedElements(request),
      declared: request.declared,
    });
    if (outcome.kind === 'session-refused')
      return c.html(sessionRefusedPage(outcome.code), SESSION_REFUSALS.has(outcome.code) ? 400 : 502);
    if (outcome.kind === 'phone-refused')
      return c.html(
        errorPage(
          outcome.code === 'WALLET_NOT_FOUND'
            ? 'この電話には有効なカード代替電磁的記録がありません / this phone holds no record in force'
            : 'この電話は応答できませんでした / the phone could not answer',
          outcome.code,
        ),
        409,
      );
    return c.html(
      resultPage(
        answeredByBridge(phone, form.get('fallback')),
        outcome.answer,
        request.declared,
        outcome.sessionId,
      ),
      outcome.ok ? 200 : 422,
    );
  });
}

/** JSON answer of the bank's API: the verifier's status and body, passed on. */
async function passOn(c: Context, res: Response): Promise<Response> {
  const body = await res.text();
  return c.body(body, res.status as 200, {
    'content-type': res.headers.get('content-type') ?? 'application/json',
    'cache-control': 'no-store',
  });
}

/**
 * The bank's backend for its page's DC API path: the API key stays here. `POST api/sessions` opens a
 * session for the bank's own origin (never one the browser names) with what the customer declared on the
 * page (`{transactionPurpose, occupation, askMyNumber}`, bank-declaration.ts) and answers the verifier's
 * `CreatedSession` or its problem unchanged; `POST api/sessions/:id/response` forwards `{response}` to the verifier and answers its
 * report with `resultUrl`, or its problem unchanged. Both want `content-type: application/json`, which a
 * form on another site cannot send without CORS.
 */
function registerBankApi(
  app: Hono,
  parts: {
    readonly url: string;
    readonly bank: SandboxBank;
    readonly verifierFetch: (request: Request) => Response | Promise<Response>;
  },
): void {
  const results = new Map<string, VerificationAnswer>();
  /** What the customer declared for each open session, for its result page (bounded like the results). */
  const declarations = new Map<string, BankDeclaration>();
  const keep = <V>(map: Map<string, V>, id: string, value: V) => {
    map.set(id, value);
    // The oldest goes first; a sandbox keeps a few for their page, never on disk.
    if (map.size > MAX_KEPT_RESULTS) map.delete(map.keys().next().value as string);
  };
  const api = (path: string, body: string) =>
    parts.verifierFetch(
      new Request(`${parts.url}/verifier${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${parts.bank.apiKey}`, 'content-type': 'application/json' },
        body,
      }),
    );
  const problem = (c: Context, status: 400 | 413 | 415, code: string, detail: string) =>
    c.json({ type: 'about:blank', title: 'Bad request', status, code, detail }, status, {
      'content-type': 'application/problem+json',
    });
  const isJson = (c: Context) => (c.req.header('content-type') ?? '').startsWith('application/json');

  app.post('/verifier/bank/api/sessions', async (c) => {
    if (!isJson(c)) return problem(c, 415, 'BANK_JSON_ONLY', 'send application/json');
    const text = await c.req.text();
    if (text.length > 4096) return problem(c, 413, 'BANK_TOO_LARGE', 'the declaration is too large');
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      return problem(c, 400, 'BANK_BAD_JSON', 'the body is not JSON');
    }
    const request = bankRequestFromJson(body);
    const elements = requestedElements(request);
    const res = await api(
      '/sessions',
      JSON.stringify({
        purpose: 'account-opening',
        origin: ownOrigin(c.req.url, parts.url),
        ...(elements === undefined ? {} : { elements }),
        ...request.declared,
      }),
    );
    if (!res.ok) return passOn(c, res);
    const created = (await res.json()) as { sessionId: string };
    keep(declarations, created.sessionId, request.declared);
    c.header('cache-control', 'no-store');
    return c.json(created, 201);
  });
  app.post('/verifier/bank/api/sessions/:id/response', async (c) => {
    if (!isJson(c)) return problem(c, 415, 'BANK_JSON_ONLY', 'send application/json');
    const id = c.req.param('id');
    if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) return problem(c, 400, 'BANK_BAD_SESSION', 'no such session');
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > 2 * 1024 * 1024) return problem(c, 413, 'BANK_TOO_LARGE', 'the answer is too large');
    const text = await c.req.text();
    if (text.length > 2 * 1024 * 1024) return problem(c, 413, 'BANK_TOO_LARGE', 'the answer is too large');
    const res = await api(`/sessions/${id}/response`, text);
    if (!res.ok) return passOn(c, res);
    const answer = (await res.json()) as VerificationAnswer;
    keep(results, id, answer);
    c.header('cache-control', 'no-store');
    return c.json({ ...answer, resultUrl: `result/${id}` });
  });
  app.get('/verifier/bank/result/:id', (c) => {
    const answer = results.get(c.req.param('id'));
    if (answer === undefined)
      return c.html(errorPage('この結果はありません / no such result', 'BANK_NO_RESULT'), 404);
    const declared = declarations.get(c.req.param('id')) ?? {};
    return c.html(resultPage(ANSWERED_BY_DC_API, answer, declared, c.req.param('id')));
  });
}
