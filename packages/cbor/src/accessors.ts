import { EncodedCbor } from './encoded-cbor.js';
import { CborError } from './errors.js';
import { type CborMap, type CborValue, RawCbor, Simple, Tagged } from './types.js';

/**
 * Typed access to decoded structures, so structure code reads like its CDDL:
 * `getText(doc, 'docType')`, `getEncodedCbor(issuerSigned, 'issuerAuth')`.
 * `get*` require the key; `opt*` return undefined when it is absent. Both throw
 * CborError('CBOR_SHAPE') on a type mismatch; the message names the key and the types, never the value.
 */

/** A short name of a value's CBOR type, for messages. */
export function cborTypeName(v: CborValue): string {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? (v < 0 ? 'negative integer' : 'unsigned integer') : 'float';
    case 'bigint':
      return v < 0n ? 'negative integer' : 'unsigned integer';
    case 'string':
      return 'text string';
    case 'boolean':
      return 'boolean';
    case 'undefined':
      return 'undefined';
  }
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return 'byte string';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Map) return 'map';
  if (v instanceof EncodedCbor) return 'tag 24 (encoded CBOR)';
  if (v instanceof Tagged) return `tag ${v.tag}`;
  if (v instanceof Simple) return 'simple value';
  if (v instanceof RawCbor) return 'raw CBOR';
  return 'non-CBOR value';
}

function keyName(key: CborValue): string {
  if (typeof key === 'string') return JSON.stringify(key);
  if (typeof key === 'number' || typeof key === 'bigint') return String(key);
  return `(${cborTypeName(key)} key)`;
}

function mismatch(what: string, expected: string, v: CborValue): CborError {
  return new CborError('CBOR_SHAPE', `${what}: expected ${expected}, found ${cborTypeName(v)}`);
}

export function isMap(v: CborValue): v is CborMap {
  return v instanceof Map;
}
export function isArray(v: CborValue): v is CborValue[] {
  return Array.isArray(v);
}
export function isBytes(v: CborValue): v is Uint8Array {
  return v instanceof Uint8Array;
}
export function isText(v: CborValue): v is string {
  return typeof v === 'string';
}
export function isEncodedCbor(v: CborValue): v is EncodedCbor {
  return v instanceof EncodedCbor;
}
export function isTagged(v: CborValue, tag?: number): v is Tagged {
  return v instanceof Tagged && (tag === undefined || v.tag === tag);
}

// `as*`: check a value already in hand; `what` names it in the error ("DeviceResponse", "key 33"…).
export function asMap(v: CborValue, what: string): CborMap {
  if (v instanceof Map) return v;
  throw mismatch(what, 'a map', v);
}
export function asArray(v: CborValue, what: string): CborValue[] {
  if (Array.isArray(v)) return v;
  throw mismatch(what, 'an array', v);
}
export function asText(v: CborValue, what: string): string {
  if (typeof v === 'string') return v;
  throw mismatch(what, 'a text string', v);
}
export function asBytes(v: CborValue, what: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  throw mismatch(what, 'a byte string', v);
}
export function asBool(v: CborValue, what: string): boolean {
  if (typeof v === 'boolean') return v;
  throw mismatch(what, 'a boolean', v);
}
/** An unsigned integer that fits a JS number exactly. */
export function asUint(v: CborValue, what: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && !Object.is(v, -0)) return v;
  if (typeof v === 'bigint' && v >= 0n)
    throw new CborError('CBOR_SHAPE', `${what}: unsigned integer out of range`);
  throw mismatch(what, 'an unsigned integer', v);
}
/**
 * An unsigned integer of any size CBOR allows (0..2^64 − 1, RFC 8949 §3.1): a safe-integer number, or
 * a bigint above that — e.g. an ISO/IEC 18013-5 DigestID (`uint`) a peer may fill with any 64-bit value.
 * Negative values, non-integral numbers, numbers beyond 2^53 (floats in the decoded data model: decode
 * gives a bigint for every integer there) and bigints of 2^64 or more (bignums) fail with CBOR_SHAPE.
 * In the decoded data model an integral float (5.0) is the number 5; to refuse floats by encoding, read
 * with `LeanReader.uintOrBigint()`, which looks at the major type.
 */
export function asUintOrBigint(v: CborValue, what: string): number | bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && !Object.is(v, -0)) return v;
  if (typeof v === 'bigint') {
    if (v >= 0n && v <= MAX_UINT64) return v;
    throw new CborError('CBOR_SHAPE', `${what}: unsigned integer out of range`);
  }
  throw mismatch(what, 'an unsigned integer', v);
}

const MAX_UINT64 = (1n << 64n) - 1n;

/** An integer (major type 0 or 1) that fits a JS number exactly. */
export function asInt(v: CborValue, what: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)) return v;
  if (typeof v === 'bigint') throw new CborError('CBOR_SHAPE', `${what}: integer out of range`);
  throw mismatch(what, 'an integer', v);
}
export function asEncodedCbor(v: CborValue, what: string): EncodedCbor {
  if (v instanceof EncodedCbor) return v;
  throw mismatch(what, 'a tag 24 encoded CBOR item', v);
}
export function asTagged(v: CborValue, tag: number, what: string): Tagged {
  if (v instanceof Tagged && v.tag === tag) return v;
  throw mismatch(what, `tag ${tag}`, v);
}

function required(map: CborMap, key: CborValue): CborValue {
  if (!map.has(key)) throw new CborError('CBOR_SHAPE', `key ${keyName(key)}: missing`);
  return map.get(key);
}

function optional<T>(map: CborMap, key: CborValue, as: (v: CborValue, what: string) => T): T | undefined {
  return map.has(key) ? as(map.get(key), `key ${keyName(key)}`) : undefined;
}

/** The value at `key`, of any type; throws CBOR_SHAPE when the key is absent. */
export function getValue(map: CborMap, key: CborValue): CborValue {
  return required(map, key);
}
export function getMap(map: CborMap, key: CborValue): CborMap {
  return asMap(required(map, key), `key ${keyName(key)}`);
}
export function getArray(map: CborMap, key: CborValue): CborValue[] {
  return asArray(required(map, key), `key ${keyName(key)}`);
}
export function getText(map: CborMap, key: CborValue): string {
  return asText(required(map, key), `key ${keyName(key)}`);
}
export function getBytes(map: CborMap, key: CborValue): Uint8Array {
  return asBytes(required(map, key), `key ${keyName(key)}`);
}
export function getBool(map: CborMap, key: CborValue): boolean {
  return asBool(required(map, key), `key ${keyName(key)}`);
}
export function getUint(map: CborMap, key: CborValue): number {
  return asUint(required(map, key), `key ${keyName(key)}`);
}
export function getUintOrBigint(map: CborMap, key: CborValue): number | bigint {
  return asUintOrBigint(required(map, key), `key ${keyName(key)}`);
}
export function getInt(map: CborMap, key: CborValue): number {
  return asInt(required(map, key), `key ${keyName(key)}`);
}
export function getEncodedCbor(map: CborMap, key: CborValue): EncodedCbor {
  return asEncodedCbor(required(map, key), `key ${keyName(key)}`);
}
export function getTagged(map: CborMap, key: CborValue, tag: number): Tagged {
  return asTagged(required(map, key), tag, `key ${keyName(key)}`);
}

export function optMap(map: CborMap, key: CborValue): CborMap | undefined {
  return optional(map, key, asMap);
}
export function optArray(map: CborMap, key: CborValue): CborValue[] | undefined {
  return optional(map, key, asArray);
}
export function optText(map: CborMap, key: CborValue): string | undefined {
  return optional(map, key, asText);
}
export function optBytes(map: CborMap, key: CborValue): Uint8Array | undefined {
  return optional(map, key, asBytes);
}
export function optBool(map: CborMap, key: CborValue): boolean | undefined {
  return optional(map, key, asBool);
}
export function optUint(map: CborMap, key: CborValue): number | undefined {
  return optional(map, key, asUint);
}
export function optUintOrBigint(map: CborMap, key: CborValue): number | bigint | undefined {
  return optional(map, key, asUintOrBigint);
}
export function optInt(map: CborMap, key: CborValue): number | undefined {
  return optional(map, key, asInt);
}
export function optEncodedCbor(map: CborMap, key: CborValue): EncodedCbor | undefined {
  return optional(map, key, asEncodedCbor);
}
