/**
 * Plain objects keyed by received text (namespaces, element identifiers, docTypes): only their own
 * properties are read or written, so that `__proto__`, `constructor` or `toString` are data like any
 * other name and never reach Object.prototype.
 */

/** Sets an own, enumerable property even for identifiers such as `__proto__`. */
export function setOwn<T>(o: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** The own property `key` of `o`, or undefined (never an inherited member). */
export function getOwn<T>(o: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
}
