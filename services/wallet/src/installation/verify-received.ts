/**
 * A received IssuerSigned is verified before the phone keeps it (ISO/IEC 18013-5 §9.1.2 through
 * @mynakit/mdoc verifyIssuerSigned against the configured IACAs), and its MSO must name the device key the
 * phone proved: an mdoc bound to another key could never be presented. The status of a just-issued record
 * is not asked here: `status.revocation` undetermined (no status checker on the phone) is accepted.
 */
import type { KeyObject } from 'node:crypto';
import { verifyIssuerSigned } from '@mynakit/mdoc';
import type { Certificate } from '@mynakit/pki';
import { WalletError } from '../errors.js';

/** What a verified credential tells the phone. */
export interface ReceivedCredential {
  readonly docType: string;
  readonly validUntil: Date;
  /** SHA-256 of MobileSecurityObjectBytes (hex). */
  readonly msoDigest: string;
}

/** Verifies `issuerSigned`; WALLET_CREDENTIAL_INVALID (naming the failed check ids) when it does not. */
export async function verifyReceivedCredential(
  issuerSigned: Uint8Array,
  options: {
    readonly trustAnchors: readonly (Uint8Array | Certificate)[];
    readonly now: Date;
    readonly docType: string;
    readonly deviceKey: KeyObject;
  },
): Promise<ReceivedCredential> {
  const report = await verifyIssuerSigned(issuerSigned, {
    trustAnchors: options.trustAnchors,
    now: options.now,
    docType: options.docType,
  });
  const bad = report.checks.filter(
    (c) => c.status === 'failed' || (c.status === 'undetermined' && c.id !== 'status.revocation'),
  );
  const mso = report.documents[0]?.mso;
  if (bad.length > 0 || mso === undefined)
    throw new WalletError(
      'WALLET_CREDENTIAL_INVALID',
      `the credential does not verify (${bad.map((c) => c.id).join(', ') || 'no MSO'})`,
    );
  const jwk = options.deviceKey.export({ format: 'jwk' });
  if (mso.deviceKey?.x !== jwk.x || mso.deviceKey?.y !== jwk.y)
    throw new WalletError('WALLET_CREDENTIAL_INVALID', 'the MSO names another device key');
  return { docType: mso.docType, validUntil: mso.validUntil, msoDigest: mso.digest };
}
