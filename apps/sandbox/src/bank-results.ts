/**
 * What the sandbox bank's online account opening shows of a verification (bank-pages.ts: the card-substitute
 * record through the browser's Digital Credentials API or the labelled bridge; jpki-bank-pages.ts: a JPKI
 * signature), as its page reads it from `api/results/:id` and `api/jpki/results/:id`.
 *
 * A result is kept in memory only, for its view: bounded (the oldest goes first), under the verification's
 * unguessable session id, which only the browser that verified learns. Its identity facts are there only for
 * a valid verification; check details never carry personal data.
 */
import type { DeclaredView } from './declared-items.js';
import { type VerificationView, verificationView } from './verification-view.js';

export type { VerificationView };

/** At most this many results are kept of each kind. */
const MAX_KEPT_RESULTS = 64;

/** A verification session's id as the verifier makes them (a result's URL names it, never personal data). */
export const SESSION_ID = /^[A-Za-z0-9-]{1,64}$/;

/** A phone as the page lists it. */
export interface BankPhone {
  readonly id: string;
  readonly family: string;
}

/** What the customer declared, as a result shows it. */
export interface DeclaredViews {
  readonly transactionPurpose: DeclaredView | null;
  readonly occupation: DeclaredView | null;
}

/**
 * The verifier's answer as a result shows it (verification-view.ts) — also when the verifier refused the
 * answer with a problem: then its `code` is the error code.
 */
export function verificationOf(
  answer: Parameters<typeof verificationView>[0] & { readonly code?: string },
): VerificationView {
  const errorCode = answer.errorCode ?? (answer.verdict === undefined ? answer.code : undefined);
  return verificationView({ ...answer, ...(errorCode === undefined ? {} : { errorCode }) });
}

/** Results kept for their view, the oldest dropped first. */
export class KeptResults<V> {
  readonly #results = new Map<string, V>();

  keep(id: string, value: V): void {
    this.#results.set(id, value);
    if (this.#results.size > MAX_KEPT_RESULTS)
      this.#results.delete(this.#results.keys().next().value as string);
  }

  get(id: string): V | undefined {
    return this.#results.get(id);
  }
}
