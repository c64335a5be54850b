/**
 * What the sandbox's relying parties share when a phone emulator answers through the labelled bridge
 * (bank-pages.ts, carrier-pages.ts; the JPKI flows of jpki-bank-pages.ts, carrier-pages.ts, portal-pages.ts
 * and clinic-pages.ts check the secrets' formats here):
 *
 * - the card-substitute record over the Annex C session flow (ISO/IEC 18013-5 Annex C through the DC API's
 *   `org-iso-mdoc` request): open a verifier session for the relying party, hand the request to the chosen
 *   phone as its OS would (services/wallet `IncomingRequests`: the phone's consent screen shows who asks and
 *   what, and the holder approves there with the owner's biometric, or declines), send the phone's answer
 *   to the verifier and read its report (the branch counter and the clinic's face check read the phone
 *   over ISO/IEC 18013-5 proximity instead: proximity-read.ts);
 * - a JPKI signature (the bank's and the carrier's): the phone signs exactly the bytes the verifier keeps
 *   for its jpki-signature session, as an OS would hand them to the phone's JPKI app, and the CMS goes to
 *   the verifier (the user authentication's flow: jpki-user-authentication.ts);
 * - the formats of the signature password and the auth PIN (DOMAIN.md §3), checked before a phone is asked,
 *   so a malformed secret costs no try.
 *
 * The relying party's API key stays in `api` (jpki-page-parts.ts `verifierCall`), on the server.
 */
import {
  type IncomingRequests,
  presentAnnexC,
  readAnnexCRequest,
  signWithJpki,
  type WalletDevice,
  WalletError,
} from '@mynakit/wallet';

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

/** The four facts of the record's card face a page shows (the portrait as base64 JPEG). */
export interface RecordIdentityView {
  readonly name: string;
  readonly address: string;
  readonly birthDate: string;
  readonly portrait: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The name, address, birth date and portrait the record disclosed (empty, or no portrait, where it did not). */
export function recordIdentityView(answer: Pick<RecordAnswer, 'elements'>): RecordIdentityView {
  const jp: Record<string, unknown> =
    answer.elements !== undefined && Object.hasOwn(answer.elements, JP_NAMESPACE)
      ? (answer.elements[JP_NAMESPACE] ?? {})
      : {};
  return {
    name: str(jp.full_name_unicode) ?? '',
    address: str(jp.resident_address_unicode) ?? '',
    birthDate: str(jp.birth_date_unicode) ?? '',
    portrait: str(jp.portrait),
  };
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
 * Opens a record session for the relying party (`elements` absent: the least its law needs), hands its
 * request to `phone` with `origin` as the page's, waits for the holder's answer on the phone, and sends it
 * to the verifier.
 */
export async function presentRecordThroughBridge(options: {
  readonly api: VerifierApi;
  readonly phone: WalletDevice;
  /** Where the phone's consent screen picks the request up. */
  readonly incoming: IncomingRequests;
  /** The page gave up waiting (its request closed): the request leaves the phone. */
  readonly signal?: AbortSignal;
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
  const data = session.request.data;
  let response: string;
  try {
    const summary = await readAnnexCRequest({ device: phone, data, origin });
    const outcome = await options.incoming.deliver(phone, {
      channel: 'dc-api-org-iso-mdoc',
      origin,
      summary,
      present: ({ consent, userAuthentication }) =>
        presentAnnexC({ device: phone, data, origin, consent, userAuthentication }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (outcome.kind === 'refused') return { kind: 'phone-refused', code: outcome.code };
    ({ response } = outcome.presentation);
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

/**
 * The HTTP status a relying party answers for the phone's refusal of a bridged request (its code passed on
 * or mapped by the caller): the holder declined on the phone, or anything else the phone refused — 409, the
 * request conflicts with what the phone or its holder allows; nobody answered on the phone before the
 * request lapsed (WALLET_REQUEST_EXPIRED) — 504, the phone stands behind the relying party's server as a
 * gateway's upstream does (RFC 9110 §15.6.5); the phone already has as many requests waiting as it keeps
 * (WALLET_PHONE_BUSY) — 503, try again once its screen is clear (RFC 9110 §15.6.4).
 */
export function phoneRefusalStatus(code: string): 409 | 503 | 504 {
  if (code === 'WALLET_REQUEST_EXPIRED') return 504;
  if (code === 'WALLET_PHONE_BUSY') return 503;
  return 409;
}

/** How a JPKI signature through the bridge ended. */
export type SignatureBridgeOutcome =
  /** The phone did not sign (a wrong or locked password, no certificate in force …). */
  | { readonly kind: 'phone-refused'; readonly error: WalletError }
  /** The verifier's answer to the CMS, as it came (a report, or a problem). */
  | { readonly kind: 'answered'; readonly verified: Response };

/**
 * Has `device` sign `content` (base64: exactly the bytes the verifier keeps for session `sessionId`) with its
 * signature key after `password`, showing `relyingParty`, and sends the CMS to the verifier.
 */
export async function signThroughBridge(options: {
  readonly api: VerifierApi;
  readonly device: WalletDevice;
  readonly sessionId: string;
  readonly content: string;
  readonly password: string;
  readonly relyingParty: string;
}): Promise<SignatureBridgeOutcome> {
  let signed: { signature: Uint8Array };
  try {
    signed = await signWithJpki({
      device: options.device,
      content: new Uint8Array(Buffer.from(options.content, 'base64')),
      password: options.password,
      relyingParty: options.relyingParty,
    });
  } catch (e) {
    if (!(e instanceof WalletError)) throw e;
    return { kind: 'phone-refused', error: e };
  }
  const verified = await options.api(`/sessions/${encodeURIComponent(options.sessionId)}/jpki-signature`, {
    cms: Buffer.from(signed.signature).toString('base64'),
  });
  return { kind: 'answered', verified };
}

/** The signature password's format (DOMAIN.md §3): 6–16 upper-case letters and digits. */
export const SIGNATURE_PASSWORD = /^[A-Z0-9]{6,16}$/;

/** The auth PIN's format (DOMAIN.md §3): 4 digits. */
export const AUTH_PIN = /^[0-9]{4}$/;
