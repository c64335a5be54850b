/**
 * Passed checks whose detail depends only on a small key (an algorithm, a docType, a date) are the
 * same object in every report that has them: frozen, shared, built once. It spares two allocations
 * per check on the verification hot path and changes nothing a caller can observe.
 */
import type { Check } from '@mynakit/report';

const LIMIT = 512;
const memo = new Map<string, Map<string | number, Check>>();

/** The memoised check for (id, key), or undefined. */
export function memoised(id: string, key: string | number): Check | undefined {
  return memo.get(id)?.get(key);
}

/** Stores and returns a frozen passed check for (id, key). */
export function remember(id: string, key: string | number, detail: string): Check {
  let m = memo.get(id);
  if (!m) {
    m = new Map();
    memo.set(id, m);
  }
  if (m.size >= LIMIT) m.clear();
  const c: Check = Object.freeze({ id, status: 'passed', detail });
  m.set(key, c);
  return c;
}
