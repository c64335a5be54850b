/**
 * Reading ISO 18013-5 structure maps (text keys named by the CDDL) with a `LeanReader`, in place:
 * known keys are matched by their bytes, a repeated key fails (RFC 8949 §5.6), unknown keys are
 * remembered in a Set (O(1) per key) and every map's key count is bounded by `LIMITS.mapKeys`.
 */
import type { LeanReader } from '@mynakit/cbor';
import { checkLimit } from '../limits.js';
import { fail } from './shape.js';

/** Map iteration without closures: `const n = mapHead(r, …); for (let i = 0; more(r, n, i); i++) …`. */
export function more(r: LeanReader, n: number, i: number): boolean {
  return n < 0 ? !r.atBreak() : i < n;
}

/**
 * A map or array head with its count checked against `limit` (for an indefinite-length head, call
 * `within` on each entry).
 */
export function boundedMapHead(
  r: LeanReader,
  limit: Parameters<typeof checkLimit>[1],
  where: string,
): number {
  const n = r.mapHead();
  checkLimit(n, limit, where);
  return n;
}

export function boundedArrayHead(
  r: LeanReader,
  limit: Parameters<typeof checkLimit>[1],
  where: string,
): number {
  const n = r.arrayHead();
  checkLimit(n, limit, where);
  return n;
}

/** For entry `i` (0-based) of a container whose head was indefinite: fails once past `limit`. */
export function within(n: number, i: number, limit: Parameters<typeof checkLimit>[1], where: string): void {
  if (n < 0) checkLimit(i + 1, limit, where);
}

export interface KeySet {
  readonly names: readonly string[];
  readonly bytes: readonly Uint8Array[];
}

export const keySet = (...names: string[]): KeySet => ({
  names,
  bytes: names.map((n) => new TextEncoder().encode(n)),
});

/** A structure map's head, its key count bounded by `LIMITS.mapKeys` (-1: indefinite length). */
export function structureMapHead(r: LeanReader, where: string): number {
  const n = r.mapHead();
  checkLimit(n, 'mapKeys', where);
  return n;
}

let unknownKey = '';

/** The last key `nextKey` returned -1 for. */
export function lastUnknownKey(): string {
  return unknownKey;
}

/**
 * Reads entry `i`'s text key of a structure map with head `n`: its index in `set` (matched by bytes,
 * no string built), or -1 for another key (see `lastUnknownKey`). A known key already in `seen`
 * fails (RFC 8949 §5.6); past `LIMITS.mapKeys` entries of an indefinite-length map fails.
 */
export function nextKey(
  r: LeanReader,
  set: KeySet,
  seen: number,
  where: string,
  n: number,
  i: number,
): number {
  if (n < 0) checkLimit(i + 1, 'mapKeys', where);
  let idx = r.keyIndex(set.bytes);
  if (idx < 0) {
    if (r.peekMajor() !== 3) fail(`${where}: unexpected non-text key`);
    unknownKey = r.text();
    idx = set.names.indexOf(unknownKey); // a known key with a non-preferred head
    if (idx < 0) return -1;
  }
  if (seen & (1 << idx)) fail(`${where}: duplicate key "${set.names[idx]}"`);
  return idx;
}

/** Records the unknown key `nextKey` just read, failing on a repeat; the Set is made on first use. */
export function otherKey(others: Set<string> | undefined, where: string): Set<string> {
  const set = others ?? new Set<string>();
  if (set.has(unknownKey)) fail(`${where}: duplicate key`);
  set.add(unknownKey);
  return set;
}
