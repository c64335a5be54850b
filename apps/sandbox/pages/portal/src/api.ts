/**
 * The page's calls to the portal's routes (`/verifier/portal/api/…`, apps/sandbox/src/portal-pages.ts).
 * Every URL is relative to the page. The page holds no key and no personal data: the verifier checks the
 * answer on the server's side, and the signed-in state is an HttpOnly cookie no script of this page reads.
 */

import { ApiError, callApi } from '../../shared/api-client';
import type { ChecksData } from '../../shared/checks';
import type { UnlockingPhone } from '../../shared/phones';
import type { CertificateData } from '../../shared/result-parts';

export { ApiError };

/** A phone as the portal lists it: unlocked on its own screen with the auth PIN or the biometric. */
export type Phone = UnlockingPhone;

/** GET api/session when signed in; POST api/login's answer. */
export interface SignedIn extends ChecksData {
  signedIn: true;
  subjectId: string;
  account: { createdAt: string; signIns: number };
  signedInAt: string;
  /** `bridge`: a phone answered through the bridge; `link`: the phone answered the link or QR code itself. */
  via: 'bridge' | 'link';
  /** The phone that answered through the bridge; null by link (the phone answered the verifier directly). */
  phone: (Phone & { how: 'pin' | 'biometric' }) | null;
  certificate: CertificateData | null;
  method: { id: string; letter: string } | null;
  methodReasons: string[];
  recordId: string | null;
  flags: string[];
}

export type Session = SignedIn | { signedIn: false };

/** A problem document with what the portal adds to some (the phone and its own code, the checks). */
export interface Problem extends Partial<ChecksData> {
  code?: string;
  title?: string;
  detail?: string;
  phone?: Phone;
  walletCode?: string;
  /** The verifier's own code, when it refused to open or read a link session. */
  reason?: string;
}

export const getPhones = () => callApi<{ phones: Phone[] }, Problem>('phones');
export const getSession = () => callApi<Session, Problem>('session');

/** Signs in with `phone`: answers once the holder confirmed on the phone's screen (or refused there). */
export const signIn = (body: { phone: string }) => callApi<SignedIn, Problem>('login', { body });

export const signOut = () => callApi<undefined, Problem>('logout', { body: {} });

/** A phone emulator the sign-in link can be handed to. */
export interface LinkPhone {
  id: string;
  family: 'iphone' | 'android';
}

/** GET api/link/:id before the phone answered. */
export interface LinkPending {
  state: 'pending';
  /** The `mynakit-jpki://` link the QR code holds: the client id and the request's URI, no personal data. */
  walletUrl: string;
  expiresAt: string;
  /** The QR code's SVG, made by the server from numbers and an escaped label only (qr-svg.ts). */
  qrSvg: string;
  phones: LinkPhone[];
}

/** Whether a sign-in by link or QR code can be offered here. */
export const getLinkAvailable = () => callApi<{ available: boolean }, Problem>('link');

/** Opens a sign-in by link or QR code (bound to this browser by an HttpOnly cookie); its id. */
export const openLink = () => callApi<{ sessionId: string }, Problem>('link', { body: {} });

/** The link session: pending with its QR code, or — once the phone answered — this browser signed in. */
export const getLink = (id: string) =>
  callApi<LinkPending | (SignedIn & { state: 'signed-in' }), Problem>(`link/${encodeURIComponent(id)}`);
