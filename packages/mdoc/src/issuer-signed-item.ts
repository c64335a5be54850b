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
import { DeferredValue } from './internal/deferred-value.js';
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

/** One IssuerSignedItemBytes as read: its fields and the complete tag-24 item as received. */
export interface ItemRead {
  readonly digestID: DigestID;
  readonly elementIdentifier: string;
  /** Built, or (when read lazily) checked and kept for later (see DeferredValue). */
  readonly elementValue: CborValue | DeferredValue;
  /** The complete IssuerSignedItemBytes (tag 24 included) exactly as received — what is hashed. */
  readonly raw: Uint8Array;
  /** The salt; absent when read lazily (verification hashes the whole item and never needs it). */
  readonly random?: Uint8Array;
  /** The embedded item inside the tag-24 byte string (absent when read lazily). */
  readonly content?: Uint8Array;
}

/**
 * Reads IssuerSignedItemBytes at the cursor, in place — the one reader of items, used by verification
 * (`lazy`: values checked, built on demand), by the IssuerSigned a holder decodes and by
 * `decodeIssuerSignedItem`. Any key order and head width is accepted; a
 * DigestID must be of major type 0; a repeated key fails; unknown keys are skipped (at most
 * `LIMITS.mapKeys` keys in all).
 */
export function readIssuerSignedItem(r: LeanReader, where: string, lazy: boolean): ItemRead {
  r.enterEmbeddedInPlace();
  const contentStart = r.pos;
  let digestID: DigestID | undefined;
  let random: Uint8Array | undefined;
  let hasRandom = false;
  let elementIdentifier: string | undefined;
  let elementValue: CborValue | DeferredValue;
  let hasValue = false;
  let seen = 0;
  let others: Set<string> | undefined;
  const n = structureMapHead(r, where);
  for (let i = 0; more(r, n, i); i++) {
    const k = nextKey(r, ITEM, seen, where, n, i);
    if (k < 0) {
      others = otherKey(others, where);
      r.skip();
      continue;
    }
    seen |= 1 << k;
    if (k === 0) digestID = readDigestID(r, `${where}.digestID`);
    else if (k === 1) {
      if (r.peekMajor() !== 2) fail(`${where}.random must be a byte string`);
      if (lazy) r.skipByteString();
      else random = r.byteString();
      hasRandom = true;
    } else if (k === 2) {
      if (r.peekMajor() !== 3) fail(`${where}.elementIdentifier must be a text string`);
      elementIdentifier = r.text();
    } else if (lazy) {
      const at = r.pos;
      r.skipValue();
      elementValue = new DeferredValue(r.bytes, at, r.pos);
      hasValue = true;
    } else {
      elementValue = r.value();
      hasValue = true;
    }
  }
  const start = r.leaveEmbeddedStart();
  if (digestID === undefined) fail(`${where} lacks "digestID"`);
  if (!hasRandom) fail(`${where} lacks "random"`);
  if (elementIdentifier === undefined) fail(`${where} lacks "elementIdentifier"`);
  if (!hasValue) fail(`${where} lacks "elementValue"`);
  const raw = r.bytes.subarray(start, r.pos);
  if (random === undefined) return { digestID, elementIdentifier, elementValue, raw };
  const content = r.bytes.subarray(contentStart, r.pos);
  return { digestID, elementIdentifier, elementValue, raw, random, content };
}

/** Reads one IssuerSignedItemBytes as received (any key order, any head width). */
export function decodeIssuerSignedItem(
  bytes: EncodedCbor,
  where = 'IssuerSignedItem',
): ReceivedIssuerSignedItem {
  const r = new LeanReader(bytes.raw);
  let item: ItemRead;
  try {
    item = readIssuerSignedItem(r, where, false);
    r.expectEnd();
  } catch (e) {
    if (e instanceof MdocError) throw e;
    fail(`${where}: ${(e as Error).message}`, e);
  }
  return {
    digestID: item.digestID,
    random: item.random as Uint8Array,
    elementIdentifier: item.elementIdentifier,
    elementValue: item.elementValue as CborValue,
    bytes,
  };
}
