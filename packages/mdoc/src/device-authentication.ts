/**
 * DeviceAuthentication — ISO/IEC 18013-5:2021 §9.1.3.4:
 *
 *   DeviceAuthentication = [
 *     "DeviceAuthentication",
 *     SessionTranscript,
 *     DocType,                  ; Same as in mdoc response
 *     DeviceNameSpacesBytes     ; Same as in mdoc response
 *   ]
 *   DeviceAuthenticationBytes = #6.24(bstr .cbor DeviceAuthentication)
 *
 * The device signature (COSE_Sign1) or MAC (COSE_Mac0) covers DeviceAuthenticationBytes as a detached
 * payload (§9.1.3.6, §9.1.3.5). Both embedded structures are copied byte-exact: the SessionTranscript
 * as the verifier holds it and the DeviceNameSpacesBytes as received — re-encoding either would
 * make a correct response fail.
 */
import { encode } from '@mynakit/cbor';
import type { PayloadWriter } from '@mynakit/cose';
import { bstrHeadSize, sessionTranscriptOf, writeBstrHead } from './session-transcript.js';

/**
 * DeviceAuthenticationBytes from SessionTranscriptBytes, the document's DocType and the exact
 * DeviceNameSpacesBytes (the complete tag-24 item) of the response.
 */
export function deviceAuthenticationBytes(
  sessionTranscriptBytes: Uint8Array,
  docType: string,
  deviceNameSpacesBytes: Uint8Array,
): Uint8Array {
  const w = deviceAuthenticationWriter(
    sessionTranscriptOf(sessionTranscriptBytes),
    docType,
    deviceNameSpacesBytes,
  );
  const out = new Uint8Array(w.length);
  w.write(out, 0);
  return out;
}

/** `84 74 "DeviceAuthentication"`: the array head and its first element, the same for every document. */
const PREFIX = Uint8Array.of(0x84, ...encode('DeviceAuthentication'));

/** docTypes are few: each one's encoding (head and UTF-8) is kept (bounded). */
const encodedDocTypes = new Map<string, Uint8Array>();
function docTypeItem(docType: string): Uint8Array {
  let b = encodedDocTypes.get(docType);
  if (!b) {
    if (encodedDocTypes.size >= 64) encodedDocTypes.clear();
    b = encode(docType);
    encodedDocTypes.set(docType, b);
  }
  return b;
}

/**
 * DeviceAuthenticationBytes written in place — `#6.24(bstr .cbor [ "DeviceAuthentication",
 * SessionTranscript, DocType, DeviceNameSpacesBytes ])` with preferred heads — for the COSE
 * Sig_structure / MAC_structure that covers them (`sigStructure1Of` / `macStructure0Of` of
 * @mynakit/cose): the verifier's hot path writes exactly those bytes, in one buffer. The transcript
 * (bare) and the DeviceNameSpacesBytes are copied byte-exact.
 */
export function deviceAuthenticationWriter(
  sessionTranscript: Uint8Array,
  docType: string,
  deviceNameSpacesBytes: Uint8Array,
): PayloadWriter {
  return new DeviceAuthenticationWriter(sessionTranscript, docTypeItem(docType), deviceNameSpacesBytes);
}

class DeviceAuthenticationWriter implements PayloadWriter {
  readonly length: number;
  readonly #inner: number;

  constructor(
    readonly transcript: Uint8Array,
    readonly docType: Uint8Array,
    readonly deviceNameSpacesBytes: Uint8Array,
  ) {
    this.#inner = PREFIX.length + transcript.length + docType.length + deviceNameSpacesBytes.length;
    this.length = 2 + bstrHeadSize(this.#inner) + this.#inner;
  }

  write(out: Uint8Array, at: number): void {
    out[at] = 0xd8; // tag 24
    out[at + 1] = 0x18;
    let o = writeBstrHead(out, at + 2, this.#inner);
    out.set(PREFIX, o);
    o += PREFIX.length;
    out.set(this.transcript, o);
    o += this.transcript.length;
    out.set(this.docType, o);
    out.set(this.deviceNameSpacesBytes, o + this.docType.length);
  }
}
