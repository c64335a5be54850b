/**
 * The phone emulator's routes for a QR code shown on another device (OpenID4VP 1.0 cross-device: request by
 * reference, `direct_post.jwt`; presentation/openid4vp-cross-device.ts). A real phone's camera reads the QR
 * code; the emulator takes the link it holds — typed, pasted, or handed over by a page's "open on this
 * phone" button — and then does what the phone does:
 *
 *   GET  /phones/:id/openid4vp[?url=<link>]  a browser gets the request page (request-page.ts): the scan
 *                                            screen without a link, the consent screen with one. JSON:
 *                                            reads the request (fetches the request object, verifies it to
 *                                            a reader root the phone trusts, summarises the DCQL query) and
 *                                            answers the summary. A `mynakit-jpki:` link is sent on (303)
 *                                            to jpki-request?url=<link> (jpki-request-routes.ts)
 *   POST /phones/:id/openid4vp/screen        JSON `{url}`: what the consent screen shows — who asks, where
 *                                            the answer goes, per document every element asked with its
 *                                            Japanese and English label, whether the requester keeps it,
 *                                            whether the phone holds it, and why it is withheld
 *   POST /phones/:id/openid4vp               JSON `{url, biometric: matched|failed, consent: {docType:
 *                                            {namespace: [identifier]}}}`: the owner's biometric, then the
 *                                            encrypted answer POSTed to the verifier; answers what was sent
 *
 * A refusal is an RFC 9457 problem with the wallet's stable code: an unreadable or oversized link or
 * request, or a used (replayed) one, WALLET_REQUEST_INVALID; an unsigned request object, or one whose
 * signature does not verify to a trusted reader root, WALLET_READER_AUTH_INVALID; consent naming what was not offered (a
 * document not asked, an element not held) WALLET_INVALID_INPUT; My Number approved without the requester's
 * legal basis WALLET_MY_NUMBER_WITHHELD; a failed biometric WALLET_BIOMETRIC_FAILED; a verifier that
 * cannot be reached or refused the answer WALLET_VERIFIER_REFUSED; a phone switched offline WALLET_OFFLINE.
 * Nothing is recorded on a refusal before the POST, and nothing leaves the phone; after it, the history's
 * lines are written once the verifier received the answer (even one it then refused), not when it cannot be
 * reached. The link is never logged.
 */
import { JP_MNC_DOCTYPE, jpMncLabel } from '@mynakit/mdoc';
import type { Context, Hono } from 'hono';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { RequestedDocument } from '../presentation/annex-c-presentation.js';
import type { PresentationConsent } from '../presentation/consented-documents.js';
import {
  type CrossDeviceFetch,
  type OpenId4VpCrossDeviceRequestSummary,
  presentOpenId4VpCrossDevice,
  readOpenId4VpCrossDeviceRequest,
} from '../presentation/openid4vp-cross-device.js';
import { isJpkiRequestLink } from './jpki-request-routes.js';

/** Largest JSON body of the consent answer (the link is at most 4 KiB, the elements a few dozen). */
const MAX_BODY_CHARS = 16 * 1024;

/** Most elements read from one consent (a real request asks a handful). */
const MAX_ELEMENTS = 256;

/** What the routes need of the wallet app. */
export interface CrossDeviceRouteContext {
  readonly phone: (id: string) => WalletDevice | undefined;
  readonly isOffline: (id: string) => boolean;
  /** How the phones reach a verifier's `request_uri` and `response_uri`. */
  readonly fetch: CrossDeviceFetch;
  readonly wantsJson: (request: Request) => boolean;
  /** The request page for a browser (request-page.ts). */
  readonly page: (c: Context) => Promise<Response>;
}

/** Names of the documents a phone may be asked for, Japanese and English; any other is shown as its docType. */
const DOC_TYPE_NAMES: ReadonlyMap<string, { readonly ja: string; readonly en: string }> = new Map([
  [
    JP_MNC_DOCTYPE,
    { ja: 'マイナンバーカード(カード代替電磁的記録)', en: 'My Number Card (card-substitute record)' },
  ],
  ['org.iso.18013.5.1.mDL', { ja: '運転免許証(見本)', en: 'sample mobile driving licence' }],
]);

/** One element as the consent screen shows it. */
export interface ConsentScreenElement {
  readonly namespace: string;
  readonly identifier: string;
  readonly label: { readonly ja: string; readonly en: string };
  /** The requester says it will keep the value. */
  readonly intentToRetain: boolean;
  /** The phone holds it. */
  readonly held: boolean;
  /** Why it is not offered whatever the holder approves (My Number without a declared legal basis). */
  readonly withheld: 'my-number-without-basis' | null;
}

/** POST /phones/:id/openid4vp/screen's answer: what the consent screen shows (no element values). */
export interface ConsentScreen {
  readonly phone: { readonly id: string; readonly family: string };
  readonly reader: {
    readonly authentication: 'verified' | 'none';
    readonly subject: string | null;
    readonly myNumberLegalBasis: { readonly provision: string; readonly basisCode: string } | null;
  };
  readonly clientId: string;
  readonly responseHost: string;
  readonly responseMode: 'direct_post.jwt';
  readonly documents: readonly ConsentScreenDocument[];
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** One requested document as a consent screen shows it. */
export interface ConsentScreenDocument {
  readonly docType: string;
  readonly name: { readonly ja: string; readonly en: string } | null;
  /** The phone holds a document of this docType in force. */
  readonly available: boolean;
  readonly elements: readonly ConsentScreenElement[];
}

/**
 * The requested documents as every consent screen shows them (labels from the jp-mnc profile; the
 * identifier when unknown; a docType the phone has no name for is shown as itself).
 */
export function consentScreenDocuments(documents: readonly RequestedDocument[]): ConsentScreenDocument[] {
  return documents.map((d) => ({
    docType: d.docType,
    name: DOC_TYPE_NAMES.get(d.docType) ?? null,
    available: d.available,
    elements: d.elements.map((e) => ({
      namespace: e.namespace,
      identifier: e.identifier,
      label: {
        ja: jpMncLabel(e.namespace, e.identifier, 'ja'),
        en: jpMncLabel(e.namespace, e.identifier, 'en'),
      },
      intentToRetain: e.intentToRetain,
      held: e.held,
      withheld: e.withheld ?? null,
    })),
  }));
}

/** The consent screen of a verified request. */
export function consentScreenOf(
  phone: WalletDevice,
  summary: OpenId4VpCrossDeviceRequestSummary,
): ConsentScreen {
  return {
    phone: { id: phone.id, family: phone.family },
    reader: {
      authentication: summary.reader.authentication,
      subject: summary.reader.subject ?? null,
      myNumberLegalBasis: summary.reader.myNumberLegalBasis ?? null,
    },
    clientId: summary.clientId,
    responseHost: hostOf(summary.responseUri),
    responseMode: summary.responseMode,
    documents: consentScreenDocuments(summary.documents),
  };
}

/** The consent of a JSON body, checked for shape (what it names is checked against the request later). */
export function consentOfJson(value: unknown): PresentationConsent {
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
  // Own data properties only (Object.fromEntries): a docType named `__proto__` stays a key like any other.
  return Object.fromEntries(out);
}

/** A JSON object body of at most `max` characters, as a map of its own properties. */
export async function jsonFieldsOf(request: Request, max: number): Promise<Map<string, unknown>> {
  if (!(request.headers.get('content-type') ?? '').includes('application/json'))
    throw new WalletError('WALLET_INVALID_INPUT', 'the body is JSON (application/json)');
  if (Number(request.headers.get('content-length') ?? '0') > max)
    throw new WalletError('WALLET_INVALID_INPUT', 'the body is too large');
  const text = await request.text();
  if (text.length > max) throw new WalletError('WALLET_INVALID_INPUT', 'the body is too large');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WalletError('WALLET_INVALID_INPUT', 'the body is not JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new WalletError('WALLET_INVALID_INPUT', 'the body is an object');
  return new Map(Object.entries(json));
}

/** The link of a body: a non-empty string. */
export function linkOf(fields: Map<string, unknown>): string {
  const url = fields.get('url');
  if (typeof url !== 'string' || url === '') throw new WalletError('WALLET_INVALID_INPUT', 'url is required');
  return url;
}

/** The body of the consent POST: the link, the biometric, the consent. */
async function answerOf(
  request: Request,
): Promise<{ url: string; biometric: 'matched' | 'failed'; consent: PresentationConsent }> {
  const body = await jsonFieldsOf(request, MAX_BODY_CHARS);
  const url = linkOf(body);
  const biometric = body.get('biometric');
  if (biometric !== 'matched' && biometric !== 'failed')
    throw new WalletError('WALLET_INVALID_INPUT', 'biometric must be matched or failed');
  return { url, biometric, consent: consentOfJson(body.get('consent')) };
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
    // One camera for every QR code: a JPKI request link has its own screen (jpki-request-routes.ts).
    if (url !== undefined && isJpkiRequestLink(url))
      return c.redirect(`jpki-request?url=${encodeURIComponent(url)}`, 303);
    // A browser gets the page, which reads the request through the JSON routes and shows any refusal.
    if (!ctx.wantsJson(c.req.raw)) return ctx.page(c);
    if (url === undefined || url === '') throw new WalletError('WALLET_INVALID_INPUT', 'url is required');
    const summary = await readOpenId4VpCrossDeviceRequest({
      device: online(phone.id),
      walletUrl: url,
      fetch: ctx.fetch,
    });
    c.header('Cache-Control', 'no-store');
    return c.json(summary);
  });

  app.post('/phones/:id/openid4vp/screen', async (c) => {
    const phone = online(c.req.param('id'));
    const url = linkOf(await jsonFieldsOf(c.req.raw, MAX_BODY_CHARS));
    if (isJpkiRequestLink(url))
      throw new WalletError('WALLET_INVALID_INPUT', 'a JPKI request link has its own screen');
    const summary = await readOpenId4VpCrossDeviceRequest({
      device: phone,
      walletUrl: url,
      fetch: ctx.fetch,
    });
    c.header('Cache-Control', 'no-store');
    return c.json(consentScreenOf(phone, summary));
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
    return c.json({
      sent: true,
      disclosed: presented.disclosed,
      reader: presented.reader,
      responseUri: presented.responseUri,
      ...(presented.answer.redirectUri === undefined ? {} : { redirectUri: presented.answer.redirectUri }),
    });
  });
}
