/**
 * The page's calls to the clinic's routes (`/verifier/clinic/api/…`, apps/sandbox/src/clinic-pages.ts).
 * Every URL is relative to the page. The page holds no key: the verifier checks the user authentication and
 * reads the record on the server's side, and the insurer registry answers the clinic's server, not the page.
 */

import { ApiError, callApi } from '../../shared/api-client';
import type { CheckData } from '../../shared/checks';
import type { UnlockingPhone } from '../../shared/phones';
import type { CertificateData } from '../../shared/result-parts';

export { ApiError };

/** A phone as the desk lists it (`pin` on `page`: typed on this reader page; `biometric`: Face ID on the phone). */
export type Phone = UnlockingPhone;

/** The insurance qualification (online qualification confirmation). */
export type Qualification =
  | { state: 'not-asked' }
  | { state: 'refused'; code: string }
  | {
      state: 'confirmed';
      insurerNumber: string;
      symbol: string;
      number: string;
      branch: string | null;
      copaymentPercent: number;
      validFrom: string;
      validUntil: string | null;
      confirmedFor: string | null;
    };

/** The face check: the record read over ISO/IEC 18013-5 proximity. */
export type FaceCheck =
  | { state: 'not-asked' }
  | { state: 'not-shown'; reason: string }
  | {
      state: 'read';
      channel: 'proximity';
      verdict: string;
      errorCode: string | null;
      recordId: string;
      facts: { portrait: string | null; name: string; birthDate: string } | null;
    };

/** POST api/check's answer, and the members of its CLINIC_NOT_AUTHENTICATED problem. */
export interface DeskResult {
  phone: Phone & { how: 'pin' | 'biometric' };
  verdict: string;
  errorCode: string | null;
  checks: CheckData[];
  certificate: CertificateData | null;
  method: { id: string; letter: string; name_ja: string | null; name_en: string | null } | null;
  methodReasons: string[];
  recordId: string | null;
  flags: string[];
  qualification: Qualification;
  faceCheck: FaceCheck;
}

/** A problem document with what the desk adds to some (the phone, the tries left, the result). */
export interface Problem extends Partial<Omit<DeskResult, 'phone'>> {
  code?: string;
  title?: string;
  detail?: string;
  phone?: Phone;
  walletCode?: string;
  remainingTries?: number | null;
}

/** Whether a problem carries the desk's result (a user authentication the verifier did not find valid). */
export function resultIn(problem: Problem): DeskResult | undefined {
  return problem.phone !== undefined &&
    typeof problem.verdict === 'string' &&
    Array.isArray(problem.checks) &&
    problem.qualification !== undefined &&
    problem.faceCheck !== undefined
    ? (problem as DeskResult)
    : undefined;
}

export const getPhones = () => callApi<{ phones: Phone[] }, Problem>('phones');

/** The desk's check: the auth PIN for a phone that unlocks on this reader; only the phone otherwise. */
export const checkAtDesk = (body: { phone: string; pin?: string }) =>
  callApi<DeskResult, Problem>('check', { body });
