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

/** A phone as the portal lists it (`pin`: typed on this page). */
export type Phone = UnlockingPhone;

/** GET api/session when signed in; POST api/login's answer. */
export interface SignedIn extends ChecksData {
  signedIn: true;
  subjectId: string;
  account: { createdAt: string; signIns: number };
  signedInAt: string;
  phone: Phone & { how: 'pin' | 'biometric' };
  certificate: CertificateData | null;
  method: { id: string; letter: string } | null;
  methodReasons: string[];
  recordId: string | null;
  flags: string[];
}

export type Session = SignedIn | { signedIn: false };

/** A problem document with what the portal adds to some (the phone, the tries left, the checks). */
export interface Problem extends Partial<ChecksData> {
  code?: string;
  title?: string;
  detail?: string;
  phone?: Phone;
  walletCode?: string;
  remainingTries?: number | null;
}

export const getPhones = () => callApi<{ phones: Phone[] }, Problem>('phones');
export const getSession = () => callApi<Session, Problem>('session');

/** Signs in: the auth PIN for a phone that unlocks with it, the biometric's outcome otherwise. */
export const signIn = (body: { phone: string; pin?: string; biometric?: 'matched' | 'failed' }) =>
  callApi<SignedIn, Problem>('login', { body });

export const signOut = () => callApi<undefined, Problem>('logout', { body: {} });
