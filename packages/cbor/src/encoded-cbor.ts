import { concatBytes } from './bytes.js';
import { decode } from './decode.js';
import { bstrHead, encode } from './encode.js';
import type { CborValue, DecodeOptions } from './types.js';

const TAG_24 = new Uint8Array([0xd8, 0x18]);

/**
 * Tag 24, "encoded CBOR data item" (RFC 8949 §3.4.5.1): `#6.24(bstr .cbor X)`.
 *
 * ISO/IEC 18013-5 wraps nearly everything in it (IssuerSignedItemBytes, MobileSecurityObjectBytes,
 * DeviceNameSpacesBytes, SessionTranscriptBytes…) and then hashes or signs those bytes, so a received
 * tag-24 item must be kept exactly as it arrived: `raw` is the whole item from the tag head to the end
 * of the byte string, even when the tag or length heads are non-preferred.
 */
export class EncodedCbor {
  #plain: { value: CborValue } | undefined;
  #withSpans: { value: CborValue } | undefined;

  /**
   * @param bytes the byte string content: the embedded item's encoding
   * @param raw the complete tag-24 item (tag head + bstr head + bytes) as received or built
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly raw: Uint8Array,
  ) {}

  /**
   * Decodes the embedded item (memoised). Decoding is lazy: a malformed embedded item throws
   * CborError here, not when the outer structure was decoded. `spans: true` is memoised separately;
   * other options only apply to the first call.
   */
  decode(options?: DecodeOptions): CborValue {
    if (options?.spans === true) {
      this.#withSpans ??= { value: decode(this.bytes, options) };
      return this.#withSpans.value;
    }
    this.#plain ??= this.#withSpans ?? { value: decode(this.bytes, options) };
    return this.#plain.value;
  }

  /** Builds a tag-24 item around the deterministic encoding of `value`. */
  static of(value: CborValue): EncodedCbor {
    return EncodedCbor.fromBytes(encode(value));
  }

  /** Builds a tag-24 item around `inner` (an item's encoding), with preferred heads `d8 18` + bstr head. */
  static fromBytes(inner: Uint8Array): EncodedCbor {
    const head = bstrHead(inner.length);
    const raw = concatBytes(TAG_24, head, inner);
    return new EncodedCbor(raw.subarray(TAG_24.length + head.length), raw);
  }
}
