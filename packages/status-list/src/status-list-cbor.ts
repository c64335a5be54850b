/**
 * Status List in CBOR format (draft-ietf-oauth-status-list-20 §4.3), the value of claim 65533
 * (status_list) in a CWT Status List Token:
 *
 *   StatusList = {
 *     bits: 1 / 2 / 4 / 8,   ; bits per Referenced Token
 *     lst: bstr,             ; the compressed byte array of §4.1 (no base64 in CBOR)
 *     ? aggregation_uri: tstr,  ; §9 Status List Aggregation
 *   }
 *
 * Keys are text strings. Example (bits=1): a2 64 "bits" 01 63 "lst" 4a 78dadbb918000217015d.
 */
import type { CborMap, CborValue } from '@mynakit/cbor';
import type { CompressOptions, DecompressOptions } from './compressed-byte-array.js';
import { StatusListError } from './errors.js';
import { isStatusBits, StatusList } from './status-list.js';
import type { DecodedStatusList } from './status-list-json.js';

export function encodeStatusListCbor(
  list: StatusList,
  options: CompressOptions & { aggregationUri?: string; compressed?: Uint8Array } = {},
): CborMap {
  const map: CborMap = new Map<CborValue, CborValue>([
    ['bits', list.bits],
    ['lst', options.compressed ?? list.compress(options)],
  ]);
  if (options.aggregationUri !== undefined) map.set('aggregation_uri', options.aggregationUri);
  return map;
}

/** Decodes and decompresses a CBOR StatusList; STATUS_LIST_DECODE / _DECOMPRESS / _TOO_LARGE on bad input. */
export function decodeStatusListCbor(value: CborValue, options: DecompressOptions = {}): DecodedStatusList {
  if (!(value instanceof Map))
    throw new StatusListError('STATUS_LIST_DECODE', 'status_list is not a CBOR map');
  const bits = value.get('bits');
  const lst = value.get('lst');
  const aggregationUri = value.get('aggregation_uri');
  if (!isStatusBits(bits))
    throw new StatusListError('STATUS_LIST_DECODE', 'status_list.bits must be 1, 2, 4 or 8');
  if (!(lst instanceof Uint8Array))
    throw new StatusListError('STATUS_LIST_DECODE', 'status_list.lst must be a byte string');
  if (aggregationUri !== undefined && typeof aggregationUri !== 'string') {
    throw new StatusListError('STATUS_LIST_DECODE', 'status_list.aggregation_uri must be a text string');
  }
  const list = StatusList.decompress(lst, bits, options);
  return aggregationUri === undefined ? { list, compressed: lst } : { list, compressed: lst, aggregationUri };
}
