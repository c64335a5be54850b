/**
 * Passed checks whose detail depends only on a small key (an algorithm, a docType, a date) are the
 * same object in every report that has them: frozen, shared, built once. It spares two allocations
 * per check on the verification hot path and changes nothing a caller can observe.
 */
import type { Check } from '@mynakit/report';

const LIMIT = 512;

/** The memoised passed checks of one check id, by key (bounded: cleared when full). */
export class CheckMemo {
  readonly #checks = new Map<string | number, Check>();

  constructor(readonly id: string) {}

  /** The passed check for `key`, or undefined. */
  get(key: string | number): Check | undefined {
    return this.#checks.get(key);
  }

  /** Stores and returns a frozen passed check for `key`. */
  remember(key: string | number, detail: string): Check {
    if (this.#checks.size >= LIMIT) this.#checks.clear();
    const c: Check = Object.freeze({ id: this.id, status: 'passed', detail });
    this.#checks.set(key, c);
    return c;
  }
}
