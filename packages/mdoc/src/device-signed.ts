/**
 * DeviceSigned — ISO/IEC 18013-5:2021 §8.3.2.1.2.2:
 *
 *   DeviceSigned = {
 *     "nameSpaces" : DeviceNameSpacesBytes,   ; Returned data elements
 *     "deviceAuth" : DeviceAuth               ; Contains the device authentication for mdoc authentication
 *   }
 *   DeviceNameSpacesBytes = #6.24(bstr .cbor DeviceNameSpaces)
 *   DeviceNameSpaces = { * NameSpace => DeviceSignedItems }
 *   DeviceSignedItems = { + DataElementIdentifier => DataElementValue }
 *   DeviceAuth = {
 *     "deviceSignature" : DeviceSignature // "deviceMac" : DeviceMac
 *   }
 *   DeviceSignature = COSE_Sign1   ; detached payload: DeviceAuthenticationBytes (§9.1.3.6)
 *   DeviceMac = COSE_Mac0          ; detached payload: DeviceAuthenticationBytes (§9.1.3.5)
 */
import { type CborMap, type CborValue, EncodedCbor } from '@mynakit/cbor';
import type { CoseMessage } from '@mynakit/cose';
import { asMap, asText, decodeEmbedded, encodedField, fail, mapField, onlyKeys } from './internal/shape.js';
import { checkLimit } from './limits.js';

export interface DeviceSigned {
  /** DeviceNameSpacesBytes exactly as received (hash/sign over `.raw`). */
  readonly nameSpacesBytes: EncodedCbor;
  /** Namespace → element identifier → value. */
  readonly nameSpaces: ReadonlyMap<string, ReadonlyMap<string, CborValue>>;
  readonly deviceAuth: {
    readonly kind: 'signature' | 'mac';
    /** The COSE_Sign1 / COSE_Mac0 as decoded. */
    readonly value: CborValue;
    /** The same, already read as a COSE message (the verifier's one-pass reader fills this in). */
    readonly message?: CoseMessage;
  };
}

/**
 * DeviceNameSpaces as Maps, each count within its limit. Keys are unique already: the CBOR decoder
 * refuses a map key twice (RFC 8949 §5.6), so an element cannot be device-signed twice.
 */
export function deviceNameSpacesOf(value: CborValue, where: string): Map<string, Map<string, CborValue>> {
  const m = asMap(value, where);
  checkLimit(m.size, 'nameSpaces', where);
  const nameSpaces = new Map<string, Map<string, CborValue>>();
  for (const [ns, items] of m) {
    const name = asText(ns, `${where} key`);
    const w = `${where}[${name}]`;
    const elements = asMap(items, w);
    checkLimit(elements.size, 'elementsPerNameSpace', w);
    const out = new Map<string, CborValue>();
    for (const [id, v] of elements) out.set(asText(id, `${w} key`), v);
    nameSpaces.set(name, out);
  }
  return nameSpaces;
}

export function decodeDeviceSigned(value: CborValue, where = 'DeviceSigned'): DeviceSigned {
  const m = asMap(value, where);
  onlyKeys(m, ['nameSpaces', 'deviceAuth'], where);
  const nameSpacesBytes = encodedField(m, 'nameSpaces', where);
  const nameSpaces = deviceNameSpacesOf(
    decodeEmbedded(nameSpacesBytes, `${where}.nameSpaces`),
    `${where}.nameSpaces`,
  );
  const auth = mapField(m, 'deviceAuth', where);
  onlyKeys(auth, ['deviceSignature', 'deviceMac'], `${where}.deviceAuth`);
  const sig = auth.get('deviceSignature');
  const mac = auth.get('deviceMac');
  if ((sig === undefined) === (mac === undefined)) {
    fail(`${where}.deviceAuth must hold exactly one of deviceSignature and deviceMac`);
  }
  return {
    nameSpacesBytes,
    nameSpaces,
    deviceAuth:
      sig !== undefined ? { kind: 'signature', value: sig } : { kind: 'mac', value: mac as CborValue },
  };
}

/** DeviceNameSpacesBytes for elements the device signs itself (an empty map when there are none). */
export function encodeDeviceNameSpaces(
  nameSpaces: Readonly<Record<string, Readonly<Record<string, CborValue>>>> = {},
): EncodedCbor {
  const m: CborMap = new Map();
  for (const [ns, items] of Object.entries(nameSpaces)) {
    const inner: CborMap = new Map();
    for (const [id, v] of Object.entries(items)) inner.set(id, v);
    if (inner.size > 0) m.set(ns, inner);
  }
  return EncodedCbor.of(m);
}

export function buildDeviceSigned(
  nameSpacesBytes: EncodedCbor,
  auth: { deviceSignature: CborValue } | { deviceMac: CborValue },
): CborMap {
  const deviceAuth: CborMap =
    'deviceSignature' in auth
      ? new Map([['deviceSignature', auth.deviceSignature]])
      : new Map([['deviceMac', auth.deviceMac]]);
  return new Map<CborValue, CborValue>([
    ['nameSpaces', nameSpacesBytes],
    ['deviceAuth', deviceAuth],
  ]);
}
