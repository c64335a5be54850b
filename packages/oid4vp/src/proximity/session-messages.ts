import { type CborMap, type CborValue, decode, EncodedCbor, encode } from '@mynakit/cbor';
import { Oid4vpError } from '../errors.js';

/**
 * Session establishment and data messages — ISO/IEC 18013-5:2021 §9.1.1.4.
 *
 * ```cddl
 * SessionEstablishment = {
 *   "eReaderKey": EReaderKeyBytes,   ; #6.24(bstr .cbor EReaderKey.Pub)
 *   "data": bstr                     ; the encrypted DeviceRequest
 * }
 * SessionData = {
 *   ? "data": bstr,                  ; encrypted DeviceRequest or DeviceResponse
 *   ? "status": uint                 ; 10 session encryption error, 11 CBOR decoding error, 20 session termination
 * }
 * ```
 */
export const SESSION_STATUS = {
  ENCRYPTION_ERROR: 10,
  DECODING_ERROR: 11,
  TERMINATION: 20,
} as const;

export interface SessionEstablishment {
  /** EReaderKeyBytes as received (the SessionTranscript embeds it verbatim). */
  readonly eReaderKeyBytes: EncodedCbor;
  readonly data: Uint8Array;
}

export interface SessionData {
  readonly data?: Uint8Array;
  readonly status?: number;
}

export function encodeSessionEstablishment(m: SessionEstablishment): Uint8Array {
  return encode(
    new Map<CborValue, CborValue>([
      ['eReaderKey', m.eReaderKeyBytes],
      ['data', m.data],
    ]),
  );
}

function asMap(bytes: Uint8Array, what: string): CborMap {
  let v: CborValue;
  try {
    v = decode(bytes);
  } catch (e) {
    throw new Oid4vpError('DECODE', `${what} is not CBOR`, { cause: e });
  }
  if (!(v instanceof Map)) throw new Oid4vpError('DECODE', `${what} must be a map`);
  return v as CborMap;
}

export function decodeSessionEstablishment(bytes: Uint8Array): SessionEstablishment {
  const m = asMap(bytes, 'SessionEstablishment');
  const eReaderKeyBytes = m.get('eReaderKey');
  const data = m.get('data');
  if (!(eReaderKeyBytes instanceof EncodedCbor))
    throw new Oid4vpError('DECODE', 'SessionEstablishment.eReaderKey must be tag 24');
  if (!(data instanceof Uint8Array))
    throw new Oid4vpError('DECODE', 'SessionEstablishment.data must be a bstr');
  return { eReaderKeyBytes, data };
}

export function encodeSessionData(m: SessionData): Uint8Array {
  const out: CborMap = new Map();
  if (m.data !== undefined) out.set('data', m.data);
  if (m.status !== undefined) out.set('status', m.status);
  return encode(out);
}

export function decodeSessionData(bytes: Uint8Array): SessionData {
  const m = asMap(bytes, 'SessionData');
  const data = m.get('data');
  const status = m.get('status');
  if (data !== undefined && !(data instanceof Uint8Array))
    throw new Oid4vpError('DECODE', 'SessionData.data must be a bstr');
  if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 0)) {
    throw new Oid4vpError('DECODE', 'SessionData.status must be a uint');
  }
  if (data === undefined && status === undefined)
    throw new Oid4vpError('DECODE', 'SessionData carries neither data nor status');
  return { ...(data !== undefined ? { data } : {}), ...(status !== undefined ? { status } : {}) };
}

/** True when `bytes` is a SessionEstablishment (it has `eReaderKey`), without failing on other input. */
export function isSessionEstablishment(bytes: Uint8Array): boolean {
  try {
    return asMap(bytes, 'message').has('eReaderKey');
  } catch {
    return false;
  }
}
