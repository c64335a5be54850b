/**
 * Reading ISO 18013-5 structures with a `LeanReader`, in place: the helpers every structure reader
 * shares. Known map keys are matched by their bytes, a repeated key fails (RFC 8949 §5.6), unknown
 * keys of open structures are remembered in a Set (O(1) per key), envelope maps (closed in the CDDL)
 * refuse them, and every count is checked against its limit at its head — so that a structure is
 * refused before more than a bounded part of it is read.
 */
import {
  CborError,
  type CborValue,
  concatBytes,
  encode,
  LeanReader,
  RawCbor,
  rawSpanOf,
  Tagged,
} from '@mynakit/cbor';
import { checkLimit } from '../limits.js';
import { bstrHead } from '../session-transcript.js';
import { fail } from './shape.js';

/** Map iteration without closures: `const n = mapHead(r, …); for (let i = 0; more(r, n, i); i++) …`. */
export function more(r: LeanReader, n: number, i: number): boolean {
  return n < 0 ? !r.atBreak() : i < n;
}

/** A map head (-1: indefinite length); MDOC_DECODE naming `where` when the item is not a map. */
export function mapHeadOf(r: LeanReader, where: string): number {
  if (r.peekMajor() !== 5) fail(`${where} must be a map`);
  return r.mapHead();
}

/** An array head (-1: indefinite length); MDOC_DECODE naming `where` when the item is not an array. */
export function arrayHeadOf(r: LeanReader, where: string): number {
  if (r.peekMajor() !== 4) fail(`${where} must be an array`);
  return r.arrayHead();
}

/** A text string; MDOC_DECODE naming `where` when the item is not one. */
export function textOf(r: LeanReader, where: string): string {
  if (r.peekMajor() !== 3) fail(`${where} must be a text string`);
  return r.text();
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
  const n = mapHeadOf(r, where);
  checkLimit(n, limit, where);
  return n;
}

export function boundedArrayHead(
  r: LeanReader,
  limit: Parameters<typeof checkLimit>[1],
  where: string,
): number {
  const n = arrayHeadOf(r, where);
  checkLimit(n, limit, where);
  return n;
}

/** For entry `i` (0-based) of a container whose head was indefinite: fails once past `limit`. */
export function within(n: number, i: number, limit: Parameters<typeof checkLimit>[1], where: string): void {
  if (n < 0) checkLimit(i + 1, limit, where);
}

/** The text keys a structure's CDDL names, with their UTF-8 bytes (matched without building strings). */
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
  const n = mapHeadOf(r, where);
  checkLimit(n, 'mapKeys', where);
  return n;
}

let unknownKey = '';

/**
 * Reads entry `i`'s text key of a structure map with head `n`: its index in `set` (matched by bytes,
 * no string built), or -1 for another key (see `otherKey`). A known key already in `seen` fails (RFC
 * 8949 §5.6); past `LIMITS.mapKeys` entries of an indefinite-length map fails.
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

/**
 * The next key of an envelope map — DeviceResponse, Document, IssuerSigned, DeviceSigned, DeviceAuth:
 * closed in the CDDL and covered by no signature, so an unknown key is refused (a damaged
 * "nameSpaces" → "nameSpacer" cannot silently drop content), as is a key twice.
 */
export function envelopeKey(r: LeanReader, set: KeySet, seen: number, where: string): number {
  let idx = r.keyIndex(set.bytes);
  if (idx < 0) {
    if (r.peekMajor() !== 3) fail(`${where} has an unexpected key`);
    idx = set.names.indexOf(r.text());
    if (idx < 0) fail(`${where} has an unexpected key`);
  }
  if (seen & (1 << idx)) fail(`${where}: duplicate key "${set.names[idx]}"`);
  return idx;
}

/**
 * Reads an already decoded value with a structure reader: through the exact bytes it was decoded
 * from when it has them (`decode(…, { spans: true })`), else through its encoding with every map's
 * entries in the order given. Every part of an mdoc structure that a signature or a digest covers is
 * a byte string or an embedded item (tag 24, kept as `EncodedCbor` with its received bytes, which
 * `encode` writes verbatim), so nothing signed is re-encoded. CBOR errors become MDOC_DECODE naming
 * `where`.
 */
export function readDecoded<T>(value: CborValue, where: string, read: (r: LeanReader) => T): T {
  return readBytes(encodedForm(value, where), where, read);
}

/** The bytes a decoded value is read through (see `readDecoded`); MDOC_DECODE if it has none. */
export function encodedForm(value: CborValue, where: string): Uint8Array {
  const received = typeof value === 'object' && value !== null ? rawSpanOf(value) : undefined;
  if (received) return received;
  try {
    return encode(inOrder(value));
  } catch (e) {
    fail(`${where} cannot be read: ${(e as Error).message}`, e);
  }
}

/** `value` with each map written as its entries in their order (`encode` sorts them), recursively. */
function inOrder(value: CborValue): CborValue {
  if (value instanceof Map) {
    const head = bstrHead(value.size);
    head[0] = ((head[0] as number) & 0x1f) | 0xa0; // the same head, of major type 5 (map)
    const parts: Uint8Array[] = [head];
    for (const [k, v] of value) parts.push(encode(k), encode(inOrder(v)));
    return new RawCbor(concatBytes(...parts));
  }
  if (Array.isArray(value)) return value.map(inOrder);
  if (value instanceof Tagged) return new Tagged(value.tag, inOrder(value.value));
  return value;
}

/** Reads bytes that must hold exactly one structure; CBOR errors become MDOC_DECODE naming `where`. */
export function readBytes<T>(bytes: Uint8Array, where: string, read: (r: LeanReader) => T): T {
  const r = new LeanReader(bytes);
  try {
    const out = read(r);
    r.expectEnd();
    return out;
  } catch (e) {
    if (e instanceof CborError) fail(`${where}: ${e.message}`, e);
    throw e;
  }
}

/** The item spanning [start, end) of `bytes`, decoded (byte strings are views of `bytes`). */
export function valueAt(bytes: Uint8Array, start: number, end: number): CborValue {
  const r = new LeanReader(bytes);
  r.pos = start;
  r.limit = end;
  return r.value();
}
