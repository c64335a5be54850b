/**
 * The page's calls to the carrier's routes (`/verifier/carrier/api/…`, apps/sandbox/src/carrier-pages.ts).
 * Every URL is relative to the page. The page holds no key: the verifier checks the answer on the server's
 * side with the carrier's key, which stays there.
 */

import { ApiError, callApi } from '../../shared/api-client';
import type { ListedPhone } from '../../shared/phones';
import type { VerificationData } from '../../shared/result-parts';

export { ApiError };

/** A phone as the carrier lists it: it answers through the bridge. */
export type Phone = ListedPhone;

/** The verdict, the checks, the KYC method or why none applies, the record. */
export type Verification = VerificationData;

/** POST api/record (チ). */
export interface RecordResult extends Verification {
  kind: 'chi';
  phone: Phone;
  identity: { name: string; address: string; birthDate: string; portrait: string | null } | null;
}

/** POST api/sign (ト). */
export interface SignatureResult extends Verification {
  kind: 'to';
  phone: Phone;
  identity: { name: string; address: string; birthDate: string; sex: string } | null;
  signingTime: string | null;
  certificate: { serialNumber: string; issuer: string; notAfter: string; fingerprint256: string } | null;
  contract: string;
}

export type Result = RecordResult | SignatureResult;

/** A problem document with what the carrier adds to some (the phone and its own code, the checks). */
export interface Problem extends Partial<Verification> {
  code?: string;
  title?: string;
  phone?: Phone;
  walletCode?: string;
}

const call = <T>(path: string, body?: unknown) =>
  callApi<T, Problem>(path, body === undefined ? {} : { body });

export const getContract = () => call<{ contract: string; phones: Phone[] }>('contract');

/** チ: the card-substitute record from `phone`. */
export const verifyRecord = (phone: string) => call<RecordResult>('record', { phone });

/**
 * ト: the contract goes to `phone`'s screen, where the holder signs it with the signature password (never
 * typed on this page); resolves once the holder answered there.
 */
export const signContract = (phone: string) => call<SignatureResult>('sign', { phone });
