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
import type { CborMap, CborValue, LeanReader } from '@mynakit/cbor';
import { MdocError } from './errors.js';
import { keySet, more, nextKey, otherKey, readDecoded, structureMapHead } from './internal/lean-map.js';
import { getOwn, setOwn } from './internal/own.js';
import { asArray, asMap, asText, fail } from './internal/shape.js';
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

const DEVICE_KEY_INFO = keySet('deviceKey', 'keyAuthorizations', 'keyInfo');

/**
 * Reads DeviceKeyInfo at the cursor, in place (inside the MSO): any key order, unknown keys skipped (at
 * most `LIMITS.mapKeys`), a key twice refused; the COSE_Key and KeyInfo are maps of at most
 * `LIMITS.mapKeys` entries.
 */
export function readDeviceKeyInfo(r: LeanReader, where = 'DeviceKeyInfo'): DeviceKeyInfo {
  let deviceKey: CborMap | undefined;
  let keyAuthorizations: KeyAuthorizations | undefined;
  let keyInfo: CborMap | undefined;
  let seen = 0;
  let others: Set<string> | undefined;
  const n = structureMapHead(r, where);
  for (let i = 0; more(r, n, i); i++) {
    const k = nextKey(r, DEVICE_KEY_INFO, seen, where, n, i);
    if (k < 0) {
      others = otherKey(others, where);
      r.skip();
      continue;
    }
    seen |= 1 << k;
    if (k === 1) keyAuthorizations = decodeKeyAuthorizations(r.value(), `${where}.keyAuthorizations`);
    else {
      const m = asMap(r.value(), k === 0 ? `${where}.deviceKey` : `${where}.keyInfo`);
      checkLimit(m.size, 'mapKeys', where);
      if (k === 0) deviceKey = m;
      else keyInfo = m;
    }
  }
  if (!deviceKey) fail(`${where} lacks "deviceKey"`);
  if (!keyAuthorizations && !keyInfo) return { deviceKey };
  return {
    deviceKey,
    ...(keyAuthorizations ? { keyAuthorizations } : {}),
    ...(keyInfo ? { keyInfo } : {}),
  };
}

/** DeviceKeyInfo from a decoded value (read by `readDeviceKeyInfo`). */
export function decodeDeviceKeyInfo(value: CborValue, where = 'DeviceKeyInfo'): DeviceKeyInfo {
  return readDecoded(value, where, (r) => readDeviceKeyInfo(r, where));
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
