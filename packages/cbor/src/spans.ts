import { EncodedCbor } from './encoded-cbor.js';
import { RawCbor } from './types.js';

/**
 * Exact input spans of decoded containers, recorded only when `decode(…, { spans: true })` asks for
 * them. A WeakMap keeps the values themselves plain (no hidden properties) and lets spans die with them.
 */
const spans = new WeakMap<object, Uint8Array>();

export function recordSpan(value: object, span: Uint8Array): void {
  spans.set(value, span);
}

/**
 * The exact bytes a decoded array, map or tagged value was decoded from (head included), when it was
 * decoded with `spans: true`. Byte strings get no span (they are views of their content already;
 * recording them made span decoding several times slower). An `EncodedCbor` answers with its `raw` bytes and a `RawCbor`
 * with its bytes, always. Wrap the result in `new RawCbor(span)` to forward the item verbatim.
 */
export function rawSpanOf(value: object): Uint8Array | undefined {
  if (value instanceof EncodedCbor) return value.raw;
  if (value instanceof RawCbor) return value.bytes;
  return spans.get(value);
}
