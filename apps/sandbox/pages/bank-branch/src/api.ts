/**
 * The page's calls to the branch counter's routes (`/verifier/bank/branch/api/…`,
 * apps/sandbox/src/bank-branch-pages.ts). Every URL is relative to the page. The page holds no key: the
 * verifier, as the counter's reader, reads the phone on the server's side with the bank's key.
 */

import { ApiError, callApi } from '../../shared/api-client';
import type { DeclarationInput, DeclarationLists, DeclaredPair } from '../../shared/declaration-fields';
import { declarationBody } from '../../shared/declaration-fields';
import type { ListedPhone } from '../../shared/phones';
import type { VerificationData } from '../../shared/result-parts';

export { ApiError };

/** A phone as the counter lists it: it answers through the bridge. */
export type Phone = ListedPhone;

/** The verdict, the checks, the KYC method or why none applies, the record. */
export type Verification = VerificationData;

/** POST api/read: the four facts with the photo for the face check, and the handle of the confirmation. */
export interface CounterRead extends Verification {
  phone: Phone;
  channel: 'proximity';
  identity: { name: string; address: string; birthDate: string; portrait: string | null };
  read: string;
}

/** POST api/confirm: the staff's face check and the record (no photo). */
export interface CounterResult extends Verification {
  face: 'match' | 'mismatch';
  name: string | null;
  declared: DeclaredPair;
}

/** A problem document with what the counter adds to some (the phone, the reason, the checks). */
export interface Problem extends Partial<Verification> {
  code?: string;
  title?: string;
  phone?: Phone;
  /** The phone's or the verifier's own code when the read was refused. */
  reason?: string;
}

const call = <T>(path: string, body?: unknown) =>
  callApi<T, Problem>(path, body === undefined ? {} : { body });

export const getCounter = () => call<{ phones: Phone[] } & DeclarationLists>('counter');

/**
 * Reads `phone` in person: answers once the customer has approved on the phone's own screen (or with the
 * refusal: BRANCH_NOT_READ with reason WALLET_DECLINED when the customer declined there).
 */
export const readPhone = (phone: string, declared: DeclarationInput) =>
  call<CounterRead>('read', { phone, ...declarationBody(declared) });

/** The staff's face check of a read (its handle is used once). */
export const confirmFace = (read: string, face: 'match' | 'mismatch') =>
  call<CounterResult>('confirm', { read, face });
