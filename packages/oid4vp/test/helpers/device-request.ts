import { type CborValue, encode } from '@mynakit/cbor';
import { encodeItemsRequest } from '@mynakit/mdoc';

/** A version "1.0" DeviceRequest without reader authentication: docType → namespace → element → intent to retain. */
export function simpleDeviceRequest(
  docType: string,
  nameSpaces: Record<string, Record<string, boolean>>,
): Uint8Array {
  return encode(
    new Map<CborValue, CborValue>([
      ['version', '1.0'],
      [
        'docRequests',
        [new Map<CborValue, CborValue>([['itemsRequest', encodeItemsRequest({ docType, nameSpaces })]])],
      ],
    ]),
  );
}
