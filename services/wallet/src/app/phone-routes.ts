/**
 * The JSON routes the phone page (services/wallet/pages/phone) reads besides `/phones` and the POST routes
 * of wallet-app.ts:
 *
 *   GET  /overview                         `{ issuer, phones, install }` — what the home screen shows: the
 *                                          issuer's reachability, every phone's summary (phone-summary.ts)
 *                                          and, where the emulator installs (the sandbox), the test cards
 *   GET  /phones/:id/history               `{ presentations }` — what was shared with whom, when: element
 *                                          names only, never values (the store keeps nothing else)
 *   POST /phones/:id/documents/:documentId/elements
 *                                          `{biometric: 'matched'|'failed'}` → `{ docType, elements }`: a held
 *                                          document's elements, shown to the device owner only after their
 *                                          biometric (the secure area checks it against the document's key)
 *
 * None of them takes personal data in the URL; the elements' values leave only in the body of the answer
 * to the owner's authenticated request, and are never logged. My Number (`individual_number_unicode`) is
 * not shown even then: the phone page has no use for it (DOMAIN.md §1, "My Number is special").
 */
import { type CborValue, Tagged } from '@mynakit/cbor';
import { decodeIssuerSignedBytes, jpMncElement, MY_NUMBER_ELEMENT } from '@mynakit/mdoc';
import type { Hono } from 'hono';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { SandboxCardShelf } from './card-shelf.js';
import type { IssuerStatus } from './issuer-status.js';
import type { PhoneSummary } from './phone-summary.js';

/** An element's value as the phone page shows it. */
export type ElementView =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'image'; readonly dataUrl: string }
  | { readonly kind: 'bytes'; readonly length: number }
  | { readonly kind: 'withheld' };

/** One element of a held document. */
export interface ElementEntry {
  readonly namespace: string;
  readonly identifier: string;
  /** Its name in Japanese and English, for an element of the record's profile (@mynakit/mdoc jp-mnc). */
  readonly label?: { readonly ja: string; readonly en: string };
  readonly value: ElementView;
}

/** One line of the presentation history. */
export interface HistoryEntry {
  readonly relyingParty: string;
  readonly channel: string;
  /** The docType of the document shared (absent for a JPKI signature or authentication). */
  readonly docType?: string;
  readonly elements: readonly (readonly [string, string])[];
  /** ISO 8601. */
  readonly sharedAt: string;
}

/** What the home screen reads in one request. */
export interface Overview {
  readonly issuer: IssuerStatus;
  readonly phones: readonly PhoneSummary[];
  /** The test cards the emulator installs from; null where it does not install (`mynakit wallet` alone). */
  readonly install: { readonly residents: readonly string[] } | null;
}

/** What the routes need from the wallet app. */
export interface PhoneRouteContext {
  readonly phones: readonly WalletDevice[];
  readonly phone: (id: string) => WalletDevice | undefined;
  readonly summary: (phone: WalletDevice) => Promise<PhoneSummary>;
  readonly issuerStatus: () => Promise<IssuerStatus>;
  readonly cards?: SandboxCardShelf;
  readonly fields: (request: Request) => Promise<Map<string, string>>;
}

/** Most history lines answered. */
const HISTORY_LIMIT = 100;
/** Most elements shown of one document, and most characters of one value's text. */
const MAX_ELEMENTS = 200;
const MAX_TEXT = 400;
/** Element identifiers never shown by the phone page. */
const WITHHELD = new Set([MY_NUMBER_ELEMENT]);
/** A held document's id (the store's UUIDs). */
const DOCUMENT_ID = /^[0-9a-f-]{1,64}$/;

/** A CBOR value as plain JSON for the text of a nested element (bounded depth; bytes by their length). */
function plain(v: CborValue, depth: number): unknown {
  if (depth > 4) return '…';
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return `(${v.length} bytes)`;
  if (v instanceof Tagged) return plain(v.value as CborValue, depth + 1);
  if (Array.isArray(v)) return v.slice(0, 50).map((x) => plain(x, depth + 1));
  if (v instanceof Map) {
    const out: Record<string, unknown> = Object.create(null);
    let n = 0;
    for (const [k, x] of v) {
      if (n++ >= 50) break;
      out[String(plain(k, depth + 1))] = plain(x, depth + 1);
    }
    return out;
  }
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return '(CBOR)';
}

function imageOf(bytes: Uint8Array): string | undefined {
  // JPEG (FF D8 FF) and PNG signatures: the portrait's encodings the page's policy lets it draw.
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const png = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if (!jpeg && !png) return undefined;
  return `data:image/${jpeg ? 'jpeg' : 'png'};base64,${Buffer.from(bytes).toString('base64')}`;
}

/** How the page shows one element's value. */
export function elementView(identifier: string, value: CborValue): ElementView {
  if (WITHHELD.has(identifier)) return { kind: 'withheld' };
  if (value instanceof Uint8Array) {
    const dataUrl = imageOf(value);
    return dataUrl === undefined ? { kind: 'bytes', length: value.length } : { kind: 'image', dataUrl };
  }
  const p = plain(value, 0);
  const text = typeof p === 'string' ? p : JSON.stringify(p);
  return { kind: 'text', text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text };
}

/** Registers the routes of the file comment on `app`. */
export function registerPhoneRoutes(app: Hono, ctx: PhoneRouteContext): void {
  const phoneOf = (id: string): WalletDevice => {
    const phone = ctx.phone(id);
    if (phone === undefined) throw new WalletError('WALLET_NOT_FOUND', 'no such phone');
    return phone;
  };

  app.get('/overview', async (c) => {
    const [phones, issuer, residents] = await Promise.all([
      Promise.all(ctx.phones.map(ctx.summary)),
      ctx.issuerStatus(),
      ctx.cards === undefined ? Promise.resolve(undefined) : ctx.cards.residents(),
    ]);
    const overview: Overview = {
      issuer,
      phones,
      install: residents === undefined ? null : { residents },
    };
    return c.json(overview);
  });

  app.get('/phones/:id/history', async (c) => {
    const phone = phoneOf(c.req.param('id'));
    const [lines, documents] = await Promise.all([
      phone.store.presentations.list(phone.id, HISTORY_LIMIT),
      phone.store.documents.list(phone.id),
    ]);
    const docTypeOf = new Map(documents.map((d) => [d.id, d.docType]));
    const presentations: HistoryEntry[] = lines.map((l) => {
      const docType = l.documentId === undefined ? undefined : docTypeOf.get(l.documentId);
      return {
        relyingParty: l.relyingParty,
        channel: l.channel,
        ...(docType === undefined ? {} : { docType }),
        elements: l.elements,
        sharedAt: l.sharedAt.toISOString(),
      };
    });
    return c.json({ presentations });
  });

  app.post('/phones/:id/documents/:documentId/elements', async (c) => {
    const phone = phoneOf(c.req.param('id'));
    const documentId = c.req.param('documentId');
    const biometric = (await ctx.fields(c.req.raw)).get('biometric');
    if (biometric !== 'matched' && biometric !== 'failed')
      throw new WalletError('WALLET_INVALID_INPUT', 'biometric must be matched or failed');
    const held = DOCUMENT_ID.test(documentId)
      ? (await phone.store.documents.list(phone.id)).find((d) => d.id === documentId)
      : undefined;
    // An invalidated document's key may be gone from the secure area: only what the phone holds in force.
    if (held === undefined || held.state !== 'active')
      throw new WalletError('WALLET_NOT_FOUND', 'the phone holds no such document in force');
    // The owner's biometric, checked by the secure area against the document's key (its ticket goes unused).
    await phone.secureArea.authenticate(held.deviceKeyAlias, {
      method: 'biometric',
      matched: biometric === 'matched',
    });
    const elements: ElementEntry[] = [];
    for (const [namespace, items] of decodeIssuerSignedBytes(held.issuerSigned).nameSpaces)
      for (const item of items) {
        if (elements.length >= MAX_ELEMENTS) break;
        const label = jpMncElement(namespace, item.elementIdentifier)?.label;
        elements.push({
          namespace,
          identifier: item.elementIdentifier,
          ...(label === undefined ? {} : { label: { ja: label.ja, en: label.en } }),
          value: elementView(item.elementIdentifier, item.elementValue),
        });
      }
    c.header('Cache-Control', 'no-store');
    return c.json({ docType: held.docType, elements });
  });
}
