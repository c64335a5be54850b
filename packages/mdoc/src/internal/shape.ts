/**
 * Shape accessors for decoded ISO 18013-5 structures. They throw `MdocError('MDOC_DECODE')` with a
 * message naming the structure and field (never the value), which verifiers turn into a failed
 * `decode` check.
 */
import { type CborMap, type CborValue, EncodedCbor } from '@mynakit/cbor';
import {
  CoseError,
  type CoseMessage,
  type CoseMessageKind,
  x5chainOf as coseX5chainOf,
  readCoseMessage,
} from '@mynakit/cose';
import { MdocError } from '../errors.js';
import { LIMITS, MdocLimitError } from '../limits.js';

export function fail(message: string, cause?: unknown): never {
  throw new MdocError('MDOC_DECODE', message, cause === undefined ? undefined : { cause });
}

export function asMap(v: CborValue, where: string): CborMap {
  if (!(v instanceof Map)) fail(`${where} must be a map`);
  return v;
}

export function asArray(v: CborValue, where: string): CborValue[] {
  if (!Array.isArray(v)) fail(`${where} must be an array`);
  return v;
}

export function asText(v: CborValue, where: string): string {
  if (typeof v !== 'string') fail(`${where} must be a text string`);
  return v;
}

export function asBytes(v: CborValue, where: string): Uint8Array {
  if (!(v instanceof Uint8Array)) fail(`${where} must be a byte string`);
  return v;
}

export function asUint(v: CborValue, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(`${where} must be an unsigned integer`);
  return v;
}

/** `#6.24(bstr .cbor X)` — an embedded CBOR item, kept with its received bytes. */
export function asEncoded(v: CborValue, where: string): EncodedCbor {
  if (!(v instanceof EncodedCbor)) fail(`${where} must be an embedded CBOR item (tag 24)`);
  return v;
}

export function required(map: CborMap, key: string, where: string): CborValue {
  const v = map.get(key);
  if (v === undefined && !map.has(key)) fail(`${where} lacks "${key}"`);
  return v;
}

export const mapField = (m: CborMap, k: string, w: string): CborMap => asMap(required(m, k, w), `${w}.${k}`);
export const arrayField = (m: CborMap, k: string, w: string): CborValue[] =>
  asArray(required(m, k, w), `${w}.${k}`);
export const textField = (m: CborMap, k: string, w: string): string => asText(required(m, k, w), `${w}.${k}`);
export const bytesField = (m: CborMap, k: string, w: string): Uint8Array =>
  asBytes(required(m, k, w), `${w}.${k}`);
export const uintField = (m: CborMap, k: string, w: string): number => asUint(required(m, k, w), `${w}.${k}`);
export const encodedField = (m: CborMap, k: string, w: string): EncodedCbor =>
  asEncoded(required(m, k, w), `${w}.${k}`);

/** Decodes the item embedded in a tag-24 value, reporting CBOR errors as a decode failure of `where`. */
export function decodeEmbedded(e: EncodedCbor, where: string): CborValue {
  try {
    return e.decode();
  } catch (err) {
    fail(`${where}: ${(err as Error).message}`, err);
  }
}

/** Plain JS objects (and arrays of them) as CBOR maps with text keys; other values unchanged. */
export function toCbor(v: unknown): CborValue {
  if (Array.isArray(v)) return v.map(toCbor);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const m: CborMap = new Map();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) m.set(k, toCbor(x));
    return m;
  }
  if (v instanceof Map) {
    const m: CborMap = new Map();
    for (const [k, x] of v) m.set(k as CborValue, toCbor(x));
    return m;
  }
  return v as CborValue;
}

export function asBoolean(v: CborValue, where: string): boolean {
  if (typeof v !== 'boolean') fail(`${where} must be a boolean`);
  return v;
}

/**
 * ISO 18013-5's envelope maps (DeviceResponse, Document, IssuerSigned, DeviceSigned, DeviceAuth) are
 * closed in the CDDL and not covered by any signature: an unknown key there is refused, so that a
 * damaged key (e.g. "nameSpaces" → "nameSpacer") cannot silently drop content.
 */
export function onlyKeys(m: CborMap, allowed: readonly string[], where: string): void {
  for (const k of m.keys()) {
    if (typeof k !== 'string' || !allowed.includes(k)) fail(`${where} has an unexpected key`);
  }
}

/**
 * A COSE_Sign1 / COSE_Mac0 read from a decoded value by @mynakit/cose (`readCoseMessage`), its
 * failure a decode failure of `where`.
 */
export function readCose(value: CborValue, kind: CoseMessageKind, where: string): CoseMessage {
  try {
    return readCoseMessage(value, kind);
  } catch (e) {
    if (e instanceof CoseError) fail(`${where}: ${e.message}`, e);
    throw e;
  }
}

/**
 * x5chain (label 33, RFC 9360 §2) of a received message, by @mynakit/cose's `x5chainOf` (from the
 * protected header first, RFC 9052 §3): CoseError('COSE_HEADER') for a malformed chain or two
 * different ones, MdocLimitError('x5chain') for more than LIMITS.x5chain certificates; [] when absent.
 */
export function x5chainOf(m: CoseMessage): readonly Uint8Array[] {
  try {
    return coseX5chainOf(m.protectedHeaders, m.unprotectedHeaders, LIMITS.x5chain);
  } catch (e) {
    if (e instanceof CoseError && e.code === 'COSE_LIMIT')
      throw new MdocLimitError('x5chain', 'certificates');
    throw e;
  }
}
