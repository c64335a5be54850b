/**
 * IssuerSignedItem — ISO/IEC 18013-5:2021 §8.3.2.1.2.2:
 *
 *   IssuerSignedItemBytes = #6.24(bstr .cbor IssuerSignedItem)
 *   IssuerSignedItem = {
 *     "digestID" : uint,                       ; Digest ID for issuer data authentication
 *     "random" : bstr,                         ; Random value for issuer data authentication
 *     "elementIdentifier" : DataElementIdentifier,
 *     "elementValue" : DataElementValue
 *   }
 *
 * The MSO digest covers the IssuerSignedItemBytes — the complete tag-24 item — exactly as it was
 * received (§9.1.2.5). A decoded item therefore keeps its `EncodedCbor`, whose `raw` bytes are what is
 * hashed and what a wallet forwards; the item is never re-encoded after issuance.
 */
import { type CborValue, EncodedCbor, LeanReader } from '@mynakit/cbor';
import { MdocError } from './errors.js';
import { keySet, more, nextKey, otherKey, structureMapHead } from './internal/lean-map.js';
import { fail } from './internal/shape.js';
import { type DigestID, readDigestID } from './mobile-security-object.js';

export interface IssuerSignedItem {
  /** A uint: a number up to 2^53 − 1, a bigint above (up to 2^64 − 1). */
  readonly digestID: DigestID;
  readonly random: Uint8Array;
  readonly elementIdentifier: string;
  readonly elementValue: CborValue;
}

/** A received item: its fields and the exact tag-24 bytes it came in. */
export interface ReceivedIssuerSignedItem extends IssuerSignedItem {
  readonly bytes: EncodedCbor;
}

/** §9.1.2.5: "The value of random shall be at least 16 bytes". */
export const MIN_RANDOM_LENGTH = 16;

const TWO_64 = 2n ** 64n;

/**
 * The DigestID as the encoder must see it to write major type 0 in preferred form: a safe integer
 * as a number (-0 as 0, never the float -0.0), a larger one as a bigint below 2^64 (above, the
 * encoder would write a bignum tag, which is not a uint).
 */
function digestIdToWrite(id: DigestID): DigestID {
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return id + 0;
  if (typeof id === 'bigint' && id >= 0n && id < TWO_64)
    return id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : id;
  throw new MdocError('MDOC_INVALID_ARGUMENT', 'digestID must be an unsigned integer below 2^64');
}

/** Encodes an item (deterministic CBOR) as IssuerSignedItemBytes. */
export function encodeIssuerSignedItem(item: IssuerSignedItem): EncodedCbor {
  const digestID = digestIdToWrite(item.digestID);
  if (item.random.length < MIN_RANDOM_LENGTH) {
    throw new MdocError('MDOC_INVALID_ARGUMENT', `random must be at least ${MIN_RANDOM_LENGTH} bytes`);
  }
  return EncodedCbor.of(
    new Map<CborValue, CborValue>([
      ['digestID', digestID],
      ['random', item.random],
      ['elementIdentifier', item.elementIdentifier],
      ['elementValue', item.elementValue],
    ]),
  );
}

const ITEM = keySet('digestID', 'random', 'elementIdentifier', 'elementValue');

/**
 * One IssuerSignedItemBytes as read: its DigestID and identifier, the complete tag-24 item as
 * received (what is hashed), and where the salt and the value lie in it — checked well-formed, built
 * only when asked for (verification hashes the whole item and never needs them).
 */
export class ItemRead {
  constructor(
    readonly digestID: DigestID,
    readonly elementIdentifier: string,
    /** The complete IssuerSignedItemBytes (tag 24 included) exactly as received. */
    readonly raw: Uint8Array,
    /** Offsets in `raw`: the embedded item, the salt (its head), the element value. */
    readonly contentStart: number,
    readonly randomAt: number,
    readonly valueStart: number,
    readonly valueEnd: number,
  ) {}

  /** The element value, decoded from the received bytes (byte strings are views of them). */
  elementValue(): CborValue {
    const r = new LeanReader(this.raw);
    r.pos = this.valueStart;
    r.limit = this.valueEnd;
    return r.value();
  }

  /** The salt (a view of the received bytes; a copy of the chunks of an indefinite-length one). */
  random(): Uint8Array {
    const r = new LeanReader(this.raw);
    r.pos = this.randomAt;
    return r.byteString();
  }

  /** The item as `EncodedCbor`: its received bytes and the embedded item inside them. */
  encoded(): EncodedCbor {
    return new EncodedCbor(this.raw.subarray(this.contentStart), this.raw);
  }
}

const ITEM_WHERE = 'IssuerSignedItem';

/**
 * Reads IssuerSignedItemBytes at the cursor, in place — the one reader of items (verification, the
 * IssuerSigned a holder decodes, `decodeIssuerSignedItem`). Any key order and head width is accepted; a
 * DigestID must be of major type 0; a repeated key fails; unknown keys are skipped (at most
 * `LIMITS.mapKeys` keys in all); the value is checked as `decode` would check it, not built.
 */
export function readIssuerSignedItem(r: LeanReader): ItemRead {
  r.enterEmbeddedInPlace();
  const contentStart = r.pos;
  let digestID: DigestID | undefined;
  let elementIdentifier: string | undefined;
  let randomAt = -1;
  let valueStart = -1;
  let valueEnd = -1;
  let seen = 0;
  let others: Set<string> | undefined;
  const n = structureMapHead(r, ITEM_WHERE);
  for (let i = 0; more(r, n, i); i++) {
    const k = nextKey(r, ITEM, seen, ITEM_WHERE, n, i);
    if (k < 0) {
      others = otherKey(others, ITEM_WHERE);
      r.skip();
      continue;
    }
    seen |= 1 << k;
    if (k === 0) digestID = readDigestID(r, 'IssuerSignedItem.digestID');
    else if (k === 1) {
      if (r.peekMajor() !== 2) fail('IssuerSignedItem.random must be a byte string');
      randomAt = r.pos;
      r.skipByteString();
    } else if (k === 2) {
      if (r.peekMajor() !== 3) fail('IssuerSignedItem.elementIdentifier must be a text string');
      elementIdentifier = r.text();
    } else {
      valueStart = r.pos;
      r.skipValue();
      valueEnd = r.pos;
    }
  }
  const start = r.leaveEmbeddedStart();
  if (digestID === undefined) fail('IssuerSignedItem lacks "digestID"');
  if (randomAt < 0) fail('IssuerSignedItem lacks "random"');
  if (elementIdentifier === undefined) fail('IssuerSignedItem lacks "elementIdentifier"');
  if (valueStart < 0) fail('IssuerSignedItem lacks "elementValue"');
  return new ItemRead(
    digestID,
    elementIdentifier,
    r.bytes.subarray(start, r.pos),
    contentStart - start,
    randomAt - start,
    valueStart - start,
    valueEnd - start,
  );
}

/** Reads one IssuerSignedItemBytes as received (any key order, any head width). */
export function decodeIssuerSignedItem(
  bytes: EncodedCbor,
  where = 'IssuerSignedItem',
): ReceivedIssuerSignedItem {
  const r = new LeanReader(bytes.raw);
  let item: ItemRead;
  try {
    item = readIssuerSignedItem(r);
    r.expectEnd();
  } catch (e) {
    if (e instanceof MdocError) throw e;
    fail(`${where}: ${(e as Error).message}`, e);
  }
  return {
    digestID: item.digestID,
    random: item.random(),
    elementIdentifier: item.elementIdentifier,
    elementValue: item.elementValue(),
    bytes,
  };
}
