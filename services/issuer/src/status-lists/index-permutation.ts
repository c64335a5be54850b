/**
 * The keyed permutation that turns a Token Status List partition's allocation counter into a record's
 * index. draft-ietf-oauth-status-list, Privacy Considerations, "Unlinkability": "To avoid further
 * correlatable information by the values of `uri` and `index`, Issuers are RECOMMENDED to: choose
 * non-sequential, pseudo-random or random indices". A sequential index tells anyone who sees two records
 * which was issued first and, with a few known records, roughly when any record was issued; a random one
 * drawn per record needs a collision check against the database. A pseudorandom permutation of the
 * counter gives both: no order leaks (without the key the index of position n is unpredictable), and
 * distinct positions can never collide — so allocation stays one compare-and-set on a counter.
 *
 * Construction: a Feistel network over the n = log2(capacity) bits of a position (capacity is a power of
 * two, so no cycle-walking is needed), split into halves of ⌊n/2⌋ (A) and ⌈n/2⌉ (B) bits; round i adds a
 * round function of one half to the other modulo its size, alternating (A += F(0, B), B += F(1, A),
 * A += F(2, B), B += F(3, A)) — the alternating form of the classic Feistel cipher, a bijection whatever
 * the round function, inverted by subtracting in reverse order. Four rounds with a pseudorandom round
 * function make a strong pseudorandom permutation (Luby–Rackoff, SIAM J. Comput. 17(2), 1988). The round
 * function is HMAC-SHA256 (RFC 2104) under the partition's 32-byte secret `permutation_key` over
 * (round, half), truncated to the half's width.
 *
 * The key stays in the database (`status_list_partitions.permutation_key`) and is never published: the
 * inverse would reveal the issuance order again.
 */
import { createHmac } from 'node:crypto';

/** Smallest and largest log2(capacity) supported: 4 indexes up to 2^30 (a JavaScript bit-operation limit). */
export const MIN_PERMUTATION_BITS = 2;
/** See MIN_PERMUTATION_BITS. */
export const MAX_PERMUTATION_BITS = 30;

const ROUNDS = 4;

/** A keyed bijection of [0, 2^bits) onto itself. */
export class IndexPermutation {
  readonly bits: number;
  readonly #key: Uint8Array;
  readonly #aBits: number;
  readonly #bBits: number;

  /** `key`: the partition's secret (at least 16 bytes); `bits`: log2 of the partition's capacity. */
  constructor(key: Uint8Array, bits: number) {
    if (!Number.isInteger(bits) || bits < MIN_PERMUTATION_BITS || bits > MAX_PERMUTATION_BITS)
      throw new RangeError(`bits must be an integer in ${MIN_PERMUTATION_BITS}..${MAX_PERMUTATION_BITS}`);
    if (!(key instanceof Uint8Array) || key.length < 16)
      throw new RangeError('the permutation key must be at least 16 bytes');
    this.bits = bits;
    this.#key = key;
    this.#aBits = bits >> 1;
    this.#bBits = bits - this.#aBits;
  }

  /** How many indexes the permutation covers: 2^bits. */
  get size(): number {
    return 2 ** this.bits;
  }

  /** The index of allocation position `position` (0 ≤ position < size). */
  forward(position: number): number {
    this.#check(position, 'position');
    let a = position >>> this.#bBits;
    let b = position & mask(this.#bBits);
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) a = (a + this.#f(round, b, this.#aBits)) & mask(this.#aBits);
      else b = (b + this.#f(round, a, this.#bBits)) & mask(this.#bBits);
    }
    return a * 2 ** this.#bBits + b;
  }

  /** The allocation position whose index is `index` (the inverse of forward). */
  inverse(index: number): number {
    this.#check(index, 'index');
    let a = index >>> this.#bBits;
    let b = index & mask(this.#bBits);
    for (let round = ROUNDS - 1; round >= 0; round--) {
      if (round % 2 === 0) a = (a - this.#f(round, b, this.#aBits)) & mask(this.#aBits);
      else b = (b - this.#f(round, a, this.#bBits)) & mask(this.#bBits);
    }
    return a * 2 ** this.#bBits + b;
  }

  /** The round function: HMAC-SHA256(key, round ‖ half as 4 bytes big-endian), truncated to `width` bits. */
  #f(round: number, half: number, width: number): number {
    const input = Buffer.allocUnsafe(5);
    input.writeUInt8(round, 0);
    input.writeUInt32BE(half, 1);
    const digest = createHmac('sha256', this.#key).update(input).digest();
    return digest.readUInt32BE(0) & mask(width);
  }

  #check(value: number, name: string): void {
    if (!Number.isInteger(value) || value < 0 || value >= this.size)
      throw new RangeError(`${name} must be an integer in 0..${this.size - 1}`);
  }
}

/** 2^width − 1 as an unsigned 32-bit mask (width ≤ 30 here; 0 for width 0). */
function mask(width: number): number {
  return width === 0 ? 0 : (2 ** width - 1) >>> 0;
}
