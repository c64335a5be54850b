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
import { encode, RawCbor } from '@mynakit/cbor';
import { scratch } from './internal/cose-structures.js';
import { sessionTranscriptOf, wrapInTag24 } from './session-transcript.js';

/**
 * DeviceAuthenticationBytes from SessionTranscriptBytes, the document's DocType and the exact
 * DeviceNameSpacesBytes (the complete tag-24 item) of the response.
 */
export function deviceAuthenticationBytes(
  sessionTranscriptBytes: Uint8Array,
  docType: string,
  deviceNameSpacesBytes: Uint8Array,
): Uint8Array {
  const inner = encode([
    'DeviceAuthentication',
    new RawCbor(sessionTranscriptOf(sessionTranscriptBytes)),
    docType,
    new RawCbor(deviceNameSpacesBytes),
  ]);
  return wrapInTag24(inner);
}

const DEVICE_AUTHENTICATION = new TextEncoder().encode('DeviceAuthentication');

/** docTypes are few: their UTF-8 encodings are kept (bounded). */
const encodedDocTypes = new Map<string, Uint8Array>();
function utf8Of(docType: string): Uint8Array {
  let b = encodedDocTypes.get(docType);
  if (!b) {
    if (encodedDocTypes.size >= 64) encodedDocTypes.clear();
    b = UTF8.encode(docType);
    encodedDocTypes.set(docType, b);
  }
  return b;
}
const UTF8 = new TextEncoder();

function headSize(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
}

function writeHead(out: Uint8Array, at: number, major: number, n: number): number {
  let o = at;
  if (n < 24) out[o++] = major | n;
  else if (n < 0x100) {
    out[o++] = major | 24;
    out[o++] = n;
  } else if (n < 0x10000) {
    out[o++] = major | 25;
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  } else {
    out[o++] = major | 26;
    out[o++] = n >>> 24;
    out[o++] = (n >>> 16) & 0xff;
    out[o++] = (n >>> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  return o;
}

/**
 * The COSE Sig_structure (`context` "Signature1") or MAC_structure ("MAC0") whose payload is the
 * DeviceAuthenticationBytes — RFC 9052 §4.4 / §6.3 with an empty external_aad — written straight into
 * one buffer: the verifier's hot path needs exactly these bytes and nothing in between.
 */
export function deviceAuthenticationToBeSigned(
  context: 'Signature1' | 'MAC0',
  protectedBytes: Uint8Array,
  sessionTranscript: Uint8Array,
  docType: string,
  deviceNameSpacesBytes: Uint8Array,
  transient = false,
): Uint8Array {
  const ctx = context === 'MAC0' ? MAC0_BYTES : SIGNATURE1_BYTES;
  const doc = utf8Of(docType);
  const inner =
    1 +
    1 +
    DEVICE_AUTHENTICATION.length +
    sessionTranscript.length +
    headSize(doc.length) +
    doc.length +
    deviceNameSpacesBytes.length;
  const dab = 2 + headSize(inner) + inner;
  const total =
    1 +
    headSize(ctx.length) +
    ctx.length +
    headSize(protectedBytes.length) +
    protectedBytes.length +
    1 +
    headSize(dab) +
    dab;
  const out = transient ? scratch(total) : new Uint8Array(total);
  out[0] = 0x84;
  let o = writeHead(out, 1, 0x60, ctx.length);
  out.set(ctx, o);
  o = writeHead(out, o + ctx.length, 0x40, protectedBytes.length);
  out.set(protectedBytes, o);
  o += protectedBytes.length;
  out[o++] = 0x40; // external_aad: h''
  o = writeHead(out, o, 0x40, dab);
  out[o++] = 0xd8;
  out[o++] = 0x18;
  o = writeHead(out, o, 0x40, inner);
  out[o++] = 0x84;
  o = writeHead(out, o, 0x60, DEVICE_AUTHENTICATION.length);
  out.set(DEVICE_AUTHENTICATION, o);
  o += DEVICE_AUTHENTICATION.length;
  out.set(sessionTranscript, o);
  o += sessionTranscript.length;
  o = writeHead(out, o, 0x60, doc.length);
  out.set(doc, o);
  o += doc.length;
  out.set(deviceNameSpacesBytes, o);
  return out;
}

const SIGNATURE1_BYTES = new TextEncoder().encode('Signature1');
const MAC0_BYTES = new TextEncoder().encode('MAC0');
