/**
 * A JPKI user authentication through the labelled bridge (DOMAIN.md §3: a challenge–response — the auth key
 * signs a server nonce, the verifier checks the signature, the chain and the status), as the government
 * portal's sign-in (portal-pages.ts) and the clinic's front desk (clinic-pages.ts) run it:
 *
 * - the phones as their pages list them, with how and where each unlocks its auth key: at the portal both
 *   families on the phone's own screen, with the 4-digit auth PIN or the biometric standing in for it
 *   (`pin-or-biometric`); at the clinic the Android holder types the PIN on the reader's page (`pin` on
 *   `page`: DOMAIN.md §3 "Health insurance" — at clinics Android holders type the auth PIN on the reader),
 *   the iPhone holder uses Face ID on the phone (`biometric` on `phone`: the reader asks for the face, it
 *   offers no PIN pad);
 * - the page's POST: an unlock on the phone is never sent to the relying party — a body that carries `pin`
 *   or `biometric` for it is refused (`<PAGE>_UNLOCK_ON_PHONE`) before any phone is asked, echoing nothing;
 *   a PIN typed on the reader's page of the wrong shape never reaches the phone, so it costs no try;
 * - a jpki-authentication session at the verifier (its API key stays in `api`, jpki-page-parts.ts); the
 *   challenge goes to the phone's consent screen (services/wallet `IncomingRequests
 *   .deliverJpkiUserAuthentication`: the screen names who asks, never shows the challenge, and the holder
 *   unlocks there — a wrong PIN is counted there while the page's call waits — or declines), or, for the
 *   PIN typed on the reader, straight to the phone emulator's `authenticateWithJpki`; the answer goes to the
 *   verifier;
 * - the phone's refusal as an RFC 9457 problem with the page's stable code (`<PAGE>_DECLINED`,
 *   `<PAGE>_PIN_LOCKED`, `<PAGE>_PIN_WRONG` with the tries the phone has left for a PIN typed on the reader,
 *   …) and the phone's own code, echoing nothing submitted.
 */
import {
  authenticateWithJpki,
  type IncomingRequests,
  type JpkiUserAuthenticationUnlock,
  type UserAuthentication,
  type WalletDevice,
  WalletError,
} from '@mynakit/wallet';
import type { Context } from 'hono';
import { AUTH_PIN, phoneRefusalStatus, type VerifierApi } from './bridge-flows.js';
import type { JpkiAnswer } from './jpki-page-parts.js';
import { isJsonRequest, jsonObjectBody, pageProblem } from './page-api.js';

/** The prefix of the page's stable problem codes: which relying party asks. */
export type PageCodePrefix = 'CLINIC' | 'PORTAL';

/** A phone as the page lists it: it answers through the bridge, unlocked as the page and its family do. */
export interface UnlockingPhone {
  readonly id: string;
  readonly family: WalletDevice['family'];
  /**
   * What opens the auth key: `pin-or-biometric` (the PIN or the biometric standing in for it), `pin`,
   * `biometric` (Face ID).
   */
  readonly unlock: JpkiUserAuthenticationUnlock | 'pin';
  /** Where the holder unlocks it: on the phone's own screen, or typed on this page (the clinic's reader). */
  readonly unlockOn: 'phone' | 'page';
  readonly answeredBy: 'bridge';
}

/** How the page has the key unlocked: on the phone's screen, or with the PIN typed on the page. */
export type PageUnlock =
  | { readonly on: 'phone'; readonly unlock: JpkiUserAuthenticationUnlock }
  | { readonly on: 'page'; readonly userAuthentication: UserAuthentication };

/**
 * The phone as `prefix`'s page sees it. The portal asks both families on the phone (PIN or biometric); the
 * clinic's reader takes the Android holder's PIN itself and asks the iPhone holder's face on the phone
 * (DOMAIN.md §3 "Health insurance").
 */
export function unlockingPhone(prefix: PageCodePrefix, phone: WalletDevice): UnlockingPhone {
  const base = { id: phone.id, family: phone.family, answeredBy: 'bridge' } as const;
  if (prefix === 'PORTAL') return { ...base, unlock: 'pin-or-biometric', unlockOn: 'phone' };
  return phone.family === 'android'
    ? { ...base, unlock: 'pin', unlockOn: 'page' }
    : { ...base, unlock: 'biometric', unlockOn: 'phone' };
}

/**
 * Whether a JSON body carries an unlock — a `pin` or `biometric` member (`text`: a body page-api.ts
 * `jsonObjectBody` accepted, so bounded; every member is looked at, not only the ones it keeps). An unlock
 * on the phone belongs on the phone's own screen: the route refuses a body that brings one, and never reads
 * or echoes it.
 */
export function bodyCarriesUnlock(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return (
      v !== null &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      (Object.hasOwn(v, 'pin') || Object.hasOwn(v, 'biometric'))
    );
  } catch {
    return false;
  }
}

/**
 * The page's POST: a JSON object naming one of `phones` — with the PIN when the page takes it (the clinic's
 * Android holder), with nothing else when the phone unlocks itself — or the problem to answer
 * (`<PAGE>_JSON_REQUIRED`, `<PAGE>_INVALID_REQUEST`, `<PAGE>_UNLOCK_ON_PHONE`, `<PAGE>_NO_PHONE`,
 * `<PAGE>_PIN_FORMAT`).
 */
export async function readUserAuthenticationRequest(
  c: Context,
  prefix: PageCodePrefix,
  phones: readonly WalletDevice[],
): Promise<{ phone: WalletDevice; unlock: PageUnlock } | Response> {
  if (!isJsonRequest(c))
    return pageProblem(c, 415, `${prefix}_JSON_REQUIRED`, 'The request must be application/json');
  const body = await jsonObjectBody(c);
  if (body === undefined) return pageProblem(c, 400, `${prefix}_INVALID_REQUEST`, 'Invalid request');
  const unlockOnPhone = () =>
    pageProblem(
      c,
      400,
      `${prefix}_UNLOCK_ON_PHONE`,
      'The auth PIN or the biometric is given on the phone, never sent here',
    );
  // At the portal every phone unlocks on its own screen: refused before the phone is even looked up.
  if (prefix === 'PORTAL' && bodyCarriesUnlock(await c.req.text())) return unlockOnPhone();
  const phoneId = body.get('phone');
  const phone = phones.find((p) => p.id === phoneId);
  if (phone === undefined) return pageProblem(c, 400, `${prefix}_NO_PHONE`, 'Choose a phone');
  const listed = unlockingPhone(prefix, phone);
  if (listed.unlock !== 'pin') {
    if (bodyCarriesUnlock(await c.req.text())) return unlockOnPhone();
    return { phone, unlock: { on: 'phone', unlock: listed.unlock } };
  }
  const pin = body.get('pin');
  // A PIN of the wrong shape never reaches the phone, so it costs no try.
  if (typeof pin !== 'string' || !AUTH_PIN.test(pin))
    return pageProblem(c, 400, `${prefix}_PIN_FORMAT`, 'The auth PIN is 4 digits', { phone: listed });
  return { phone, unlock: { on: 'page', userAuthentication: { method: 'pin', value: pin } } };
}

/** The verifier's report on the phone's answer (`ok`: its HTTP status was 2xx), with what the phone answered. */
export interface AnsweredAuthentication {
  readonly ok: boolean;
  readonly answer: JpkiAnswer;
  readonly challenge: string;
  readonly certificate: Uint8Array;
  readonly signature: Uint8Array;
  /** How the key was opened: the PIN (on the phone's pad or the reader's page) or the biometric. */
  readonly how: UserAuthentication['method'];
}

/**
 * Opens a jpki-authentication session for `purpose` and has `phone` sign its challenge with the
 * user-authentication key: on the phone's consent screen, where the holder unlocks it and sees
 * `relyingParty` as who asks (`unlock.on === 'phone'`; the call waits for the holder, `signal` withdraws
 * the request), or with the PIN typed on the page. Sends the answer to the verifier — or answers the
 * problem: `<PAGE>_SESSION_UNAVAILABLE` (titled `sessionUnavailable`) when the verifier opened no session,
 * the phone's refusal when it did not answer.
 */
export async function authenticateThroughBridge(
  c: Context,
  prefix: PageCodePrefix,
  options: {
    readonly api: VerifierApi;
    readonly phone: WalletDevice;
    readonly unlock: PageUnlock;
    readonly relyingParty: string;
    /** The requesting page's origin as the phone's OS would report it; null for a reader at a desk. */
    readonly origin: string | null;
    /** Where the phone's consent screen picks the request up. */
    readonly incoming: IncomingRequests;
    readonly signal?: AbortSignal;
    readonly purpose: string;
    readonly sessionUnavailable: string;
  },
): Promise<AnsweredAuthentication | Response> {
  const { api, phone, unlock, relyingParty } = options;
  const listed = unlockingPhone(prefix, phone);
  const opened = await api('/sessions/jpki-authentication', { purpose: options.purpose });
  const session = (await opened.json()) as { sessionId?: string; challenge?: string };
  if (opened.status !== 201 || session.sessionId === undefined || session.challenge === undefined)
    return pageProblem(c, 502, `${prefix}_SESSION_UNAVAILABLE`, options.sessionUnavailable);
  const challenge = new Uint8Array(Buffer.from(session.challenge, 'base64url'));
  let answered: { signature: Uint8Array; certificate: Uint8Array; how: UserAuthentication['method'] };
  try {
    if (unlock.on === 'page') {
      const { userAuthentication } = unlock;
      const signed = await authenticateWithJpki({
        device: phone,
        challenge,
        userAuthentication,
        relyingParty,
      });
      answered = { ...signed, how: userAuthentication.method };
    } else {
      const outcome = await options.incoming.deliverJpkiUserAuthentication(phone, {
        channel: 'jpki-user-authentication',
        origin: options.origin,
        relyingParty,
        challenge,
        unlock: unlock.unlock,
        present: async ({ userAuthentication, handOff }) => ({
          ...(await authenticateWithJpki({
            device: phone,
            challenge,
            userAuthentication,
            relyingParty,
            handOff,
          })),
          how: userAuthentication.method,
        }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      if (outcome.kind === 'refused') return phoneRefusal(c, prefix, outcome.code, listed, 'phone');
      answered = outcome.presentation;
    }
  } catch (e) {
    if (!(e instanceof WalletError)) throw e;
    return phoneRefusal(c, prefix, e.code, listed, unlock.on, e.remainingTries);
  }
  const verified = await api(`/sessions/${encodeURIComponent(session.sessionId)}/jpki-authentication`, {
    certificate: Buffer.from(answered.certificate).toString('base64'),
    signature: Buffer.from(answered.signature).toString('base64'),
  });
  return {
    ok: verified.ok,
    answer: (await verified.json()) as JpkiAnswer,
    challenge: session.challenge,
    certificate: answered.certificate,
    signature: answered.signature,
    how: answered.how,
  };
}

/**
 * The phone's refusal as a problem: the page's stable code with the phone's own. On the phone's screen a
 * wrong PIN or a failed biometric never ends the request (the holder tries again there), so what reaches
 * the page is how it ended: declined 409, locked 423 (three wrong PINs, DOMAIN.md §3), no answer in time
 * 504, a full screen 503, no user-authentication certificate in force 409 (bridge-flows.ts
 * `phoneRefusalStatus`). A PIN typed on the reader's page is answered at once: wrong (401, with the tries
 * left) or locked.
 */
function phoneRefusal(
  c: Context,
  prefix: PageCodePrefix,
  code: string,
  phone: UnlockingPhone,
  on: 'phone' | 'page',
  remainingTries?: number,
): Response {
  const ext = { phone, walletCode: code };
  switch (code) {
    case 'WALLET_SECRET_WRONG':
      return pageProblem(c, 401, `${prefix}_PIN_WRONG`, 'Wrong auth PIN', {
        ...ext,
        remainingTries: remainingTries ?? null,
      });
    case 'WALLET_SECRET_LOCKED':
      return pageProblem(c, 423, `${prefix}_PIN_LOCKED`, 'The auth PIN is locked', ext);
    case 'WALLET_BIOMETRIC_FAILED':
      return pageProblem(c, 401, `${prefix}_BIOMETRIC_FAILED`, 'The biometric did not match', ext);
    case 'WALLET_DECLINED':
      return pageProblem(c, 409, `${prefix}_DECLINED`, 'The holder declined on the phone', ext);
    case 'WALLET_REQUEST_EXPIRED':
      return pageProblem(c, 504, `${prefix}_PHONE_NO_ANSWER`, 'Nobody answered on the phone in time', ext);
    case 'WALLET_PHONE_BUSY':
      return pageProblem(c, 503, `${prefix}_PHONE_BUSY`, 'The phone has too many requests waiting', ext);
    case 'WALLET_NOT_FOUND':
    case 'WALLET_DOCUMENT_NOT_HELD':
      return pageProblem(
        c,
        409,
        `${prefix}_NO_CERTIFICATE`,
        'The phone holds no user-authentication certificate in force',
        ext,
      );
    default:
      return pageProblem(
        c,
        on === 'phone' ? phoneRefusalStatus(code) : 400,
        `${prefix}_PHONE_REFUSED`,
        'The phone could not answer',
        ext,
      );
  }
}
