/**
 * An element value that was checked to be well-formed but not yet built: verification does not need
 * values, so the hot path decodes them only when someone reads `elements`. Decoding gives views of
 * the received bytes (byte strings are never copied).
 */
import { type CborValue, LeanReader } from '@mynakit/cbor';

export class DeferredValue {
  constructor(
    readonly bytes: Uint8Array,
    readonly start: number,
    readonly end: number,
  ) {}

  decode(): CborValue {
    const r = new LeanReader(this.bytes);
    r.pos = this.start;
    r.limit = this.end;
    return r.value();
  }
}
