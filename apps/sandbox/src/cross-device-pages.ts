/**
 * The bank's account opening on another device (別の端末で): for a browser without the Digital Credentials
 * API — a desktop — the page shows a QR code that the holder scans with the phone (OpenID4VP 1.0
 * cross-device: request by reference, `direct_post.jwt`; DOMAIN.md §2, the OpenID4VPHandover row).
 *
 * A Vite + Preact page (`apps/sandbox/pages/cross-device`, built by scripts/build-pages.mjs into
 * `dist-pages/cross-device`) served at `/verifier/bank/cross-device/` (built-page.ts) and at each session's
 * address `/verifier/bank/cross-device/sessions/<id>`, with the JSON routes it calls:
 *
 *   GET  api/start              → `{available, purposes, occupations, maxDetail}` — whether a QR code can be
 *                                 offered (sandbox-cross-device.ts), and the verifier's lists for the
 *                                 customer's declaration (取引時確認 under 犯収法 records the purpose and the
 *                                 occupation)
 *   POST api/sessions           → `{transactionPurpose: {code, detail?}, occupation}`: opens a cross-device
 *                                 session with the bank's cross-device relying party for the page's own
 *                                 origin → 201 `{sessionId}`
 *   GET  api/sessions/:id       → before the answer `{state: pending, walletUrl, expiresAt, qrSvg, phones}` —
 *                                 the QR code (SVG, qr-svg.ts) of the link, and the phone emulators that can be
 *                                 handed the link (a real phone's camera reads the code); after it
 *                                 `{state: done, …}` — the verified record, the KYC method or why none applies
 *                                 (and the letter a certified program would satisfy), the checks, the record
 *                                 and the declaration
 *   GET  api/sessions/:id/state → `{state: pending|done|expired|unknown}` — what the page polls; also at
 *                                 `sessions/:id/state` beside the session's address
 *
 * The POST route takes `application/json` only; errors are RFC 9457 problems with stable CROSS_DEVICE_* codes
 * that echo nothing submitted (a session the verifier refused carries the verifier's code as `reason`). The
 * relying party's API key stays on the server. The verifier hands the disclosed values out at the first read
 * of the result only, so the server keeps each result it read in memory (bounded, never on disk) for its
 * page; it shows only sessions it opened itself.
 */
import { problem } from '@mynakit/http-kit';
import type { WalletDevice } from '@mynakit/wallet';
import type { Context, Hono } from 'hono';
import { type RecordAnswer, type RecordIdentityView, recordIdentityView } from './bridge-flows.js';
import { defaultPageDir, registerBuiltPage } from './built-page.js';
import {
  type Declaration,
  type DeclaredView,
  declarationFromBody,
  declarationLists,
  declaredView,
} from './declared-items.js';
import { isJsonRequest, jsonObjectBody, pageProblem } from './page-api.js';
import { qrSvg } from './qr-svg.js';
import { sandboxBankOrigins } from './sandbox-bank.js';
import type { SandboxCrossDevice } from './sandbox-cross-device.js';
import {
  type MethodIfCertifiedView,
  methodIfCertified,
  type VerificationView,
  verificationView,
} from './verification-view.js';

/** The sessions the page opened, with what it read of them (the oldest dropped first). */
const MAX_KEPT_SESSIONS = 64;

const PREFIX = '/verifier/bank/cross-device';
const SESSION_ID = /^[A-Za-z0-9-]{1,64}$/;

/** What the cross-device pages need. */
export interface CrossDevicePagesParts {
  readonly url: string;
  /** The bank's cross-device relying party; absent when the sandbox's host cannot be named. */
  readonly crossDevice: SandboxCrossDevice | undefined;
  readonly phones: readonly WalletDevice[];
  /** The page's build folder (default `apps/sandbox/dist-pages/cross-device`). */
  readonly pageDir?: string;
}

/** A phone emulator the page can hand the link to (through the labelled bridge). */
export interface CrossDevicePhone {
  readonly id: string;
  readonly family: WalletDevice['family'];
}

/** GET api/sessions/:id before the answer. */
export interface PendingSessionView {
  readonly state: 'pending';
  /** The `openid4vp://` link the QR code holds (no personal data: the client id and the request's URI). */
  readonly walletUrl: string;
  readonly expiresAt: string;
  /** The QR code as SVG markup: numbers and the escaped label only (qr-svg.ts), never the link's text. */
  readonly qrSvg: string;
  readonly phones: readonly CrossDevicePhone[];
}

/** GET api/sessions/:id after the answer. */
export interface DoneSessionView extends VerificationView {
  readonly state: 'done';
  readonly answeredBy: 'cross-device';
  /** The facts the record disclosed, only when valid (the portrait as base64 JPEG). */
  readonly identity: RecordIdentityView | null;
  /** The 犯収法 method a certified program would satisfy today, beside the uncertified program's "none". */
  readonly methodIfCertified: MethodIfCertifiedView | null;
  readonly declared: {
    readonly transactionPurpose: DeclaredView | null;
    readonly occupation: DeclaredView | null;
  };
}

/** One session the page opened. */
interface KeptSession {
  readonly walletUrl: string;
  readonly expiresAt: string;
  /** What the customer declared with it (the verifier records it with the verification). */
  readonly declared: Declaration;
  /** The verifier's report, once read (the disclosed values came with the first read only). */
  answer?: RecordAnswer;
}

/** The state of a session as the verifier's result route says it. */
type SessionState = 'pending' | 'done' | 'expired' | 'unknown';

/** The bank's own origin the page is on (the sandbox URL or its localhost twin), never the browser's word. */
function ownOrigin(requestUrl: string, url: string): string {
  const origin = new URL(requestUrl).origin;
  return sandboxBankOrigins(url).includes(origin) ? origin : url;
}

/** An answered session as the page shows it. */
function doneView(answer: RecordAnswer, declared: Declaration): DoneSessionView {
  return {
    state: 'done',
    answeredBy: 'cross-device',
    ...verificationView(answer),
    identity: answer.verdict === 'valid' ? recordIdentityView(answer) : null,
    methodIfCertified: methodIfCertified(answer),
    declared: declaredView(declared),
  };
}

/** Registers the cross-device pages (before the bank's and the verifier's own routes). */
export function registerCrossDevicePages(app: Hono, parts: CrossDevicePagesParts): void {
  const { crossDevice } = parts;
  const kept = new Map<string, KeptSession>();
  const rp = (party: SandboxCrossDevice, path: string, init: RequestInit = {}) =>
    party.verifier.request(path, {
      ...init,
      headers: { authorization: `Bearer ${party.apiKey}`, 'content-type': 'application/json' },
    });

  /** Reads the session's result once it is there, and keeps it. */
  const stateOf = async (id: string, session: KeptSession): Promise<SessionState> => {
    if (session.answer !== undefined) return 'done';
    if (crossDevice === undefined) return 'unknown';
    const res = await rp(crossDevice, `/sessions/${encodeURIComponent(id)}/result`);
    if (res.ok) {
      session.answer = (await res.json()) as RecordAnswer;
      return 'done';
    }
    const code = ((await res.json().catch(() => ({}))) as { code?: string }).code;
    if (code === 'VERIFIER_SESSION_PENDING') return 'pending';
    if (code === 'VERIFIER_SESSION_EXPIRED') return 'expired';
    return 'unknown';
  };

  const sessionOf = (c: Context): [string, KeptSession] | undefined => {
    const id = c.req.param('id') ?? '';
    const session = SESSION_ID.test(id) ? kept.get(id) : undefined;
    return session === undefined ? undefined : [id, session];
  };
  const noSuchSession = (c: Context) => pageProblem(c, 404, 'CROSS_DEVICE_NO_SESSION', 'No such session');

  app.get(`${PREFIX}/api/start`, (c) => {
    c.header('cache-control', 'no-store');
    return c.json({ available: crossDevice !== undefined, ...declarationLists() });
  });

  app.post(`${PREFIX}/api/sessions`, async (c) => {
    if (!isJsonRequest(c))
      return pageProblem(c, 415, 'CROSS_DEVICE_JSON_REQUIRED', 'The request must be application/json');
    const body = await jsonObjectBody(c);
    if (body === undefined) return pageProblem(c, 400, 'CROSS_DEVICE_INVALID_REQUEST', 'Invalid request');
    if (crossDevice === undefined)
      return pageProblem(
        c,
        409,
        'CROSS_DEVICE_UNAVAILABLE',
        'This sandbox is served on an IP address: no QR-code request can be made',
      );
    // Codes of the verifier's lists only; a missing one is the verifier's to refuse, with its code.
    const declared = declarationFromBody(body);
    const opened = await rp(crossDevice, '/sessions/cross-device', {
      method: 'POST',
      body: JSON.stringify({
        purpose: 'account-opening',
        origin: ownOrigin(c.req.url, parts.url),
        ...declared,
      }),
    });
    const created = (await opened.json().catch(() => ({}))) as {
      sessionId?: string;
      walletUrl?: string;
      expiresAt?: string;
      code?: string;
    };
    if (opened.status !== 201 || created.sessionId === undefined || created.walletUrl === undefined)
      return pageProblem(
        c,
        opened.status === 400 ? 400 : 502,
        'CROSS_DEVICE_NOT_OPENED',
        'The session could not be opened',
        { reason: typeof created.code === 'string' ? created.code : `HTTP_${opened.status}` },
      );
    kept.set(created.sessionId, {
      walletUrl: created.walletUrl,
      expiresAt: String(created.expiresAt ?? ''),
      declared,
    });
    if (kept.size > MAX_KEPT_SESSIONS) kept.delete(kept.keys().next().value as string);
    c.header('cache-control', 'no-store');
    return c.json({ sessionId: created.sessionId }, 201);
  });

  const stateRoute = async (c: Context) => {
    const found = sessionOf(c);
    c.header('cache-control', 'no-store');
    if (found === undefined) return c.json({ state: 'unknown' }, 404);
    return c.json({ state: await stateOf(found[0], found[1]) });
  };
  app.get(`${PREFIX}/api/sessions/:id/state`, stateRoute);
  app.get(`${PREFIX}/sessions/:id/state`, stateRoute);

  app.get(`${PREFIX}/api/sessions/:id`, async (c) => {
    const found = sessionOf(c);
    if (found === undefined) return noSuchSession(c);
    const [id, session] = found;
    const state = await stateOf(id, session);
    if (state === 'done' && session.answer !== undefined) {
      c.header('cache-control', 'no-store');
      return c.json(doneView(session.answer, session.declared));
    }
    if (state === 'pending') {
      const view: PendingSessionView = {
        state,
        walletUrl: session.walletUrl,
        expiresAt: session.expiresAt,
        qrSvg: qrSvg(session.walletUrl, {
          label: '本人確認の QR コード / QR code for the identity verification',
        }),
        phones: parts.phones.map((p) => ({ id: p.id, family: p.family })),
      };
      c.header('cache-control', 'no-store');
      return c.json(view);
    }
    return state === 'expired'
      ? pageProblem(c, 410, 'CROSS_DEVICE_EXPIRED', 'The session expired without an answer', {
          reason: 'VERIFIER_SESSION_EXPIRED',
        })
      : pageProblem(c, 502, 'CROSS_DEVICE_NO_RESULT', "The session's result cannot be read");
  });

  app.all(`${PREFIX}/api/*`, (c) => problem(c, 404, 'CROSS_DEVICE_NOT_FOUND', 'Not found'));

  // A session's address is the page itself, one folder below its own: its assets are one folder up. The
  // page reads which session from the address and asks the routes above (an unknown session: 404).
  app.get(`${PREFIX}/sessions/:id`, async (c) => {
    const page = await app.fetch(new Request(new URL(`${PREFIX}/`, c.req.url)));
    if (!(page.headers.get('content-type') ?? '').startsWith('text/html')) return page;
    const text = (await page.text()).replaceAll('"./assets/', '"../assets/');
    const headers = new Headers(page.headers);
    headers.set('cache-control', 'no-store');
    headers.delete('content-length');
    return new Response(text, { status: sessionOf(c) === undefined ? 404 : page.status, headers });
  });

  registerBuiltPage(app, {
    prefix: PREFIX,
    dir: parts.pageDir ?? defaultPageDir('cross-device'),
    titleJa: '別の端末で本人確認',
    titleEn: 'Verify on another device',
    notFoundCode: 'CROSS_DEVICE_NOT_FOUND',
  });
}
