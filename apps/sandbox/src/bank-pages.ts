/**
 * The sandbox bank's online account opening (犯収法) — a Vite + Preact page (`apps/sandbox/pages/bank`, built
 * by scripts/build-pages.mjs into `dist-pages/bank`) served at `/verifier/bank/` (built-page.ts), and the
 * JSON routes it calls under `/verifier/bank/api/`. The page's views share its build; each URL a customer
 * opens stays where it was:
 *
 *   /verifier/bank/                    the card-substitute record: the declaration, then which phone answers
 *   /verifier/bank/result/<session>    its result
 *   /verifier/bank/jpki/               story 3: a JPKI signature over the application (jpki-bank-pages.ts)
 *   /verifier/bank/jpki/result/<session>
 *   /verifier/bank/signin/             sign in with a passkey (bank-passkeys.ts)
 *   /verifier/bank/account/            the signed-in account and its address change (step-up)
 *
 * The record: where the browser has the Digital Credentials API, the page's @mynakit/verifier-sdk (bundled
 * into the page) asks the browser's wallet with the request the bank's backend opened (`POST api/sessions`,
 * the API key staying on the server), sends the answer to `POST api/sessions/:id/response`, and shows the
 * report at `result/:id`. No OS wallet exists in the sandbox, so a phone emulator can answer instead through
 * an explicit, labelled bridge (`POST api/bridge`): the bank's server opens the same session and hands its
 * request to the chosen phone as its OS would — the phone's consent screen (`/wallet/phones/<id>/incoming`)
 * names the bank from its reader certificate and the page's origin, and the call waits until the holder
 * answers there: approves what is ticked with the owner's biometric (services/wallet presentAnnexC, the
 * origin being the bank's), and the answer goes to the verifier — or declines, and nothing is sent. While it
 * waits the page shows which phone to look at, with the link to its screen. With no wallet answering in
 * time, or no API, the page falls back to the bridge with the phone chosen for that case, and the result
 * says so. Every result says who answered; a valid one offers a passkey (bank-passkeys.ts).
 * The verifier verifies, checks the status list at the issuer, names the KYC method (or why none applies)
 * and writes the verification record.
 *
 *   GET  api/start?dcTimeout=ms   → `{phones, lists, dcTimeoutMs, application}` — the phones answering
 *                                   through the bridge, the declaration's lists, how long the page waits for
 *                                   the browser's wallet (bounded), the JPKI application before the customer
 *                                   chose
 *   POST api/sessions             → the verifier's CreatedSession for the SDK, or its problem unchanged
 *   POST api/sessions/:id/response → the verifier's report with `resultUrl`, or its problem unchanged
 *   POST api/bridge               → `{phone, fallback?, transactionPurpose, occupation, askMyNumber}`:
 *                                   waits for the holder on the phone (up to the phone's 3 minutes), then
 *                                   the result with `resultUrl`; a session the verifier refused answers its
 *                                   code (no phone is asked); the phone's refusal its WALLET_* code — 409
 *                                   WALLET_DECLINED (the holder said no), 504 WALLET_REQUEST_EXPIRED (nobody
 *                                   answered in time), 503 WALLET_PHONE_BUSY (too many waiting on it), 409
 *                                   for the others (WALLET_NOT_FOUND: nothing in force)
 *   GET  api/results/:id          → a record result, kept in memory for its view (bank-results.ts)
 *
 * Account opening under 犯収法 is a 取引時確認: the page asks the customer the purpose of the transaction and
 * the occupation (bank-declaration.ts), both paths send them with the session, and the result shows them
 * beside the verification record that keeps them. A developer's switch also asks for My Number: the bank has
 * no legal basis, so the verifier refuses the session and the page shows its code — no request is made, for
 * the bridge's phone or the browser's wallet.
 *
 * The POST routes take `application/json` only; the bank's own refusals are RFC 9457 problems with stable
 * BANK_* codes that echo nothing submitted; the verifier's and the phone's are passed on with their codes.
 *
 * Also the verifier's landing page in the sandbox (`/verifier/`): the list of relying parties.
 */
import { problem } from '@mynakit/http-kit';
import { html, type SafeHtml } from '@mynakit/page-html';
import type { IncomingRequests, WalletDevice } from '@mynakit/wallet';
import { type Context, Hono } from 'hono';
import { bankRequestFromBody, requestedElements } from './bank-declaration.js';
import { ownOrigin, registerBankPasskeys } from './bank-passkeys.js';
import {
  type BankPhone,
  type DeclaredViews,
  KeptResults,
  SESSION_ID,
  type VerificationView,
  verificationOf,
} from './bank-results.js';
import {
  type BridgeProtocol,
  phoneRefusalStatus,
  presentRecordThroughBridge,
  type RecordAnswer,
  type RecordIdentityView,
  recordIdentityView,
} from './bridge-flows.js';
import { defaultPageDir, registerBuiltPage } from './built-page.js';
import { type Declaration, declarationLists, declaredView } from './declared-items.js';
import { BANK_JPKI_APPLICATION, registerJpkiBankApi } from './jpki-bank-pages.js';
import { verifierCall } from './jpki-page-parts.js';
import { isJsonRequest, jsonObjectBody, pageProblem } from './page-api.js';
import type { SandboxBank } from './sandbox-bank.js';
import { type MethodIfCertifiedView, methodIfCertified } from './verification-view.js';

const PREFIX = '/verifier/bank';

/** How long the page waits for the browser's wallet by default (ms); `?dcTimeout=` overrides, bounded. */
export const BANK_DC_TIMEOUT_MS = 60_000;

/** The largest body of `api/sessions` (the declaration) and of `api/sessions/:id/response` (the answer). */
const MAX_SESSION_BODY = 4096;
const MAX_ANSWER_BODY = 2 * 1024 * 1024;

/** Why the page fell back to the bridge, as it may say it. */
const FALLBACKS = new Set(['unsupported', 'timed-out']);

/** The titles of the phone's refusals of the bridge the holder's answer decides (the others: generic). */
const PHONE_REFUSAL_TITLES: ReadonlyMap<string, string> = new Map([
  ['WALLET_DECLINED', 'The customer declined on the phone'],
  ['WALLET_REQUEST_EXPIRED', 'Nobody answered on the phone in time'],
  ['WALLET_PHONE_BUSY', 'The phone has too many requests waiting'],
  ['WALLET_DOCUMENT_NOT_HELD', 'The phone holds no document of the kind asked'],
]);

/** A record verification's result, as the page shows it. */
export interface BankRecordResult extends VerificationView {
  readonly kind: 'record';
  /** The verifier's session: a valid verification's binds a passkey. */
  readonly sessionId: string;
  readonly answeredBy:
    | { readonly kind: 'dc-api' }
    | {
        readonly kind: 'bridge';
        readonly phone: BankPhone;
        readonly fallback: string | null;
        /** The Digital Credentials API protocol the phone answered with (bridge-flows.ts bridgeProtocolOf). */
        readonly protocol: BridgeProtocol;
      };
  /** What the record disclosed (the portrait as base64 JPEG), only for a valid verification. */
  readonly identity: RecordIdentityView | null;
  /**
   * The letter the same verification would satisfy today under a certified verification program
   * (@mynakit/kyc's dated table: ル until 2027-03-31, 新ト from 2027-04-01), shown beside the honest "none":
   * the sandbox cannot claim a certification it does not have (DOMAIN.md §1), but the holder and the
   * developer see which method the record is for.
   */
  readonly methodIfCertified: MethodIfCertifiedView | null;
  readonly declared: DeclaredViews;
}

function recordResult(
  sessionId: string,
  answer: RecordAnswer,
  answeredBy: BankRecordResult['answeredBy'],
  declared: Declaration,
): BankRecordResult {
  const valid = answer.verdict === 'valid';
  return {
    kind: 'record',
    sessionId,
    answeredBy,
    ...verificationOf(answer),
    identity: valid ? recordIdentityView(answer) : null,
    methodIfCertified: methodIfCertified(answer),
    declared: declaredView(declared),
  };
}

/** The verifier's answer, passed on unchanged. */
async function passOn(c: Context, res: Response): Promise<Response> {
  return c.body(await res.text(), res.status as 200, {
    'content-type': res.headers.get('content-type') ?? 'application/json',
    'cache-control': 'no-store',
  });
}

/** A small JSON body as its object's members (bounded), or undefined when it is no JSON. */
function membersOf(text: string): Map<string, unknown> | undefined {
  let v: unknown;
  try {
    v = text === '' ? {} : JSON.parse(text);
  } catch {
    return undefined;
  }
  // Not an object: nothing declared, so the verifier refuses with its own code.
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? new Map(Object.entries(v).slice(0, 8))
    : new Map();
}

/** The frame of the verifier's landing page (a list of links, no script). */
function frame(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body{font-family:"IPAGothic","Hiragino Sans",system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1b1b1b}
h1{font-size:1.5rem}.en,small{color:#555}
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

/** What the bank's routes need. */
export interface BankPagesParts {
  readonly url: string;
  readonly bank: SandboxBank;
  readonly verifierFetch: (request: Request) => Response | Promise<Response>;
  readonly phones: readonly WalletDevice[];
  /** Where the phones' consent screens pick up what the bridge hands them (the wallet's). */
  readonly incoming: IncomingRequests;
  /** The page's build folder (default `apps/sandbox/dist-pages/bank`). */
  readonly pageDir?: string;
}

/**
 * Registers `/verifier/`, the bank's JSON routes and its page. `/verifier/bank/*` serves the page: register
 * the routes of the bank's other pages under it (`branch/`, `cross-device/`) before this.
 */
export function registerBankPages(app: Hono, parts: BankPagesParts): void {
  app.get('/verifier', (c) => c.redirect('/verifier/'));
  app.get('/verifier/', (c) => c.html(renderRelyingPartiesPage()));

  const api = verifierCall(parts.verifierFetch, parts.url, parts.bank.apiKey);
  const results = new KeptResults<BankRecordResult>();
  /** What the customer declared for each session the DC API path opened, for its result. */
  const declarations = new KeptResults<Declaration>();
  const phones: BankPhone[] = parts.phones.map((p) => ({ id: p.id, family: p.family }));

  app.get(`${PREFIX}/api/start`, (c) => {
    const asked = Number(c.req.query('dcTimeout'));
    const dcTimeoutMs = Number.isInteger(asked)
      ? Math.min(Math.max(asked, 500), 300_000)
      : BANK_DC_TIMEOUT_MS;
    c.header('cache-control', 'no-store');
    return c.json({ phones, lists: declarationLists(), dcTimeoutMs, application: BANK_JPKI_APPLICATION });
  });

  // The SDK's backend: the session for the bank's own origin (never one the browser names), with what the
  // customer declared; the verifier's answers passed on unchanged.
  app.post(`${PREFIX}/api/sessions`, async (c) => {
    if (!isJsonRequest(c)) return pageProblem(c, 415, 'BANK_JSON_ONLY', 'send application/json');
    const text = await c.req.text();
    if (text.length > MAX_SESSION_BODY)
      return pageProblem(c, 413, 'BANK_TOO_LARGE', 'the declaration is too large');
    const body = membersOf(text);
    if (body === undefined) return pageProblem(c, 400, 'BANK_BAD_JSON', 'the body is not JSON');
    const request = bankRequestFromBody(body);
    const elements = requestedElements(request);
    const res = await api('/sessions', {
      purpose: 'account-opening',
      origin: ownOrigin(c.req.url, parts.url),
      ...(elements === undefined ? {} : { elements }),
      ...request.declared,
    });
    if (!res.ok) return passOn(c, res);
    const created = (await res.json()) as { sessionId: string };
    declarations.keep(created.sessionId, request.declared);
    c.header('cache-control', 'no-store');
    return c.json(created, 201);
  });
  app.post(`${PREFIX}/api/sessions/:id/response`, async (c) => {
    if (!isJsonRequest(c)) return pageProblem(c, 415, 'BANK_JSON_ONLY', 'send application/json');
    const id = c.req.param('id');
    if (!SESSION_ID.test(id)) return pageProblem(c, 400, 'BANK_BAD_SESSION', 'no such session');
    if (Number(c.req.header('content-length') ?? 0) > MAX_ANSWER_BODY)
      return pageProblem(c, 413, 'BANK_TOO_LARGE', 'the answer is too large');
    const text = await c.req.text();
    if (text.length > MAX_ANSWER_BODY)
      return pageProblem(c, 413, 'BANK_TOO_LARGE', 'the answer is too large');
    const res = await parts.verifierFetch(
      new Request(`${parts.url}/verifier/sessions/${id}/response`, {
        method: 'POST',
        headers: { authorization: `Bearer ${parts.bank.apiKey}`, 'content-type': 'application/json' },
        body: text,
      }),
    );
    if (!res.ok) return passOn(c, res);
    const answer = (await res.json()) as RecordAnswer;
    results.keep(id, recordResult(id, answer, { kind: 'dc-api' }, declarations.get(id) ?? {}));
    c.header('cache-control', 'no-store');
    return c.json({ ...answer, resultUrl: `result/${id}` });
  });

  // The labelled bridge: a phone emulator answers in place of the browser's wallet.
  app.post(`${PREFIX}/api/bridge`, async (c) => {
    if (!isJsonRequest(c)) return pageProblem(c, 415, 'BANK_JSON_ONLY', 'send application/json');
    const body = await jsonObjectBody(c);
    if (body === undefined) return pageProblem(c, 400, 'BANK_BAD_JSON', 'the body is not a JSON object');
    const device = parts.phones.find((p) => p.id === body.get('phone'));
    if (device === undefined) return pageProblem(c, 400, 'BANK_NO_PHONE', 'choose a phone');
    const phone: BankPhone = { id: device.id, family: device.family };
    const asked = body.get('fallback');
    const fallback = typeof asked === 'string' && FALLBACKS.has(asked) ? asked : null;
    const request = bankRequestFromBody(body);
    const outcome = await presentRecordThroughBridge({
      api,
      phone: device,
      // The bank's own origin the page is on (the sandbox URL or its localhost twin), never the browser's word.
      origin: ownOrigin(c.req.url, parts.url),
      purpose: 'account-opening',
      elements: requestedElements(request),
      declared: request.declared,
      incoming: parts.incoming,
      signal: c.req.raw.signal,
    });
    if (outcome.kind === 'session-refused')
      return /^VERIFIER_[A-Z_]+$/.test(outcome.code)
        ? pageProblem(c, 400, outcome.code, 'The verifier refused to open the session')
        : pageProblem(c, 502, 'BANK_SESSION_UNAVAILABLE', 'The verification session could not be opened');
    if (outcome.kind === 'phone-refused')
      return pageProblem(
        c,
        phoneRefusalStatus(outcome.code),
        outcome.code,
        PHONE_REFUSAL_TITLES.get(outcome.code) ?? 'The phone could not answer',
        { phone },
      );
    const result = recordResult(
      outcome.sessionId,
      outcome.answer,
      { kind: 'bridge', phone, fallback, protocol: outcome.protocol },
      request.declared,
    );
    results.keep(outcome.sessionId, result);
    c.header('cache-control', 'no-store');
    return c.json({ ...result, resultUrl: `result/${outcome.sessionId}` });
  });

  app.get(`${PREFIX}/api/results/:id`, (c) => {
    const id = c.req.param('id');
    if (!SESSION_ID.test(id)) return pageProblem(c, 400, 'BANK_BAD_SESSION', 'no such session');
    const result = results.get(id);
    if (result === undefined) return pageProblem(c, 404, 'BANK_NO_RESULT', 'no such result');
    c.header('cache-control', 'no-store');
    return c.json(result);
  });

  registerJpkiBankApi(app, { api, phones: parts.phones, incoming: parts.incoming, url: parts.url });
  registerBankPasskeys(app, parts);
  app.all(`${PREFIX}/api/*`, (c) => problem(c, 404, 'BANK_NOT_FOUND', 'Not found'));

  // Every view is the same build. A view in a folder of its own (`jpki/`, `signin/`…) is served there, so
  // its relative asset URLs resolve; a result's URL names its session (`result/<session>`), and its
  // folder's index.html is served for it.
  const page = (prefix: string) => ({
    prefix,
    dir: parts.pageDir ?? defaultPageDir('bank'),
    titleJa: 'サンドボックス銀行 口座開設',
    titleEn: 'Sandbox Bank — open an account',
    notFoundCode: 'BANK_NOT_FOUND',
  });
  const shell = new Hono();
  registerBuiltPage(shell, page('/view'));
  for (const folder of ['result', 'jpki/result']) {
    app.get(`${PREFIX}/${folder}/:id`, (c, next) =>
      SESSION_ID.test(c.req.param('id')) && c.req.param('id') !== 'assets' ? shell.request('/view/') : next(),
    );
  }
  for (const folder of ['jpki/result', 'result', 'jpki', 'signin', 'account'])
    registerBuiltPage(app, page(`${PREFIX}/${folder}`));
  registerBuiltPage(app, page(PREFIX));
}
