import { bytesToBase64url } from '@mynakit/cbor';
import { Oid4vpError } from './errors.js';

/**
 * One-time nonces for presentation requests. A verifier issues a nonce with each request and
 * consumes it when the response arrives; a second response with the same nonce is a replay.
 *
 * The interface matches the database-backed store in @mynakit/db (`NonceStore`), so services can
 * pass either; `InMemoryNonceStore` serves tests and single-process tools.
 */
export type NonceConsumeResult = 'consumed' | 'unknown' | 'replayed' | 'expired' | 'wrong_purpose';

export interface NonceStore {
  issue(input: { nonce: string; purpose: string; now: Date; ttlSeconds: number }): Promise<void>;
  consume(input: { nonce: string; purpose: string; now: Date }): Promise<NonceConsumeResult>;
}

interface Entry {
  readonly purpose: string;
  readonly expiresAt: number;
  consumedAt: number | null;
}

export class InMemoryNonceStore implements NonceStore {
  readonly #entries = new Map<string, Entry>();

  async issue(input: { nonce: string; purpose: string; now: Date; ttlSeconds: number }): Promise<void> {
    if (this.#entries.has(input.nonce)) throw new Oid4vpError('NONCE_REUSED', 'nonce already issued');
    this.#entries.set(input.nonce, {
      purpose: input.purpose,
      expiresAt: input.now.getTime() + input.ttlSeconds * 1000,
      consumedAt: null,
    });
  }

  async consume(input: { nonce: string; purpose: string; now: Date }): Promise<NonceConsumeResult> {
    const e = this.#entries.get(input.nonce);
    if (!e) return 'unknown';
    if (e.purpose !== input.purpose) return 'wrong_purpose';
    if (e.consumedAt !== null) return 'replayed';
    if (input.now.getTime() >= e.expiresAt) return 'expired';
    e.consumedAt = input.now.getTime();
    return 'consumed';
  }

  /** Forgets nonces that expired before `before`; returns how many. */
  purgeExpired(before: Date): number {
    let n = 0;
    for (const [k, e] of this.#entries) {
      if (e.expiresAt < before.getTime()) {
        this.#entries.delete(k);
        n++;
      }
    }
    return n;
  }
}

/** A fresh nonce: 32 random bytes, base64url (256 bits, well above OpenID4VP's "sufficient entropy"). */
export function generateNonce(
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  return bytesToBase64url(random(new Uint8Array(32)));
}
