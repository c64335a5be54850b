import { bytesToBase64url } from '@mynakit/cbor';
import type { P256PrivateKeyInput } from '../ec-keys.js';
import type { NonceStore } from '../nonce-store.js';
import {
  ChannelReport,
  consumeNonce,
  type MdocVerifyOptions,
  type PresentationVerification,
  verifyPresentedDeviceResponse,
} from '../presentation-verification.js';
import { type DecryptedAnnexCResponse, decryptAnnexCResponse } from './annex-c-response.js';
import { type EncryptionInfo, parseEncryptionInfo } from './encryption-info.js';

/**
 * Verifier side of ISO/IEC 18013-7 Annex C: decrypt with the transcript rebuilt from what the verifier
 * sent (its EncryptionInfo string and its own origin), consume the EncryptionInfo nonce once, then
 * verify the DeviceResponse with mdoc's `verifyDeviceResponse` against the same transcript.
 */
export interface AnnexCVerifierSession {
  /** The `encryptionInfo` string exactly as the verifier sent it. */
  readonly encryptionInfo: string;
  /** The origin of the verifier's own page. */
  readonly origin: string;
  readonly recipientPrivateKey: P256PrivateKeyInput;
  /** The docType requested (documents of another docType fail `mso.doctype`). */
  readonly docType?: string;
}

export interface VerifyAnnexCResponseOptions {
  readonly mdoc: MdocVerifyOptions;
  /** One-time use of the EncryptionInfo nonce, keyed by its base64url text. */
  readonly nonceStore?: NonceStore;
  readonly noncePurpose?: string;
}

/** The NonceStore key of an Annex C request: the base64url of its EncryptionInfo nonce. */
export function annexCNonceKey(encryptionInfo: string | EncryptionInfo): string {
  return bytesToBase64url(
    (typeof encryptionInfo === 'string' ? parseEncryptionInfo(encryptionInfo) : encryptionInfo).nonce,
  );
}

export async function verifyAnnexCResponse(
  data: { readonly response?: unknown } | string,
  session: AnnexCVerifierSession,
  options: VerifyAnnexCResponseOptions,
): Promise<PresentationVerification> {
  const report = new ChannelReport();
  const response =
    typeof data === 'string' ? data : typeof data === 'object' && data !== null ? data.response : undefined;
  if (typeof response !== 'string') {
    report.failed('response.decode', 'DECODE', 'the org-iso-mdoc response needs a "response" string');
    return report.result();
  }
  let decrypted: DecryptedAnnexCResponse;
  try {
    decrypted = await decryptAnnexCResponse({
      response,
      encryptionInfoB64: session.encryptionInfo,
      origin: session.origin,
      recipientPrivateKey: session.recipientPrivateKey,
    });
    report.passed(
      'response.decrypt',
      'HPKE open succeeded with the transcript rebuilt from the request and origin',
    );
  } catch (e) {
    report.fromError('response.decrypt', e);
    return report.result();
  }
  report.sessionTranscriptBytes = decrypted.sessionTranscriptBytes;
  if (
    !(await consumeNonce(
      report,
      options.nonceStore,
      // Parsed once, by the decryption: the nonce of the very EncryptionInfo the transcript was built from.
      annexCNonceKey(decrypted.encryptionInfo),
      options.noncePurpose ?? 'annex-c',
      options.mdoc.now,
    ))
  ) {
    return report.result();
  }
  await verifyPresentedDeviceResponse(
    report,
    decrypted.deviceResponse,
    decrypted.sessionTranscriptBytes,
    options.mdoc,
    {
      ...(session.docType !== undefined ? { docType: session.docType } : {}),
    },
  );
  return report.result();
}
