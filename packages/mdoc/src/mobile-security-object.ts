/**
 * MobileSecurityObject — ISO/IEC 18013-5:2021 §9.1.2.4:
 *
 *   MobileSecurityObjectBytes = #6.24(bstr .cbor MobileSecurityObject)
 *   MobileSecurityObject = {
 *     "version" : tstr,                   ; "1.0"
 *     "digestAlgorithm" : tstr,           ; "SHA-256" / "SHA-384" / "SHA-512"
 *     "valueDigests" : ValueDigests,
 *     "deviceKeyInfo" : DeviceKeyInfo,
 *     "docType" : tstr,
 *     "validityInfo" : ValidityInfo,
 *     ? "status" : Status                 ; draft-ietf-oauth-status-list §6.3 (mdoc)
 *   }
 *   ValueDigests = { + NameSpace => DigestIDs }
 *   DigestIDs = { + DigestID => Digest }
 *   DigestID = uint
 *   Digest = bstr
 *
 * Status (draft-ietf-oauth-status-list-20 §6.3, "Referenced Token in COSE"):
 *   Status = { "status_list" : { "idx" : uint, "uri" : tstr } }
 *
 * The MSO has no identifier of its own; SHA-256 over the MobileSecurityObjectBytes identifies it.
 */
import type { CborMap, CborValue } from '@mynakit/cbor';
import { type DeviceKeyInfo, decodeDeviceKeyInfo, encodeDeviceKeyInfo } from './device-key-info.js';
import { MdocError } from './errors.js';
import { asBytes, asMap, asText, asUint, mapField, required, textField } from './internal/shape.js';
import { decodeValidityInfo, encodeValidityInfo, type ValidityInfo } from './validity-info.js';

export type DigestAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** The MSO digest algorithms of §9.1.2.4 and their node:crypto names. */
export const DIGEST_ALGORITHMS: Readonly<Record<DigestAlgorithm, string>> = {
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

export function isDigestAlgorithm(v: string): v is DigestAlgorithm {
  return Object.hasOwn(DIGEST_ALGORITHMS, v);
}

/** The status list reference of a Referenced Token. */
export interface StatusListReference {
  readonly idx: number;
  readonly uri: string;
}

export interface MobileSecurityObject {
  readonly version: string;
  readonly digestAlgorithm: string;
  /** namespace → digestID → digest. */
  readonly valueDigests: ReadonlyMap<string, ReadonlyMap<number, Uint8Array>>;
  readonly deviceKeyInfo: DeviceKeyInfo;
  readonly docType: string;
  readonly validityInfo: ValidityInfo;
  readonly status?: StatusListReference;
}

export function decodeMobileSecurityObject(
  value: CborValue,
  where = 'MobileSecurityObject',
): MobileSecurityObject {
  const m = asMap(value, where);
  const valueDigests = new Map<string, Map<number, Uint8Array>>();
  for (const [ns, ids] of mapField(m, 'valueDigests', where)) {
    const nsName = asText(ns, `${where}.valueDigests key`);
    const digests = new Map<number, Uint8Array>();
    for (const [id, digest] of asMap(ids, `${where}.valueDigests[${nsName}]`)) {
      digests.set(
        asUint(id, `${where}.valueDigests[${nsName}] DigestID`),
        asBytes(digest, `${where}.valueDigests digest`),
      );
    }
    valueDigests.set(nsName, digests);
  }
  const mso: MobileSecurityObject = {
    version: textField(m, 'version', where),
    digestAlgorithm: textField(m, 'digestAlgorithm', where),
    valueDigests,
    deviceKeyInfo: decodeDeviceKeyInfo(required(m, 'deviceKeyInfo', where), `${where}.deviceKeyInfo`),
    docType: textField(m, 'docType', where),
    validityInfo: decodeValidityInfo(required(m, 'validityInfo', where), `${where}.validityInfo`),
  };
  const status = m.get('status');
  if (status === undefined) return mso;
  const ref = decodeStatusReference(status, `${where}.status`);
  return ref ? { ...mso, status: ref } : mso;
}

/**
 * The `status_list` reference of an MSO `status` map; undefined when the map carries only other
 * mechanisms (e.g. an identifier list), which this verifier does not consult.
 */
function decodeStatusReference(value: CborValue, where: string): StatusListReference | undefined {
  const sl = asMap(value, where).get('status_list');
  if (sl === undefined) return undefined;
  const m = asMap(sl, `${where}.status_list`);
  return {
    idx: asUint(required(m, 'idx', `${where}.status_list`), `${where}.status_list.idx`),
    uri: asText(required(m, 'uri', `${where}.status_list`), `${where}.status_list.uri`),
  };
}

export function encodeMobileSecurityObject(mso: MobileSecurityObject): CborMap {
  if (!isDigestAlgorithm(mso.digestAlgorithm)) {
    throw new MdocError('MDOC_UNSUPPORTED', 'digestAlgorithm must be SHA-256, SHA-384 or SHA-512');
  }
  const valueDigests: CborMap = new Map();
  for (const [ns, ids] of mso.valueDigests) {
    const d: CborMap = new Map();
    for (const [id, digest] of ids) d.set(id, digest);
    valueDigests.set(ns, d);
  }
  const m: CborMap = new Map<CborValue, CborValue>([
    ['version', mso.version],
    ['digestAlgorithm', mso.digestAlgorithm],
    ['valueDigests', valueDigests],
    ['deviceKeyInfo', encodeDeviceKeyInfo(mso.deviceKeyInfo)],
    ['docType', mso.docType],
    ['validityInfo', encodeValidityInfo(mso.validityInfo)],
  ]);
  if (mso.status) {
    if (!Number.isSafeInteger(mso.status.idx) || mso.status.idx < 0 || mso.status.uri.length === 0) {
      throw new MdocError('MDOC_INVALID_ARGUMENT', 'status.status_list needs a uint idx and a uri');
    }
    m.set(
      'status',
      new Map([
        [
          'status_list',
          new Map<CborValue, CborValue>([
            ['idx', mso.status.idx],
            ['uri', mso.status.uri],
          ]),
        ],
      ]),
    );
  }
  return m;
}
