/**
 * A mobile carrier's contract under 携帯電話不正利用防止法 (DOMAIN.md §1 "KYC law moves to chips", §5: the
 * revised ordinance in force 2026-04-01; the image-upload methods are gone). The customer picks one of the
 * two methods left for a contract made at a distance:
 *
 * - **チ** — the card-substitute record through a certified verification program: the same Annex C session
 *   flow through the labelled bridge as the bank's (bridge-flows.ts `presentRecordThroughBridge`), asking
 *   the least the law needs — name, address, birth date and portrait — never My Number;
 * - **ト** — a JPKI signature over the contract text: the bridge hands the contract to the phone's consent
 *   screen (bridge-flows.ts `signThroughBridge`), where the holder types the signature password and the
 *   phone signs (`signWithJpki`) — the password never reaches the carrier; the basic four read from the
 *   certificate by the verifier.
 *
 * The verifier verifies, checks the status at the sandbox issuer, names the method or why none applies and
 * writes the verification record (kept about 3 years after the contract ends under this law, DOMAIN.md §5).
 * The sandbox carrier's program is not certified and it is no signature verifier (sandbox-carrier.ts), so
 * the page shows honestly why no letter applies: KYC_PROGRAM_NOT_CERTIFIED for チ, KYC_NOT_A_SIGNATURE_VERIFIER
 * for ト.
 *
 * A Vite + Preact page (`apps/sandbox/pages/carrier`, built by scripts/build-pages.mjs into
 * `dist-pages/carrier`) served at `/verifier/carrier/` (built-page.ts), and the JSON routes it calls under
 * `/verifier/carrier/api/`:
 *
 *   GET  api/contract → `{contract, phones}` — the contract text ト signs, the phones answering through the
 *                       bridge
 *   POST api/record   → `{phone}`: チ — hands the request to the phone and waits until the holder answers
 *                       on its consent screen (`/wallet/phones/<id>/incoming`, up to the phone's 3
 *                       minutes); then the verdict, checks, method or reasons, the four facts, the record —
 *                       or 409 CARRIER_DECLINED (the holder said no: nothing was sent), 504
 *                       CARRIER_PHONE_NO_ANSWER (nobody answered in time), 503 CARRIER_PHONE_BUSY (too many
 *                       requests waiting on the phone), each with the phone's `walletCode`
 *   POST api/sign     → `{phone}`: ト — hands the contract to the phone and waits until the holder signs on
 *                       its screen with the signature password (a wrong one is counted there, the screen
 *                       staying up with the tries left: the carrier hears nothing of it); then the verdict,
 *                       checks, method or reasons, the basic four, the certificate, the record — or 409
 *                       CARRIER_DECLINED, 423 CARRIER_PASSWORD_LOCKED (five wrong on the phone: the
 *                       certificate is unusable until installed again), 504 CARRIER_PHONE_NO_ANSWER, 503
 *                       CARRIER_PHONE_BUSY, 409 CARRIER_NOTHING_IN_FORCE, each with the phone's
 *                       `walletCode`; a body that carries a `password` is refused at once with 400
 *                       CARRIER_PASSWORD_ON_PHONE, before any phone is asked
 *
 * The POST routes take `application/json` only; errors are RFC 9457 problems with stable CARRIER_* codes
 * that echo nothing submitted. The carrier's API key never leaves the server.
 */
import { problem } from '@mynakit/http-kit';
import type { IncomingRequests, WalletDevice } from '@mynakit/wallet';
import type { Context, Hono } from 'hono';
import {
  bodyCarriesPassword,
  phoneRefusalStatus,
  presentRecordThroughBridge,
  type RecordIdentityView,
  recordIdentityView,
  signThroughBridge,
} from './bridge-flows.js';
import { defaultPageDir, registerBuiltPage } from './built-page.js';
import { type BasicFourView, basicFourView, type JpkiAnswer, verifierCall } from './jpki-page-parts.js';
import { isJsonRequest, jsonObjectBody, pageProblem } from './page-api.js';
import { SANDBOX_CARRIER_NAME, type SandboxCarrier } from './sandbox-carrier.js';
import { type VerificationView, verificationView } from './verification-view.js';

/** The contract the customer signs for ト (UTF-8), the same bytes on the page and in the verifier's session. */
export const CARRIER_CONTRACT = [
  'サンドボックス携帯 携帯電話利用契約申込書',
  'Sandbox Mobile — application for a mobile phone service contract',
  '',
  '申込者は、以下の内容で携帯電話の利用契約を申し込み、本人確認のため署名用電子証明書で電子署名します。',
  'The applicant applies for a mobile phone contract on these terms and signs with the JPKI signature certificate.',
  '',
  '料金プラン / plan: サンドボックス 5GB / Sandbox 5 GB',
  '回線数 / lines: 1',
  '契約者 / subscriber: 本人 / the applicant',
].join('\n');

const PREFIX = '/verifier/carrier';

/** What the carrier pages need. */
export interface CarrierPagesParts {
  readonly url: string;
  readonly carrier: SandboxCarrier;
  readonly verifierFetch: (request: Request) => Response | Promise<Response>;
  readonly phones: readonly WalletDevice[];
  /** Where the phones' consent screens pick up what the bridge hands them (the wallet's). */
  readonly incoming: IncomingRequests;
  /** The page's build folder (default `apps/sandbox/dist-pages/carrier`). */
  readonly pageDir?: string;
}

/** A phone as the page lists it: it answers through the bridge. */
export interface CarrierPhone {
  readonly id: string;
  readonly family: WalletDevice['family'];
  readonly answeredBy: 'bridge';
}

/** POST api/record's answer (チ). */
export interface CarrierRecordResult extends VerificationView {
  readonly kind: 'chi';
  readonly phone: CarrierPhone;
  /** The four facts the law's record method needs (the portrait as base64 JPEG), only when valid. */
  readonly identity: RecordIdentityView | null;
}

/** POST api/sign's answer (ト). */
export interface CarrierSignatureResult extends VerificationView {
  readonly kind: 'to';
  readonly phone: CarrierPhone;
  /** The basic four from the signature certificate, only on a valid signature. */
  readonly identity: BasicFourView | null;
  readonly signingTime: string | null;
  readonly certificate: {
    readonly serialNumber: string;
    readonly issuer: string;
    readonly notAfter: string;
    readonly fingerprint256: string;
  } | null;
  readonly contract: string;
}

const carrierPhone = (p: WalletDevice): CarrierPhone => ({
  id: p.id,
  family: p.family,
  answeredBy: 'bridge',
});

/** The phone's refusal as a problem: the carrier's stable code with the phone's own (`walletCode`). */
function phoneRefusal(c: Context, code: string, phone: CarrierPhone): Response {
  const ext = { phone, walletCode: code };
  switch (code) {
    case 'WALLET_SECRET_LOCKED':
      return pageProblem(
        c,
        phoneRefusalStatus(code),
        'CARRIER_PASSWORD_LOCKED',
        'The signature password is locked on the phone',
        ext,
      );
    case 'WALLET_DECLINED':
      return pageProblem(c, 409, 'CARRIER_DECLINED', 'The customer declined on the phone', ext);
    case 'WALLET_REQUEST_EXPIRED':
      return pageProblem(
        c,
        phoneRefusalStatus(code),
        'CARRIER_PHONE_NO_ANSWER',
        'Nobody answered on the phone in time',
        ext,
      );
    case 'WALLET_PHONE_BUSY':
      return pageProblem(
        c,
        phoneRefusalStatus(code),
        'CARRIER_PHONE_BUSY',
        'The phone has too many requests waiting',
        ext,
      );
    case 'WALLET_NOT_FOUND':
    case 'WALLET_DOCUMENT_NOT_HELD':
      return pageProblem(
        c,
        409,
        'CARRIER_NOTHING_IN_FORCE',
        'The phone holds nothing in force for this method',
        ext,
      );
    default:
      return pageProblem(c, 409, 'CARRIER_PHONE_REFUSED', 'The phone could not answer', ext);
  }
}

/** Registers `/verifier/carrier/…` (before the verifier's own routes). */
export function registerCarrierPages(app: Hono, parts: CarrierPagesParts): void {
  const api = verifierCall(parts.verifierFetch, parts.url, parts.carrier.apiKey);

  /**
   * The request's JSON body and the phone it names, or the problem to answer. `refusePassword`: the
   * signature password is typed on the phone's own screen only, so a body that brings one is refused before
   * anything reaches a phone, and what it sent is neither read nor echoed.
   */
  const readRequest = async (
    c: Context,
    refusePassword = false,
  ): Promise<{ body: Map<string, unknown>; phone: WalletDevice } | Response> => {
    if (!isJsonRequest(c))
      return pageProblem(c, 415, 'CARRIER_JSON_REQUIRED', 'The request must be application/json');
    const body = await jsonObjectBody(c);
    if (body === undefined) return pageProblem(c, 400, 'CARRIER_INVALID_REQUEST', 'Invalid request');
    if (refusePassword && bodyCarriesPassword(await c.req.text()))
      return pageProblem(
        c,
        400,
        'CARRIER_PASSWORD_ON_PHONE',
        'The signature password is typed on the phone, never sent to the carrier',
      );
    const id = body.get('phone');
    const phone = parts.phones.find((p) => p.id === id);
    if (phone === undefined) return pageProblem(c, 400, 'CARRIER_NO_PHONE', 'Choose a phone');
    return { body, phone };
  };
  const sessionUnavailable = (c: Context) =>
    pageProblem(c, 502, 'CARRIER_SESSION_UNAVAILABLE', 'The verification session could not be opened');

  app.get(`${PREFIX}/api/contract`, (c) => {
    c.header('cache-control', 'no-store');
    return c.json({ contract: CARRIER_CONTRACT, phones: parts.phones.map(carrierPhone) });
  });

  app.post(`${PREFIX}/api/record`, async (c) => {
    const read = await readRequest(c);
    if (read instanceof Response) return read;
    const { phone } = read;
    // No elements named: the verifier asks what the law's record method needs, and nothing else.
    const outcome = await presentRecordThroughBridge({
      api,
      phone,
      origin: parts.url,
      purpose: 'mobile-contract',
      incoming: parts.incoming,
      signal: c.req.raw.signal,
    });
    if (outcome.kind === 'session-refused') return sessionUnavailable(c);
    if (outcome.kind === 'phone-refused') return phoneRefusal(c, outcome.code, carrierPhone(phone));
    const { answer } = outcome;
    const valid = outcome.ok && answer.verdict === 'valid';
    if (!valid)
      return pageProblem(c, 422, 'CARRIER_NOT_VERIFIED', 'The record was not verified', {
        phone: carrierPhone(phone),
        ...verificationView(answer),
      });
    const result: CarrierRecordResult = {
      kind: 'chi',
      phone: carrierPhone(phone),
      ...verificationView(answer),
      identity: recordIdentityView(answer),
    };
    c.header('cache-control', 'no-store');
    return c.json(result);
  });

  app.post(`${PREFIX}/api/sign`, async (c) => {
    const read = await readRequest(c, true);
    if (read instanceof Response) return read;
    const { phone } = read;
    const opened = await api('/sessions/jpki-signature', {
      purpose: 'mobile-contract',
      text: CARRIER_CONTRACT,
    });
    const session = (await opened.json()) as { sessionId?: string; content?: string };
    if (opened.status !== 201 || session.sessionId === undefined || session.content === undefined)
      return sessionUnavailable(c);
    // The phone's screen shows exactly the bytes the verifier keeps and the carrier's name; the holder signs
    // there with the password, or declines (the page's closing withdraws the request).
    const outcome = await signThroughBridge({
      api,
      device: phone,
      sessionId: session.sessionId,
      content: session.content,
      relyingParty: SANDBOX_CARRIER_NAME,
      origin: parts.url,
      incoming: parts.incoming,
      signal: c.req.raw.signal,
    });
    if (outcome.kind === 'phone-refused') return phoneRefusal(c, outcome.code, carrierPhone(phone));
    const { verified } = outcome;
    const answer = (await verified.json()) as JpkiAnswer;
    if (!verified.ok || answer.verdict !== 'valid')
      return pageProblem(c, 422, 'CARRIER_NOT_VERIFIED', 'The signature was not verified', {
        phone: carrierPhone(phone),
        ...verificationView(answer),
      });
    const cert = answer.certificate;
    const result: CarrierSignatureResult = {
      kind: 'to',
      phone: carrierPhone(phone),
      ...verificationView(answer),
      identity: basicFourView(answer.identity),
      signingTime: answer.signingTime ?? null,
      certificate:
        cert === undefined
          ? null
          : {
              serialNumber: cert.serialNumber,
              issuer: cert.issuer,
              notAfter: cert.notAfter,
              fingerprint256: cert.fingerprint256,
            },
      contract: CARRIER_CONTRACT,
    };
    c.header('cache-control', 'no-store');
    return c.json(result);
  });

  app.all(`${PREFIX}/api/*`, (c) => problem(c, 404, 'CARRIER_NOT_FOUND', 'Not found'));

  registerBuiltPage(app, {
    prefix: PREFIX,
    dir: parts.pageDir ?? defaultPageDir('carrier'),
    titleJa: '携帯電話の契約',
    titleEn: 'A mobile phone contract',
    notFoundCode: 'CARRIER_NOT_FOUND',
  });
}
