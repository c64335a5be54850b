/**
 * Issuer data authentication of an IssuerSigned on its own (ISO/IEC 18013-5:2021 §9.1.2, §9.3.1) —
 * what an issuer hands a wallet, not a presentation. The checks are those of every document
 * (checks/issuer-data-authentication.ts), then `device.signature` skipped and `status.revocation`.
 *
 * Verifiers report, they do not throw: malformed input is a failed `decode` check.
 */
import type { CborValue } from '@mynakit/cbor';
import type { Check, Verdict } from '@mynakit/report';
import { checkIssuerPart } from './checks/issuer-data-authentication.js';
import { checkStatus } from './checks/status.js';
import { readBytes, readDecoded } from './internal/lean-map.js';
import { type ReceivedIssuerSigned, readIssuerSigned } from './issuer-signed.js';
import { type VerifiedDocument, VerifiedDocumentView } from './verified-document.js';
import { requireOptions, type VerifyIssuerOptions } from './verify-options.js';

export interface IssuerSignedVerification {
  /** The verdict on the issuer data alone — never on a presentation (see deviceAuthentication). */
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  readonly documents: readonly VerifiedDocument[];
  /**
   * Always `not-performed`: an IssuerSigned carries no device authentication, so nothing shows that
   * it was presented by the device holding the MSO's key — a copied record verifies the same.
   */
  readonly deviceAuthentication: 'not-performed';
}

/** The `device.signature` check of an issuer-data-only verification. */
export const DEVICE_AUTHENTICATION_NOT_PERFORMED: Check = Object.freeze({
  id: 'device.signature',
  status: 'skipped',
  detail:
    'device authentication was not performed: an IssuerSigned alone does not show that the device holding the MSO device key presented it (verify a DeviceResponse for that)',
});

/**
 * Verifies the issuer data of an IssuerSigned on its own (what an issuer hands a wallet): the issuer
 * checks, `device.signature` skipped, and the status check. This is not the verification of a
 * presentation — a DeviceResponse Document requires deviceSigned (ISO/IEC 18013-5 §8.3.2.1.2.2) and
 * goes through verifyDeviceResponse — and the result says so (`deviceAuthentication: 'not-performed'`).
 */
export async function verifyIssuerSigned(
  input: Uint8Array | CborValue,
  options: VerifyIssuerOptions & { readonly docType?: string },
): Promise<IssuerSignedVerification> {
  requireOptions(options);
  let part: ReceivedIssuerSigned;
  try {
    part =
      input instanceof Uint8Array
        ? readBytes(input, 'IssuerSigned', (r) => readIssuerSigned(r))
        : readDecoded(input, 'IssuerSigned', (r) => readIssuerSigned(r));
  } catch (e) {
    const c: Check = {
      id: 'decode',
      status: 'failed',
      detail: `IssuerSigned cannot be read: ${(e as Error).message}`,
    };
    return { verdict: 'invalid', checks: [c], documents: [], deviceAuthentication: 'not-performed' };
  }
  const docType = options.docType ?? part.mso.docType;
  const outcome = checkIssuerPart(part, docType, options);
  const checks: Check[] = [
    { id: 'decode', status: 'passed', detail: 'IssuerSigned decoded' },
    ...outcome.checks,
    DEVICE_AUTHENTICATION_NOT_PERFORMED,
    await checkStatus(outcome, docType, options),
  ];
  const doc = new VerifiedDocumentView(docType, checks, outcome.verified, {
    mso: outcome.msoSummary,
    issuer: outcome.issuer,
  });
  return { verdict: doc.verdict, checks, documents: [doc], deviceAuthentication: 'not-performed' };
}
