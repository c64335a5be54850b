/**
 * `createWalletApp` — the phone emulator over the wallet engine as a Hono app (tests call
 * `app.request()`): the phone page at `/` (a Vite + Preact page, services/wallet/pages/phone), the
 * phones' summaries as JSON, and the issuer's reachability. Everything it needs is an argument — the open
 * phones, the issuer client (absent when none is configured), the clock — so the same app runs alone
 * (`mynakit wallet`) and inside the sandbox.
 *
 * Routes:
 *   GET /               the phone page (HTTP 200 whether or not an issuer is configured or reachable; the
 *                       page reads `/overview` and shows either; without its build it names the build
 *                       command) and its files under /assets/ (built-page.ts registerRootPage)
 *   GET /overview, GET /phones/:id/history, POST /phones/:id/documents/:documentId/elements
 *                       what the phone page reads (phone-routes.ts)
 *   GET /phones         `{ phones: PhoneSummary[] }`
 *   GET /phones/:id     one PhoneSummary; 404 problem WALLET_NOT_FOUND for an unknown phone
 *   GET /issuer-status  `IssuerStatus`
 *   POST /phones/:id/offline        `offline=1|0` (form or JSON `{offline: boolean}`): the emulator's network
 *                                   switch, kept in this process (a restarted emulator is online again)
 *   POST /phones/:id/notices/sync   `biometric=matched|failed`: the owner unlocks the phone, which hears the
 *                                   issuer's notices (notices/sync-notices.ts) — 409 WALLET_OFFLINE when
 *                                   switched offline, 409 WALLET_ISSUER_NOT_CONFIGURED without an issuer
 *   POST /phones/:id/keys/:purpose/unlock   `pin=…` (purpose `auth`) or `password=…` (`sign`): the holder
 *                                   types the secret to unlock that JPKI key once, as a relying party's
 *                                   request would make them — 401 WALLET_SECRET_WRONG with `remainingTries`,
 *                                   423 WALLET_SECRET_LOCKED after the last try (DOMAIN.md §3: 3 and 5 tries)
 *   GET|POST /phones/:id/openid4vp  a QR code shown on another device: read its link, the consent screen,
 *                                   the owner's biometric, the encrypted answer (cross-device-routes.ts)
 *   GET|POST /phones/:id/jpki-request  a JPKI request by link or QR code (`mynakit-jpki://`, which the scan
 *                                   screen sends here): the consent screen, the PIN, biometric or signature
 *                                   password, the signed answer (jpki-request-routes.ts)
 *   GET|POST /phones/:id/incoming   the requests the phone's OS hands it — a web page's DC API request, a
 *                                   face-to-face reader's, a relying party's request to sign with the JPKI
 *                                   signature certificate or to sign in with the user-authentication one —
 *                                   waiting for the holder's consent and the owner's biometric (a record),
 *                                   the signature password typed on the phone (a signature) or the auth PIN
 *                                   on its pad or the biometric (a sign-in), the answer, or a decline
 *                                   (incoming-routes.ts)
 *   GET /request/, /phones/:id/assets/*  the request page those screens are (request-page.ts, a Vite + Preact
 *                                   page, services/wallet/pages/request), over their JSON routes
 *   GET /health         `{ status: 'ok' }`
 *
 * The POST routes answer JSON to a JSON request (what the phone page sends) and otherwise redirect (303)
 * back to `/`, so a form posted without scripts works too (refusal-page.ts). Errors are RFC 9457 problems
 * with the WalletError code and a message that names no personal data.
 */
import { Hono } from 'hono';
import { routePath } from 'hono/route';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError, type WalletErrorCode } from '../errors.js';
import type { IssuerClient } from '../installation/issuer-client.js';
import { syncNotices } from '../notices/sync-notices.js';
import type { CrossDeviceFetch } from '../presentation/openid4vp-cross-device.js';
import { registerRootPage, walletPageDir } from './built-page.js';
import { registerCrossDeviceRoutes } from './cross-device-routes.js';
import { IncomingRequests } from './incoming-requests.js';
import { registerIncomingRoutes } from './incoming-routes.js';
import { type EmulatorInstallation, registerInstallRoutes } from './install-routes.js';
import { probeIssuer } from './issuer-status.js';
import { registerJpkiRequestRoutes } from './jpki-request-routes.js';
import { registerPhoneRoutes } from './phone-routes.js';
import { summarizePhone } from './phone-summary.js';
import { renderRefusalPage } from './refusal-page.js';
import { registerRequestPage } from './request-page.js';

/** What the wallet app is given. */
export interface WalletAppDeps {
  /** The phones this wallet emulates, in display order (ids unique). */
  readonly phones: readonly WalletDevice[];
  /** The issuer the phones install from; absent when none is configured. */
  readonly issuer?: IssuerClient;
  /** One line per request, never personal data (default: nothing is written). */
  readonly log?: (line: string) => void;
  /** Installing from the emulator (the sandbox: its test cards and IACAs); absent: the phones only show and hear. */
  readonly install?: EmulatorInstallation;
  /**
   * How the phones reach a verifier whose QR code they scan (its `request_uri` and `response_uri`); absent:
   * the global fetch, as a phone on the network would. The sandbox passes its own app's.
   */
  readonly verifierFetch?: CrossDeviceFetch;
  /**
   * How long a phone waits for a verifier it reaches by a link or a QR code — reading the request, posting the
   * answer — in ms (default VERIFIER_TIMEOUT_MS). A verifier that does not answer in time is
   * WALLET_VERIFIER_REFUSED, like one that refuses; an answer already posted keeps its history line, since the
   * verifier may hold it.
   */
  readonly verifierTimeoutMs?: number;
  /** The request page's build folder (default `services/wallet/dist-pages/request`). */
  readonly requestPageDir?: string;
  /** The phone page's build folder (default `services/wallet/dist-pages/phone`). */
  readonly phonePageDir?: string;
  /**
   * The requests the phones' OS hands them (a DC API request, a proximity reader's), waiting for their
   * holders; absent: the app keeps its own. Whoever delivers requests passes the same one.
   */
  readonly incoming?: IncomingRequests;
}

/** How long a phone waits for a verifier by default, ms: a person waiting on a phone gives up sooner. */
export const VERIFIER_TIMEOUT_MS = 30_000;

/** `fetch` bounded in time: every call ends by `ms` (with any signal of its own still honoured). */
function timeBounded(fetchFn: CrossDeviceFetch, ms: number): CrossDeviceFetch {
  return (url, init) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetchFn(url, { ...init, signal });
  };
}

function problem(
  status: number,
  code: string,
  title: string,
  detail?: string,
  extra: Record<string, number> = {},
): Response {
  return new Response(
    JSON.stringify({ type: 'about:blank', status, title, code, ...(detail ? { detail } : {}), ...extra }),
    {
      status,
      headers: { 'content-type': 'application/problem+json' },
    },
  );
}

/** HTTP status of the wallet errors a route can meet; anything else is a 500. */
const STATUS_OF: ReadonlyMap<WalletErrorCode, number> = new Map<WalletErrorCode, number>([
  ['WALLET_OFFLINE', 409],
  ['WALLET_ISSUER_NOT_CONFIGURED', 409],
  ['WALLET_BIOMETRIC_FAILED', 401],
  ['WALLET_AUTHENTICATION_REQUIRED', 401],
  ['WALLET_SECRET_LOCKED', 423],
  ['WALLET_SECRET_WRONG', 401],
  ['WALLET_NOT_FOUND', 404],
  ['WALLET_INVALID_INPUT', 400],
  ['WALLET_ISSUER_REFUSED', 502],
  ['WALLET_ISSUER_RESPONSE', 502],
  ['WALLET_CREDENTIAL_INVALID', 502],
  ['WALLET_CARD_UNREADABLE', 404],
  ['WALLET_CARD_PIN_WRONG', 400],
  ['WALLET_CARD_PIN_LOCKED', 423],
  ['WALLET_LIVENESS_REQUIRED', 400],
  ['WALLET_SECRET_FORMAT', 400],
  ['WALLET_SECRET_MISMATCH', 400],
  ['WALLET_INSTALLATION_STATE', 409],
  ['WALLET_REQUEST_INVALID', 400],
  ['WALLET_REQUEST_EXPIRED', 400],
  ['WALLET_READER_AUTH_INVALID', 403],
  ['WALLET_MY_NUMBER_WITHHELD', 403],
  ['WALLET_ORIGIN_MISMATCH', 403],
  ['WALLET_VERIFIER_REFUSED', 502],
  ['WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED', 400],
  ['WALLET_SECRET_BUSY', 409],
  ['WALLET_DECLINED', 409],
  ['WALLET_PHONE_BUSY', 409],
  ['WALLET_DOCUMENT_NOT_HELD', 409],
  ['WALLET_SECRET_NOT_SET', 400],
]);

/** The refusal page of a screen: the stable code, the wallet's message, the tries left; the code's status. */
function refusalResponse(err: WalletError, path: string): Response {
  return new Response(renderRefusalPage(err.code, err.message, path, err.remainingTries), {
    status: STATUS_OF.get(err.code) ?? 500,
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
}

/** Reads a small form or JSON body as a string map (own properties only; at most 4 KiB). */
async function fieldsOf(request: Request): Promise<Map<string, string>> {
  const text = (await request.text()).slice(0, 4096);
  const out = new Map<string, string>();
  if ((request.headers.get('content-type') ?? '').includes('application/json')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new WalletError('WALLET_INVALID_INPUT', 'the body is not JSON');
    }
    if (json !== null && typeof json === 'object' && !Array.isArray(json))
      for (const [k, v] of Object.entries(json))
        out.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
    return out;
  }
  for (const [k, v] of new URLSearchParams(text)) out.set(k, v);
  return out;
}

const wantsJson = (request: Request) =>
  (request.headers.get('accept') ?? '').includes('application/json') ||
  (request.headers.get('content-type') ?? '').includes('application/json');

/** The wallet as a Hono app (see the file comment). */
export function createWalletApp(deps: WalletAppDeps): Hono {
  const byId = new Map(deps.phones.map((p) => [p.id, p]));
  if (byId.size !== deps.phones.length) throw new TypeError('phone ids must be unique');
  const app = new Hono();
  const log = deps.log;
  if (log) {
    app.use('*', async (c, next) => {
      const started = performance.now();
      await next();
      let pattern = '(unmatched)';
      try {
        pattern = routePath(c);
      } catch {}
      // The route pattern, never the path: a phone id or query could be chosen to carry anything.
      log(`wallet ${c.req.method} ${pattern} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms`);
    });
  }
  // The emulator's network switch, per phone, in this process.
  const offline = new Set<string>();
  const summary = (p: WalletDevice) => summarizePhone(p, offline.has(p.id));
  registerRootPage(app, {
    name: 'phone',
    dir: deps.phonePageDir ?? walletPageDir('phone'),
    titleJa: 'スマートフォン',
    titleEn: 'Phones',
  });
  registerPhoneRoutes(app, {
    phones: deps.phones,
    phone: (id) => byId.get(id),
    summary,
    issuerStatus: () => probeIssuer(deps.issuer),
    ...(deps.install === undefined ? {} : { cards: deps.install.cards }),
    fields: fieldsOf,
  });
  app.get('/phones', async (c) => c.json({ phones: await Promise.all(deps.phones.map(summary)) }));
  app.get('/phones/:id', async (c) => {
    const phone = byId.get(c.req.param('id'));
    if (phone === undefined) return problem(404, 'WALLET_NOT_FOUND', 'No such phone');
    return c.json(await summary(phone));
  });
  app.post('/phones/:id/offline', async (c) => {
    const phone = byId.get(c.req.param('id'));
    if (phone === undefined) return problem(404, 'WALLET_NOT_FOUND', 'No such phone');
    const value = (await fieldsOf(c.req.raw)).get('offline');
    if (value !== '1' && value !== '0')
      throw new WalletError('WALLET_INVALID_INPUT', 'offline must be 1 or 0');
    if (value === '1') offline.add(phone.id);
    else offline.delete(phone.id);
    log?.(`wallet: a phone went ${value === '1' ? 'offline' : 'online'}`);
    return wantsJson(c.req.raw) ? c.json(await summary(phone)) : c.redirect('../../', 303);
  });
  app.post('/phones/:id/notices/sync', async (c) => {
    const phone = byId.get(c.req.param('id'));
    if (phone === undefined) return problem(404, 'WALLET_NOT_FOUND', 'No such phone');
    const biometric = (await fieldsOf(c.req.raw)).get('biometric');
    if (biometric !== 'matched' && biometric !== 'failed')
      throw new WalletError('WALLET_INVALID_INPUT', 'biometric must be matched or failed');
    if (offline.has(phone.id)) throw new WalletError('WALLET_OFFLINE', 'the phone is offline');
    if (deps.issuer === undefined)
      throw new WalletError('WALLET_ISSUER_NOT_CONFIGURED', 'no issuer is configured');
    const heard = await syncNotices({
      device: phone,
      issuer: deps.issuer,
      userAuthentication: { method: 'biometric', matched: biometric === 'matched' },
    });
    return wantsJson(c.req.raw) ? c.json({ installations: heard }) : c.redirect('../../../', 303);
  });
  app.post('/phones/:id/keys/:purpose/unlock', async (c) => {
    const phone = byId.get(c.req.param('id'));
    if (phone === undefined) return problem(404, 'WALLET_NOT_FOUND', 'No such phone');
    const purpose = c.req.param('purpose');
    if (purpose !== 'auth' && purpose !== 'sign') return problem(404, 'WALLET_NOT_FOUND', 'No such key');
    const certificate = await phone.store.certificates.active(phone.id, purpose);
    if (certificate === undefined)
      throw new WalletError('WALLET_NOT_FOUND', 'the phone holds no such certificate');
    const f = await fieldsOf(c.req.raw);
    const value = f.get(purpose === 'auth' ? 'pin' : 'password') ?? '';
    // The secure area counts the try (stored, so it survives a restart) before it checks the value.
    await phone.secureArea.authenticate(
      certificate.keyAlias,
      purpose === 'auth' ? { method: 'pin', value } : { method: 'password', value },
    );
    if (!wantsJson(c.req.raw)) return c.redirect('../../../../', 303);
    return c.json({ unlocked: true });
  });
  if (deps.install)
    registerInstallRoutes(app, deps.install, {
      phone: (id) => byId.get(id),
      issuer: deps.issuer,
      isOffline: (id) => offline.has(id),
      fields: fieldsOf,
      wantsJson,
      ...(log === undefined ? {} : { log }),
    });
  const requestPage = registerRequestPage(app, deps.requestPageDir);
  const verifierFetch = timeBounded(
    deps.verifierFetch ?? ((url, init) => fetch(url, init)),
    deps.verifierTimeoutMs ?? VERIFIER_TIMEOUT_MS,
  );
  registerCrossDeviceRoutes(app, {
    phone: (id) => byId.get(id),
    isOffline: (id) => offline.has(id),
    fetch: verifierFetch,
    wantsJson,
    page: requestPage,
  });
  registerIncomingRoutes(app, {
    phone: (id) => byId.get(id),
    incoming: deps.incoming ?? new IncomingRequests(),
    wantsJson,
    page: requestPage,
  });
  registerJpkiRequestRoutes(app, {
    phone: (id) => byId.get(id),
    isOffline: (id) => offline.has(id),
    fetch: verifierFetch,
    wantsJson,
    page: requestPage,
  });
  app.get('/issuer-status', async (c) => c.json(await probeIssuer(deps.issuer)));
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.notFound(() => problem(404, 'WALLET_NOT_FOUND', 'Not found'));
  app.onError((err, c) => {
    if (err instanceof WalletError) {
      const status = STATUS_OF.get(err.code) ?? 500;
      // A form of the page (no script) gets a page back, with a way home, instead of a JSON document.
      if (c.req.method === 'POST' && !wantsJson(c.req.raw)) return refusalResponse(err, c.req.path);
      // A WalletError's message is written by the wallet for its user and names no personal data.
      return problem(
        status,
        err.code,
        status === 500 ? 'Internal error' : 'Refused',
        err.message,
        err.remainingTries === undefined ? {} : { remainingTries: err.remainingTries },
      );
    }
    log?.(`wallet error ${(err as Error).name ?? 'Error'}`);
    return problem(500, 'WALLET_INTERNAL', 'Internal error');
  });
  return app;
}
