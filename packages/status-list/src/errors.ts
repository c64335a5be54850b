/**
 * Errors of @mynakit/status-list. Codes are stable: callers and the HTTP layer match on them.
 * Messages never contain submitted token contents beyond structural facts (sizes, bit widths, indices).
 */
export type StatusListErrorCode =
  /** `bits` is not one of 1, 2, 4, 8 (draft-ietf-oauth-status-list-20 §4.1 step 1). */
  | 'STATUS_LIST_BITS'
  /** An index outside 0 … size-1 (§4.1 step 2; §8.3 step 7 "fail if the index is out of bounds"). */
  | 'STATUS_LIST_INDEX'
  /** A status value that does not fit in `bits` bits. */
  | 'STATUS_LIST_VALUE'
  /** A list size that is negative, fractional or too large to allocate. */
  | 'STATUS_LIST_SIZE'
  /** `lst` is not one complete ZLIB (RFC 1950) stream: bad header, bad DEFLATE data, bad Adler-32, truncated or followed by extra bytes. */
  | 'STATUS_LIST_DECOMPRESS'
  /** The decompressed list would exceed the caller's bound (zip-bomb protection). */
  | 'STATUS_LIST_TOO_LARGE'
  /** A malformed StatusList object (JSON §4.2 or CBOR §4.3): missing/ill-typed `bits` or `lst`, bad base64url. */
  | 'STATUS_LIST_DECODE'
  /** A malformed `status` claim / `status_list` reference in a Referenced Token (§6). */
  | 'STATUS_LIST_REFERENCE'
  /** Producing a Status List Token failed (unusable key, bad claims). */
  | 'STATUS_LIST_SIGN';

export class StatusListError extends Error {
  override readonly name = 'StatusListError';
  readonly code: StatusListErrorCode;

  constructor(code: StatusListErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
