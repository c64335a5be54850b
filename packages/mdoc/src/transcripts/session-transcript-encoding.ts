import { type CborValue, EncodedCbor, encode } from '@mynakit/cbor';

/**
 * ISO/IEC 18013-5:2021 §9.1.5.1 — the SessionTranscript and its tag-24 wrapper.
 *
 * ```cddl
 * SessionTranscript = [
 *   DeviceEngagementBytes,   ; null outside proximity
 *   EReaderKeyBytes,         ; null outside proximity
 *   Handover
 * ]
 * SessionTranscriptBytes = #6.24(bstr .cbor SessionTranscript)
 * ```
 *
 * Every channel needs both forms: DeviceAuthentication and ReaderAuthentication embed the
 * tag-24 `SessionTranscriptBytes`, while the HPKE `info` of ISO/IEC 18013-7 Annex C and of Apple's
 * in-app envelope is the **bare** SessionTranscript. Mixing them up is the most common interop
 * failure, so every builder in this folder returns both, computed from one encoding.
 */
export interface SessionTranscriptEncoding {
  /** The bare CBOR SessionTranscript array (the HPKE `info` for Annex C and Apple in-app). */
  readonly sessionTranscript: Uint8Array;
  /** `#6.24(bstr .cbor SessionTranscript)`: what DeviceAuthentication and ReaderAuthentication embed. */
  readonly sessionTranscriptBytes: Uint8Array;
}

/**
 * Encodes `[deviceEngagementBytes, eReaderKeyBytes, handover]` deterministically and wraps the
 * result in tag 24 without re-encoding it.
 */
export function encodeSessionTranscript(
  deviceEngagementBytes: EncodedCbor | null,
  eReaderKeyBytes: EncodedCbor | null,
  handover: CborValue,
): SessionTranscriptEncoding {
  const sessionTranscript = encode([deviceEngagementBytes, eReaderKeyBytes, handover]);
  return { sessionTranscript, sessionTranscriptBytes: EncodedCbor.fromBytes(sessionTranscript).raw };
}
