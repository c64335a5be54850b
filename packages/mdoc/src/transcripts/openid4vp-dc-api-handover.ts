import { encode } from '@mynakit/cbor';
import { MdocError } from '../errors.js';
import { encodeSessionTranscript, type SessionTranscriptEncoding } from './session-transcript-encoding.js';
import { sha256 } from './sha256.js';

/**
 * OpenID for Verifiable Presentations 1.0, Appendix B.2.6.2 — invocation via the W3C Digital
 * Credentials API (`openid4vp-v1-unsigned`, `openid4vp-v1-signed`).
 *
 * ```cddl
 * SessionTranscript = [null, null, OpenID4VPDCAPIHandover]
 * OpenID4VPDCAPIHandover = ["OpenID4VPDCAPIHandover", OpenID4VPDCAPIHandoverInfoHash]
 * OpenID4VPDCAPIHandoverInfoHash = bstr   ; SHA-256(CBOR(OpenID4VPDCAPIHandoverInfo))
 * OpenID4VPDCAPIHandoverInfo = [origin, nonce, jwkThumbprint]
 * origin = tstr           ; the origin of the verifier's page, without an "origin:" prefix
 * nonce = tstr            ; the request's nonce
 * jwkThumbprint = bstr / null ; RFC 7638 SHA-256 thumbprint of the response-encryption key
 *                             ; (dc_api.jwt), null when the response is not encrypted (dc_api)
 * ```
 */
export interface OpenId4VpDcApiHandoverInput {
  readonly origin: string;
  readonly nonce: string;
  /** RFC 7638 SHA-256 thumbprint (32 bytes) of the verifier's encryption JWK, or null for `dc_api`. */
  readonly jwkThumbprint: Uint8Array | null;
}

export interface OpenId4VpDcApiSessionTranscript extends SessionTranscriptEncoding {
  /** The CBOR OpenID4VPDCAPIHandoverInfo the hash is taken over. */
  readonly handoverInfo: Uint8Array;
  readonly handoverInfoHash: Uint8Array;
}

export function buildOpenId4VpDcApiSessionTranscript(
  input: OpenId4VpDcApiHandoverInput,
): OpenId4VpDcApiSessionTranscript {
  if (input.origin.length === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', 'origin is empty');
  if (input.nonce.length === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', 'nonce is empty');
  if (input.jwkThumbprint !== null && input.jwkThumbprint.length !== 32) {
    throw new MdocError(
      'MDOC_INVALID_ARGUMENT',
      'jwkThumbprint must be a 32-byte SHA-256 thumbprint or null',
    );
  }
  const handoverInfo = encode([input.origin, input.nonce, input.jwkThumbprint]);
  const handoverInfoHash = sha256(handoverInfo);
  return {
    ...encodeSessionTranscript(null, null, ['OpenID4VPDCAPIHandover', handoverInfoHash]),
    handoverInfo,
    handoverInfoHash,
  };
}
