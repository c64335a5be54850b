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
import { type CborMap, type CborValue, EncodedCbor, type LeanReader } from '@mynakit/cbor';
import { CoseError, type CoseMessage, readCoseMessageAt } from '@mynakit/cose';
import { envelopeKey, keySet, mapHeadOf, more, readDecoded, valueAt } from './internal/lean-map.js';
import { asMap, asText, fail } from './internal/shape.js';
import { checkLimit } from './limits.js';

export interface DeviceSigned {
  /** DeviceNameSpacesBytes exactly as received (hash/sign over `.raw`). */
  readonly nameSpacesBytes: EncodedCbor;
  /** Namespace → element identifier → value. */
  readonly nameSpaces: ReadonlyMap<string, ReadonlyMap<string, CborValue>>;
  readonly deviceAuth: {
    readonly kind: 'signature' | 'mac';
    /**
     * The COSE_Sign1 / COSE_Mac0 as decoded — given when it is not one (the verifier then reports
     * why), and by `decodeDeviceSigned`; verification reads `message`.
     */
    readonly value: CborValue;
    /** The same, read as a COSE message (by @mynakit/cose), when it is one. */
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

const DEVICE_SIGNED = keySet('nameSpaces', 'deviceAuth');
const DEVICE_AUTH = keySet('deviceSignature', 'deviceMac');

/** Nothing signed by the device — what almost every response carries (`a0`): one shared, frozen map. */
const NO_DEVICE_NAMESPACES: ReadonlyMap<string, ReadonlyMap<string, CborValue>> = Object.freeze(new Map());

/** DeviceNameSpacesBytes (tag 24) in place: the exact bytes, and the namespaces within their limits. */
function readDeviceNameSpaces(
  r: LeanReader,
  where: string,
): Pick<DeviceSigned, 'nameSpacesBytes' | 'nameSpaces'> {
  if (r.peekMajor() !== 6) fail(`${where} must be an embedded CBOR item (tag 24)`);
  r.enterEmbeddedInPlace();
  const content = r.pos;
  let nameSpaces = NO_DEVICE_NAMESPACES;
  if (r.pos < r.limit && r.bytes[r.pos] === 0xa0) {
    r.head();
  } else nameSpaces = deviceNameSpacesOf(r.value(), where);
  const start = r.leaveEmbeddedStart();
  const nameSpacesBytes = new EncodedCbor(r.bytes.subarray(content, r.pos), r.bytes.subarray(start, r.pos));
  return { nameSpacesBytes, nameSpaces };
}

/**
 * DeviceAuth (`{ "deviceSignature": COSE_Sign1 // "deviceMac": COSE_Mac0 }`) in place. A value that is
 * not the COSE message it should be is kept as decoded, without `message`: that is the device
 * authentication failing, which the verifier reports as such, not a response it cannot read.
 */
function readDeviceAuth(r: LeanReader, where: string, decodeValue: boolean): DeviceSigned['deviceAuth'] {
  let deviceAuth: DeviceSigned['deviceAuth'] | undefined;
  let seen = 0;
  const m = mapHeadOf(r, where);
  for (let j = 0; more(r, m, j); j++) {
    const a = envelopeKey(r, DEVICE_AUTH, seen, where);
    seen |= 1 << a;
    if (deviceAuth) fail(`${where} must hold exactly one of deviceSignature and deviceMac`);
    const kind = a === 0 ? 'signature' : 'mac';
    const start = r.pos;
    try {
      const message = readCoseMessageAt(r, a === 0 ? 'Sign1' : 'Mac0');
      deviceAuth = { kind, value: decodeValue ? valueAt(r.bytes, start, r.pos) : undefined, message };
    } catch (e) {
      if (!(e instanceof CoseError)) throw e;
      r.pos = start;
      deviceAuth = { kind, value: r.value() };
    }
  }
  if (!deviceAuth) fail(`${where} must hold exactly one of deviceSignature and deviceMac`);
  return deviceAuth;
}

/**
 * Reads DeviceSigned at the cursor, in place — the one reader of it. `decodeValue` also builds
 * `deviceAuth.value` (verification reads `deviceAuth.message` only). Throws MdocError or CborError.
 */
export function readDeviceSigned(r: LeanReader, where = 'DeviceSigned', decodeValue = false): DeviceSigned {
  let names: Pick<DeviceSigned, 'nameSpacesBytes' | 'nameSpaces'> | undefined;
  let deviceAuth: DeviceSigned['deviceAuth'] | undefined;
  let seen = 0;
  const n = mapHeadOf(r, where);
  for (let i = 0; more(r, n, i); i++) {
    const k = envelopeKey(r, DEVICE_SIGNED, seen, where);
    seen |= 1 << k;
    if (k === 0) names = readDeviceNameSpaces(r, 'DeviceSigned.nameSpaces');
    else deviceAuth = readDeviceAuth(r, 'DeviceSigned.deviceAuth', decodeValue);
  }
  if (!names) fail(`${where} lacks "nameSpaces"`);
  if (!deviceAuth) fail(`${where} lacks "deviceAuth"`);
  return { nameSpacesBytes: names.nameSpacesBytes, nameSpaces: names.nameSpaces, deviceAuth };
}

/** DeviceSigned from a decoded value (read through its encoding; DeviceNameSpacesBytes keep their bytes). */
export function decodeDeviceSigned(value: CborValue, where = 'DeviceSigned'): DeviceSigned {
  return readDecoded(value, where, (r) => readDeviceSigned(r, where, true));
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
