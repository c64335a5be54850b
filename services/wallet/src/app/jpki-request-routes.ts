/**
 * The phone emulator's routes for a JPKI request by link or QR code (`mynakit-jpki://?client_id=…&
 * request_uri=…`; @mynakit/oid4vp jpki-request README, jpki-use/jpki-request.ts). The scan screen
 * (cross-device-routes.ts) takes any link a QR code holds and sends a `mynakit-jpki:` one here:
 *
 *   GET  /phones/:id/jpki-request?url=<link>  a browser gets the request page (request-page.ts), which shows
 *                                             the consent screen; JSON: reads the request (fetches the
 *                                             request object, verifies it to a reader root the phone trusts)
 *                                             and answers the summary
 *   POST /phones/:id/jpki-request/screen      JSON `{url}`: what the consent screen shows — who asks, why,
 *                                             which secret and its tries left (locked or not), the document
 *   POST /phones/:id/jpki-request             JSON `{url}` and one secret: `pin` (4 digits) or
 *                                             `biometric: matched|failed` for a user authentication,
 *                                             `password` for a signature — then the answer is signed and
 *                                             POSTed to the verifier's response_uri
 *
 * Refusals are RFC 9457 problems with the wallet's stable code, and nothing is sent: a wrong PIN or password
 * 401 WALLET_SECRET_WRONG with `remainingTries` (the screen asks again), a locked key WALLET_SECRET_LOCKED,
 * a biometric or PIN for a signature WALLET_INVALID_INPUT, an expired request WALLET_REQUEST_EXPIRED, a
 * requester that does not verify to a trusted reader root WALLET_READER_AUTH_INVALID, a response_uri on
 * another host, a used or an unreadable link WALLET_REQUEST_INVALID, a verifier that cannot be reached or
 * refused the answer WALLET_VERIFIER_REFUSED (502; the phone's history has a line of it only when the
 * verifier received it — an answer refused was still in its hands), a phone switched offline WALLET_OFFLINE. The link, the secret and
 * the document are never logged (the app logs the route pattern only).
 */
import type { Context, Hono } from 'hono';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import {
  answerJpkiRequest,
  type JpkiRequestFetch,
  type JpkiRequestSummary,
  readJpkiRequest,
} from '../jpki-use/jpki-request.js';
import { jpkiTriesOf } from '../jpki-use/jpki-screen-parts.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import { jsonFieldsOf, linkOf } from './cross-device-routes.js';

/** The scheme of a JPKI request link (its README §1). */
export const JPKI_REQUEST_SCHEME = 'mynakit-jpki:';

/** Largest JSON body (the link is at most 4 KiB, the secret 16 characters). */
const MAX_BODY_CHARS = 8 * 1024;

/** What the routes need of the wallet app. */
export interface JpkiRequestRouteContext {
  readonly phone: (id: string) => WalletDevice | undefined;
  readonly isOffline: (id: string) => boolean;
  /** How the phones reach a verifier's `request_uri` and `response_uri`. */
  readonly fetch: JpkiRequestFetch;
  readonly wantsJson: (request: Request) => boolean;
  /** The request page for a browser (request-page.ts). */
  readonly page: (c: Context) => Promise<Response>;
}

/** Whether `link` is a JPKI request link (case-insensitive scheme, RFC 3986 §3.1). */
export function isJpkiRequestLink(link: string): boolean {
  return link.trim().toLowerCase().startsWith(JPKI_REQUEST_SCHEME);
}

/** Japanese and English names of the purposes the mynakit verifier uses; any other is shown as sent. */
const PURPOSE_NAMES: ReadonlyMap<string, { readonly ja: string; readonly en: string }> = new Map([
  ['log-in', { ja: 'ログイン', en: 'log in' }],
  ['account-opening', { ja: '口座開設', en: 'account opening' }],
  ['contract', { ja: '契約', en: 'contract' }],
]);

/** POST /phones/:id/jpki-request/screen's answer: what the consent screen shows. */
export interface JpkiConsentScreen {
  readonly phone: { readonly id: string; readonly family: string };
  readonly requestType: JpkiRequestSummary['requestType'];
  readonly reader: { readonly authentication: 'verified' | 'none'; readonly subject: string | null };
  readonly clientName: string | null;
  readonly clientId: string;
  readonly purpose: string;
  readonly purposeName: { readonly ja: string; readonly en: string } | null;
  /** Which secret opens the key (DOMAIN.md §3: never a biometric for a signature). */
  readonly secret: JpkiRequestSummary['secret'];
  readonly tries: { readonly remaining: number; readonly locked: boolean };
  readonly document: {
    readonly mediaType: string;
    readonly text: string | null;
    readonly size: number;
    readonly sha256: string;
  } | null;
  readonly responseHost: string;
  readonly expiresAt: string;
  /** Its end as the holder reads it: Japan time (UTC+9, no daylight saving), to the minute. */
  readonly expiresAtJapan: string;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

function japanTime(at: Date): string {
  return `${new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} JST`;
}

/** The consent screen of a verified request, with the tries the secret it needs has left. */
export async function jpkiConsentScreenOf(
  phone: WalletDevice,
  summary: JpkiRequestSummary,
): Promise<JpkiConsentScreen> {
  const status = await jpkiTriesOf(phone, summary.secret);
  const d = summary.document;
  return {
    phone: { id: phone.id, family: phone.family },
    requestType: summary.requestType,
    reader: { authentication: summary.reader.authentication, subject: summary.reader.subject ?? null },
    clientName: summary.clientName ?? null,
    clientId: summary.clientId,
    purpose: summary.purpose,
    purposeName: PURPOSE_NAMES.get(summary.purpose) ?? null,
    secret: summary.secret,
    tries: { remaining: status.remaining, locked: status.locked },
    document:
      d === undefined
        ? null
        : { mediaType: d.mediaType, text: d.text ?? null, size: d.size, sha256: d.sha256 },
    responseHost: hostOf(summary.responseUri),
    expiresAt: summary.expiresAt.toISOString(),
    expiresAtJapan: japanTime(summary.expiresAt),
  };
}

/** The body of the consent POST: the link and the one secret the holder gave. */
interface JpkiAnswerForm {
  readonly url: string;
  readonly userAuthentication?: UserAuthentication;
  readonly password?: string;
}

async function answerOf(request: Request): Promise<JpkiAnswerForm> {
  const fields = await jsonFieldsOf(request, MAX_BODY_CHARS);
  const url = linkOf(fields);
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
    // A browser gets the page, which reads the request through the JSON routes and shows any refusal.
    if (!json) return ctx.page(c);
    const summary = await readJpkiRequest({ device: online(phone.id), link: url, fetch: ctx.fetch });
    c.header('Cache-Control', 'no-store');
    return c.json(summary);
  });

  app.post('/phones/:id/jpki-request/screen', async (c) => {
    const phone = online(c.req.param('id'));
    const url = linkOf(await jsonFieldsOf(c.req.raw, MAX_BODY_CHARS));
    const summary = await readJpkiRequest({ device: phone, link: url, fetch: ctx.fetch });
    c.header('Cache-Control', 'no-store');
    return c.json(await jpkiConsentScreenOf(phone, summary));
  });

  app.post('/phones/:id/jpki-request', async (c) => {
    const phone = online(c.req.param('id'));
    const form = await answerOf(c.req.raw);
    c.header('Cache-Control', 'no-store');
    const { summary } = await answerJpkiRequest({
      device: phone,
      link: form.url,
      fetch: ctx.fetch,
      ...(form.userAuthentication === undefined ? {} : { userAuthentication: form.userAuthentication }),
      ...(form.password === undefined ? {} : { password: form.password }),
    });
    return c.json({
      sent: true,
      requestType: summary.requestType,
      clientId: summary.clientId,
      reader: summary.reader,
      responseUri: summary.responseUri,
    });
  });
}
