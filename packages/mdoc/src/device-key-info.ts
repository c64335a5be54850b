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
import { getOwn, setOwn } from './internal/own.js';
import { asArray, asMap, asText, fail, required } from './internal/shape.js';
import { checkLimit } from './limits.js';

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
  checkLimit(m.size, 'mapKeys', where);
  const deviceKey = asMap(required(m, 'deviceKey', where), `${where}.deviceKey`);
  checkLimit(deviceKey.size, 'mapKeys', `${where}.deviceKey`);
  let info: DeviceKeyInfo = { deviceKey };
  const ka = m.get('keyAuthorizations');
  if (ka !== undefined)
    info = { ...info, keyAuthorizations: decodeKeyAuthorizations(ka, `${where}.keyAuthorizations`) };
  const ki = m.get('keyInfo');
  if (ki !== undefined) {
    const keyInfo = asMap(ki, `${where}.keyInfo`);
    checkLimit(keyInfo.size, 'mapKeys', `${where}.keyInfo`);
    info = { ...info, keyInfo };
  }
  return info;
}

function decodeKeyAuthorizations(value: CborValue, where: string): KeyAuthorizations {
  const m = asMap(value, where);
  checkLimit(m.size, 'mapKeys', where);
  let out: KeyAuthorizations = {};
  const ns = m.get('nameSpaces');
  if (ns !== undefined) {
    const list = asArray(ns, `${where}.nameSpaces`);
    checkLimit(list.length, 'nameSpaces', `${where}.nameSpaces`);
    out = { ...out, nameSpaces: list.map((x) => asText(x, `${where}.nameSpaces[]`)) };
  }
  const de = m.get('dataElements');
  if (de !== undefined) {
    const map = asMap(de, `${where}.dataElements`);
    checkLimit(map.size, 'nameSpaces', `${where}.dataElements`);
    // Namespaces are received text: own properties only (`__proto__` stays a namespace).
    const elements: Record<string, string[]> = {};
    for (const [k, v] of map) {
      if (typeof k !== 'string') fail(`${where}.dataElements keys must be namespaces (text)`);
      const ids = asArray(v, `${where}.dataElements`);
      checkLimit(ids.length, 'elementsPerNameSpace', `${where}.dataElements`);
      setOwn(
        elements,
        k,
        ids.map((x) => asText(x, `${where}.dataElements[]`)),
      );
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

/** keyAuthorizations as Sets, built once per KeyAuthorizations object and kept with it. */
interface AuthorizationIndex {
  readonly nameSpaces: ReadonlySet<string>;
  readonly dataElements: ReadonlyMap<string, ReadonlySet<string>>;
}
const indexes = new WeakMap<KeyAuthorizations, AuthorizationIndex>();

function indexOf(ka: KeyAuthorizations): AuthorizationIndex {
  let index = indexes.get(ka);
  if (!index) {
    const dataElements = new Map<string, ReadonlySet<string>>();
    if (ka.dataElements)
      for (const ns of Object.keys(ka.dataElements))
        dataElements.set(ns, new Set(getOwn(ka.dataElements, ns)));
    index = { nameSpaces: new Set(ka.nameSpaces), dataElements };
    indexes.set(ka, index);
  }
  return index;
}

/**
 * Whether `keyAuthorizations` lets the device key sign element `id` of namespace `ns` (§9.1.2.4). O(1)
 * per element (the lists are turned into Sets once), and `ns`/`id` are data, never property names.
 */
export function isDeviceSignedElementAuthorized(
  ka: KeyAuthorizations | undefined,
  ns: string,
  id: string,
): boolean {
  if (!ka) return false;
  const index = indexOf(ka);
  if (index.nameSpaces.has(ns)) return true;
  return index.dataElements.get(ns)?.has(id) ?? false;
}
