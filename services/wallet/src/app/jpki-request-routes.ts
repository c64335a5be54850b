/**
 * The phone emulator's routes for a JPKI request by link or QR code (`mynakit-jpki://?client_id=…&
 * request_uri=…`; @mynakit/oid4vp jpki-request README, jpki-use/jpki-request.ts). The scan screen
 * (cross-device-routes.ts) takes any link a QR code holds and sends a `mynakit-jpki:` one here:
 *
 *   GET  /phones/:id/jpki-request?url=<link>  reads the request (fetches the request object, verifies it to a
 *                                             reader root the phone trusts) and shows the consent screen —
 *                                             who asks, why, which secret, the document; JSON: the summary
 *   POST /phones/:id/jpki-request             `url` and one secret: `pin` (4 digits) or
 *                                             `biometric=matched|failed` for a user authentication,
 *                                             `password` for a signature — form or JSON — then the answer
 *                                             is signed and POSTed to the verifier's response_uri
 *
 * A wrong PIN or password shows the consent screen again with the tries left (401 WALLET_SECRET_WRONG;
 * nothing is sent). Other refusals are the wallet's stable code on a page (or a problem for JSON): a locked
 * key WALLET_SECRET_LOCKED, an expired request WALLET_REQUEST_EXPIRED, a requester that does not verify to a
 * trusted reader root WALLET_READER_AUTH_INVALID, a response_uri on another host or an unreadable link
 * WALLET_REQUEST_INVALID, a verifier that refused the answer WALLET_VERIFIER_REFUSED, a phone switched
 * offline WALLET_OFFLINE. The link, the secret and the document are never logged (the app logs the route
 * pattern only).
 */
import type { Hono } from 'hono';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import {
  answerJpkiRequest,
  type JpkiRequestFetch,
  type JpkiRequestSummary,
  readJpkiRequest,
} from '../jpki-use/jpki-request.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import { renderJpkiConsentPage, renderJpkiSentPage } from './jpki-request-page.js';

/** The scheme of a JPKI request link (its README §1). */
export const JPKI_REQUEST_SCHEME = 'mynakit-jpki:';

/** Largest body of the consent form or its JSON (the link is at most 4 KiB, the secret 16 characters). */
const MAX_BODY_CHARS = 8 * 1024;

/** What the routes need of the wallet app. */
export interface JpkiRequestRouteContext {
  readonly phone: (id: string) => WalletDevice | undefined;
  readonly isOffline: (id: string) => boolean;
  /** How the phones reach a verifier's `request_uri` and `response_uri`. */
  readonly fetch: JpkiRequestFetch;
  readonly wantsJson: (request: Request) => boolean;
  /** The refusal page of a screen (wallet-app.ts renderRefusalPage with the request's path). */
  readonly refusal: (error: WalletError, path: string) => Response;
}

/** Whether `link` is a JPKI request link (case-insensitive scheme, RFC 3986 §3.1). */
export function isJpkiRequestLink(link: string): boolean {
  return link.trim().toLowerCase().startsWith(JPKI_REQUEST_SCHEME);
}

/** The body of the consent POST: the link and the one secret the holder gave. */
interface JpkiAnswerForm {
  readonly url: string;
  readonly userAuthentication?: UserAuthentication;
  readonly password?: string;
}

async function answerOf(request: Request): Promise<JpkiAnswerForm> {
  if (Number(request.headers.get('content-length') ?? '0') > MAX_BODY_CHARS)
    throw new WalletError('WALLET_INVALID_INPUT', 'the answer is too large');
  const text = await request.text();
  if (text.length > MAX_BODY_CHARS) throw new WalletError('WALLET_INVALID_INPUT', 'the answer is too large');
  const fields = new Map<string, unknown>();
  if ((request.headers.get('content-type') ?? '').includes('application/json')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new WalletError('WALLET_INVALID_INPUT', 'the body is not JSON');
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      throw new WalletError('WALLET_INVALID_INPUT', 'the body is an object');
    for (const [k, v] of Object.entries(json)) fields.set(k, v);
  } else {
    for (const [k, v] of new URLSearchParams(text)) fields.set(k, v);
  }
  const url = fields.get('url');
  if (typeof url !== 'string' || url === '') throw new WalletError('WALLET_INVALID_INPUT', 'url is required');
  const pin = fields.get('pin');
  const biometric = fields.get('biometric');
  const password = fields.get('password');
  const given = [pin, biometric, password].filter((v) => v !== undefined && v !== '');
  if (given.length !== 1)
    throw new WalletError('WALLET_INVALID_INPUT', 'give one secret: pin, biometric or password');
  if (typeof password === 'string' && password !== '') return { url, password };
  if (typeof pin === 'string' && pin !== '')
    return { url, userAuthentication: { method: 'pin', value: pin } };
  if (biometric === 'matched' || biometric === 'failed')
    return { url, userAuthentication: { method: 'biometric', matched: biometric === 'matched' } };
  throw new WalletError('WALLET_INVALID_INPUT', 'pin and password are text, biometric matched or failed');
}

/** The secret a request needs, as the consent screen shows it. */
async function secretState(phone: WalletDevice, summary: JpkiRequestSummary) {
  const status = await phone.secrets.status(
    summary.secret === 'signature-password' ? 'signaturePassword' : 'authPin',
  );
  return { remainingTries: status.remaining, locked: status.locked };
}

/** Registers the JPKI request routes on `app` (see the file comment). */
export function registerJpkiRequestRoutes(app: Hono, ctx: JpkiRequestRouteContext): void {
  const online = (id: string): WalletDevice => {
    const phone = ctx.phone(id);
    if (phone === undefined) throw new WalletError('WALLET_NOT_FOUND', 'no such phone');
    if (ctx.isOffline(id)) throw new WalletError('WALLET_OFFLINE', 'the phone is offline');
    return phone;
  };

  app.get('/phones/:id/jpki-request', async (c) => {
    const phone = ctx.phone(c.req.param('id'));
    if (phone === undefined) throw new WalletError('WALLET_NOT_FOUND', 'no such phone');
    const url = c.req.query('url');
    const json = ctx.wantsJson(c.req.raw);
    // The scan screen is where a link is typed; this screen needs one.
    if (url === undefined || url === '') {
      if (json) throw new WalletError('WALLET_INVALID_INPUT', 'url is required');
      return c.redirect('openid4vp', 303);
    }
    try {
      online(phone.id);
      const summary = await readJpkiRequest({ device: phone, link: url, fetch: ctx.fetch });
      c.header('Cache-Control', 'no-store');
      if (json) return c.json(summary);
      return c.html(renderJpkiConsentPage(phone, url, summary, await secretState(phone, summary)));
    } catch (e) {
      // The consent screen is a page: a refusal shows its code there, not a JSON document.
      if (e instanceof WalletError && !json) return ctx.refusal(e, c.req.path);
      throw e;
    }
  });

  app.post('/phones/:id/jpki-request', async (c) => {
    const phone = online(c.req.param('id'));
    const form = await answerOf(c.req.raw);
    const json = ctx.wantsJson(c.req.raw);
    c.header('Cache-Control', 'no-store');
    let summary: JpkiRequestSummary;
    try {
      ({ summary } = await answerJpkiRequest({
        device: phone,
        link: form.url,
        fetch: ctx.fetch,
        ...(form.userAuthentication === undefined ? {} : { userAuthentication: form.userAuthentication }),
        ...(form.password === undefined ? {} : { password: form.password }),
      }));
    } catch (e) {
      // A wrong secret asks again on the same screen, with the tries left; nothing was sent.
      if (e instanceof WalletError && e.code === 'WALLET_SECRET_WRONG' && !json) {
        let again: JpkiRequestSummary;
        try {
          again = await readJpkiRequest({ device: phone, link: form.url, fetch: ctx.fetch });
        } catch {
          throw e;
        }
        const state = await secretState(phone, again);
        return c.html(renderJpkiConsentPage(phone, form.url, again, { ...state, refusal: e.code }), 401);
      }
      throw e;
    }
    if (json)
      return c.json({
        sent: true,
        requestType: summary.requestType,
        clientId: summary.clientId,
        reader: summary.reader,
        responseUri: summary.responseUri,
      });
    return c.html(renderJpkiSentPage(phone, summary));
  });
}
