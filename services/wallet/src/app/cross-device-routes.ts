/**
 * The phone emulator's routes for a QR code shown on another device (OpenID4VP 1.0 cross-device: request by
 * reference, `direct_post.jwt`; presentation/openid4vp-cross-device.ts). A real phone's camera reads the QR
 * code; the emulator takes the link it holds — typed, pasted, or handed over by a page's "open on this
 * phone" button — and then does what the phone does:
 *
 *   GET  /phones/:id/openid4vp              the scan screen (paste the link)
 *   GET  /phones/:id/openid4vp?url=<link>   reads the request (fetches the request object, verifies it to a
 *                                           reader root the phone trusts, summarises the DCQL query) and
 *                                           shows the consent screen; JSON: the summary. A
 *                                           `mynakit-jpki:` link is sent on (303) to the JPKI request
 *                                           screen, jpki-request?url=<link> (jpki-request-routes.ts)
 *   POST /phones/:id/openid4vp              `url`, `biometric=matched|failed`, one `element` per ticked box
 *                                           (cross-device-page.ts elementValue) — or JSON `{url, biometric,
 *                                           consent: {docType: {namespace: [identifier]}}}` — the owner's
 *                                           biometric, then the encrypted answer POSTed to the verifier
 *
 * A refusal is the wallet's stable code: an unreadable link or request WALLET_REQUEST_INVALID, a requester
 * whose signed request does not verify to a trusted reader root WALLET_READER_AUTH_INVALID, My Number
 * approved without the requester's legal basis WALLET_MY_NUMBER_WITHHELD, a failed biometric
 * WALLET_BIOMETRIC_FAILED, a verifier that refused the answer WALLET_VERIFIER_REFUSED, a phone switched
 * offline WALLET_OFFLINE. A screen gets a page with the code; JSON gets a problem. The link is never logged.
 */
import type { Hono } from 'hono';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { PresentationConsent } from '../presentation/consented-documents.js';
import {
  type CrossDeviceFetch,
  presentOpenId4VpCrossDevice,
  readOpenId4VpCrossDeviceRequest,
} from '../presentation/openid4vp-cross-device.js';
import { renderConsentPage, renderScanPage, renderSentPage } from './cross-device-page.js';
import { isJpkiRequestLink } from './jpki-request-routes.js';

/** Largest body of the consent form or its JSON (the link is at most 4 KiB, the elements a few dozen). */
const MAX_BODY_CHARS = 16 * 1024;

/** Most ticked elements read from one form (a real request asks a handful). */
const MAX_ELEMENTS = 256;

/** What the routes need of the wallet app. */
export interface CrossDeviceRouteContext {
  readonly phone: (id: string) => WalletDevice | undefined;
  readonly isOffline: (id: string) => boolean;
  /** How the phones reach a verifier's `request_uri` and `response_uri`. */
  readonly fetch: CrossDeviceFetch;
  readonly wantsJson: (request: Request) => boolean;
  /** The refusal page of a screen (wallet-app.ts renderRefusalPage with the request's path). */
  readonly refusal: (error: WalletError, path: string) => Response;
}

/** The consent of a form: per docType, namespace → identifiers, from `element` values. */
function consentOfForm(form: URLSearchParams): PresentationConsent {
  const byDocType = new Map<string, Map<string, string[]>>();
  const values = form.getAll('element');
  if (values.length > MAX_ELEMENTS) throw new WalletError('WALLET_INVALID_INPUT', 'too many elements');
  for (const value of values) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new WalletError('WALLET_INVALID_INPUT', 'an element is not one the consent screen offered');
    }
    if (
      !Array.isArray(parsed) ||
      parsed.length !== 3 ||
      !parsed.every((p): p is string => typeof p === 'string' && p.length > 0 && p.length <= 256)
    )
      throw new WalletError('WALLET_INVALID_INPUT', 'an element is not one the consent screen offered');
    const [docType, namespace, identifier] = parsed as [string, string, string];
    const namespaces = byDocType.get(docType) ?? new Map<string, string[]>();
    byDocType.set(docType, namespaces);
    const ids = namespaces.get(namespace) ?? [];
    namespaces.set(namespace, ids);
    if (!ids.includes(identifier)) ids.push(identifier);
  }
  // Own data properties only (Object.fromEntries): a docType named `__proto__` stays a key like any other.
  return Object.fromEntries(
    [...byDocType].map(([docType, namespaces]) => [docType, Object.fromEntries(namespaces)]),
  );
}

/** The consent of a JSON body, checked for shape (what it names is checked against the request later). */
function consentOfJson(value: unknown): PresentationConsent {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new WalletError('WALLET_INVALID_INPUT', 'consent is an object of docTypes');
  let count = 0;
  const out = new Map<string, Record<string, string[]>>();
  for (const [docType, namespaces] of Object.entries(value)) {
    if (namespaces === null || typeof namespaces !== 'object' || Array.isArray(namespaces))
      throw new WalletError('WALLET_INVALID_INPUT', 'consent lists namespaces per docType');
    const ns = new Map<string, string[]>();
    for (const [namespace, ids] of Object.entries(namespaces)) {
      if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string'))
        throw new WalletError('WALLET_INVALID_INPUT', 'consent lists identifiers per namespace');
      count += ids.length;
      if (count > MAX_ELEMENTS) throw new WalletError('WALLET_INVALID_INPUT', 'too many elements');
      ns.set(namespace, ids as string[]);
    }
    out.set(docType, Object.fromEntries(ns));
  }
  return Object.fromEntries(out);
}

/** The body of the consent POST: the link, the biometric, the consent. */
async function answerOf(
  request: Request,
): Promise<{ url: string; biometric: 'matched' | 'failed'; consent: PresentationConsent }> {
  if (Number(request.headers.get('content-length') ?? '0') > MAX_BODY_CHARS)
    throw new WalletError('WALLET_INVALID_INPUT', 'the answer is too large');
  const text = await request.text();
  if (text.length > MAX_BODY_CHARS) throw new WalletError('WALLET_INVALID_INPUT', 'the answer is too large');
  let url: unknown;
  let biometric: unknown;
  let consent: PresentationConsent;
  if ((request.headers.get('content-type') ?? '').includes('application/json')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new WalletError('WALLET_INVALID_INPUT', 'the body is not JSON');
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      throw new WalletError('WALLET_INVALID_INPUT', 'the body is an object');
    const body = new Map(Object.entries(json));
    url = body.get('url');
    biometric = body.get('biometric');
    consent = consentOfJson(body.get('consent'));
  } else {
    const form = new URLSearchParams(text);
    url = form.get('url');
    biometric = form.get('biometric');
    consent = consentOfForm(form);
  }
  if (typeof url !== 'string' || url === '') throw new WalletError('WALLET_INVALID_INPUT', 'url is required');
  if (biometric !== 'matched' && biometric !== 'failed')
    throw new WalletError('WALLET_INVALID_INPUT', 'biometric must be matched or failed');
  return { url, biometric, consent };
}

/** Registers the cross-device routes on `app` (see the file comment). */
export function registerCrossDeviceRoutes(app: Hono, ctx: CrossDeviceRouteContext): void {
  const online = (id: string): WalletDevice => {
    const phone = ctx.phone(id);
    if (phone === undefined) throw new WalletError('WALLET_NOT_FOUND', 'no such phone');
    if (ctx.isOffline(id)) throw new WalletError('WALLET_OFFLINE', 'the phone is offline');
    return phone;
  };

  app.get('/phones/:id/openid4vp', async (c) => {
    const phone = ctx.phone(c.req.param('id'));
    if (phone === undefined) throw new WalletError('WALLET_NOT_FOUND', 'no such phone');
    const url = c.req.query('url');
    const json = ctx.wantsJson(c.req.raw);
    if (url === undefined || url === '') {
      if (json) throw new WalletError('WALLET_INVALID_INPUT', 'url is required');
      return c.html(renderScanPage(phone));
    }
    // One camera for every QR code: a JPKI request link has its own screen (jpki-request-routes.ts).
    if (isJpkiRequestLink(url)) return c.redirect(`jpki-request?url=${encodeURIComponent(url)}`, 303);
    try {
      online(phone.id);
      const summary = await readOpenId4VpCrossDeviceRequest({
        device: phone,
        walletUrl: url,
        fetch: ctx.fetch,
      });
      c.header('Cache-Control', 'no-store');
      return json ? c.json(summary) : c.html(renderConsentPage(phone, url, summary));
    } catch (e) {
      // The scan screen is a page too: a refusal shows its code there, not a JSON document.
      if (e instanceof WalletError && !json) return ctx.refusal(e, c.req.path);
      throw e;
    }
  });

  app.post('/phones/:id/openid4vp', async (c) => {
    const phone = online(c.req.param('id'));
    const { url, biometric, consent } = await answerOf(c.req.raw);
    const presented = await presentOpenId4VpCrossDevice({
      device: phone,
      walletUrl: url,
      fetch: ctx.fetch,
      consent,
      userAuthentication: { method: 'biometric', matched: biometric === 'matched' },
    });
    c.header('Cache-Control', 'no-store');
    if (ctx.wantsJson(c.req.raw))
      return c.json({
        sent: true,
        disclosed: presented.disclosed,
        reader: presented.reader,
        responseUri: presented.responseUri,
        ...(presented.answer.redirectUri === undefined ? {} : { redirectUri: presented.answer.redirectUri }),
      });
    return c.html(renderSentPage(phone, presented));
  });
}
