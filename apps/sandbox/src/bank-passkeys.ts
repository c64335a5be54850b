/**
 * Story 2's passkeys at the sandbox bank (FSA/JSDA 2025-10: hand the customer a passkey right after the
 * smartphone identity proofing, sign in with it later, verify the card again before a high-risk change):
 *
 * - every result page of a *valid* verification (the DC API one, the bridge one and story 3's JPKI
 *   signature one, jpki-bank-pages.ts) offers "パスキーを作成 /
 *   Create a passkey" (a script: WebAuthn has no form fallback, and the page says so); the page's
 *   @mynakit/verifier-sdk `registerPasskey` gets options from `api/passkeys/registration/options` with
 *   that verification's session id and sends the answer to `…/registration/verify`; the account id the
 *   verifier created is shown;
 * - `/verifier/bank/signin/` signs in with the passkey (`signInWithPasskey`) and shows the account and
 *   whether a step-up is required; the bank then keeps the signed-in account in memory under an HttpOnly,
 *   SameSite=Strict cookie;
 * - `/verifier/bank/account/` (signed in) offers "住所変更 / change the registered address": the bank asks
 *   the verifier for a step-up, the person verifies the card again through the bank's usual page, and
 *   that result page completes the step-up with its session (`api/passkeys/step-up/verify`) — accepted by
 *   the verifier only for the SAME person, verified after the step-up was asked.
 *
 * The bank's backend relays to the verifier's `/passkeys` routes with its API key, which never reaches
 * the page. The browser never names an origin or an account: the origin is the bank's own (the one of its
 * configured origins the page is served on), the account that of the signed-in cookie. The session id a
 * result page carries is the verification's unguessable id, shown only to the browser that verified; the
 * verifier binds a passkey to it once, within minutes, for this bank only. JSON endpoints take
 * `application/json` only (a form on another site cannot send it without CORS). Refusals of the verifier
 * are passed on unchanged (its `VERIFIER_PASSKEY_…` codes).
 *
 * WebAuthn needs a domain name: Chromium refuses an IP address as RP ID (a SecurityError, "invalid
 * domain"). The sandbox prints http://127.0.0.1:port, so the bank also serves — and is configured for —
 * its twin http://localhost:port (sandbox-bank.ts), and the pages send a visitor on 127.0.0.1 there.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { html, SafeHtml } from '@mynakit/page-html';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { type SandboxBank, sandboxBankOrigins } from './sandbox-bank.js';

/** The bank's pages, rendered in its frame (bank-pages.ts). */
export type BankFrame = (title: string, body: SafeHtml) => string;

/** The cookie of a signed-in customer (an opaque token; the account stays on the server). */
const SIGNIN_COOKIE = 'sandbox_bank_signin';
/** How long a sign-in lasts (ms). */
const SIGNIN_TTL_MS = 30 * 60_000;
/** Sign-ins kept in memory at most (the oldest goes first). */
const MAX_SIGNINS = 256;
/** A JSON body larger than this is refused (a WebAuthn answer is a few KiB; the verifier's bound is 64 KiB). */
const MAX_JSON_BYTES = 64 * 1024;
const SESSION_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The bank's origin a page is served on: the request's origin when it is one of the bank's configured
 * origins (the sandbox URL or its localhost twin), else the sandbox URL. Never what a body names.
 */
export function ownOrigin(requestUrl: string, url: string): string {
  const origin = new URL(requestUrl).origin;
  return sandboxBankOrigins(url).includes(origin) ? origin : url;
}

/** The full SDK page bundle (passkeys and the DC API), built by scripts/build-pages.mjs; undefined when not built. */
async function readFullSdkBundle(): Promise<string | undefined> {
  try {
    const pkg = createRequire(import.meta.url).resolve('@mynakit/verifier-sdk/package.json');
    return await readFile(join(dirname(pkg), 'dist', 'browser', 'verifier-sdk.js'), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * What the passkey pages' scripts share: a status line with `data-*` attributes, the SDK's PasskeyError
 * reasons in words, and the note for a page served on an IP address (where WebAuthn cannot run).
 */
const SHARED_SCRIPT = `
const say = (status, text, attrs) => {
  status.textContent = text;
  for (const name of ['data-error', 'data-problem', 'data-progress', 'data-account-id']) status.removeAttribute(name);
  for (const [name, value] of Object.entries(attrs ?? {})) status.setAttribute(name, value);
};
const REASONS = new Map([
  ['not-allowed', 'パスキーが拒否されたか、本人確認(生体認証・PIN)ができませんでした / The passkey was declined or the user could not be verified'],
  ['cancelled', '取り消されました / Cancelled'],
  ['already-registered', 'この端末にはこの口座のパスキーがあります / This device already holds a passkey for the account'],
  ['unsupported', 'このブラウザはパスキーに対応していません / This browser has no passkeys'],
  ['rejected', '銀行が受け付けませんでした / The bank refused'],
  ['network', '銀行のサーバーに届きません / The bank’s server could not be reached'],
]);
const failed = (status, e) => {
  const reason = typeof e?.reason === 'string' ? e.reason : 'error';
  const attrs = { 'data-error': reason };
  if (typeof e?.problemCode === 'string') attrs['data-problem'] = e.problemCode;
  say(status, (REASONS.get(reason) ?? 'エラー / Error') + (e?.problemCode ? ': ' + e.problemCode : '') + ' (' + reason + ')', attrs);
};
/** WebAuthn refuses an IP address as RP ID: send the visitor to the localhost twin. */
const onIpHost = (status) => {
  if (location.hostname !== '127.0.0.1') return false;
  const twin = 'http://localhost:' + location.port + '/verifier/bank/';
  say(status, 'パスキーは IP アドレスのページでは使えません。' + twin + ' で開き直してください / Passkeys need a domain name: open ' + twin, { 'data-error': 'ip-host' });
  const a = document.createElement('a');
  a.href = twin;
  a.textContent = ' → ' + twin;
  status.append(a);
  return true;
};
const postJson = async (url, body) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
  const json = await res.json().catch(() => ({}));
  return { ok: res.ok, json };
};
`;

/** The result page's passkey section script: create a passkey, or complete a pending step-up. */
const OFFER_SCRIPT = `
import { registerPasskey } from '/verifier/bank/verifier-sdk.js';
${SHARED_SCRIPT}
const section = document.querySelector('[data-passkey-offer]');
const status = section.querySelector('[data-passkey-status]');
const create = section.querySelector('button[data-action="create-passkey"]');
const stepUp = section.querySelector('button[data-action="complete-step-up"]');
const sessionId = section.dataset.session;
section.querySelector('[data-needs-script]').hidden = true;
if (!onIpHost(status)) {
  const me = await fetch('/verifier/bank/api/passkeys/me', { credentials: 'same-origin' }).then((r) => r.json()).catch(() => ({}));
  const button = me.signedIn === true && me.stepUpRequired === true ? stepUp : create;
  button.hidden = false;
  button.disabled = false;
  section.dataset.ready = button.dataset.action;
  create.addEventListener('click', async () => {
    create.disabled = true;
    say(status, 'パスキーを作成しています… / Creating the passkey…', { 'data-progress': 'creating' });
    try {
      const created = await registerPasskey({
        optionsUrl: '/verifier/bank/api/passkeys/registration/options',
        optionsBody: { sessionId },
        verifyUrl: '/verifier/bank/api/passkeys/registration/verify',
      });
      say(status, '口座を開設しました。口座番号 / Account opened — account id: ' + created.accountId, { 'data-account-id': created.accountId });
      section.querySelector('[data-signin-link]').hidden = false;
    } catch (e) {
      create.disabled = false;
      failed(status, e);
    }
  });
  stepUp.addEventListener('click', async () => {
    stepUp.disabled = true;
    say(status, '本人確認を住所変更に使っています… / Using this verification for the step-up…', { 'data-progress': 'step-up' });
    const done = await postJson('/verifier/bank/api/passkeys/step-up/verify', { sessionId }).catch(() => ({ ok: false, json: {} }));
    if (done.ok) {
      location.assign('/verifier/bank/account/');
      return;
    }
    stepUp.disabled = false;
    failed(status, { reason: 'rejected', problemCode: typeof done.json.code === 'string' ? done.json.code : undefined });
  });
}
`;

/** The sign-in page's script. */
const SIGNIN_SCRIPT = `
import { signInWithPasskey } from '/verifier/bank/verifier-sdk.js';
${SHARED_SCRIPT}
const status = document.querySelector('#passkey-status');
const button = document.querySelector('button[data-action="sign-in"]');
const result = document.querySelector('[data-signed-in]');
document.querySelector('[data-needs-script]').hidden = true;
if (!onIpHost(status)) {
  button.disabled = false;
  document.body.dataset.ready = 'sign-in';
  button.addEventListener('click', async () => {
    button.disabled = true;
    result.hidden = true;
    say(status, 'パスキーを確認しています… / Checking the passkey…', { 'data-progress': 'signing-in' });
    try {
      const signedIn = await signInWithPasskey({
        optionsUrl: '/verifier/bank/api/passkeys/authentication/options',
        optionsBody: {},
        verifyUrl: '/verifier/bank/api/passkeys/authentication/verify',
      });
      say(status, 'サインインしました / Signed in', { 'data-progress': 'done' });
      result.querySelector('[data-field="account"]').textContent = signedIn.accountId;
      result.querySelector('[data-field="verified-at"]').textContent = signedIn.verifiedAt;
      result.querySelector('[data-field="step-up"]').textContent = signedIn.stepUpRequired
        ? '必要 — 住所変更などの前にカードでの本人確認をもう一度 / required: verify the card again before a high-risk change'
        : '不要 / not required';
      result.dataset.accountId = signedIn.accountId;
      result.dataset.stepUpRequired = String(signedIn.stepUpRequired);
      result.hidden = false;
    } catch (e) {
      failed(status, e);
    }
    button.disabled = false;
  });
}
`;

const NEEDS_SCRIPT = html`<p data-needs-script>パスキーにはスクリプト(WebAuthn)が必要です。<span class="en">Passkeys need scripts (WebAuthn).</span></p>`;

/** The passkey section of a valid verification's result page (session `sessionId`). */
export function renderPasskeyOffer(sessionId: string): SafeHtml {
  return html`<section class="passkey" data-passkey-offer data-session="${sessionId}">
<h2>パスキー <span class="en">Passkey</span></h2>
<p>この本人確認に結び付いたパスキーを作ると、次からはパスキーでサインインできます(10分以内、1回限り)。
<br><span class="en">Create a passkey bound to this verification (within 10 minutes, once) and sign in with it from now on.</span></p>
${NEEDS_SCRIPT}
<button type="button" data-action="create-passkey" hidden disabled>パスキーを作成 / Create a passkey</button>
<button type="button" data-action="complete-step-up" hidden disabled>この本人確認で住所変更を続ける / Use this verification for the address change</button>
<p data-passkey-status role="status" aria-live="polite"></p>
<p data-signin-link hidden><a href="/verifier/bank/signin/">パスキーでサインイン / Sign in with a passkey</a></p>
</section>
<script type="module">${new SafeHtml(OFFER_SCRIPT)}</script>`;
}

function signInPage(frame: BankFrame): string {
  return frame(
    'サインイン — Sandbox Bank',
    html`<h1>パスキーでサインイン <span class="en">Sign in with a passkey</span></h1>
<p>口座開設のときに作ったパスキーでサインインします。<br><span class="en">Sign in with the passkey you created when opening the account.</span></p>
${NEEDS_SCRIPT}
<button type="button" data-action="sign-in" disabled>パスキーでサインイン / Sign in with a passkey</button>
<p id="passkey-status" role="status" aria-live="polite"></p>
<div data-signed-in hidden>
<table>
<tr><th>口座 <span class="en">account</span></th><td data-field="account"></td></tr>
<tr><th>本人確認の日時 <span class="en">verified at</span></th><td data-field="verified-at"></td></tr>
<tr><th>追加の本人確認 <span class="en">step-up</span></th><td data-field="step-up"></td></tr>
</table>
<p><a href="/verifier/bank/account/">口座へ / to the account</a></p>
</div>
<p><a href="/verifier/bank/">口座開設 / open an account</a></p>
<script type="module">${new SafeHtml(SIGNIN_SCRIPT)}</script>`,
  );
}

/** The verifier's account as the bank reads it (no personal data). */
interface AccountAnswer {
  accountId: string;
  verifiedAt: string;
  recordId: string;
  stepUpRequired: boolean;
  stepUpRequestedAt: string | null;
  credentials: { credentialId: string }[];
}

interface SignIn {
  readonly accountId: string;
  readonly expiresAt: number;
  /** Set when a step-up this sign-in asked for was completed (ISO 8601). */
  stepUpCompletedAt: string | undefined;
}

function accountPage(frame: BankFrame, account: AccountAnswer, signIn: SignIn): string {
  const stepUp = account.stepUpRequired
    ? html`<p data-step-up="required">住所変更にはカードでの本人確認がもう一度必要です。<span class="en">Changing the address needs a new verification with the card.</span></p>
<p><a href="/verifier/bank/" data-action="verify-again">マイナンバーカードで本人確認 / Verify with the My Number Card</a></p>`
    : signIn.stepUpCompletedAt !== undefined
      ? html`<p data-step-up="completed">本人確認が完了しました(${signIn.stepUpCompletedAt})。住所変更を受け付けます。<span class="en">Verified again: the address change can proceed.</span></p>`
      : html`<form method="post" action="/verifier/bank/account/address-change"><button>住所変更 / change the registered address</button></form>`;
  return frame(
    '口座 — Sandbox Bank',
    html`<h1>口座 <span class="en">Your account</span></h1>
<table data-account="${account.accountId}">
<tr><th>口座 <span class="en">account</span></th><td>${account.accountId}</td></tr>
<tr><th>本人確認の日時 <span class="en">verified at</span></th><td>${account.verifiedAt}</td></tr>
<tr><th>確認記録 <span class="en">verification record</span></th><td><code>${account.recordId}</code></td></tr>
<tr><th>パスキー <span class="en">passkeys</span></th><td>${String(account.credentials.length)}</td></tr>
<tr><th>追加の本人確認 <span class="en">step-up</span></th><td data-step-up-required="${String(account.stepUpRequired)}">${account.stepUpRequired ? '必要 / required' : '不要 / not required'}</td></tr>
</table>
<h2>住所変更 <span class="en">Change the registered address</span></h2>
${stepUp}
<form method="post" action="/verifier/bank/account/sign-out"><button>サインアウト / sign out</button></form>`,
  );
}

/** Registers the passkey routes and pages of the bank (before the verifier's own routes). */
export function registerBankPasskeys(
  app: Hono,
  parts: {
    readonly url: string;
    readonly bank: SandboxBank;
    readonly verifierFetch: (request: Request) => Response | Promise<Response>;
    readonly frame: BankFrame;
  },
): void {
  const signIns = new Map<string, SignIn>();
  const verifier = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    parts.verifierFetch(
      new Request(`${parts.url}/verifier${path}`, {
        method,
        headers: {
          authorization: `Bearer ${parts.bank.apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  const relay = async (c: Context, res: Response) =>
    c.body(await res.text(), res.status as 200, {
      'content-type': res.headers.get('content-type') ?? 'application/json',
      'cache-control': 'no-store',
    });
  const problem = (c: Context, status: 400 | 401 | 413 | 415, code: string, detail: string) =>
    c.json({ type: 'about:blank', title: 'Refused by the bank', status, code, detail }, status, {
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
    });
  /** The JSON object of a request, or the refusal to answer. */
  const jsonBody = async (c: Context): Promise<Record<string, unknown> | Response> => {
    if (!(c.req.header('content-type') ?? '').startsWith('application/json'))
      return problem(c, 415, 'BANK_JSON_ONLY', 'send application/json');
    if (Number(c.req.header('content-length') ?? 0) > MAX_JSON_BYTES)
      return problem(c, 413, 'BANK_TOO_LARGE', 'the body is too large');
    const text = await c.req.text();
    if (text.length > MAX_JSON_BYTES) return problem(c, 413, 'BANK_TOO_LARGE', 'the body is too large');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return problem(c, 400, 'BANK_BAD_JSON', 'the body is not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return problem(c, 400, 'BANK_BAD_JSON', 'the body is not a JSON object');
    return parsed as Record<string, unknown>;
  };
  const sessionIdOf = (body: Record<string, unknown>) =>
    Object.hasOwn(body, 'sessionId') && typeof body.sessionId === 'string' && SESSION_ID.test(body.sessionId)
      ? body.sessionId
      : undefined;
  /** The signed-in account of this browser, dropping lapsed sign-ins. */
  const signedIn = (c: Context): SignIn | undefined => {
    const token = getCookie(c, SIGNIN_COOKIE);
    if (token === undefined) return undefined;
    const found = signIns.get(token);
    if (found === undefined) return undefined;
    if (found.expiresAt <= Date.now()) {
      signIns.delete(token);
      return undefined;
    }
    return found;
  };
  const account = async (accountId: string) => {
    const res = await verifier('GET', `/passkeys/accounts/${encodeURIComponent(accountId)}`);
    return res.ok ? ((await res.json()) as AccountAnswer) : undefined;
  };

  let sdk: Promise<string | undefined> | undefined;
  app.get('/verifier/bank/verifier-sdk.js', async (c) => {
    sdk ??= readFullSdkBundle();
    const text = await sdk;
    if (text === undefined) {
      sdk = undefined;
      return c.text('the SDK bundle is not built: node scripts/build-pages.mjs', 404);
    }
    return c.body(text, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
    });
  });

  app.post('/verifier/bank/api/passkeys/registration/options', async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const sessionId = sessionIdOf(body);
    if (sessionId === undefined) return problem(c, 400, 'BANK_BAD_SESSION', 'no such session');
    // A JPKI signature (story 3) has no page origin of its own: the bank names the one this page is on.
    const origin = ownOrigin(c.req.url, parts.url);
    return relay(c, await verifier('POST', '/passkeys/registration/options', { sessionId, origin }));
  });
  app.post('/verifier/bank/api/passkeys/registration/verify', async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    return relay(c, await verifier('POST', '/passkeys/registration/verify', { response: body.response }));
  });
  app.post('/verifier/bank/api/passkeys/authentication/options', async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    // Any account's passkey may answer (discoverable credentials); the origin is the bank's own.
    const origin = ownOrigin(c.req.url, parts.url);
    return relay(c, await verifier('POST', '/passkeys/authentication/options', { origin }));
  });
  app.post('/verifier/bank/api/passkeys/authentication/verify', async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const res = await verifier('POST', '/passkeys/authentication/verify', { response: body.response });
    if (!res.ok) return relay(c, res);
    const answer = (await res.json()) as { accountId: string };
    const token = randomBytes(24).toString('base64url');
    signIns.set(token, {
      accountId: answer.accountId,
      expiresAt: Date.now() + SIGNIN_TTL_MS,
      stepUpCompletedAt: undefined,
    });
    // The oldest sign-in goes first; a sandbox keeps a few, in memory only.
    if (signIns.size > MAX_SIGNINS) signIns.delete(signIns.keys().next().value as string);
    setCookie(c, SIGNIN_COOKIE, token, {
      path: '/verifier/bank/',
      httpOnly: true,
      sameSite: 'Strict',
      maxAge: SIGNIN_TTL_MS / 1000,
    });
    c.header('cache-control', 'no-store');
    return c.json({ ...answer, accountUrl: '/verifier/bank/account/' });
  });
  app.get('/verifier/bank/api/passkeys/me', async (c) => {
    c.header('cache-control', 'no-store');
    const s = signedIn(c);
    const a = s === undefined ? undefined : await account(s.accountId);
    if (a === undefined) return c.json({ signedIn: false });
    return c.json({ signedIn: true, accountId: a.accountId, stepUpRequired: a.stepUpRequired });
  });
  app.post('/verifier/bank/api/passkeys/step-up/verify', async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const s = signedIn(c);
    if (s === undefined) return problem(c, 401, 'BANK_NOT_SIGNED_IN', 'sign in with a passkey first');
    const sessionId = sessionIdOf(body);
    if (sessionId === undefined) return problem(c, 400, 'BANK_BAD_SESSION', 'no such session');
    const res = await verifier(
      'POST',
      `/passkeys/accounts/${encodeURIComponent(s.accountId)}/step-up/verify`,
      {
        sessionId,
      },
    );
    if (res.ok) s.stepUpCompletedAt = new Date().toISOString();
    return relay(c, res);
  });

  app.get('/verifier/bank/signin', (c) => c.redirect('/verifier/bank/signin/'));
  app.get('/verifier/bank/signin/', (c) => c.html(signInPage(parts.frame)));
  app.get('/verifier/bank/account', (c) => c.redirect('/verifier/bank/account/'));
  app.get('/verifier/bank/account/', async (c) => {
    c.header('cache-control', 'no-store');
    const s = signedIn(c);
    const a = s === undefined ? undefined : await account(s.accountId);
    if (s === undefined || a === undefined) return c.redirect('/verifier/bank/signin/');
    return c.html(accountPage(parts.frame, a, s));
  });
  app.post('/verifier/bank/account/address-change', async (c) => {
    const s = signedIn(c);
    if (s === undefined) return c.redirect('/verifier/bank/signin/', 303);
    // A high-risk change: the verifier marks the account until the same person verifies the card again.
    const res = await verifier('POST', `/passkeys/accounts/${encodeURIComponent(s.accountId)}/step-up`);
    if (!res.ok) return relay(c, res);
    s.stepUpCompletedAt = undefined;
    return c.redirect('/verifier/bank/account/', 303);
  });
  app.post('/verifier/bank/account/sign-out', (c) => {
    const token = getCookie(c, SIGNIN_COOKIE);
    if (token !== undefined) signIns.delete(token);
    deleteCookie(c, SIGNIN_COOKIE, { path: '/verifier/bank/' });
    return c.redirect('/verifier/bank/signin/', 303);
  });
}
