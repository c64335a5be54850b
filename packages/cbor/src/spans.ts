import { EncodedCbor } from './encoded-cbor.js';
import { RawCbor } from './types.js';

/**
 * Exact input spans of decoded containers, recorded only when `decode(…, { spans: true })` asks for
 * them. The span is kept on the value itself, under a non-enumerable symbol: invisible to iteration,
 * JSON, structuredClone and equality checks, and it dies with the value. (A process-wide WeakMap did
 * the same but made span decoding super-linear: V8 re-walks a weak table at every garbage collection,
 * so one entry per container cost 101 s for 4 M items, against 1.6 s without spans.)
 */
const SPAN: unique symbol = Symbol('@mynakit/cbor span');

interface WithSpan {
  readonly [SPAN]?: Uint8Array;
}

export function recordSpan(value: object, span: Uint8Array): void {
  Object.defineProperty(value, SPAN, { value: span, configurable: true });
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
  return (value as WithSpan)[SPAN];
}
