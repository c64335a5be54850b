import {
  base64urlToBytes,
  bytesToBase64url,
  type CborMap,
  type CborValue,
  decode,
  EncodedCbor,
  encode,
} from '@mynakit/cbor';
import { coseKeyToP256Jwk, p256JwkToCoseKey } from '../cose-key-p256.js';
import type { P256PublicJwk } from '../ec-keys.js';
import { Oid4vpError } from '../errors.js';

/**
 * DeviceEngagement — ISO/IEC 18013-5:2021 §8.2.1.1, and its QR form §8.2.2.3 (`mdoc:` + base64url).
 *
 * ```cddl
 * DeviceEngagement = {
 *   0: tstr,                        ; Version, "1.0"
 *   1: Security,
 *   ? 2: DeviceRetrievalMethods,
 *   * int => any
 * }
 * Security = [int, EDeviceKeyBytes]  ; cipher suite identifier 1, then #6.24(bstr .cbor EDeviceKey.Pub)
 * DeviceRetrievalMethods = [+ DeviceRetrievalMethod]
 * DeviceRetrievalMethod = [uint type, uint version, RetrievalOptions]   ; 1 NFC, 2 BLE, 3 Wi-Fi Aware
 * ```
 * The SessionTranscript embeds the DeviceEngagement bytes as received; the parsed form keeps them.
 * mynakit adds one private retrieval type, `WEBSOCKET_RETRIEVAL_TYPE`, for its WebSocket stand-in for
 * BLE/NFC (tests and the sandbox): options `{0: url}`. It is not an ISO value and no real reader knows it.
 */
export const DEVICE_ENGAGEMENT_VERSION = '1.0';
export const CIPHER_SUITE_1 = 1;
export const RETRIEVAL_NFC = 1;
export const RETRIEVAL_BLE = 2;
export const RETRIEVAL_WIFI_AWARE = 3;
/** Private to mynakit (not an ISO 18013-5 value): a WebSocket URL standing in for a proximity bearer. */
export const WEBSOCKET_RETRIEVAL_TYPE = 1000;

export interface DeviceRetrievalMethod {
  readonly type: number;
  readonly version: number;
  readonly options: CborValue;
}

export interface DeviceEngagement {
  readonly version: string;
  readonly eDeviceKey: P256PublicJwk;
  /** EDeviceKeyBytes as received (tag 24). */
  readonly eDeviceKeyBytes: EncodedCbor;
  readonly retrievalMethods: readonly DeviceRetrievalMethod[];
  /** The DeviceEngagement CBOR exactly as received or built (what the SessionTranscript embeds). */
  readonly bytes: Uint8Array;
}

export function buildDeviceEngagement(input: {
  eDeviceKey: P256PublicJwk;
  retrievalMethods?: readonly DeviceRetrievalMethod[];
}): DeviceEngagement {
  const eDeviceKeyBytes = EncodedCbor.of(p256JwkToCoseKey(input.eDeviceKey));
  const m: CborMap = new Map<CborValue, CborValue>([
    [0, DEVICE_ENGAGEMENT_VERSION],
    [1, [CIPHER_SUITE_1, eDeviceKeyBytes]],
  ]);
  const methods = input.retrievalMethods ?? [];
  if (methods.length > 0)
    m.set(
      2,
      methods.map((r) => [r.type, r.version, r.options]),
    );
  return {
    version: DEVICE_ENGAGEMENT_VERSION,
    eDeviceKey: input.eDeviceKey,
    eDeviceKeyBytes,
    retrievalMethods: methods,
    bytes: encode(m),
  };
}

/** A WebSocket retrieval method (mynakit private type) pointing at `url`. */
export function webSocketRetrievalMethod(url: string): DeviceRetrievalMethod {
  return { type: WEBSOCKET_RETRIEVAL_TYPE, version: 1, options: new Map<CborValue, CborValue>([[0, url]]) };
}

/** The URL of a WebSocket retrieval method, if the engagement offers one. */
export function webSocketUrlOf(engagement: DeviceEngagement): string | undefined {
  const m = engagement.retrievalMethods.find((r) => r.type === WEBSOCKET_RETRIEVAL_TYPE);
  const url = m?.options instanceof Map ? (m.options as CborMap).get(0) : undefined;
  return typeof url === 'string' ? url : undefined;
}

export function parseDeviceEngagement(bytes: Uint8Array): DeviceEngagement {
  let value: CborValue;
  try {
    value = decode(bytes);
  } catch (e) {
    throw new Oid4vpError('DECODE', 'DeviceEngagement is not CBOR', { cause: e });
  }
  if (!(value instanceof Map)) throw new Oid4vpError('DECODE', 'DeviceEngagement must be a map');
  const m = value as CborMap;
  const version = m.get(0);
  if (typeof version !== 'string') throw new Oid4vpError('DECODE', 'DeviceEngagement version is missing');
  if (!version.startsWith('1.'))
    throw new Oid4vpError('UNSUPPORTED', 'DeviceEngagement major version must be 1');
  const security = m.get(1);
  if (!Array.isArray(security) || security.length < 2 || !(security[1] instanceof EncodedCbor)) {
    throw new Oid4vpError('DECODE', 'DeviceEngagement Security must be [cipher suite, EDeviceKeyBytes]');
  }
  if (security[0] !== CIPHER_SUITE_1) throw new Oid4vpError('UNSUPPORTED', 'only cipher suite 1 is defined');
  const eDeviceKeyBytes = security[1] as EncodedCbor;
  let coseKey: CborValue;
  try {
    coseKey = eDeviceKeyBytes.decode();
  } catch (e) {
    throw new Oid4vpError('DECODE', 'EDeviceKeyBytes is not CBOR', { cause: e });
  }
  const methods: DeviceRetrievalMethod[] = [];
  const raw = m.get(2);
  if (raw !== undefined) {
    if (!Array.isArray(raw)) throw new Oid4vpError('DECODE', 'DeviceRetrievalMethods must be an array');
    for (const r of raw) {
      if (!Array.isArray(r) || r.length < 3 || typeof r[0] !== 'number' || typeof r[1] !== 'number') {
        throw new Oid4vpError('DECODE', 'a DeviceRetrievalMethod must be [type, version, options]');
      }
      methods.push({ type: r[0], version: r[1], options: r[2] as CborValue });
    }
  }
  return {
    version,
    eDeviceKey: coseKeyToP256Jwk(coseKey, 'EDeviceKey'),
    eDeviceKeyBytes,
    retrievalMethods: methods,
    bytes,
  };
}

/** The QR code content (§8.2.2.3): `mdoc:` followed by base64url (no padding) DeviceEngagement. */
export function deviceEngagementToUri(engagement: DeviceEngagement): string {
  return `mdoc:${bytesToBase64url(engagement.bytes)}`;
}

export function parseDeviceEngagementUri(uri: string): DeviceEngagement {
  if (!uri.startsWith('mdoc:'))
    throw new Oid4vpError('DECODE', 'a device engagement QR code starts with mdoc:');
  let bytes: Uint8Array;
  try {
    bytes = base64urlToBytes(uri.slice(5));
  } catch (e) {
    throw new Oid4vpError('DECODE', 'the mdoc: URI is not base64url', { cause: e });
  }
  return parseDeviceEngagement(bytes);
}
