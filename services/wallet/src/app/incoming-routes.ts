/**
 * The phone's consent screen for the requests its operating system hands it (incoming-requests.ts: a web
 * page's DC API request, a face-to-face reader's proximity request):
 *
 *   GET  /phones/:id/incoming                     a browser gets the request page (request-page.ts), which
 *                                                 shows the waiting requests; JSON: `{requests:
 *                                                 IncomingRequestView[]}` — who asks (from reader
 *                                                 authentication), the page's origin, every element asked
 *                                                 with its labels, whether the requester keeps it, whether
 *                                                 the phone holds it and why it is withheld; no values
 *   POST /phones/:id/incoming/:request            JSON `{biometric: matched|failed, consent: {docType:
 *                                                 {namespace: [identifier]}}}`: the owner's biometric, then
 *                                                 the answer to the requester; answers `{sent: true,
 *                                                 disclosed}`
 *   POST /phones/:id/incoming/:request/decline    the holder says no: `{declined: true}`
 *
 * Refusals are RFC 9457 problems with the wallet's code, echoing nothing submitted: WALLET_NOT_FOUND (no
 * such phone, or no such request waiting on it), WALLET_INVALID_INPUT (a malformed, oversized or non-JSON
 * body, consent naming what was not offered, a second answer while one is being made),
 * WALLET_MY_NUMBER_WITHHELD, WALLET_BIOMETRIC_FAILED — after these three the request still waits —
 * WALLET_REQUEST_EXPIRED (the requester stopped waiting while the answer was being made), and the channel's
 * own. A phone switched offline still answers: these channels are local (the same device's
 * browser, a reader at arm's length), which is why an offline phone can present a record revoked meanwhile.
 */
import type { Context, Hono } from 'hono';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import { consentOfJson, jsonFieldsOf } from './cross-device-routes.js';
import type { IncomingRequests } from './incoming-requests.js';

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
    return c.json({ requests: ctx.incoming.pendingFor(phone.id) });
  });

  app.post('/phones/:id/incoming/:request', async (c) => {
    const phone = phoneOf(c.req.param('id'));
    const body = await jsonFieldsOf(c.req.raw, MAX_BODY_CHARS);
    const biometric = body.get('biometric');
    if (biometric !== 'matched' && biometric !== 'failed')
      throw new WalletError('WALLET_INVALID_INPUT', 'biometric must be matched or failed');
    const consent = consentOfJson(body.get('consent'));
    const { disclosed } = await ctx.incoming.approve(phone.id, c.req.param('request'), {
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
