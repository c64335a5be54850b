/**
 * DeviceKeyInfo — ISO/IEC 18013-5:2021 §9.1.2.4:
 *
 *   DeviceKeyInfo = {
 *     "deviceKey" : DeviceKey,
 *     ? "keyAuthorizations" : KeyAuthorizations,
 *     ? "keyInfo" : KeyInfo
 *   }
 *   DeviceKey = COSE_Key
 *   KeyAuthorizations = {
 *     ? "nameSpaces" : AuthorizedNameSpaces,
 *     ? "dataElements" : AuthorizedDataElements
 *   }
 *   AuthorizedNameSpaces = [+ NameSpace]
 *   AuthorizedDataElements = { + NameSpace => DataElementsArray }
 *   DataElementsArray = [+ DataElementIdentifier]
 *   KeyInfo = { * int => any }   ; positive labels RFU, negative labels private use
 *
 * keyAuthorizations say which elements the device key may sign itself (DeviceSigned): a namespace in
 * `nameSpaces` authorises all of its elements; `dataElements` authorises single ones (§9.1.2.4).
 */
import type { CborMap, CborValue } from '@mynakit/cbor';
import { MdocError } from './errors.js';
import { asArray, asMap, asText, fail, required } from './internal/shape.js';

export interface KeyAuthorizations {
  readonly nameSpaces?: readonly string[];
  readonly dataElements?: Readonly<Record<string, readonly string[]>>;
}

export interface DeviceKeyInfo {
  /** The COSE_Key map as received (or as issued). */
  readonly deviceKey: CborMap;
  readonly keyAuthorizations?: KeyAuthorizations;
  readonly keyInfo?: CborMap;
}

export function decodeDeviceKeyInfo(value: CborValue, where = 'DeviceKeyInfo'): DeviceKeyInfo {
  const m = asMap(value, where);
  const deviceKey = asMap(required(m, 'deviceKey', where), `${where}.deviceKey`);
  let info: DeviceKeyInfo = { deviceKey };
  const ka = m.get('keyAuthorizations');
  if (ka !== undefined)
    info = { ...info, keyAuthorizations: decodeKeyAuthorizations(ka, `${where}.keyAuthorizations`) };
  const ki = m.get('keyInfo');
  if (ki !== undefined) info = { ...info, keyInfo: asMap(ki, `${where}.keyInfo`) };
  return info;
}

function decodeKeyAuthorizations(value: CborValue, where: string): KeyAuthorizations {
  const m = asMap(value, where);
  let out: KeyAuthorizations = {};
  const ns = m.get('nameSpaces');
  if (ns !== undefined) {
    out = {
      ...out,
      nameSpaces: asArray(ns, `${where}.nameSpaces`).map((x) => asText(x, `${where}.nameSpaces[]`)),
    };
  }
  const de = m.get('dataElements');
  if (de !== undefined) {
    const elements: Record<string, string[]> = {};
    for (const [k, v] of asMap(de, `${where}.dataElements`)) {
      if (typeof k !== 'string') fail(`${where}.dataElements keys must be namespaces (text)`);
      elements[k] = asArray(v, `${where}.dataElements`).map((x) => asText(x, `${where}.dataElements[]`));
    }
    out = { ...out, dataElements: elements };
  }
  return out;
}

export function encodeDeviceKeyInfo(info: DeviceKeyInfo): CborMap {
  const m: CborMap = new Map<CborValue, CborValue>([['deviceKey', info.deviceKey]]);
  const ka = info.keyAuthorizations;
  if (ka) {
    const k: CborMap = new Map();
    if (ka.nameSpaces) {
      if (ka.nameSpaces.length === 0)
        throw new MdocError('MDOC_INVALID_ARGUMENT', 'keyAuthorizations.nameSpaces is empty');
      k.set('nameSpaces', [...ka.nameSpaces]);
    }
    if (ka.dataElements) {
      const d: CborMap = new Map();
      for (const [ns, ids] of Object.entries(ka.dataElements)) {
        if (ids.length === 0)
          throw new MdocError('MDOC_INVALID_ARGUMENT', `keyAuthorizations.dataElements.${ns} is empty`);
        d.set(ns, [...ids]);
      }
      k.set('dataElements', d);
    }
    m.set('keyAuthorizations', k);
  }
  if (info.keyInfo) {
    for (const key of info.keyInfo.keys()) {
      if (typeof key !== 'number' || !Number.isInteger(key)) {
        throw new MdocError('MDOC_INVALID_ARGUMENT', 'keyInfo labels must be integers');
      }
    }
    m.set('keyInfo', info.keyInfo);
  }
  return m;
}

/** Whether `keyAuthorizations` lets the device key sign element `id` of namespace `ns` (§9.1.2.4). */
export function isDeviceSignedElementAuthorized(
  ka: KeyAuthorizations | undefined,
  ns: string,
  id: string,
): boolean {
  if (!ka) return false;
  if (ka.nameSpaces?.includes(ns)) return true;
  return ka.dataElements?.[ns]?.includes(id) ?? false;
}
