/**
 * The one error class of @mynakit/cbor. `code` is stable: callers and tests match on it.
 *
 * Messages name structure (offsets, keys, expected types) but never the values decoded: the input
 * may be a card-substitute record full of personal data.
 */
export type CborErrorCode =
  /** The input ends in the middle of an item (a head, a string, or before a container is complete). */
  | 'CBOR_TRUNCATED'
  /** A declared length (string bytes, array/map entries) cannot fit in the remaining input. Checked before allocating. */
  | 'CBOR_LENGTH_EXCEEDS_INPUT'
  /** A map holds the same key twice (RFC 8949 §5.6: not valid; ambiguous for every consumer). */
  | 'CBOR_DUPLICATE_KEY'
  /** Arrays, maps and tags are nested deeper than `maxDepth`. */
  | 'CBOR_DEPTH_EXCEEDED'
  /** More items than the item budget: min(input length, `maxItems`, default 2^24) heads (limits.ts). */
  | 'CBOR_TOO_MANY_ITEMS'
  /** `decode` was given more bytes than the one item it decoded. */
  | 'CBOR_TRAILING_BYTES'
  /** Not well-formed: reserved additional information, bad indefinite lengths, invalid UTF-8, a stray break. */
  | 'CBOR_INVALID'
  /** Well-formed but outside what mynakit represents (e.g. a tag number above 2^53). */
  | 'CBOR_UNSUPPORTED'
  /** A value cannot be encoded (not a CborValue, an ill-formed string, a cycle, duplicate map keys…). */
  | 'CBOR_ENCODE'
  /** `diagnose` output would be longer than `maxOutput` characters. */
  | 'CBOR_OUTPUT_EXCEEDED'
  /** A decoded value does not have the shape a structure requires (accessors, date parsers, text codecs). */
  | 'CBOR_SHAPE';

export class CborError extends Error {
  override readonly name = 'CborError';
  readonly code: CborErrorCode;
  /** Byte offset in the decoded input where the problem was found, when there is one. */
  readonly offset: number | undefined;

  constructor(code: CborErrorCode, message: string, options?: { cause?: unknown; offset?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.offset = options?.offset;
  }
}
