import { MdocError } from '../errors.js';
import { encodeSessionTranscript, type SessionTranscriptEncoding } from './session-transcript-encoding.js';

/**
 * Apple "Verify with Wallet" in-app presentment (developer.apple.com, PassKit, "Verifying Wallet
 * identity requests"). The DeviceResponse travels in an `APPLE-HPKE-v1` envelope whose HPKE `info`
 * is this SessionTranscript, bare; `infoHash` in the envelope is its SHA-256.
 *
 * ```cddl
 * SessionTranscript = [null, null, AppleHandover]
 * AppleHandover = [
 *   "AppleIdentityPresentment_1.0",
 *   nonce,        ; bstr — the nonce the app passed to PKIdentityRequest
 *   merchantId,   ; tstr — the merchant identifier of the requesting app
 *   teamId,       ; tstr — the Apple developer team identifier
 *   pkRHash       ; bstr — SHA-256 of the recipient (server) public key, as in HPKEParams
 * ]
 * ```
 */
export interface AppleIdentityPresentmentHandoverInput {
  readonly nonce: Uint8Array;
  readonly merchantId: string;
  readonly teamId: string;
  /** SHA-256 of the recipient public key (32 bytes); the same value as `pkRHash` in the envelope. */
  readonly pkRHash: Uint8Array;
}

export const APPLE_IDENTITY_PRESENTMENT_VERSION = 'AppleIdentityPresentment_1.0';

export function buildAppleIdentityPresentmentSessionTranscript(
  input: AppleIdentityPresentmentHandoverInput,
): SessionTranscriptEncoding {
  if (input.nonce.length === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', 'nonce is empty');
  if (input.merchantId.length === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', 'merchantId is empty');
  if (input.teamId.length === 0) throw new MdocError('MDOC_INVALID_ARGUMENT', 'teamId is empty');
  if (input.pkRHash.length !== 32)
    throw new MdocError('MDOC_INVALID_ARGUMENT', 'pkRHash must be a 32-byte SHA-256');
  return encodeSessionTranscript(null, null, [
    APPLE_IDENTITY_PRESENTMENT_VERSION,
    input.nonce,
    input.merchantId,
    input.teamId,
    input.pkRHash,
  ]);
}
