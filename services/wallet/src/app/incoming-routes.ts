/**
 * The phone's consent screen for the requests its operating system hands it (incoming-requests.ts: a web
 * page's DC API request, a face-to-face reader's proximity request, a relying party's request for a JPKI
 * signature or a JPKI user authentication):
 *
 *   GET  /phones/:id/incoming                     a browser gets the request page (request-page.ts), which
 *                                                 shows the waiting requests; JSON: `{requests:
 *                                                 IncomingRequestSummary[]}`, oldest first — what the
 *                                                 screen polls, so it is kept small: id, channel, origin,
 *                                                 received and expiry times, the phone, who asks (a
 *                                                 record's reader, a JPKI request's relying party as
 *                                                 named) and for a signature the document's size and
 *                                                 SHA-256, never its text
 *   GET  /phones/:id/incoming/:request            one waiting request's full view (IncomingRequestView),
 *                                                 read once per request shown — for a record who asks
 *                                                 (from reader authentication), the page's origin, every
 *                                                 element asked with its labels, whether the requester
 *                                                 keeps it, whether the phone holds it and why it is
 *                                                 withheld, no values; for a signature who asks as it
 *                                                 named itself (not verified), the document (text, size,
 *                                                 SHA-256) and the signature password's tries left; for
 *                                                 a sign-in who asks as named, how the key opens
 *                                                 (`unlock`) and the auth PIN's tries left, never the
 *                                                 challenge
 *   POST /phones/:id/incoming/:request            the answer, by the waiting request's channel — a record:
 *                                                 JSON `{biometric: matched|failed, consent: {docType:
 *                                                 {namespace: [identifier]}}}`, the owner's biometric, then
 *                                                 the answer to the requester: `{sent: true, disclosed}`;
 *                                                 a signature: JSON `{password}`, the signature password
 *                                                 typed on the phone (never a biometric): `{sent: true,
 *                                                 signed: true}`; a sign-in: JSON `{pin}` (the 4-digit
 *                                                 auth PIN on the phone's pad, unless the request takes
 *                                                 the biometric only) or `{biometric: matched|failed}`:
 *                                                 `{sent: true, authenticated: true}`
 *   POST /phones/:id/incoming/:request/decline    the holder says no: `{declined: true}`
 *
 * Refusals are RFC 9457 problems with the wallet's code, echoing nothing submitted: 404 WALLET_NOT_FOUND
 * (no such phone, or no such request waiting on it — a request id of the wrong form is looked up nowhere), WALLET_INVALID_INPUT (a malformed, oversized or non-JSON
 * body, consent naming what was not offered, a biometric or consent for a signature, a second answer while
 * one is being made), WALLET_MY_NUMBER_WITHHELD, WALLET_BIOMETRIC_FAILED, and for a signature or a
 * sign-in 400 WALLET_SECRET_FORMAT (no try used) and 401 WALLET_SECRET_WRONG with `remainingTries` —
 * after these the request still waits — 423 WALLET_SECRET_LOCKED (the last try: the request ends), for a
 * sign-in taking the biometric only a PIN is 400 WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED (the request
 * ends), WALLET_REQUEST_EXPIRED (the requester stopped waiting while the answer was being made), and the
 * channel's own. The password and PIN are never echoed nor logged (the app logs the route pattern only). A phone switched offline still answers:
 * these channels are local (the same device's browser, a reader at arm's length), which is why an offline
 * phone can present a record revoked meanwhile.
 */
import type { Context, Hono } from 'hono';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import { consentOfJson, jsonFieldsOf } from './cross-device-routes.js';
import type { IncomingRequests } from './incoming-requests.js';

/** The form of a request's id (incoming-requests.ts: 16 random bytes, base64url): anything else waits nowhere. */
const REQUEST_ID = /^[A-Za-z0-9_-]{22}$/;

/** Largest JSON body of an answer (the consent names a few dozen elements). */
const MAX_BODY_CHARS = 16 * 1024;

/** What the routes need of the wallet app. */
export interface IncomingRouteContext {
  readonly phone: (id: string) => WalletDevice | undefined;
  readonly incoming: IncomingRequests;
  readonly wantsJson: (request: Request) => boolean;
  /** The request page for a browser (request-page.ts). */
  readonly page: (c: Context) => Promise<Response>;
}

/** Registers the routes on `app` (see the file comment). */
export function registerIncomingRoutes(app: Hono, ctx: IncomingRouteContext): void {
  const phoneOf = (id: string): WalletDevice => {
    const phone = ctx.phone(id);
    if (phone === undefined) throw new WalletError('WALLET_NOT_FOUND', 'no such phone');
    return phone;
  };

  app.get('/phones/:id/incoming', (c) => {
    const phone = phoneOf(c.req.param('id'));
    if (!ctx.wantsJson(c.req.raw)) return ctx.page(c);
    c.header('Cache-Control', 'no-store');
    return c.json({ requests: ctx.incoming.summariesFor(phone.id) });
  });

  app.get('/phones/:id/incoming/:request', (c) => {
    const phone = phoneOf(c.req.param('id'));
    const id = c.req.param('request');
    if (!REQUEST_ID.test(id))
      throw new WalletError('WALLET_NOT_FOUND', 'no such request is waiting on this phone');
    c.header('Cache-Control', 'no-store');
    return c.json(ctx.incoming.viewOf(phone.id, id));
  });

  app.post('/phones/:id/incoming/:request', async (c) => {
    const phone = phoneOf(c.req.param('id'));
    const id = c.req.param('request');
    // The body is the waiting request's channel's: a record's consent, or a signature's password.
    const waiting = ctx.incoming.pendingFor(phone.id).find((v) => v.id === id);
    if (waiting === undefined)
      throw new WalletError('WALLET_NOT_FOUND', 'no such request is waiting on this phone');
    const body = await jsonFieldsOf(c.req.raw, MAX_BODY_CHARS);
    if (waiting.channel === 'jpki-signature') {
      const password = body.get('password');
      if (typeof password !== 'string' || body.has('biometric') || body.has('consent') || body.has('pin'))
        throw new WalletError('WALLET_INVALID_INPUT', 'a signature opens with the signature password only');
      await ctx.incoming.approve(phone.id, id, { password });
      c.header('Cache-Control', 'no-store');
      return c.json({ sent: true, signed: true });
    }
    if (waiting.channel === 'jpki-user-authentication') {
      // A sign-in opens with exactly one of the auth PIN typed on the phone or the owner's biometric.
      const pin = body.get('pin');
      const biometric = body.get('biometric');
      if (body.has('password') || body.has('consent') || body.has('pin') === body.has('biometric'))
        throw new WalletError('WALLET_INVALID_INPUT', 'a sign-in opens with the auth PIN or the biometric');
      if (body.has('pin')) {
        if (typeof pin !== 'string') throw new WalletError('WALLET_INVALID_INPUT', 'the PIN is text');
        await ctx.incoming.approve(phone.id, id, { pin });
      } else {
        if (biometric !== 'matched' && biometric !== 'failed')
          throw new WalletError('WALLET_INVALID_INPUT', 'biometric must be matched or failed');
        await ctx.incoming.approve(phone.id, id, { biometric });
      }
      c.header('Cache-Control', 'no-store');
      return c.json({ sent: true, authenticated: true });
    }
    const biometric = body.get('biometric');
    if (biometric !== 'matched' && biometric !== 'failed')
      throw new WalletError('WALLET_INVALID_INPUT', 'biometric must be matched or failed');
    const consent = consentOfJson(body.get('consent'));
    const { disclosed } = await ctx.incoming.approve(phone.id, id, {
      consent,
      userAuthentication: { method: 'biometric', matched: biometric === 'matched' },
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ sent: true, disclosed });
  });

  app.post('/phones/:id/incoming/:request/decline', (c) => {
    const phone = phoneOf(c.req.param('id'));
    ctx.incoming.decline(phone.id, c.req.param('request'));
    c.header('Cache-Control', 'no-store');
    return c.json({ declined: true });
  });
}
