import { Oid4vpError } from '../errors.js';

/**
 * NFC engagement — ISO/IEC 18013-5:2021 §8.2.2.1: the mdoc's NDEF Handover Select message (NFC Forum
 * Connection Handover) carries the DeviceEngagement as an NFC Forum external-type record of type
 * `iso.org:18013:deviceengagement` with record id `mdoc`, next to the alternative-carrier records.
 * The whole Handover Select message (and the Handover Request, for negotiated handover) goes into the
 * SessionTranscript as NFCHandover, byte for byte.
 *
 * NDEF record (NFC Forum NDEF 1.0 §3.2): flags MB ME CF SR IL + TNF (3 bits), TYPE LENGTH,
 * PAYLOAD LENGTH (1 byte if SR, else 4), ID LENGTH (if IL), TYPE, ID, PAYLOAD.
 */
export interface NdefRecord {
  readonly tnf: number;
  readonly type: string;
  readonly id: string;
  readonly payload: Uint8Array;
}

export const TNF_WELL_KNOWN = 1;
export const TNF_MEDIA = 2;
export const TNF_EXTERNAL = 4;
export const DEVICE_ENGAGEMENT_RECORD_TYPE = 'iso.org:18013:deviceengagement';

const latin1 = (b: Uint8Array) => String.fromCharCode(...b);

export function parseNdefMessage(bytes: Uint8Array): NdefRecord[] {
  const records: NdefRecord[] = [];
  let o = 0;
  const need = (n: number) => {
    if (o + n > bytes.length) throw new Oid4vpError('DECODE', 'NDEF message truncated');
  };
  while (o < bytes.length) {
    need(2);
    const header = bytes[o++] as number;
    if (header & 0x20)
      throw new Oid4vpError('UNSUPPORTED', 'chunked NDEF records are not used by mdoc engagement');
    const typeLength = bytes[o++] as number;
    let payloadLength: number;
    if (header & 0x10) {
      need(1);
      payloadLength = bytes[o++] as number;
    } else {
      need(4);
      payloadLength =
        (((bytes[o] as number) << 24) |
          ((bytes[o + 1] as number) << 16) |
          ((bytes[o + 2] as number) << 8) |
          (bytes[o + 3] as number)) >>>
        0;
      o += 4;
    }
    let idLength = 0;
    if (header & 0x08) {
      need(1);
      idLength = bytes[o++] as number;
    }
    need(typeLength + idLength + payloadLength);
    const type = latin1(bytes.subarray(o, o + typeLength));
    o += typeLength;
    const id = latin1(bytes.subarray(o, o + idLength));
    o += idLength;
    records.push({ tnf: header & 0x07, type, id, payload: bytes.subarray(o, o + payloadLength) });
    o += payloadLength;
    if (header & 0x40) break; // ME: message end
  }
  if (records.length === 0) throw new Oid4vpError('DECODE', 'empty NDEF message');
  return records;
}

/** The DeviceEngagement bytes carried by an NFC Handover Select message. */
export function deviceEngagementFromHandoverSelect(handoverSelect: Uint8Array): Uint8Array {
  const records = parseNdefMessage(handoverSelect);
  if (records[0]?.tnf !== TNF_WELL_KNOWN || records[0].type !== 'Hs') {
    throw new Oid4vpError('DECODE', 'not an NFC Handover Select message');
  }
  const de = records.find((r) => r.tnf === TNF_EXTERNAL && r.type === DEVICE_ENGAGEMENT_RECORD_TYPE);
  if (!de) throw new Oid4vpError('DECODE', 'the Handover Select message carries no DeviceEngagement record');
  return de.payload;
}
