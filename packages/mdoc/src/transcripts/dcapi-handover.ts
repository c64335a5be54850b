import { encode } from '@mynakit/cbor';
import { MdocError } from '../errors.js';
import { encodeSessionTranscript, type SessionTranscriptEncoding } from './session-transcript-encoding.js';
import { sha256 } from './sha256.js';

/**
 * ISO/IEC 18013-7 Annex C (`org-iso-mdoc` over the W3C Digital Credentials API): the `dcapi` handover.
 *
 * ```cddl
 * SessionTranscript = [null, null, DCAPIHandover]
 * DCAPIHandover = ["dcapi", dcapiInfoHash]
 * dcapiInfoHash = bstr            ; SHA-256(CBOR(dcapiInfo))
 * dcapiInfo = [Base64EncryptionInfo, SerializedOrigin]
 * Base64EncryptionInfo = tstr     ; the base64url text of EncryptionInfo exactly as the request carried it
 * SerializedOrigin = tstr         ; the web origin the browser reports, e.g. "https://rp.example"
 * ```
 *
 * The hash covers the base64url *string* as sent, not the decoded EncryptionInfo: re-encoding it
 * (as some verifiers do) only agrees when every encoder is deterministic, so we never do.
 */
export interface DcapiHandoverInput {
  /** The `encryptionInfo` member of the request, the base64url string exactly as sent. */
  readonly encryptionInfo: string;
  /** The requesting web origin (no trailing slash), as the browser reports it to the wallet. */
  readonly origin: string;
}

export interface DcapiSessionTranscript extends SessionTranscriptEncoding {
  /** SHA-256(CBOR([encryptionInfo, origin])): the second element of the handover. */
  readonly dcapiInfoHash: Uint8Array;
}

export function buildDcapiSessionTranscript(input: DcapiHandoverInput): DcapiSessionTranscript {
  if (input.encryptionInfo.length === 0)
    throw new MdocError('MDOC_INVALID_ARGUMENT', 'encryptionInfo is empty');
  if (input.origin.length === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', 'origin is empty');
  const dcapiInfoHash = sha256(encode([input.encryptionInfo, input.origin]));
  return { ...encodeSessionTranscript(null, null, ['dcapi', dcapiInfoHash]), dcapiInfoHash };
}
