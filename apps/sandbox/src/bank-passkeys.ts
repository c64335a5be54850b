/**
 * Story 2's passkeys at the sandbox bank (FSA/JSDA 2025-10: hand the customer a passkey right after the
 * smartphone identity proofing, sign in with it later, verify the card again before a high-risk change) —
 * the bank's backend for its page (apps/sandbox/pages/bank, bank-pages.ts):
 *
 * - a *valid* verification's result (the DC API one, the bridge one and story 3's JPKI signature one)
 *   offers "パスキーを作成 / Create a passkey": the page's @mynakit/verifier-sdk `registerPasskey` gets options
 *   from `api/passkeys/registration/options` with that verification's session id and sends the answer to
 *   `…/registration/verify`; the account id the verifier created is shown;
 * - the sign-in view (`signin/`) signs in with the passkey (`signInWithPasskey`,
 *   `api/passkeys/authentication/…`); the bank then keeps the signed-in account in memory under an
 *   HttpOnly, SameSite=Strict cookie (`api/passkeys/me` says who is signed in);
 * - the account view (`account/`, redirected to `signin/` without a sign-in) reads `api/account` and offers
 *   "住所変更 / change the registered address" (`api/account/address-change`): the bank asks the verifier
 *   for a step-up, the person verifies the card again on the bank's usual page, and that result completes
 *   the step-up with its session (`api/passkeys/step-up/verify`) — accepted by the verifier only for the
 *   SAME person, verified after the step-up was asked; `api/account/sign-out` ends the sign-in.
 *
 * The bank's backend relays to the verifier's `/passkeys` routes with its API key, which never reaches
 * the page. The browser never names an origin or an account: the origin is the bank's own (the one of its
 * configured origins the page is served on), the account that of the signed-in cookie. The session id a
 * result carries is the verification's unguessable id, shown only to the browser that verified; the
 * verifier binds a passkey to it once, within minutes, for this bank only. JSON endpoints take
 * `application/json` only (a form on another site cannot send it without CORS). Refusals of the verifier
 * are passed on unchanged (its `VERIFIER_PASSKEY_…` codes); the bank's own have BANK_* codes.
 *
 * WebAuthn needs a domain name: Chromium refuses an IP address as RP ID (a SecurityError, "invalid
 * domain"). The sandbox prints http://127.0.0.1:port, so the bank also serves — and is configured for —
 * its twin http://localhost:port (sandbox-bank.ts), and the page sends a visitor on 127.0.0.1 there.
 */
import { randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_ID } from './bank-results.js';
import { pageProblem } from './page-api.js';
import { type SandboxBank, sandboxBankOrigins } from './sandbox-bank.js';

/** The cookie of a signed-in customer (an opaque token; the account stays on the server). */
const SIGNIN_COOKIE = 'sandbox_bank_signin';
/** How long a sign-in lasts (ms). */
const SIGNIN_TTL_MS = 30 * 60_000;
/** Sign-ins kept in memory at most (the oldest goes first). */
const MAX_SIGNINS = 256;
/** A JSON body larger than this is refused (a WebAuthn answer is a few KiB; the verifier's bound is 64 KiB). */
const MAX_JSON_BYTES = 64 * 1024;

/**
 * The bank's origin a page is served on: the request's origin when it is one of the bank's configured
 * origins (the sandbox URL or its localhost twin), else the sandbox URL. Never what a body names.
 */
export function ownOrigin(requestUrl: string, url: string): string {
  const origin = new URL(requestUrl).origin;
  return sandboxBankOrigins(url).includes(origin) ? origin : url;
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

/**
 * Registers the passkey and account routes of the bank, and the account view's sign-in guard (before the
 * bank's page and the verifier's own routes).
 */
export function registerBankPasskeys(
  app: Hono,
  parts: {
    readonly url: string;
    readonly bank: SandboxBank;
    readonly verifierFetch: (request: Request) => Response | Promise<Response>;
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
  /** The JSON object of a request, or the refusal to answer. */
  const jsonBody = async (c: Context): Promise<Record<string, unknown> | Response> => {
    if (!(c.req.header('content-type') ?? '').startsWith('application/json'))
      return pageProblem(c, 415, 'BANK_JSON_ONLY', 'send application/json');
    if (Number(c.req.header('content-length') ?? 0) > MAX_JSON_BYTES)
      return pageProblem(c, 413, 'BANK_TOO_LARGE', 'the body is too large');
    const text = await c.req.text();
    if (text.length > MAX_JSON_BYTES) return pageProblem(c, 413, 'BANK_TOO_LARGE', 'the body is too large');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return pageProblem(c, 400, 'BANK_BAD_JSON', 'the body is not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return pageProblem(c, 400, 'BANK_BAD_JSON', 'the body is not a JSON object');
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

  app.post('/verifier/bank/api/passkeys/registration/options', async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const sessionId = sessionIdOf(body);
    if (sessionId === undefined) return pageProblem(c, 400, 'BANK_BAD_SESSION', 'no such session');
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
    if (s === undefined) return pageProblem(c, 401, 'BANK_NOT_SIGNED_IN', 'sign in with a passkey first');
    const sessionId = sessionIdOf(body);
    if (sessionId === undefined) return pageProblem(c, 400, 'BANK_BAD_SESSION', 'no such session');
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

  /** The account as the page shows it (no personal data). */
  const accountView = (a: AccountAnswer, s: SignIn) => ({
    accountId: a.accountId,
    verifiedAt: a.verifiedAt,
    recordId: a.recordId,
    passkeys: a.credentials.length,
    stepUpRequired: a.stepUpRequired,
    stepUpCompletedAt: s.stepUpCompletedAt ?? null,
  });
  const notSignedIn = (c: Context) =>
    pageProblem(c, 401, 'BANK_NOT_SIGNED_IN', 'sign in with a passkey first');

  // The account view needs a sign-in: without one the browser goes to the sign-in view.
  app.get('/verifier/bank/account/', async (c, next) => {
    const s = signedIn(c);
    if (s === undefined || (await account(s.accountId)) === undefined)
      return c.redirect('/verifier/bank/signin/');
    await next();
  });
  app.get('/verifier/bank/api/account', async (c) => {
    const s = signedIn(c);
    const a = s === undefined ? undefined : await account(s.accountId);
    if (s === undefined || a === undefined) return notSignedIn(c);
    c.header('cache-control', 'no-store');
    return c.json(accountView(a, s));
  });
  app.post('/verifier/bank/api/account/address-change', async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const s = signedIn(c);
    if (s === undefined) return notSignedIn(c);
    // A high-risk change: the verifier marks the account until the same person verifies the card again.
    const res = await verifier('POST', `/passkeys/accounts/${encodeURIComponent(s.accountId)}/step-up`);
    if (!res.ok) return relay(c, res);
    s.stepUpCompletedAt = undefined;
    const a = await account(s.accountId);
    if (a === undefined) return notSignedIn(c);
    c.header('cache-control', 'no-store');
    return c.json(accountView(a, s));
  });
  app.post('/verifier/bank/api/account/sign-out', async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const token = getCookie(c, SIGNIN_COOKIE);
    if (token !== undefined) signIns.delete(token);
    deleteCookie(c, SIGNIN_COOKIE, { path: '/verifier/bank/' });
    c.header('cache-control', 'no-store');
    return c.json({ signedIn: false });
  });
}
