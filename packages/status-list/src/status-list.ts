/**
 * A Status List: the byte array of draft-ietf-oauth-status-list-20 §4.1.
 *
 *   1. Each status is represented with a bit-size of 1, 2, 4 or 8.
 *   2. Each byte holds 8/bits statuses. "The bits within an array are counted from least significant
 *      bit '0' to the most significant bit ('7')": index i lives in byte floor(i*bits/8) at bit offset
 *      (i mod (8/bits))*bits. Example (bits=1): statuses 1,0,0,1,1,1,0,1 | 1,1,0,0,0,1,0,1 → B9 A3.
 *   3. The byte array is compressed with DEFLATE in the ZLIB format (see compressed-byte-array.ts).
 *
 * The list only knows whole bytes, so its `size` is bytes × (8/bits); a list created for `n` entries
 * rounds up to the next whole byte and the padding entries read as VALID (0), exactly as a relying
 * party decoding the published list will see them.
 */
import {
  type CompressOptions,
  compressStatusBytes,
  type DecompressOptions,
  decompressStatusBytes,
} from './compressed-byte-array.js';
import { StatusListError } from './errors.js';

export type StatusBits = 1 | 2 | 4 | 8;

export function isStatusBits(value: unknown): value is StatusBits {
  return value === 1 || value === 2 || value === 4 || value === 8;
}

function assertBits(bits: unknown): asserts bits is StatusBits {
  if (!isStatusBits(bits)) {
    throw new StatusListError('STATUS_LIST_BITS', `bits must be 1, 2, 4 or 8, got ${String(bits)}`);
  }
}

/** Bytes needed for `size` entries of `bits` bits. */
function byteLengthFor(size: number, bits: StatusBits): number {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new StatusListError(
      'STATUS_LIST_SIZE',
      `size must be a non-negative safe integer, got ${String(size)}`,
    );
  }
  return Math.ceil((size * bits) / 8);
}

export class StatusList {
  readonly bits: StatusBits;
  /** Entries per byte: 8 / bits. */
  readonly #perByte: number;
  /** log2(bits), to turn an in-byte position into a shift. */
  readonly #bitsShift: number;
  readonly #mask: number;
  readonly #bytes: Uint8Array;
  readonly #size: number;

  /** Takes ownership of `bytes` (no copy). Use the static constructors from outside. */
  private constructor(bytes: Uint8Array, bits: StatusBits) {
    this.bits = bits;
    this.#perByte = 8 / bits;
    this.#bitsShift = Math.log2(bits);
    this.#mask = (1 << bits) - 1;
    this.#bytes = bytes;
    this.#size = bytes.length * this.#perByte;
  }

  /** A list with room for at least `size` entries, all VALID. */
  static create(size: number, bits: StatusBits): StatusList {
    assertBits(bits);
    const length = byteLengthFor(size, bits);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(length);
    } catch (error) {
      throw new StatusListError('STATUS_LIST_SIZE', `cannot allocate a status list of ${length} bytes`, {
        cause: error,
      });
    }
    return new StatusList(bytes, bits);
  }

  /** A list whose entry i is `statuses[i]` (padded with VALID to a whole byte). */
  static fromStatuses(statuses: ArrayLike<number>, bits: StatusBits): StatusList {
    const list = StatusList.create(statuses.length, bits);
    for (let i = 0; i < statuses.length; i++) {
      const status = statuses[i] as number;
      if (status !== 0) list.set(i, status);
    }
    return list;
  }

  /** A list of `size` entries, all VALID except the given `[index, status]` updates (sparse build). */
  static fromUpdates(
    size: number,
    bits: StatusBits,
    updates: Iterable<readonly [index: number, status: number]>,
  ): StatusList {
    const list = StatusList.create(size, bits);
    for (const [index, status] of updates) list.set(index, status);
    return list;
  }

  /** A list over a copy of an uncompressed byte array. */
  static fromBytes(bytes: Uint8Array, bits: StatusBits): StatusList {
    assertBits(bits);
    return new StatusList(bytes.slice(), bits);
  }

  /**
   * Decodes a compressed byte array (the `lst` value, already base64url-decoded for JSON).
   * Bounded by `options.maxBytes` (default 2^27): a zip bomb fails with STATUS_LIST_TOO_LARGE.
   */
  static decompress(compressed: Uint8Array, bits: StatusBits, options: DecompressOptions = {}): StatusList {
    assertBits(bits);
    return new StatusList(decompressStatusBytes(compressed, options), bits);
  }

  /** Number of addressable entries: bytes × 8/bits. */
  get size(): number {
    return this.#size;
  }

  /** The uncompressed byte array itself (not a copy): read it, do not modify it. */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  /** True when `index` addresses an entry of this list. */
  has(index: number): boolean {
    // size ≤ 8 × the largest typed array, far below 2^53, so the bounds make isInteger enough.
    return index >= 0 && index < this.#size && Number.isInteger(index);
  }

  /** The status at `index`. Out of range → StatusListError STATUS_LIST_INDEX. */
  get(index: number): number {
    if (!this.has(index)) throw indexError(index, this.size);
    const perByte = this.#perByte;
    const byteIndex = Math.floor(index / perByte);
    const shift = (index - byteIndex * perByte) << this.#bitsShift;
    return ((this.#bytes[byteIndex] as number) >>> shift) & this.#mask;
  }

  /** Sets the status at `index` (0 … 2^bits − 1). */
  set(index: number, status: number): void {
    if (!this.has(index)) throw indexError(index, this.size);
    if (!Number.isInteger(status) || status < 0 || status > this.#mask) {
      throw new StatusListError(
        'STATUS_LIST_VALUE',
        `status must be an integer 0..${this.#mask} for bits=${this.bits}`,
      );
    }
    const perByte = this.#perByte;
    const byteIndex = Math.floor(index / perByte);
    const shift = (index - byteIndex * perByte) << this.#bitsShift;
    const bytes = this.#bytes;
    bytes[byteIndex] = ((bytes[byteIndex] as number) & ~(this.#mask << shift)) | (status << shift);
  }

  /** Number of entries holding `status`. */
  count(status: number): number {
    let n = 0;
    const size = this.size;
    for (let i = 0; i < size; i++) if (this.get(i) === status) n++;
    return n;
  }

  /** The compressed byte array (ZLIB, level 9 by default). */
  compress(options: CompressOptions = {}): Uint8Array {
    return compressStatusBytes(this.#bytes, options);
  }

  /** An independent copy (e.g. a snapshot to publish while updates continue). */
  clone(): StatusList {
    return new StatusList(this.#bytes.slice(), this.bits);
  }
}

function indexError(index: number, size: number): StatusListError {
  return new StatusListError(
    'STATUS_LIST_INDEX',
    `index ${String(index)} is outside the status list (size ${size})`,
  );
}
