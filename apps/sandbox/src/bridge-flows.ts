/**
 * What the sandbox's relying parties share when a phone emulator answers through the labelled bridge
 * (bank-pages.ts, carrier-pages.ts; the JPKI flows of jpki-bank-pages.ts, carrier-pages.ts, portal-pages.ts
 * and clinic-pages.ts):
 *
 * - the card-substitute record over the Annex C session flow (ISO/IEC 18013-5 Annex C through the DC API's
 *   `org-iso-mdoc` request): open a verifier session for the relying party, hand the request to the chosen
 *   phone as its OS would (services/wallet `IncomingRequests`: the phone's consent screen shows who asks and
 *   what, and the holder approves there with the owner's biometric, or declines), send the phone's answer
 *   to the verifier and read its report (the branch counter and the clinic's face check read the phone
 *   over ISO/IEC 18013-5 proximity instead: proximity-read.ts);
 * - a JPKI signature (the bank's and the carrier's): exactly the bytes the verifier keeps for its
 *   jpki-signature session go to the phone's consent screen as an OS would hand them to the phone's JPKI app
 *   (`IncomingRequests.deliverJpkiSignature`): the screen names the relying party and shows the document,
 *   and the holder types the signature password there — it never passes through the relying party — or
 *   declines; the CMS then goes to the verifier (the user authentication's flow, the portal's on the phone's
 *   screen too: jpki-user-authentication.ts);
 * - the auth PIN's format (DOMAIN.md §3), checked before a phone is asked so a malformed PIN costs no try
 *   (the clinic's reader page takes the Android holder's PIN, as an external reader does).
 *
 * The relying party's API key stays in `api` (jpki-page-parts.ts `verifierCall`), on the server.
 */
import {
  type IncomingRequests,
  OPENID4VP_SIGNED_PROTOCOL,
  presentAnnexC,
  presentOpenId4VpDcApi,
  readAnnexCRequest,
  readOpenId4VpDcApiRequest,
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
      /** The Digital Credentials API protocol the phone answered with. */
      readonly protocol: BridgeProtocol;
      readonly sessionId: string;
      readonly answer: RecordAnswer;
    }
  | { readonly kind: 'session-refused'; readonly code: string }
  | { readonly kind: 'phone-refused'; readonly code: string };

/** The Digital Credentials API protocols a bridged phone answers a record session with. */
export type BridgeProtocol = 'org-iso-mdoc' | typeof OPENID4VP_SIGNED_PROTOCOL;

/**
 * Which of the session's requests the phone takes, as its platform would: an Android-like phone answers
 * OpenID4VP 1.0 over the DC API (`openid4vp-v1-signed`: Chrome on Android, DOMAIN.md §2) when the session
 * offers it; an iPhone-like phone answers ISO/IEC 18013-7 Annex C (`org-iso-mdoc`, the only protocol
 * Safari accepts), as does any phone when only Annex C is offered.
 */
export function bridgeProtocolOf(
  phone: Pick<WalletDevice, 'family'>,
  offered: readonly { readonly protocol: string }[],
): BridgeProtocol {
  return phone.family === 'android' && offered.some((r) => r.protocol === OPENID4VP_SIGNED_PROTOCOL)
    ? OPENID4VP_SIGNED_PROTOCOL
    : 'org-iso-mdoc';
}

/**
 * Opens a record session for the relying party (`elements` absent: the least its law needs), hands its
 * request to `phone` with `origin` as the page's — in the protocol its platform answers (bridgeProtocolOf) —
 * waits for the holder's answer on the phone, and sends it to the verifier.
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
    requests?: { protocol: string; data: unknown }[];
    elements?: Record<string, string[]>;
    code?: string;
  };
  if (!opened.ok || session.sessionId === undefined || session.request === undefined)
    return { kind: 'session-refused', code: String(session.code ?? opened.status) };
  const protocol = bridgeProtocolOf(phone, session.requests ?? []);
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  // The DigitalCredential the page would receive: `{protocol, data}` (services/verifier SessionResponse).
  let credential: { protocol: BridgeProtocol; data: unknown };
  try {
    if (protocol === OPENID4VP_SIGNED_PROTOCOL) {
      const data = session.requests?.find((r) => r.protocol === protocol)?.data;
      const summary = await readOpenId4VpDcApiRequest({ device: phone, protocol, data, origin });
      const outcome = await options.incoming.deliver(phone, {
        channel: 'dc-api-openid4vp-v1-signed',
        origin,
        summary,
        present: ({ consent, userAuthentication, handOff }) =>
          presentOpenId4VpDcApi({
            device: phone,
            protocol,
            data,
            origin,
            consent,
            userAuthentication,
            handOff,
          }),
        ...signal,
      });
      if (outcome.kind === 'refused') return { kind: 'phone-refused', code: outcome.code };
      credential = { protocol, data: outcome.presentation.data };
    } else {
      const data = session.request.data;
      const summary = await readAnnexCRequest({ device: phone, data, origin });
      const outcome = await options.incoming.deliver(phone, {
        channel: 'dc-api-org-iso-mdoc',
        origin,
        summary,
        present: ({ consent, userAuthentication, handOff }) =>
          presentAnnexC({ device: phone, data, origin, consent, userAuthentication, handOff }),
        ...signal,
      });
      if (outcome.kind === 'refused') return { kind: 'phone-refused', code: outcome.code };
      credential = { protocol, data: { response: outcome.presentation.response } };
    }
  } catch (e) {
    if (e instanceof WalletError) return { kind: 'phone-refused', code: e.code };
    throw e;
  }
  const verified = await api(`/sessions/${encodeURIComponent(session.sessionId)}/response`, credential);
  return {
    kind: 'verified',
    ok: verified.ok,
    protocol,
    sessionId: session.sessionId,
    answer: (await verified.json()) as RecordAnswer,
  };
}

/**
 * The HTTP status a relying party answers for the phone's refusal of a bridged request (its code passed on
 * or mapped by the caller): nobody answered on the phone before the request lapsed
 * (WALLET_REQUEST_EXPIRED) — 504, the phone stands behind the relying party's server as a gateway's
 * upstream does (RFC 9110 §15.6.5); the phone already has as many requests waiting as it keeps
 * (WALLET_PHONE_BUSY) — 503, try again once its screen is clear (RFC 9110 §15.6.4); the signature password
 * was locked on the phone (WALLET_SECRET_LOCKED, five wrong on its screen, DOMAIN.md §3) — 423, the key
 * stays locked until the certificate is installed again (RFC 4918 §11.3); the holder declined, the phone
 * holds nothing in force of the kind asked (WALLET_DOCUMENT_NOT_HELD), or anything else the phone refused —
 * 409, the request conflicts with what the phone or its holder allows.
 */
export function phoneRefusalStatus(code: string): 409 | 423 | 503 | 504 {
  if (code === 'WALLET_REQUEST_EXPIRED') return 504;
  if (code === 'WALLET_PHONE_BUSY') return 503;
  if (code === 'WALLET_SECRET_LOCKED') return 423;
  return 409;
}

/** How a JPKI signature through the bridge ended. */
export type SignatureBridgeOutcome =
  /**
   * The phone did not sign: the holder declined (WALLET_DECLINED), nobody answered in time
   * (WALLET_REQUEST_EXPIRED), the password locked on the phone's screen (WALLET_SECRET_LOCKED), no
   * signature certificate in force (WALLET_DOCUMENT_NOT_HELD), a full screen (WALLET_PHONE_BUSY) … A wrong
   * password never ends it: the phone keeps its screen up with the tries left.
   */
  | { readonly kind: 'phone-refused'; readonly code: string }
  /** The verifier's answer to the CMS, as it came (a report, or a problem). */
  | { readonly kind: 'answered'; readonly verified: Response };

/**
 * Hands `content` (base64: exactly the bytes the verifier keeps for session `sessionId`) to `device`'s
 * consent screen as a signing request from `relyingParty` on `origin`, waits until the holder signs there
 * with the signature password (the phone's `signWithJpki`) or refuses, and sends the CMS to the verifier.
 * No password is taken here: it is typed on the phone.
 */
export async function signThroughBridge(options: {
  readonly api: VerifierApi;
  readonly device: WalletDevice;
  readonly sessionId: string;
  readonly content: string;
  /** The name the phone's screen shows as who asks (the bridge's word, not verified). */
  readonly relyingParty: string;
  /** The relying party's page origin, as the OS would report it. */
  readonly origin: string;
  /** Where the phone's consent screen picks the request up. */
  readonly incoming: IncomingRequests;
  /** The page gave up waiting (its request closed): the request leaves the phone. */
  readonly signal?: AbortSignal;
}): Promise<SignatureBridgeOutcome> {
  const { device, relyingParty } = options;
  const content = new Uint8Array(Buffer.from(options.content, 'base64'));
  let signature: Uint8Array;
  try {
    const outcome = await options.incoming.deliverJpkiSignature(device, {
      channel: 'jpki-signature',
      origin: options.origin,
      relyingParty,
      content,
      present: ({ password, handOff }) => signWithJpki({ device, content, password, relyingParty, handOff }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (outcome.kind === 'refused') return { kind: 'phone-refused', code: outcome.code };
    ({ signature } = outcome.presentation);
  } catch (e) {
    if (e instanceof WalletError) return { kind: 'phone-refused', code: e.code };
    throw e;
  }
  const verified = await options.api(`/sessions/${encodeURIComponent(options.sessionId)}/jpki-signature`, {
    cms: Buffer.from(signature).toString('base64'),
  });
  return { kind: 'answered', verified };
}

/**
 * Whether a JSON body carries a `password` member (`text`: a body page-api.ts `jsonObjectBody` accepted, so
 * bounded; every member is looked at, not only the ones it keeps): the signature password belongs on the
 * phone's own screen, so a relying party's route refuses a body that brings one before any phone is asked,
 * and never reads or echoes it.
 */
export function bodyCarriesPassword(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, 'password');
  } catch {
    return false;
  }
}

/** The auth PIN's format (DOMAIN.md §3): 4 digits. */
export const AUTH_PIN = /^[0-9]{4}$/;
