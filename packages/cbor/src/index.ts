/**
 * @mynakit/cbor — CBOR (RFC 8949) for mynakit: strict decoding that keeps the exact bytes received
 * (tag 24, raw spans), deterministic encoding, dates, typed accessors, byte helpers and diagnostic notation.
 * The only package that depends on cborg (kept as the tests' independent oracle).
 */

export {
  asArray,
  asBool,
  asBytes,
  asEncodedCbor,
  asInt,
  asMap,
  asTagged,
  asText,
  asUint,
  asUintOrBigint,
  cborTypeName,
  getArray,
  getBool,
  getBytes,
  getEncodedCbor,
  getInt,
  getMap,
  getTagged,
  getText,
  getUint,
  getUintOrBigint,
  getValue,
  isArray,
  isBytes,
  isEncodedCbor,
  isMap,
  isTagged,
  isText,
  optArray,
  optBool,
  optBytes,
  optEncodedCbor,
  optInt,
  optMap,
  optText,
  optUint,
  optUintOrBigint,
} from './accessors.js';
export {
  base64ToBytes,
  base64urlToBytes,
  bytesEqual,
  bytesToBase64,
  bytesToBase64url,
  bytesToHex,
  compareBytes,
  concatBytes,
  detectBinaryInput,
  hexToBytes,
} from './bytes.js';
export { fullDate, parseFullDate, parseRfc3339, parseTdate, tdate } from './dates.js';
export { decode, decodeFirst } from './decode.js';
export { type DiagnoseOptions, defaultMaxOutput, diagnose } from './diagnose.js';
export { encode } from './encode.js';
export { EncodedCbor } from './encoded-cbor.js';
export { CborError, type CborErrorCode } from './errors.js';
export { type EmbeddedSpan, LeanReader } from './lean-reader.js';
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_ITEMS, itemBudget, type ReadLimits } from './limits.js';
export { rawSpanOf } from './spans.js';
export type { CborMap, CborValue, DecodeOptions } from './types.js';
export { RawCbor, Simple, Tagged } from './types.js';
