/**
 * Status List in JSON format (draft-ietf-oauth-status-list-20 §4.2), the `status_list` claim of a
 * Status List Token in JWT form:
 *
 *   "status_list": {
 *     "bits": 1 | 2 | 4 | 8,       REQUIRED
 *     "lst": "<base64url of the compressed byte array>",   REQUIRED, no padding (RFC 7515 §2)
 *     "aggregation_uri": "<URI>"   OPTIONAL (§9 Status List Aggregation)
 *   }
 */
import { base64urlDecode, base64urlEncode } from './base64url.js';
import type { CompressOptions, DecompressOptions } from './compressed-byte-array.js';
import { StatusListError } from './errors.js';
import { own } from './own.js';
import { isStatusBits, StatusList } from './status-list.js';

export interface StatusListJson {
  bits: number;
  lst: string;
  aggregation_uri?: string;
}

export interface DecodedStatusList {
  readonly list: StatusList;
  /** The compressed bytes exactly as received. */
  readonly compressed: Uint8Array;
  readonly aggregationUri?: string;
}

export function encodeStatusListJson(
  list: StatusList,
  options: CompressOptions & { aggregationUri?: string; compressed?: Uint8Array } = {},
): StatusListJson {
  const compressed = options.compressed ?? list.compress(options);
  const out: StatusListJson = { bits: list.bits, lst: base64urlEncode(compressed) };
  if (options.aggregationUri !== undefined) out.aggregation_uri = options.aggregationUri;
  return out;
}

/** Decodes and decompresses a JSON StatusList; STATUS_LIST_DECODE / _DECOMPRESS / _TOO_LARGE on bad input. */
export function decodeStatusListJson(value: unknown, options: DecompressOptions = {}): DecodedStatusList {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StatusListError('STATUS_LIST_DECODE', 'status_list is not a JSON object');
  }
  const bits = own(value, 'bits');
  const lst = own(value, 'lst');
  const aggregationUri = own(value, 'aggregation_uri');
  if (!isStatusBits(bits)) {
    throw new StatusListError('STATUS_LIST_DECODE', 'status_list.bits must be 1, 2, 4 or 8');
  }
  if (typeof lst !== 'string') {
    throw new StatusListError('STATUS_LIST_DECODE', 'status_list.lst must be a string');
  }
  const compressed = base64urlDecode(lst);
  if (compressed === undefined) {
    throw new StatusListError('STATUS_LIST_DECODE', 'status_list.lst is not base64url');
  }
  if (aggregationUri !== undefined && typeof aggregationUri !== 'string') {
    throw new StatusListError('STATUS_LIST_DECODE', 'status_list.aggregation_uri must be a string');
  }
  const list = StatusList.decompress(compressed, bits, options);
  return aggregationUri === undefined ? { list, compressed } : { list, compressed, aggregationUri };
}
