/**
 * Story 3 — the bank's account opening with a JPKI signature (DOMAIN.md §3 and §5), the JSON routes of the
 * bank page's JPKI view (`/verifier/bank/jpki/`, apps/sandbox/pages/bank): the application text is shown,
 * the holder picks a phone and types that phone's signature password (6–16 of A–Z 0–9; never a biometric),
 * and the bank's server
 *
 * 1. opens a jpki-signature session at the verifier with the application text (its API key stays here);
 * 2. hands the exact bytes the verifier keeps to the chosen phone through the labelled bridge — the phone
 *    emulator's `signWithJpki` (CMS SignedData by the signature key after the password; a wrong password is
 *    counted by the phone, locked after 5), as an OS would hand them to the phone's JPKI app;
 * 3. sends the CMS to the verifier, which checks the signature over exactly that document, the chain to the
 *    sandbox JPKI CAs, the signature profile and the basic four, the certificate's status at the issuer's
 *    OCSP (then CRL), names the KYC method or why none applies, and writes the verification record.
 *
 *   POST api/jpki/sign          → `{phone, password, transactionPurpose, occupation}`: the result and its
 *                                 `resultUrl` (`jpki/result/<session>`)
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
 * the result beside the record. A phone's refusal answers its wallet code (WALLET_SECRET_WRONG with the tries
 * left, WALLET_SECRET_LOCKED, WALLET_NOT_FOUND); the password is never echoed or logged.
 */
import type { WalletDevice, WalletError } from '@mynakit/wallet';
import type { Context, Hono } from 'hono';
import { declarationLines } from './bank-declaration.js';
import {
  type BankPhone,
  type DeclaredViews,
  KeptResults,
  SESSION_ID,
  type VerificationView,
  verificationOf,
} from './bank-results.js';
import { SIGNATURE_PASSWORD, signThroughBridge } from './bridge-flows.js';
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

/** The phone's refusal to sign: its wallet code as the problem's, and the tries left for a wrong password. */
function phoneRefusal(c: Context, e: WalletError, phone: BankPhone): Response {
  switch (e.code) {
    case 'WALLET_SECRET_WRONG':
      return pageProblem(c, 401, e.code, 'Wrong signature password', {
        phone,
        remainingTries: e.remainingTries ?? null,
      });
    case 'WALLET_SECRET_LOCKED':
      return pageProblem(c, 423, e.code, 'The signature password is locked', { phone });
    case 'WALLET_NOT_FOUND':
      return pageProblem(c, 409, e.code, 'The phone holds no signature certificate in force', { phone });
    default:
      return pageProblem(c, 409, e.code, 'The phone could not sign', { phone });
  }
}

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
  },
): void {
  const results = new KeptResults<BankJpkiResult>();

  app.post('/verifier/bank/api/jpki/sign', async (c) => {
    if (!isJsonRequest(c)) return pageProblem(c, 415, 'BANK_JSON_ONLY', 'send application/json');
    const body = await jsonObjectBody(c);
    if (body === undefined) return pageProblem(c, 400, 'BANK_BAD_JSON', 'the body is not a JSON object');
    const device = parts.phones.find((p) => p.id === body.get('phone'));
    if (device === undefined) return pageProblem(c, 400, 'BANK_NO_PHONE', 'choose a phone');
    const phone: BankPhone = { id: device.id, family: device.family };
    const password = body.get('password');
    // A password of the wrong shape never reaches the phone, so it costs no try.
    if (typeof password !== 'string' || !SIGNATURE_PASSWORD.test(password))
      return pageProblem(
        c,
        400,
        'BANK_PASSWORD_FORMAT',
        'The signature password is 6–16 upper-case letters and digits',
        { phone },
      );
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
    // The bridge: the phone receives exactly the bytes the verifier keeps, and the bank's name.
    const outcome = await signThroughBridge({
      api: parts.api,
      device,
      sessionId: session.sessionId,
      content: session.content,
      password,
      relyingParty: RELYING_PARTY,
    });
    if (outcome.kind === 'phone-refused') return phoneRefusal(c, outcome.error, phone);
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
