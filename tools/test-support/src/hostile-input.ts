/**
 * fast-check arbitraries for received JSON and CBOR with keys that name prototype members at every
 * level. They start from a well-formed template (so that runs get past the first check) and apply a
 * few edits at random nodes: add a member whose key is `__proto__`, `constructor`, `prototype`,
 * `toString`… (or one of the template's own keys again), or replace the node with another value.
 * JSON is produced as text and parsed with JSON.parse, which makes `"__proto__"` an own property —
 * exactly what a server or a page receives.
 */
import { type CborMap, type CborValue, EncodedCbor, encode } from '@mynakit/cbor';
import fc from 'fast-check';

export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'length',
] as const;

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** JSON text for values that try to look like something a prototype member would be asked for. */
const hostileJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'null',
    'true',
    '0',
    '-1',
    '1e300',
    '""',
    '"x"',
    '[]',
    '{}',
    '[null]',
    '{"polluted":true}',
    '{"toString":1,"valueOf":null}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '[{"__proto__":{"polluted":true}}]',
  ),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
);

interface Edit {
  readonly at: number;
  readonly kind: 'add' | 'replace';
  readonly key: string;
  readonly value: string;
}

function editArbitrary(templateKeys: readonly string[]): fc.Arbitrary<Edit> {
  return fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('add', 'add', 'add', 'replace'),
    key: fc.oneof(
      fc.constantFrom(...HOSTILE_KEYS),
      templateKeys.length > 0 ? fc.constantFrom(...templateKeys) : fc.constant('x'),
      fc.string({ maxLength: 6 }),
    ),
    value: hostileJsonText,
  });
}

function keysOf(v: Json, out: Set<string>): Set<string> {
  if (Array.isArray(v)) for (const x of v) keysOf(x, out);
  else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      keysOf(x, out);
    }
  }
  return out;
}

function countNodes(v: Json): number {
  if (Array.isArray(v)) return 1 + v.reduce<number>((n, x) => n + countNodes(x), 0);
  if (typeof v === 'object' && v !== null) {
    return 1 + Object.values(v).reduce<number>((n, x) => n + countNodes(x), 0);
  }
  return 1;
}

/** Serialises `template` as JSON text, applying each edit to the node it names (preorder index). */
function render(template: Json, edits: readonly Edit[]): string {
  const total = countNodes(template);
  const folded = edits.map((e) => ({ ...e, at: e.at % total }));
  let index = 0;
  const go = (v: Json): string => {
    const at = index++;
    const replaced = folded.find((e) => e.kind === 'replace' && e.at === at);
    if (replaced) {
      index += countNodes(v) - 1;
      return replaced.value;
    }
    if (Array.isArray(v)) return `[${v.map(go).join(',')}]`;
    if (typeof v === 'object' && v !== null) {
      const members = Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${go(x)}`);
      for (const e of folded) {
        if (e.kind === 'add' && e.at === at) members.push(`${JSON.stringify(e.key)}:${e.value}`);
      }
      return `{${members.join(',')}}`;
    }
    return JSON.stringify(v);
  };
  return go(template);
}

/** Parsed JSON: `template` with 1–4 hostile edits (the result is what JSON.parse gives a receiver). */
export function hostileJson(template: Json): fc.Arbitrary<unknown> {
  const keys = [...keysOf(template, new Set())];
  return fc.array(editArbitrary(keys), { minLength: 1, maxLength: 4 }).map((edits) => {
    const text = render(template, edits);
    return JSON.parse(text) as unknown;
  });
}

/** A CBOR value that is hostile in the same ways (text keys naming prototype members). */
const hostileCborLeaf: fc.Arbitrary<CborValue> = fc.oneof(
  fc.constantFrom<CborValue>(null, true, 0, -1, 'x', '__proto__', new Uint8Array(0), new Uint8Array(65)),
  fc.string({ maxLength: 8 }),
  fc.integer(),
);

const hostileCborValue: fc.Arbitrary<CborValue> = fc.oneof(
  hostileCborLeaf,
  fc
    .array(fc.tuple(fc.constantFrom(...HOSTILE_KEYS), hostileCborLeaf), { maxLength: 3 })
    .map((entries) => new Map<CborValue, CborValue>(entries) as CborValue),
  fc.array(hostileCborLeaf, { maxLength: 3 }),
);

/** Stands for a tag-24 wrapper while its content is being edited. */
class Embedded {
  constructor(readonly inner: CborValue) {}
}

/**
 * CBOR bytes: `template` with 1–4 edits — a hostile text key added to one of its maps (maps inside
 * tag-24 embedded CBOR included), or one of a map's values replaced.
 */
export function hostileCbor(template: CborValue): fc.Arbitrary<Uint8Array> {
  const edit = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('add', 'add', 'replace'),
    key: fc.constantFrom<CborValue>(...HOSTILE_KEYS),
    value: hostileCborValue,
  });
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    const maps: CborMap[] = [];
    const copy = (v: CborValue): CborValue => {
      if (v instanceof EncodedCbor) return new Embedded(copy(v.decode())) as unknown as CborValue;
      if (v instanceof Map) {
        const m: CborMap = new Map();
        maps.push(m);
        for (const [k, x] of v) m.set(k, copy(x));
        return m;
      }
      if (Array.isArray(v)) return v.map(copy);
      return v;
    };
    const root = copy(template);
    for (const e of edits) {
      if (maps.length === 0) break;
      const m = maps[e.at % maps.length] as CborMap;
      if (e.kind === 'add' || m.size === 0) m.set(e.key, e.value);
      else {
        const keys = [...m.keys()];
        m.set(keys[e.at % keys.length] as CborValue, e.value);
      }
    }
    const finish = (v: CborValue): CborValue => {
      if (v instanceof Embedded) return EncodedCbor.of(finish(v.inner));
      if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, finish(x)]));
      if (Array.isArray(v)) return v.map(finish);
      return v;
    };
    return encode(finish(root));
  });
}
