import { EncodedCbor } from '@mynakit/cbor';
import { MdocError } from '../errors.js';
import { encodeSessionTranscript, type SessionTranscriptEncoding } from './session-transcript-encoding.js';

/**
 * ISO/IEC 18013-5:2021 §9.1.5.1 — the proximity SessionTranscript (device engagement by QR code or
 * NFC, data retrieval over BLE/NFC/Wi-Fi Aware).
 *
 * ```cddl
 * SessionTranscript = [DeviceEngagementBytes, EReaderKeyBytes, Handover]
 * DeviceEngagementBytes = #6.24(bstr .cbor DeviceEngagement)
 * EReaderKeyBytes = #6.24(bstr .cbor EReaderKey.Pub)
 * Handover = QRHandover / NFCHandover
 * QRHandover = null
 * NFCHandover = [
 *   HandoverSelect,             ; bstr: the NDEF Handover Select message, as read
 *   HandoverRequest / null      ; bstr: the NDEF Handover Request message (negotiated handover), else null
 * ]
 * ```
 *
 * Both embedded items are hashed into the session keys (salt = SHA-256(SessionTranscriptBytes)),
 * so they must be the bytes the peer sent. Pass a received `EncodedCbor` (from a decoded
 * SessionEstablishment) to forward the tag-24 item verbatim; pass plain bytes (the DeviceEngagement
 * decoded from a QR code or an NDEF record) to have them wrapped — never re-encoded.
 */
export type ProximityHandover = { readonly kind: 'qr' } | NfcHandover;

export interface NfcHandover {
  readonly kind: 'nfc';
  /** The NDEF Handover Select message bytes. */
  readonly handoverSelect: Uint8Array;
  /** The NDEF Handover Request message bytes (negotiated handover); null for static handover. */
  readonly handoverRequest: Uint8Array | null;
}

export interface ProximitySessionTranscriptInput {
  /** The DeviceEngagement CBOR as received (plain bytes) or the tag-24 item as received. */
  readonly deviceEngagement: Uint8Array | EncodedCbor;
  /** The EReaderKey COSE_Key CBOR (plain bytes) or the EReaderKeyBytes tag-24 item as received. */
  readonly eReaderKey: Uint8Array | EncodedCbor;
  readonly handover: ProximityHandover;
}

function asTag24(value: Uint8Array | EncodedCbor, what: string): EncodedCbor {
  if (value instanceof EncodedCbor) return value;
  if (value.length === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', `${what} is empty`);
  return EncodedCbor.fromBytes(value);
}

export function buildProximitySessionTranscript(
  input: ProximitySessionTranscriptInput,
): SessionTranscriptEncoding {
  const handover =
    input.handover.kind === 'qr' ? null : [input.handover.handoverSelect, input.handover.handoverRequest];
  return encodeSessionTranscript(
    asTag24(input.deviceEngagement, 'deviceEngagement'),
    asTag24(input.eReaderKey, 'eReaderKey'),
    handover,
  );
}
