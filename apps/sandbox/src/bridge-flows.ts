/**
 * What the sandbox's relying parties share when a phone emulator answers through the labelled bridge
 * (bank-pages.ts, jpki-bank-pages.ts, carrier-pages.ts, portal-pages.ts, clinic-pages.ts):
 *
 * - the card-substitute record over the Annex C session flow (ISO/IEC 18013-5 Annex C through the DC API's
 *   `org-iso-mdoc` request): open a verifier session for the relying party, let the chosen phone present
 *   with its owner's biometric and consent to exactly what was asked (services/wallet `presentAnnexC`),
 *   send the answer to the verifier and read its report (the clinic's face check reads the phone over
 *   ISO/IEC 18013-5 proximity instead: proximity-read.ts);
 * - the JPKI signature over a text (`signWithJpki` after the signature password, DOMAIN.md §3);
 * - the auth PIN's format (the JPKI user authentication itself runs in portal-pages.ts and clinic-pages.ts,
 *   `authenticateWithJpki` after the auth PIN on Android or the biometric on iPhone, DOMAIN.md §3);
 * - the identity table of a verified record, and the pages saying why a phone refused (its stable code and
 *   the tries left).
 *
 * The relying party's API key stays in `api` (jpki-page-parts.ts `verifierCall`), on the server.
 */
import { html, type SafeHtml } from '@mynakit/page-html';
import { presentAnnexC, signWithJpki, type WalletDevice, WalletError } from '@mynakit/wallet';
import { type JpkiAnswer, refusalPage } from './jpki-page-parts.js';

const MNC = 'org.iso.23220.1.jp.mnc';

/** The namespace of the record's card-face elements. */
export const JP_NAMESPACE = 'org.iso.23220.1.jp';

/** A POST to the verifier with the relying party's key (jpki-page-parts.ts `verifierCall`). */
export type VerifierApi = (path: string, body: unknown) => Promise<Response>;

/** What a record verification answered (the verifier's POST /sessions/:id/response). */
export interface RecordAnswer {
  /** `valid | invalid | undetermined`. */
  readonly verdict?: string;
  /** Every check with its stable id. */
  readonly checks?: readonly { id: string; status: string; detail?: string }[];
  /** The KYC method on that date, or null. */
  readonly method?: { letter: string; id: string; name_ja?: string; name_en?: string } | null;
  /** Why no method applies (stable codes). */
  readonly methodReasons?: readonly string[];
  /** namespace → disclosed element → value. */
  readonly elements?: Record<string, Record<string, unknown>>;
  /** The verification record written. */
  readonly recordId?: string;
  /** The stable code of an invalid verification. */
  readonly errorCode?: string;
  /** A problem's code, when the verifier refused the call. */
  readonly code?: string;
}

/** How a bridge presentation of the record ended. */
export type RecordBridgeOutcome =
  | {
      readonly kind: 'verified';
      /** The verifier answered 2xx. */
      readonly ok: boolean;
      readonly sessionId: string;
      readonly answer: RecordAnswer;
    }
  | { readonly kind: 'session-refused'; readonly code: string }
  | { readonly kind: 'phone-refused'; readonly code: string };

/**
 * Opens a record session for the relying party (`elements` absent: the least its law needs), has `phone`
 * present through the bridge with `origin` as the page's, and sends the answer to the verifier.
 */
export async function presentRecordThroughBridge(options: {
  readonly api: VerifierApi;
  readonly phone: WalletDevice;
  readonly origin: string;
  readonly purpose: string;
  readonly elements?: Readonly<Record<string, readonly string[]>> | undefined;
  /** What the customer declared (purpose of the transaction, occupation), sent with the session. */
  readonly declared?: object;
}): Promise<RecordBridgeOutcome> {
  const { api, phone, origin } = options;
  const opened = await api('/sessions', {
    purpose: options.purpose,
    origin,
    ...(options.elements === undefined ? {} : { elements: options.elements }),
    ...options.declared,
  });
  const session = (await opened.json()) as {
    sessionId?: string;
    request?: { data: unknown };
    elements?: Record<string, string[]>;
    code?: string;
  };
  if (!opened.ok || session.sessionId === undefined || session.request === undefined)
    return { kind: 'session-refused', code: String(session.code ?? opened.status) };
  let response: string;
  try {
    ({ response } = await presentAnnexC({
      device: phone,
      data: session.request.data,
      origin,
      consent: { [MNC]: session.elements ?? {} },
      userAuthentication: { method: 'biometric', matched: true },
    }));
  } catch (e) {
    if (e instanceof WalletError) return { kind: 'phone-refused', code: e.code };
    throw e;
  }
  const verified = await api(`/sessions/${encodeURIComponent(session.sessionId)}/response`, { response });
  return {
    kind: 'verified',
    ok: verified.ok,
    sessionId: session.sessionId,
    answer: (await verified.json()) as RecordAnswer,
  };
}

/** The identity facts a verified record disclosed (name, address, birth date, photo — those present). */
export function recordIdentityHtml(answer: RecordAnswer): SafeHtml {
  const jp = answer.elements?.[JP_NAMESPACE] ?? {};
  const portrait = typeof jp.portrait === 'string' ? jp.portrait : undefined;
  return html`<table data-record-identity>
<tr><th>氏名 <span class="en">name</span></th><td data-field="name">${String(jp.full_name_unicode ?? '')}</td></tr>
<tr><th>住所 <span class="en">address</span></th><td data-field="address">${String(jp.resident_address_unicode ?? '')}</td></tr>
<tr><th>生年月日 <span class="en">birth date</span></th><td data-field="birthDate">${String(jp.birth_date_unicode ?? '')}</td></tr>
${portrait ? html`<tr><th>顔写真 <span class="en">photo</span></th><td><img class="portrait" alt="portrait" src="data:image/jpeg;base64,${portrait}"></td></tr>` : ''}
</table>`;
}

/** The signature password's format (DOMAIN.md §3): 6–16 upper-case letters and digits. */
export const SIGNATURE_PASSWORD = /^[A-Z0-9]{6,16}$/;

/** The auth PIN's format (DOMAIN.md §3): 4 digits. */
export const AUTH_PIN = /^[0-9]{4}$/;

/** A refusal page with its HTTP status. */
export interface Refusal {
  readonly status: 400 | 401 | 409 | 423 | 502;
  readonly page: string;
}

/** How a bridge flow ended: the verifier's JPKI answer, or a page saying why it could not go on. */
export type JpkiBridgeOutcome =
  | {
      readonly kind: 'verified';
      readonly ok: boolean;
      readonly answer: JpkiAnswer;
      /** The verifier's JPKI session (a valid signature's binds a passkey: bank-passkeys.ts). */
      readonly sessionId?: string;
    }
  | { readonly kind: 'refused'; readonly refusal: Refusal };

/** What the phone's refusal to sign says on the page, and the HTTP status. */
export function signatureRefusal(e: WalletError, title: string, back: string): Refusal {
  const tries = String(e.remainingTries ?? '?');
  if (e.code === 'WALLET_SECRET_WRONG')
    return {
      status: 401,
      page: refusalPage(
        title,
        html`署名用パスワードが違います。電話が数えています — 残り <strong data-remaining-tries="${String(e.remainingTries ?? '')}">${tries}</strong> 回 <span class="en">wrong signature password; the phone counts it — ${tries} tries left</span>`,
        e.code,
        back,
      ),
    };
  if (e.code === 'WALLET_SECRET_LOCKED')
    return {
      status: 423,
      page: refusalPage(
        title,
        html`署名用パスワードがロックされています。電話の署名用電子証明書は、搭載し直すまで使えません <span class="en">the signature password is locked; the phone's signature certificate cannot be used until it is installed again</span>`,
        e.code,
        back,
      ),
    };
  if (e.code === 'WALLET_NOT_FOUND')
    return {
      status: 409,
      page: refusalPage(
        title,
        html`この電話には有効な署名用電子証明書がありません <span class="en">this phone holds no signature certificate in force</span>`,
        e.code,
        back,
      ),
    };
  return {
    status: 400,
    page: refusalPage(
      title,
      html`この電話は署名できませんでした <span class="en">the phone could not sign</span>`,
      e.code,
      back,
    ),
  };
}

function sessionRefusal(title: string, code: string | undefined, back: string): Refusal {
  return {
    status: 502,
    page: refusalPage(
      title,
      html`セッションを開けません <span class="en">the session could not be opened</span>`,
      String(code),
      back,
    ),
  };
}

/**
 * A JPKI signature over `text` through the bridge: the password's shape is checked first (a malformed one
 * never reaches the phone, so it costs no try), the verifier's session keeps the exact bytes, the phone signs
 * them, and the verifier checks the CMS, the chain, the profile, the status and the KYC method.
 */
export async function signThroughBridge(options: {
  readonly api: VerifierApi;
  readonly phone: WalletDevice;
  readonly password: string;
  readonly purpose: string;
  readonly text: string;
  /** What the customer declared (purpose of the transaction, occupation), sent with the session. */
  readonly declared?: object;
  /** The name the phone shows its owner. */
  readonly relyingParty: string;
  /** The refusal pages' title and back link. */
  readonly title: string;
  readonly back: string;
}): Promise<JpkiBridgeOutcome> {
  const { api, title, back } = options;
  if (!SIGNATURE_PASSWORD.test(options.password))
    return {
      kind: 'refused',
      refusal: {
        status: 400,
        page: refusalPage(
          title,
          html`署名用パスワードは英大文字と数字の 6〜16 文字です <span class="en">the signature password is 6–16 upper-case letters and digits</span>`,
          'password-format',
          back,
        ),
      },
    };
  const opened = await api('/sessions/jpki-signature', {
    purpose: options.purpose,
    text: options.text,
    ...options.declared,
  });
  const session = (await opened.json()) as { sessionId?: string; content?: string; code?: string };
  if (opened.status !== 201 || session.sessionId === undefined || session.content === undefined)
    return { kind: 'refused', refusal: sessionRefusal(title, session.code, back) };
  let signed: { signature: Uint8Array };
  try {
    signed = await signWithJpki({
      device: options.phone,
      content: new Uint8Array(Buffer.from(session.content, 'base64')),
      password: options.password,
      relyingParty: options.relyingParty,
    });
  } catch (e) {
    if (!(e instanceof WalletError)) throw e;
    return { kind: 'refused', refusal: signatureRefusal(e, title, back) };
  }
  const verified = await api(`/sessions/${encodeURIComponent(session.sessionId)}/jpki-signature`, {
    cms: Buffer.from(signed.signature).toString('base64'),
  });
  return {
    kind: 'verified',
    ok: verified.ok,
    answer: (await verified.json()) as JpkiAnswer,
    sessionId: session.sessionId,
  };
}
