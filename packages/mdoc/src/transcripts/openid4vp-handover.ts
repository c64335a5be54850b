import { encode } from '@mynakit/cbor';
import { MdocError } from '../errors.js';
import { encodeSessionTranscript, type SessionTranscriptEncoding } from './session-transcript-encoding.js';
import { sha256 } from './sha256.js';

/**
 * OpenID for Verifiable Presentations 1.0, Appendix B.2.6.1 — invocation via redirects
 * (same-device or cross-device with `request_uri`; response modes `direct_post`, `direct_post.jwt`).
 *
 * ```cddl
 * SessionTranscript = [null, null, OpenID4VPHandover]
 * OpenID4VPHandover = ["OpenID4VPHandover", OpenID4VPHandoverInfoHash]
 * OpenID4VPHandoverInfoHash = bstr   ; SHA-256(CBOR(OpenID4VPHandoverInfo))
 * OpenID4VPHandoverInfo = [clientId, nonce, jwkThumbprint, responseUri]
 * clientId = tstr        ; the client_id of the request, including its prefix (e.g. "x509_san_dns:rp.example")
 * nonce = tstr
 * jwkThumbprint = bstr / null ; RFC 7638 thumbprint of the response-encryption key, null when unencrypted
 * responseUri = tstr / null   ; response_uri (direct_post*) or redirect_uri, null when neither applies
 * ```
 */
export interface OpenId4VpHandoverInput {
  readonly clientId: string;
  readonly nonce: string;
  readonly jwkThumbprint: Uint8Array | null;
  /** `response_uri` for `direct_post`/`direct_post.jwt`; `redirect_uri` otherwise; null if there is none. */
  readonly responseUri: string | null;
}

export interface OpenId4VpSessionTranscript extends SessionTranscriptEncoding {
  readonly handoverInfo: Uint8Array;
  readonly handoverInfoHash: Uint8Array;
}

export function buildOpenId4VpSessionTranscript(input: OpenId4VpHandoverInput): OpenId4VpSessionTranscript {
  if (input.clientId.length === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', 'clientId is empty');
  if (input.nonce.length === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', 'nonce is empty');
  if (input.jwkThumbprint !== null && input.jwkThumbprint.length !== 32) {
    throw new MdocError(
      'MDOC_INVALID_ARGUMENT',
      'jwkThumbprint must be a 32-byte SHA-256 thumbprint or null',
    );
  }
  const handoverInfo = encode([input.clientId, input.nonce, input.jwkThumbprint, input.responseUri]);
  const handoverInfoHash = sha256(handoverInfo);
  return {
    ...encodeSessionTranscript(null, null, ['OpenID4VPHandover', handoverInfoHash]),
    handoverInfo,
    handoverInfoHash,
  };
}
