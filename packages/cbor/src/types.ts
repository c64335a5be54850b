import type { EncodedCbor } from './encoded-cbor.js';
import type { ReadLimits } from './limits.js';

export type { EncodedCbor };

/**
 * The CBOR data model as mynakit sees it (RFC 8949 §2).
 *
 * - major types 0/1 → `number` when it is a safe integer, else `bigint`; bignums (tags 2/3,
 *   RFC 8949 §3.4.3) also decode to `bigint`
 * - major type 2 → `Uint8Array` (a zero-copy view into the input when decoded)
 * - major type 3 → `string`
 * - major type 4 → `CborValue[]`
 * - major type 5 → `CborMap` (a JS `Map`, so integer and text keys stay distinct: COSE uses both)
 * - major type 6 → `Tagged`, except tag 24 which is `EncodedCbor` (kept as the exact bytes received)
 * - major type 7 → `boolean`, `null`, `undefined`, `number` (floats), or `Simple`
 *
 * `RawCbor` exists only on the way out: pre-encoded bytes the encoder copies verbatim.
 */
export type CborValue =
  | number
  | bigint
  | string
  | boolean
  | null
  | undefined
  | Uint8Array
  | CborValue[]
  | CborMap
  | Tagged
  | EncodedCbor
  | RawCbor
  | Simple;

export type CborMap = Map<CborValue, CborValue>;

/** A tagged item (RFC 8949 §3.4). Unknown tags are kept as they are, opaque. */
export class Tagged {
  constructor(
    readonly tag: number,
    readonly value: CborValue,
  ) {}
}

/** A simple value other than false/true/null/undefined (RFC 8949 §3.3). */
export class Simple {
  constructor(readonly value: number) {}
}

/**
 * Pre-encoded CBOR emitted verbatim by the encoder. Used to forward received items
 * (e.g. an IssuerSigned structure held by a wallet) without re-encoding them.
 */
export class RawCbor {
  constructor(readonly bytes: Uint8Array) {}
}

/** The shared item and depth budget (limits.ts), plus decode's own options. */
export interface DecodeOptions extends ReadLimits {
  /** Record the exact input span of every decoded array, map and tag for `rawSpanOf`. */
  readonly spans?: boolean;
}
