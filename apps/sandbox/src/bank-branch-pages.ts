/**
 * The bank's branch counter (窓口): from 2027-04-01 a face-to-face check under 犯収法 reads the chip rather
 * than looking at a card, and here the chip is the customer's phone. Staff read the phone in person over
 * ISO/IEC 18013-5 proximity (proximity-read.ts): the verifier service is the counter's reader — it connects
 * to the loopback transport the phone's engagement names (the radio simulated), sends the bank's request,
 * verifies the answer (issuer, device authentication over its own transcript, the status list at the
 * issuer) and writes the verification record with what the customer declared (the purpose of the transaction
 * and the occupation, which 取引時確認 under 犯収法 records; staff enter them). The page shows the photo, name,
 * address and birth date for the face check; staff confirm "顔写真と一致 / face matches" (or not), and the
 * result shows the record with its method — for a read face to face @mynakit/kyc names none
 * (KYC_IN_PERSON_NOT_TABULATED: its table holds the methods of receiving the record over the network, ル/新ト),
 * and the page says so rather than guess a letter.
 *
 * No phone OS exists here: the phone emulator shows its engagement through the explicit, labelled bridge, and
 * the reader's request waits on the phone's consent screen (`/wallet/phones/<id>/incoming`) until the
 * customer approves there with the owner's biometric, or declines (the read is then refused with
 * WALLET_DECLINED as its reason).
 *
 * A Vite + Preact page (`apps/sandbox/pages/bank-branch`, built by scripts/build-pages.mjs into
 * `dist-pages/bank-branch`) served at `/verifier/bank/branch/` (built-page.ts) — also at `read` and `confirm`
 * beside it, the steps' addresses the page shows — and the JSON routes it calls under
 * `/verifier/bank/branch/api/`:
 *
 *   GET  api/counter → `{phones, purposes, occupations, maxDetail}` — the phones answering through the bridge
 *                      and the verifier's lists for the customer's declaration
 *   POST api/read    → `{phone, transactionPurpose: {code, detail?}, occupation}`: waits while the request
 *                      is on the phone's screen, then answers the verdict, checks, the four facts with the
 *                      photo for the face check, the record, and `read`, the opaque handle of the staff's
 *                      confirmation; a body that carries a `biometric` is refused (BRANCH_BIOMETRIC_ON_PHONE):
 *                      the counter cannot approve for the customer, and nothing reaches the phone
 *   POST api/confirm → `{read, face: match|mismatch}`: the face check, the record, the method or why none
 *                      applies, the declaration — never the photo
 *
 * The POST routes take `application/json` only; errors are RFC 9457 problems with stable BRANCH_* codes that
 * echo nothing submitted (a refused read carries the phone's or the verifier's own code as `reason`). The
 * portrait is answered once, by the read; what the confirmation keeps (in this process's memory, bounded,
 * used once) holds no portrait. The bank's API key never leaves the server.
 */
import { randomUUID } from 'node:crypto';
import { problem } from '@mynakit/http-kit';
import type { IncomingRequests, WalletDevice } from '@mynakit/wallet';
import type { Context, Hono } from 'hono';
import { JP_NAMESPACE as JP } from './bridge-flows.js';
import { defaultPageDir, registerBuiltPage } from './built-page.js';
import {
  type Declaration,
  type DeclaredView,
  declarationFromBody,
  declarationLists,
  declaredView,
} from './declared-items.js';
import { verifierCall } from './jpki-page-parts.js';
import { isJsonRequest, jsonObjectBody, pageProblem } from './page-api.js';
import { readRecordOverProximity } from './proximity-read.js';
import type { SandboxBank } from './sandbox-bank.js';
import { type VerificationView, verificationView } from './verification-view.js';

/** What the counter reads: the four facts of the record method (name, address, birth date, photo). */
export const BRANCH_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  [JP]: ['full_name_unicode', 'resident_address_unicode', 'birth_date_unicode', 'portrait'],
};

const PREFIX = '/verifier/bank/branch';

/** Reads awaiting the staff's face check, kept for their confirmation (bounded, used once). */
const MAX_PENDING = 64;

/** A read's handle, as this server makes them (randomUUID). */
const READ_HANDLE = /^[0-9a-f-]{36}$/;

/** What the branch pages need. */
export interface BankBranchPagesParts {
  readonly url: string;
  readonly bank: SandboxBank;
  readonly verifierFetch: (request: Request) => Response | Promise<Response>;
  readonly phones: readonly WalletDevice[];
  /** Where the phones' consent screens pick up what the bridge hands them (the wallet's). */
  readonly incoming: IncomingRequests;
  /**
   * How long the verifier, as the reader, waits for the phone's answer (its configured proximity timeout,
   * @mynakit/verifier proximityTimeoutSecondsOf): the phone's screen shows the request until then.
   */
  readonly readerTimeoutSeconds?: number;
  /** The page's build folder (default `apps/sandbox/dist-pages/bank-branch`). */
  readonly pageDir?: string;
}

/** A phone as the counter lists it: it answers through the bridge. */
export interface CounterPhone {
  readonly id: string;
  readonly family: WalletDevice['family'];
  readonly answeredBy: 'bridge';
}

/** POST api/read's answer. */
export interface CounterRead extends VerificationView {
  readonly phone: CounterPhone;
  /** ISO/IEC 18013-5 proximity, the verifier service being the reader. */
  readonly channel: 'proximity';
  /** The four facts for the face check (the portrait as base64 JPEG). */
  readonly identity: {
    readonly name: string;
    readonly address: string;
    readonly birthDate: string;
    readonly portrait: string | null;
  };
  /** The opaque handle of the staff's confirmation (used once). */
  readonly read: string;
}

/** POST api/confirm's answer: no photo. */
export interface CounterResult extends VerificationView {
  readonly face: 'match' | 'mismatch';
  /** The name, beside the staff's "the face matches" only. */
  readonly name: string | null;
  readonly declared: {
    readonly transactionPurpose: DeclaredView | null;
    readonly occupation: DeclaredView | null;
  };
}

/** What a confirmation needs of a read: never the portrait. */
interface PendingRead {
  readonly declared: Declaration;
  readonly verification: VerificationView;
  readonly name: string;
}

const counterPhone = (p: WalletDevice): CounterPhone => ({
  id: p.id,
  family: p.family,
  answeredBy: 'bridge',
});

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Registers `/verifier/bank/branch/…` (before the bank's and the verifier's own routes). */
export function registerBankBranchPages(app: Hono, parts: BankBranchPagesParts): void {
  const api = verifierCall(parts.verifierFetch, parts.url, parts.bank.apiKey);
  const pending = new Map<string, PendingRead>();

  /** The request's JSON body, or the problem to answer. */
  const bodyOf = async (c: Context): Promise<Map<string, unknown> | Response> => {
    if (!isJsonRequest(c))
      return pageProblem(c, 415, 'BRANCH_JSON_REQUIRED', 'The request must be application/json');
    const body = await jsonObjectBody(c);
    return body ?? pageProblem(c, 400, 'BRANCH_INVALID_REQUEST', 'Invalid request');
  };

  app.get(`${PREFIX}/api/counter`, (c) => {
    c.header('cache-control', 'no-store');
    return c.json({ phones: parts.phones.map(counterPhone), ...declarationLists() });
  });

  app.post(`${PREFIX}/api/read`, async (c) => {
    const body = await bodyOf(c);
    if (body instanceof Response) return body;
    // Only the customer approves, on the phone with its owner's biometric: a counter that still sends one
    // (a page from before) is told so rather than left waiting on a phone it meant to answer for.
    if (body.has('biometric'))
      return pageProblem(
        c,
        400,
        'BRANCH_BIOMETRIC_ON_PHONE',
        'The customer approves on the phone: the counter sends no biometric',
      );
    const id = body.get('phone');
    const phone = parts.phones.find((p) => p.id === id);
    if (phone === undefined) return pageProblem(c, 400, 'BRANCH_NO_PHONE', 'Choose a phone');
    const declared = declarationFromBody(body);
    const outcome = await readRecordOverProximity({
      phone,
      elements: BRANCH_ELEMENTS,
      purpose: 'account-opening',
      declaration: declared,
      read: api,
      incoming: parts.incoming,
      signal: c.req.raw.signal,
      ...(parts.readerTimeoutSeconds === undefined
        ? {}
        : { readerTimeoutSeconds: parts.readerTimeoutSeconds }),
    });
    if (outcome.kind === 'refused')
      // The phone's WalletError code or the verifier's problem code: stable codes, never what was sent.
      return pageProblem(c, 422, 'BRANCH_NOT_READ', 'The phone could not be read', {
        phone: counterPhone(phone),
        reason: outcome.code,
      });
    const { answer } = outcome;
    const values: Record<string, unknown> | undefined =
      answer.elements !== undefined && Object.hasOwn(answer.elements, JP) ? answer.elements[JP] : undefined;
    const verification = verificationView(answer);
    if (answer.verdict !== 'valid' || values === undefined)
      return pageProblem(c, 422, 'BRANCH_NOT_VERIFIED', 'The record was not verified', {
        phone: counterPhone(phone),
        ...verification,
      });
    const name = str(values.full_name_unicode) ?? '';
    const read = randomUUID();
    if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value as string);
    pending.set(read, { declared, verification, name });
    const result: CounterRead = {
      phone: counterPhone(phone),
      channel: 'proximity',
      ...verification,
      identity: {
        name,
        address: str(values.resident_address_unicode) ?? '',
        birthDate: str(values.birth_date_unicode) ?? '',
        portrait: str(values.portrait),
      },
      read,
    };
    c.header('cache-control', 'no-store');
    return c.json(result);
  });

  app.post(`${PREFIX}/api/confirm`, async (c) => {
    const body = await bodyOf(c);
    if (body instanceof Response) return body;
    const face = body.get('face');
    if (face !== 'match' && face !== 'mismatch')
      return pageProblem(c, 400, 'BRANCH_INVALID_REQUEST', 'Invalid request');
    const handle = body.get('read');
    const read = typeof handle === 'string' && READ_HANDLE.test(handle) ? pending.get(handle) : undefined;
    if (read === undefined || typeof handle !== 'string')
      return pageProblem(
        c,
        404,
        'BRANCH_READ_UNKNOWN',
        'This read was already confirmed or is unknown: read the phone again',
      );
    pending.delete(handle);
    const result: CounterResult = {
      face,
      name: face === 'match' ? read.name : null,
      ...read.verification,
      declared: declaredView(read.declared),
    };
    c.header('cache-control', 'no-store');
    return c.json(result);
  });

  app.all(`${PREFIX}/api/*`, (c) => problem(c, 404, 'BRANCH_NOT_FOUND', 'Not found'));

  // The steps' addresses (the page shows them as it goes) are the page itself: a reload starts again.
  for (const step of ['read', 'confirm'])
    app.get(`${PREFIX}/${step}`, (c) => app.fetch(new Request(new URL(`${PREFIX}/`, c.req.url))));

  registerBuiltPage(app, {
    prefix: PREFIX,
    dir: parts.pageDir ?? defaultPageDir('bank-branch'),
    titleJa: 'サンドボックス銀行 窓口',
    titleEn: 'Sandbox Bank — branch counter',
    notFoundCode: 'BRANCH_NOT_FOUND',
  });
}
