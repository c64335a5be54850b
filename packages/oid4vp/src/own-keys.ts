/**
 * Objects keyed by text the other party chose (DCQL namespaces, element identifiers and query ids,
 * vp_token entries). On a plain object such a key can name an inherited member: a read of
 * `o["toString"]` finds Object.prototype.toString, a write to `o["__proto__"]` replaces the
 * object's prototype, and `o["__proto__"][x] = v` writes into Object.prototype for the whole process.
 * Hence: every such structure is a dictionary without a prototype (`dictionary()`), and every read
 * of an object that came from elsewhere goes through `ownValue` (own members only).
 */

/**
 * Names that address the prototype machinery itself. No protocol value mynakit reads is spelled like
 * them (ISO namespaces are reverse domain names, element identifiers and DCQL ids are plain words),
 * so identifiers received under these names are refused outright.
 */
const RESERVED: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isReservedKey(key: string): boolean {
  return RESERVED.has(key);
}

/** An empty object with no prototype: every key, `__proto__` included, is an ordinary own member. */
export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `o[key]` if `o` has it as an own member, else undefined (never an inherited member). */
export function ownValue<T>(o: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
}
