/**
 * The one budget of items and nesting depth that every reader of received CBOR applies — `decode`,
 * `decodeFirst`, `LeanReader` (and so every structure reader built on it, e.g. mdoc's one-pass
 * DeviceResponse reader) and `diagnose`. It is counted in the shared head reader (`Reader.head`), one
 * decrement and one compare per item head, so no reader can be made to do more work than its input
 * allows, however it walks it.
 *
 * Items: every item takes at least one byte (its head, RFC 8949 §3), so one pass over n bytes reads at
 * most n heads; the budget is min(n, maxItems) heads. A reader that moves its cursor back and reads
 * again spends the same budget. Exceeding it is `CBOR_TOO_MANY_ITEMS`.
 *
 * Depth: arrays, maps and tags nested deeper than `maxDepth` are `CBOR_DEPTH_EXCEEDED` (a clean error
 * instead of a stack overflow; the embedded item of a tag 24 continues its tag's depth).
 */

/** Default nesting limit of arrays, maps and tags. */
export const DEFAULT_MAX_DEPTH = 64;

/**
 * Absolute cap on the items one reader reads, whatever the input length (2^24: a 16 MiB input of
 * one-byte items; it bounds the memory of a decoded tree).
 */
export const DEFAULT_MAX_ITEMS = 1 << 24;

export interface ReadLimits {
  /** Maximum nesting of arrays, maps and tags (default 64). Deeper input fails with CBOR_DEPTH_EXCEEDED. */
  readonly maxDepth?: number;
  /**
   * Maximum number of items read (default 2^24), keys and indefinite-string chunks included; the
   * budget is never more than the input length. More fail with CBOR_TOO_MANY_ITEMS.
   */
  readonly maxItems?: number;
}

/** The item budget of a reader over `inputLength` bytes: min(inputLength, maxItems). */
export function itemBudget(inputLength: number, maxItems: number = DEFAULT_MAX_ITEMS): number {
  return Math.min(inputLength, maxItems);
}
