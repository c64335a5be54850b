/**
 * A fingerprint of the shared built-ins a hostile key can reach through a plain object: a write
 * through `obj["__proto__"]` lands on Object.prototype, through `obj["constructor"]` on Object, and
 * through `obj["toString"]` (or any other inherited method) on that shared function. The snapshot
 * holds every own property (names and symbols) of those objects with its descriptor, so a test can
 * assert that nothing was added, removed or replaced.
 */
type Snapshot = ReadonlyMap<object, ReadonlyMap<PropertyKey, PropertyDescriptor>>;

function watched(): object[] {
  const out: object[] = [Object.prototype, Object, Function.prototype, Array.prototype, String.prototype];
  for (const name of Object.getOwnPropertyNames(Object.prototype)) {
    const d = Object.getOwnPropertyDescriptor(Object.prototype, name);
    if (typeof d?.value === 'function' && !out.includes(d.value)) out.push(d.value);
  }
  return out;
}

function descriptors(o: object): Map<PropertyKey, PropertyDescriptor> {
  const m = new Map<PropertyKey, PropertyDescriptor>();
  for (const key of Reflect.ownKeys(o)) m.set(key, Object.getOwnPropertyDescriptor(o, key)!);
  return m;
}

export function snapshotPrototypes(): Snapshot {
  return new Map(watched().map((o) => [o, descriptors(o)]));
}

const FIELDS = ['value', 'get', 'set', 'writable', 'enumerable', 'configurable'] as const;

/** What differs between `before` and now (empty when nothing changed). */
export function prototypeChanges(before: Snapshot): string[] {
  const changes: string[] = [];
  for (const [o, props] of before) {
    const now = descriptors(o);
    const label = o === Object.prototype ? 'Object.prototype' : String((o as { name?: unknown }).name);
    for (const key of new Set([...props.keys(), ...now.keys()])) {
      const a = props.get(key);
      const b = now.get(key);
      if (a === undefined || b === undefined || FIELDS.some((f) => !Object.is(a[f], b[f]))) {
        changes.push(`${label}.${String(key)}`);
      }
    }
  }
  // A new inherited enumerable member would show up in every for…in; check that too.
  for (const key in {}) changes.push(`inherited ${key}`);
  return changes;
}

/** Puts every watched object back as it was (so one failing case cannot poison the next). */
export function restorePrototypes(before: Snapshot): void {
  for (const [o, props] of before) {
    for (const key of Reflect.ownKeys(o)) {
      if (!props.has(key)) Reflect.deleteProperty(o, key);
    }
    for (const [key, d] of props) {
      const now = Object.getOwnPropertyDescriptor(o, key);
      if (now === undefined || FIELDS.some((f) => !Object.is(now[f], d[f]))) Object.defineProperty(o, key, d);
    }
  }
}
