/**
 * A government portal's sign-in with the smartphone user-authentication certificate (the マイナポータル
 * pattern; DOMAIN.md §3: user authentication is a challenge–response — the auth key signs a server nonce,
 * the server verifies the signature, the chain and the status, and binds the account to the certificate).
 *
 * A Vite + Preact page (`apps/sandbox/pages/portal`, built by scripts/build-pages.mjs into
 * `dist-pages/portal`) served at `/verifier/portal/` (built-page.ts), and the JSON routes it calls under
 * `/verifier/portal/api/`:
 *
 *   GET  api/phones   → `{phones: [{id, family, unlock, unlockOn, answeredBy}]}` — the phones that answer
 *                       through the bridge; each unlocks its auth key on its own screen (`pin-or-biometric`
 *                       on `phone`)
 *   GET  api/session  → `{signedIn: false}` or the signed-in view (subject id, account, phone, checks)
 *   POST api/login    → `{phone}`: the sign-in — waits until the holder answers on the phone (up to its
 *                       3 minutes; the page's closing ends the wait); on success the session cookie and the
 *                       signed-in view, or the phone's refusal with its `walletCode`: 409 PORTAL_DECLINED
 *                       (no session, nothing signed), 423 PORTAL_PIN_LOCKED (three wrong PINs on the
 *                       phone), 504 PORTAL_PHONE_NO_ANSWER, 503 PORTAL_PHONE_BUSY, 409
 *                       PORTAL_NO_CERTIFICATE; a body that carries `pin` or `biometric` is refused at once
 *                       with 400 PORTAL_UNLOCK_ON_PHONE, before any phone is asked
 *   POST api/logout   → 204, the session ended and its cookie cleared
 *   GET  api/link     → `{available}`: whether a link can be made here (sandbox-portal-link.ts)
 *   POST api/link     → `{}`: the sign-in by link or QR code (スマートフォンで読み取る) — opens a JPKI
 *                       user-authentication session with the portal's phone sign-in party
 *                       (sandbox-portal-link.ts) → 201 `{sessionId}`, and a cookie binding it to this browser
 *   GET  api/link/:id → before the phone answered `{state: pending, walletUrl, expiresAt, qrSvg, phones}` (the
 *                       `mynakit-jpki://` link, its QR code, the phones that can be handed it at
 *                       `/wallet/phones/<id>/jpki-request?url=…`); once it answered, the sign-in: the session
 *                       cookie and `{state: signed-in, …the signed-in view}`, or 422 PORTAL_SIGN_IN_REFUSED;
 *                       410 PORTAL_LINK_EXPIRED unanswered; 404 PORTAL_NO_SESSION for an unknown id, a used
 *                       one, or one another browser opened
 *
 * The link's request object and the phone's answer are the portal's link verifier's, served under
 * `/verifier/portal/link/sessions/{id}/…` on the party's host (sandbox-portal-link.ts). The phone answers the
 * verifier directly; the page learns the outcome by polling, and the browser that opened the session (its
 * HttpOnly binding cookie) is the one signed in, once.
 *
 * The sign-in opens a jpki-authentication session at the verifier (its API key stays here) and hands its
 * challenge to the chosen phone through the labelled bridge (jpki-user-authentication.ts): the request waits
 * on the phone's consent screen (`/wallet/phones/<id>/incoming`), which names the portal; the holder types
 * the 4-digit auth PIN THERE or uses the phone's biometric, which may stand in for it (DOMAIN.md §3) — or
 * declines. The PIN never passes through the portal: a wrong one is counted on the phone's screen, which
 * stays up with the tries left, and the portal hears only how it ended. The verifier checks the chain to the sandbox JPKI CAs, the user-authentication profile,
 * the signature over the challenge and the OCSP status at the sandbox issuer. A valid answer signs in: the
 * account is keyed by the certificate's opaque subject id (`CN`) — the user-authentication certificate
 * carries no name, address, birth date or sex, so nothing the page receives is personal data. A revoked
 * certificate is refused (422 with `status.revocation` failed).
 *
 * The sign-in is a cookie session kept in this process's memory only: a random 256-bit id, HttpOnly (no
 * script of the page sees it), SameSite=Lax, Secure on https, Path limited to the portal, 30 minutes. The
 * POST routes take `application/json` only, which a cross-site form cannot send. Errors are RFC 9457
 * problems with stable PORTAL_* codes; nothing submitted is echoed.
 */
import { randomBytes } from 'node:crypto';
import { problem } from '@mynakit/http-kit';
import type { IncomingRequests, UserAuthentication, WalletDevice } from '@mynakit/wallet';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { defaultPageDir, registerBuiltPage } from './built-page.js';
import { type CertificateView, certificateView, type JpkiAnswer, verifierCall } from './jpki-page-parts.js';
import {
  authenticateThroughBridge,
  readUserAuthenticationRequest,
  type UnlockingPhone,
  unlockingPhone,
} from './jpki-user-authentication.js';
import { isJsonRequest, pageProblem } from './page-api.js';
import { qrSvg } from './qr-svg.js';
import { SANDBOX_PORTAL_NAME, type SandboxPortal } from './sandbox-portal.js';
import { PORTAL_LINK_PATH, type SandboxPortalLink } from './sandbox-portal-link.js';
import { type ChecksView, checksView, methodAndRecordView } from './verification-view.js';

/** The portal's session cookie. */
export const PORTAL_SESSION_COOKIE = 'mynakit_portal';

/** How long a sign-in lasts (ms). */
export const PORTAL_SESSION_TTL_MS = 30 * 60 * 1000;

/** Most sign-ins and accounts kept in memory; the oldest goes first. */
const MAX_KEPT = 256;

const PREFIX = '/verifier/portal';

/** The cookie binding a link sign-in session to the browser that opened it. */
export const PORTAL_LINK_COOKIE = 'mynakit_portal_link';

const SESSION_ID = /^[A-Za-z0-9-]{1,64}$/;

/** What the portal pages need. */
export interface PortalPagesParts {
  readonly url: string;
  readonly portal: SandboxPortal;
  readonly verifierFetch: (request: Request) => Response | Promise<Response>;
  readonly phones: readonly WalletDevice[];
  /** Where the phones' consent screens pick up what the bridge hands them (the wallet's). */
  readonly incoming: IncomingRequests;
  /** The portal's phone sign-in party (sign-in by link or QR code); absent: the page says it cannot be offered. */
  readonly portalLink?: SandboxPortalLink | undefined;
  /** The page's build folder (default `apps/sandbox/dist-pages/portal`). */
  readonly pageDir?: string;
}

/** GET api/session when signed in (and the answer of a sign-in). */
export interface PortalSignedIn extends ChecksView {
  readonly signedIn: true;
  /** The user-authentication certificate's subject CN: an opaque id, no personal data. */
  readonly subjectId: string;
  readonly account: { readonly createdAt: string; readonly signIns: number };
  readonly signedInAt: string;
  /** `bridge`: a phone answered through the labelled bridge; `link`: the phone answered the link by itself. */
  readonly via: 'bridge' | 'link';
  /** The phone that answered through the bridge (a link's answer names no phone to the portal). */
  readonly phone: (UnlockingPhone & { readonly how: UserAuthentication['method'] }) | null;
  readonly certificate: CertificateView | null;
  /** A sign-in is no KYC: no method, with the verifier's reasons. */
  readonly method: { readonly id: string; readonly letter: string } | null;
  readonly methodReasons: readonly string[];
  readonly recordId: string | null;
  readonly flags: readonly string[];
}

/** One signed-in browser. */
interface PortalSession {
  readonly subjectId: string;
  /** The phone and how it unlocked, through the bridge; undefined by link. */
  readonly phone?: { readonly device: WalletDevice; readonly how: UserAuthentication['method'] };
  readonly answer: JpkiAnswer;
  readonly signedInAt: Date;
  readonly expiresAt: number;
}

/** A sign-in by link the page opened, until the phone answered. */
interface LinkSession {
  readonly walletUrl: string;
  readonly expiresAt: string;
  /** The HttpOnly cookie of the browser that opened it. */
  readonly binding: string;
}

/** An account bound to a user-authentication certificate's subject id. */
interface PortalAccount {
  readonly createdAt: Date;
  signIns: number;
}

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_KEPT) map.delete(map.keys().next().value as K);
}

function signedInView(session: PortalSession, account: PortalAccount): PortalSignedIn {
  const { answer } = session;
  return {
    signedIn: true,
    subjectId: session.subjectId,
    account: { createdAt: account.createdAt.toISOString(), signIns: account.signIns },
    signedInAt: session.signedInAt.toISOString(),
    via: session.phone === undefined ? 'link' : 'bridge',
    phone:
      session.phone === undefined
        ? null
        : { ...unlockingPhone('PORTAL', session.phone.device), how: session.phone.how },
    ...checksView(answer),
    certificate: certificateView(answer.certificate),
    ...methodAndRecordView(answer),
    // A sign-in is no KYC: the method's id and letter only.
    method: answer.method ? { id: answer.method.id, letter: answer.method.letter } : null,
  };
}

/** Registers `/verifier/portal/…` (before the verifier's own routes). */
export function registerPortalPages(app: Hono, parts: PortalPagesParts): void {
  const api = verifierCall(parts.verifierFetch, parts.url, parts.portal.apiKey);
  const sessions = new Map<string, PortalSession>();
  const accounts = new Map<string, PortalAccount>();
  const secure = parts.url.startsWith('https:');

  /** The signed-in session of this request, if any (an expired one, or one without account, is forgotten). */
  const current = (
    c: Context,
  ): { id: string; session: PortalSession; account: PortalAccount } | undefined => {
    const id = getCookie(c, PORTAL_SESSION_COOKIE);
    if (id === undefined) return undefined;
    const session = sessions.get(id);
    if (session === undefined) return undefined;
    const account = accounts.get(session.subjectId);
    if (session.expiresAt <= Date.now() || account === undefined) {
      sessions.delete(id);
      return undefined;
    }
    return { id, session, account };
  };

  /** Signs this browser in as `subjectId`: a new session id (no fixation), the cookie, the signed-in view. */
  const startSession = (
    c: Context,
    subjectId: string,
    answer: JpkiAnswer,
    phone?: PortalSession['phone'],
  ): PortalSignedIn => {
    // A new sign-in gets a new id (no fixation): the old one, if any, ends here.
    const previous = current(c);
    if (previous !== undefined) sessions.delete(previous.id);
    const id = randomBytes(32).toString('base64url');
    const now = new Date();
    const signedIn: PortalSession = {
      subjectId,
      ...(phone === undefined ? {} : { phone }),
      answer,
      signedInAt: now,
      expiresAt: now.getTime() + PORTAL_SESSION_TTL_MS,
    };
    remember(sessions, id, signedIn);
    const account = accounts.get(subjectId) ?? { createdAt: now, signIns: 0 };
    account.signIns += 1;
    remember(accounts, subjectId, account);
    setCookie(c, PORTAL_SESSION_COOKIE, id, {
      path: PREFIX,
      httpOnly: true,
      sameSite: 'Lax',
      secure,
      maxAge: PORTAL_SESSION_TTL_MS / 1000,
    });
    return signedInView(signedIn, account);
  };

  app.get(`${PREFIX}/api/phones`, (c) => {
    c.header('cache-control', 'no-store');
    return c.json({ phones: parts.phones.map((p) => unlockingPhone('PORTAL', p)) });
  });

  app.get(`${PREFIX}/api/session`, (c) => {
    c.header('cache-control', 'no-store');
    const signedIn = current(c);
    return c.json(
      signedIn === undefined ? { signedIn: false } : signedInView(signedIn.session, signedIn.account),
    );
  });

  app.post(`${PREFIX}/api/login`, async (c) => {
    const request = await readUserAuthenticationRequest(c, 'PORTAL', parts.phones);
    if (request instanceof Response) return request;
    const { phone, unlock } = request;

    // The bridge: the phone's screen names the portal; the holder unlocks there, or declines (the page's
    // closing withdraws the request).
    const outcome = await authenticateThroughBridge(c, 'PORTAL', {
      api,
      phone,
      unlock,
      relyingParty: SANDBOX_PORTAL_NAME,
      origin: new URL(parts.url).origin,
      incoming: parts.incoming,
      signal: c.req.raw.signal,
      purpose: 'sign-in',
      sessionUnavailable: 'The sign-in session could not be opened',
    });
    if (outcome instanceof Response) return outcome;
    const { answer } = outcome;
    const subjectId = answer.certificate?.subjectCommonName ?? undefined;
    if (!outcome.ok || answer.verdict !== 'valid' || subjectId === undefined || subjectId === null)
      return pageProblem(
        c,
        422,
        'PORTAL_SIGN_IN_REFUSED',
        'The user-authentication certificate was refused',
        {
          phone: unlockingPhone('PORTAL', phone),
          ...checksView(answer),
        },
      );

    c.header('cache-control', 'no-store');
    return c.json(startSession(c, subjectId, answer, { device: phone, how: outcome.how }));
  });

  app.post(`${PREFIX}/api/logout`, (c) => {
    if (!isJsonRequest(c))
      return pageProblem(c, 415, 'PORTAL_JSON_REQUIRED', 'The request must be application/json');
    const signedIn = current(c);
    if (signedIn !== undefined) sessions.delete(signedIn.id);
    deleteCookie(c, PORTAL_SESSION_COOKIE, { path: PREFIX, secure });
    return c.body(null, 204);
  });

  // The sign-in by link or QR code (see the file comment).
  const link = parts.portalLink;
  const linkSessions = new Map<string, LinkSession>();
  const linkCall = (party: SandboxPortalLink, path: string, init: RequestInit = {}) =>
    party.verifier.request(path, {
      ...init,
      headers: { authorization: `Bearer ${party.apiKey}`, 'content-type': 'application/json' },
    });

  app.get(`${PREFIX}/api/link`, (c) => {
    c.header('cache-control', 'no-store');
    return c.json({ available: link !== undefined });
  });

  app.post(`${PREFIX}/api/link`, async (c) => {
    if (!isJsonRequest(c))
      return pageProblem(c, 415, 'PORTAL_JSON_REQUIRED', 'The request must be application/json');
    if (link === undefined)
      return pageProblem(
        c,
        409,
        'PORTAL_LINK_UNAVAILABLE',
        'This sandbox is served on an IP address: no link or QR code can be made',
      );
    const opened = await linkCall(link, '/sessions/jpki-authentication', {
      method: 'POST',
      body: JSON.stringify({ purpose: 'log-in' }),
    });
    const created = (await opened.json().catch(() => ({}))) as {
      sessionId?: string;
      walletUrl?: string;
      expiresAt?: string;
      code?: string;
    };
    if (
      opened.status !== 201 ||
      typeof created.sessionId !== 'string' ||
      !SESSION_ID.test(created.sessionId) ||
      typeof created.walletUrl !== 'string'
    )
      return pageProblem(c, 502, 'PORTAL_SESSION_UNAVAILABLE', 'The sign-in session could not be opened', {
        reason: typeof created.code === 'string' ? created.code : `HTTP_${opened.status}`,
      });
    const binding = randomBytes(32).toString('base64url');
    remember(linkSessions, created.sessionId, {
      walletUrl: created.walletUrl,
      expiresAt: String(created.expiresAt ?? ''),
      binding,
    });
    setCookie(c, PORTAL_LINK_COOKIE, binding, {
      path: PREFIX,
      httpOnly: true,
      sameSite: 'Lax',
      secure,
      maxAge: PORTAL_SESSION_TTL_MS / 1000,
    });
    c.header('cache-control', 'no-store');
    return c.json({ sessionId: created.sessionId }, 201);
  });

  app.get(`${PREFIX}/api/link/:id`, async (c) => {
    c.header('cache-control', 'no-store');
    const id = c.req.param('id');
    const kept = SESSION_ID.test(id) ? linkSessions.get(id) : undefined;
    // Only the browser that opened the session may be signed in by its answer.
    if (kept === undefined || link === undefined || getCookie(c, PORTAL_LINK_COOKIE) !== kept.binding)
      return pageProblem(c, 404, 'PORTAL_NO_SESSION', 'No such sign-in session');
    const res = await linkCall(link, `/sessions/${encodeURIComponent(id)}/jpki-result`);
    const answer = (await res.json().catch(() => ({}))) as JpkiAnswer & { code?: string };
    if (!res.ok) {
      if (answer.code === 'VERIFIER_SESSION_PENDING')
        return c.json({
          state: 'pending',
          walletUrl: kept.walletUrl,
          expiresAt: kept.expiresAt,
          qrSvg: qrSvg(kept.walletUrl, { label: 'ログインの QR コード / QR code for the sign-in' }),
          phones: parts.phones.map((p) => ({ id: p.id, family: p.family })),
        });
      linkSessions.delete(id);
      return answer.code === 'VERIFIER_SESSION_EXPIRED'
        ? pageProblem(c, 410, 'PORTAL_LINK_EXPIRED', 'The sign-in session expired without an answer', {
            reason: 'VERIFIER_SESSION_EXPIRED',
          })
        : pageProblem(c, 502, 'PORTAL_NO_RESULT', "The sign-in session's result cannot be read");
    }
    // The answer signs in once: the session is forgotten here.
    linkSessions.delete(id);
    deleteCookie(c, PORTAL_LINK_COOKIE, { path: PREFIX, secure });
    const subjectId = answer.certificate?.subjectCommonName ?? undefined;
    if (answer.verdict !== 'valid' || subjectId === undefined || subjectId === null)
      return pageProblem(
        c,
        422,
        'PORTAL_SIGN_IN_REFUSED',
        'The user-authentication certificate was refused',
        { ...checksView(answer) },
      );
    return c.json({ state: 'signed-in', ...startSession(c, subjectId, answer) });
  });

  // The link's wallet-facing routes, on the party's host (the phone has no key): the link verifier's own.
  if (link !== undefined) {
    app.get(`${PORTAL_LINK_PATH}/sessions/:id/jpki-request-object`, (c) =>
      link.verifier.request(`/sessions/${encodeURIComponent(c.req.param('id'))}/jpki-request-object`, {
        headers: c.req.raw.headers,
      }),
    );
    app.post(`${PORTAL_LINK_PATH}/sessions/:id/jpki-response`, (c) =>
      link.verifier.request(`/sessions/${encodeURIComponent(c.req.param('id'))}/jpki-response`, {
        method: 'POST',
        headers: c.req.raw.headers,
        body: c.req.raw.body,
        duplex: 'half',
      } as RequestInit),
    );
  }

  app.all(`${PREFIX}/api/*`, (c) => problem(c, 404, 'PORTAL_NOT_FOUND', 'Not found'));

  registerBuiltPage(app, {
    prefix: PREFIX,
    dir: parts.pageDir ?? defaultPageDir('portal'),
    titleJa: '行政ポータルのログイン',
    titleEn: "A government portal's sign-in",
    notFoundCode: 'PORTAL_NOT_FOUND',
  });
}
