/**
 * Story 3 — the bank's account opening with a JPKI signature (DOMAIN.md §3 and §5), the JSON routes of the
 * bank page's JPKI view (`/verifier/bank/jpki/`, apps/sandbox/pages/bank): the application text is shown,
 * the holder picks a phone, and the bank's server
 *
 * 1. opens a jpki-signature session at the verifier with the application text (its API key stays here);
 * 2. hands the exact bytes the verifier keeps to the chosen phone through the labelled bridge, as an OS
 *    would hand them to the phone's JPKI app (bridge-flows.ts `signThroughBridge`): the request waits on the
 *    phone's consent screen (`/wallet/phones/<id>/incoming`), which names the bank and shows the
 *    application; the holder types the signature password THERE (6–16 of A–Z 0–9; never a biometric) and
 *    the phone signs (CMS SignedData by the signature key) — or declines. The password never passes through
 *    the bank: a wrong one is counted on the phone's screen, which stays up with the tries left, and the
 *    bank hears only how it ended (signed, declined, locked after 5 wrong, no answer in time);
 * 3. sends the CMS to the verifier, which checks the signature over exactly that document, the chain to the
 *    sandbox JPKI CAs, the signature profile and the basic four, the certificate's status at the issuer's
 *    OCSP (then CRL), names the KYC method or why none applies, and writes the verification record.
 *
 *   POST api/jpki/sign          → `{phone, transactionPurpose, occupation}`: waits until the holder answers
 *                                 on the phone (up to its 3 minutes; the page's closing ends the wait), then
 *                                 the result and its `resultUrl` (`jpki/result/<session>`) — or the phone's
 *                                 refusal with its wallet code: 409 WALLET_DECLINED (nothing signed, no
 *                                 record), 423 WALLET_SECRET_LOCKED (the certificate is unusable until it is
 *                                 installed again), 504 WALLET_REQUEST_EXPIRED, 503 WALLET_PHONE_BUSY, 409
 *                                 WALLET_DOCUMENT_NOT_HELD (no signature certificate in force); a body that
 *                                 carries a `password` is refused at once with 400 BANK_PASSWORD_ON_PHONE,
 *                                 before any phone is asked
 *   GET  api/jpki/results/:id   → the result again, for its view (kept in memory, bank-results.ts)
 *
 * The result has the verdict, every check, the basic four taken from the certificate, the certificate's
 * serial, the method (or why none) and the record — and, for a valid signature, the session the page's
 * "パスキーを作成 / Create a passkey" binds (bank-passkeys.ts): the verifier binds the passkey to the person
 * the signature certificate names. The sandbox bank is honestly *no* signature verifier (署名検証者,
 * 公的個人認証法 §17; sandbox-bank.ts), so the method is "none — KYC_NOT_A_SIGNATURE_VERIFIER", and the page
 * says what an authorized bank would get.
 *
 * Account opening under 犯収法 is a 取引時確認: the page asks the purpose of the transaction and the
 * occupation (bank-declaration.ts); they are written into the application the holder signs, sent with the
 * signature session (the verifier refuses one without them, its problem passed on unchanged) and shown in
 * the result beside the record. Problems echo nothing submitted.
 */
import type { IncomingRequests, WalletDevice } from '@mynakit/wallet';
import type { Context, Hono } from 'hono';
import { declarationLines } from './bank-declaration.js';
import { ownOrigin } from './bank-passkeys.js';
import {
  type BankPhone,
  type DeclaredViews,
  KeptResults,
  SESSION_ID,
  type VerificationView,
  verificationOf,
} from './bank-results.js';
import { bodyCarriesPassword, phoneRefusalStatus, signThroughBridge } from './bridge-flows.js';
import { type Declaration, declarationFromBody, declaredView } from './declared-items.js';
import {
  type BasicFourView,
  basicFourView,
  type CertificateView,
  certificateView,
  type JpkiAnswer,
} from './jpki-page-parts.js';
import { isJsonRequest, jsonObjectBody, pageProblem } from './page-api.js';

/**
 * The application the holder signs (UTF-8), the same bytes in the verifier's session and in the result:
 * with what the customer declared, so the signature covers it.
 */
export function bankJpkiApplication(declared: Declaration): string {
  return [
    'サンドボックス銀行 普通預金口座開設申込書',
    'Sandbox Bank — application to open an ordinary deposit account',
    '',
    '申込者は、以下の内容で口座の開設を申し込み、本人確認のため署名用電子証明書で電子署名します。',
    'The applicant applies to open an account on these terms and signs with the JPKI signature certificate.',
    '',
    ...declarationLines(declared),
    '口座の種類 / account: 普通預金 / ordinary deposit',
  ].join('\n');
}

/** The application as the JPKI view shows it before the customer chose (their answers fill it in). */
export const BANK_JPKI_APPLICATION = bankJpkiApplication({});

/** The name the phone shows its owner. */
const RELYING_PARTY = 'サンドボックス銀行 / Sandbox Bank';

/** A JPKI signature's result, as the page shows it. */
export interface BankJpkiResult extends VerificationView {
  readonly kind: 'jpki-signature';
  /** The verifier's session: a valid signature's binds a passkey. */
  readonly sessionId: string;
  readonly phone: BankPhone;
  /** The basic four from the signature certificate, only on a valid signature. */
  readonly identity: BasicFourView | null;
  readonly signingTime: string | null;
  readonly certificate: CertificateView | null;
  readonly declared: DeclaredViews;
  /** The application exactly as signed. */
  readonly application: string;
}

/** The titles of the phone's refusals to sign (the others: generic); the status is phoneRefusalStatus's. */
const PHONE_REFUSAL_TITLES: ReadonlyMap<string, string> = new Map([
  ['WALLET_DECLINED', 'The customer declined to sign on the phone'],
  ['WALLET_SECRET_LOCKED', 'The signature password is locked on the phone'],
  ['WALLET_REQUEST_EXPIRED', 'Nobody answered on the phone in time'],
  ['WALLET_PHONE_BUSY', 'The phone has too many requests waiting'],
  ['WALLET_DOCUMENT_NOT_HELD', 'The phone holds no signature certificate in force'],
]);

/** The verifier's problem, passed on unchanged. */
async function passOn(c: Context, res: Response): Promise<Response> {
  return c.body(await res.text(), res.status as 400, {
    'content-type': res.headers.get('content-type') ?? 'application/problem+json',
    'cache-control': 'no-store',
  });
}

/** Registers the JPKI view's routes under `/verifier/bank/api/jpki/` (before the bank's page). */
export function registerJpkiBankApi(
  app: Hono,
  parts: {
    readonly api: (path: string, body: unknown) => Promise<Response>;
    readonly phones: readonly WalletDevice[];
    /** Where the phones' consent screens pick up what the bridge hands them (the wallet's). */
    readonly incoming: IncomingRequests;
    /** The sandbox's URL (the bank's page origin, or its localhost twin: bank-passkeys.ts `ownOrigin`). */
    readonly url: string;
  },
): void {
  const results = new KeptResults<BankJpkiResult>();

  app.post('/verifier/bank/api/jpki/sign', async (c) => {
    if (!isJsonRequest(c)) return pageProblem(c, 415, 'BANK_JSON_ONLY', 'send application/json');
    const body = await jsonObjectBody(c);
    if (body === undefined) return pageProblem(c, 400, 'BANK_BAD_JSON', 'the body is not a JSON object');
    // The signature password is typed on the phone's own screen only: a page (or a client) that sends it
    // here is refused before anything reaches a phone, and what it sent is neither read nor echoed.
    if (bodyCarriesPassword(await c.req.text()))
      return pageProblem(
        c,
        400,
        'BANK_PASSWORD_ON_PHONE',
        'The signature password is typed on the phone, never sent to the bank',
      );
    const device = parts.phones.find((p) => p.id === body.get('phone'));
    if (device === undefined) return pageProblem(c, 400, 'BANK_NO_PHONE', 'choose a phone');
    const phone: BankPhone = { id: device.id, family: device.family };
    const declared = declarationFromBody(body);
    const application = bankJpkiApplication(declared);
    const opened = await parts.api('/sessions/jpki-signature', {
      purpose: 'account-opening',
      text: application,
      ...declared,
    });
    if (opened.status !== 201) return passOn(c, opened);
    const session = (await opened.json()) as { sessionId?: string; content?: string };
    if (
      session.sessionId === undefined ||
      !SESSION_ID.test(session.sessionId) ||
      session.content === undefined
    )
      return pageProblem(c, 502, 'BANK_SESSION_UNAVAILABLE', 'The verification session could not be opened');
    // The bridge: the phone's screen shows exactly the bytes the verifier keeps and the bank's name; the
    // holder signs there with the password, or declines (the page's closing withdraws the request).
    const outcome = await signThroughBridge({
      api: parts.api,
      device,
      sessionId: session.sessionId,
      content: session.content,
      relyingParty: RELYING_PARTY,
      origin: ownOrigin(c.req.url, parts.url),
      incoming: parts.incoming,
      signal: c.req.raw.signal,
    });
    if (outcome.kind === 'phone-refused')
      return pageProblem(
        c,
        phoneRefusalStatus(outcome.code),
        outcome.code,
        PHONE_REFUSAL_TITLES.get(outcome.code) ?? 'The phone could not sign',
        { phone },
      );
    const { verified } = outcome;
    const answer = (await verified.clone().json()) as JpkiAnswer;
    if (answer.verdict === undefined) return passOn(c, verified);
    const valid = answer.verdict === 'valid';
    const result: BankJpkiResult = {
      kind: 'jpki-signature',
      sessionId: session.sessionId,
      phone,
      ...verificationOf(answer),
      identity: valid ? basicFourView(answer.identity) : null,
      signingTime: answer.signingTime ?? null,
      certificate: certificateView(answer.certificate),
      declared: declaredView(declared),
      application,
    };
    results.keep(session.sessionId, result);
    c.header('cache-control', 'no-store');
    return c.json({ ...result, resultUrl: `jpki/result/${session.sessionId}` });
  });

  app.get('/verifier/bank/api/jpki/results/:id', (c) => {
    const id = c.req.param('id');
    if (!SESSION_ID.test(id)) return pageProblem(c, 400, 'BANK_BAD_SESSION', 'no such session');
    const result = results.get(id);
    if (result === undefined) return pageProblem(c, 404, 'BANK_NO_RESULT', 'no such result');
    c.header('cache-control', 'no-store');
    return c.json(result);
  });
}
