/**
 * A JPKI user authentication through the labelled bridge (DOMAIN.md §3: a challenge–response — the auth key
 * signs a server nonce, the verifier checks the signature, the chain and the status), as the clinic's front
 * desk (clinic-pages.ts) and the government portal's sign-in (portal-pages.ts) run it:
 *
 * - the phones as their pages list them, with how each unlocks its auth key (`pin` typed on the page:
 *   Android; `biometric` approved on the phone: iPhone);
 * - the unlock the page sent — an auth PIN of the wrong shape never reaches the phone, so it costs no try;
 * - a jpki-authentication session at the verifier (its API key stays in `api`, jpki-page-parts.ts), the
 *   phone emulator's `authenticateWithJpki` over the verifier's challenge, the answer sent to the verifier;
 * - the phone's refusal as an RFC 9457 problem with the page's stable code (`<PAGE>_PIN_WRONG` with the
 *   tries the phone has left, …) and the phone's own code, echoing nothing submitted.
 */
import {
  authenticateWithJpki,
  type UserAuthentication,
  type WalletDevice,
  WalletError,
} from '@mynakit/wallet';
import type { Context } from 'hono';
import { AUTH_PIN, type VerifierApi } from './bridge-flows.js';
import type { JpkiAnswer } from './jpki-page-parts.js';
import { isJsonRequest, jsonObjectBody, pageProblem } from './page-api.js';

/** A phone as the page lists it: it answers through the bridge, unlocked as its family does. */
export interface UnlockingPhone {
  readonly id: string;
  readonly family: WalletDevice['family'];
  /** `pin`: the auth PIN typed on the page (Android); `biometric`: approved on the phone (iPhone). */
  readonly unlock: UserAuthentication['method'];
  readonly answeredBy: 'bridge';
}

/** The prefix of the page's stable problem codes. */
export type PageCodePrefix = 'CLINIC' | 'PORTAL';

/** The phone as the page sees it. */
export function unlockingPhone(phone: WalletDevice): UnlockingPhone {
  return {
    id: phone.id,
    family: phone.family,
    unlock: phone.family === 'android' ? 'pin' : 'biometric',
    answeredBy: 'bridge',
  };
}

/**
 * The page's POST: a JSON object naming one of `phones`, with the unlock for it — or the problem to answer
 * (`<PAGE>_JSON_REQUIRED`, `<PAGE>_INVALID_REQUEST`, `<PAGE>_NO_PHONE`, `<PAGE>_PIN_FORMAT`).
 */
export async function readUserAuthenticationRequest(
  c: Context,
  prefix: PageCodePrefix,
  phones: readonly WalletDevice[],
): Promise<{ phone: WalletDevice; userAuthentication: UserAuthentication } | Response> {
  if (!isJsonRequest(c))
    return pageProblem(c, 415, `${prefix}_JSON_REQUIRED`, 'The request must be application/json');
  const body = await jsonObjectBody(c);
  if (body === undefined) return pageProblem(c, 400, `${prefix}_INVALID_REQUEST`, 'Invalid request');
  const phoneId = body.get('phone');
  const phone = phones.find((p) => p.id === phoneId);
  if (phone === undefined) return pageProblem(c, 400, `${prefix}_NO_PHONE`, 'Choose a phone');
  const userAuthentication = unlockOf(c, prefix, body, phone);
  if (userAuthentication instanceof Response) return userAuthentication;
  return { phone, userAuthentication };
}

/**
 * The unlock the page sent for `phone` — the auth PIN (Android) or the biometric's outcome (iPhone) — or the
 * `<PAGE>_PIN_FORMAT` problem for a PIN of the wrong shape.
 */
function unlockOf(
  c: Context,
  prefix: PageCodePrefix,
  body: Map<string, unknown>,
  phone: WalletDevice,
): UserAuthentication | Response {
  if (phone.family !== 'android')
    return { method: 'biometric', matched: body.get('biometric') === 'matched' };
  const pin = body.get('pin');
  // A PIN of the wrong shape never reaches the phone, so it costs no try.
  if (typeof pin !== 'string' || !AUTH_PIN.test(pin))
    return pageProblem(c, 400, `${prefix}_PIN_FORMAT`, 'The auth PIN is 4 digits', {
      phone: unlockingPhone(phone),
    });
  return { method: 'pin', value: pin };
}

/** The verifier's report on the phone's answer (`ok`: its HTTP status was 2xx), with what the phone answered. */
export interface AnsweredAuthentication {
  readonly ok: boolean;
  readonly answer: JpkiAnswer;
  readonly challenge: string;
  readonly certificate: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * Opens a jpki-authentication session for `purpose`, has `phone` sign its challenge with the
 * user-authentication key after `userAuthentication`, showing `relyingParty`, and sends the answer to the
 * verifier — or answers the problem: `<PAGE>_SESSION_UNAVAILABLE` (titled `sessionUnavailable`) when the
 * verifier opened no session, the phone's refusal when it did not answer.
 */
export async function authenticateThroughBridge(
  c: Context,
  prefix: PageCodePrefix,
  options: {
    readonly api: VerifierApi;
    readonly phone: WalletDevice;
    readonly userAuthentication: UserAuthentication;
    readonly relyingParty: string;
    readonly purpose: string;
    readonly sessionUnavailable: string;
  },
): Promise<AnsweredAuthentication | Response> {
  const { api } = options;
  const opened = await api('/sessions/jpki-authentication', { purpose: options.purpose });
  const session = (await opened.json()) as { sessionId?: string; challenge?: string };
  if (opened.status !== 201 || session.sessionId === undefined || session.challenge === undefined)
    return pageProblem(c, 502, `${prefix}_SESSION_UNAVAILABLE`, options.sessionUnavailable);
  let answered: { signature: Uint8Array; certificate: Uint8Array };
  try {
    answered = await authenticateWithJpki({
      device: options.phone,
      challenge: new Uint8Array(Buffer.from(session.challenge, 'base64url')),
      userAuthentication: options.userAuthentication,
      relyingParty: options.relyingParty,
    });
  } catch (e) {
    if (!(e instanceof WalletError)) throw e;
    return phoneRefusal(c, prefix, e, unlockingPhone(options.phone));
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
  };
}

/** The phone's refusal to authenticate as a problem: its stable code and, for a wrong PIN, the tries left. */
function phoneRefusal(c: Context, prefix: PageCodePrefix, e: WalletError, phone: UnlockingPhone): Response {
  const ext = { phone, walletCode: e.code };
  switch (e.code) {
    case 'WALLET_SECRET_WRONG':
      return pageProblem(c, 401, `${prefix}_PIN_WRONG`, 'Wrong auth PIN', {
        ...ext,
        remainingTries: e.remainingTries ?? null,
      });
    case 'WALLET_SECRET_LOCKED':
      return pageProblem(c, 423, `${prefix}_PIN_LOCKED`, 'The auth PIN is locked', ext);
    case 'WALLET_BIOMETRIC_FAILED':
      return pageProblem(c, 401, `${prefix}_BIOMETRIC_FAILED`, 'The biometric did not match', ext);
    case 'WALLET_NOT_FOUND':
      return pageProblem(
        c,
        409,
        `${prefix}_NO_CERTIFICATE`,
        'The phone holds no user-authentication certificate in force',
        ext,
      );
    default:
      return pageProblem(c, 400, `${prefix}_PHONE_REFUSED`, 'The phone could not answer', ext);
  }
}
