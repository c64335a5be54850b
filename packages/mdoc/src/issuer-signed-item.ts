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
import { type CborValue, EncodedCbor } from '@mynakit/cbor';
import { MdocError } from './errors.js';
import { asBytes, asMap, asText, asUint, decodeEmbedded, required } from './internal/shape.js';

export interface IssuerSignedItem {
  readonly digestID: number;
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

/** Encodes an item (deterministic CBOR) as IssuerSignedItemBytes. */
export function encodeIssuerSignedItem(item: IssuerSignedItem): EncodedCbor {
  if (!Number.isSafeInteger(item.digestID) || item.digestID < 0) {
    throw new MdocError('MDOC_INVALID_ARGUMENT', 'digestID must be an unsigned integer');
  }
  if (item.random.length < MIN_RANDOM_LENGTH) {
    throw new MdocError('MDOC_INVALID_ARGUMENT', `random must be at least ${MIN_RANDOM_LENGTH} bytes`);
  }
  return EncodedCbor.of(
    new Map<CborValue, CborValue>([
      ['digestID', item.digestID],
      ['random', item.random],
      ['elementIdentifier', item.elementIdentifier],
      ['elementValue', item.elementValue],
    ]),
  );
}

/** Reads one IssuerSignedItemBytes as received (any key order, any head width). */
export function decodeIssuerSignedItem(
  bytes: EncodedCbor,
  where = 'IssuerSignedItem',
): ReceivedIssuerSignedItem {
  const m = asMap(decodeEmbedded(bytes, where), where);
  return {
    digestID: asUint(required(m, 'digestID', where), `${where}.digestID`),
    random: asBytes(required(m, 'random', where), `${where}.random`),
    elementIdentifier: asText(required(m, 'elementIdentifier', where), `${where}.elementIdentifier`),
    elementValue: required(m, 'elementValue', where),
    bytes,
  };
}
