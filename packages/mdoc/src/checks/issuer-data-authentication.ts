/**
 * Issuer data authentication of one document (ISO/IEC 18013-5:2021 §9.1.2, §9.3.1), each check in
 * its own module, run in report order: issuer.certificate_path, issuer.certificate_profile
 * (issuer-certificate-path.ts over document-signer.ts), issuer.signature (issuer-signature.ts),
 * mso.doctype, mso.digest_algorithm (mso.ts), mso.validity (mso-validity.ts),
 * mso.signed_in_certificate_validity (mso.ts), item.digest (item-digests.ts). The status check
 * (status.ts) and device authentication (device-authentication.ts) follow in the verifiers.
 */
import type { Certificate } from '@mynakit/pki';
import type { Check } from '@mynakit/report';
import type { ReceivedIssuerSigned } from '../issuer-signed.js';
import { digestAlgorithmHash, type MobileSecurityObject } from '../mobile-security-object.js';
import {
  type DocumentSignerSummary,
  MsoSummaryView,
  signerSummary,
  type VerifiedItems,
} from '../verified-document.js';
import type { VerifyIssuerOptions } from '../verify-options.js';
import { documentSignerOf } from './document-signer.js';
import { signerChecks } from './issuer-certificate-path.js';
import { checkIssuerSignature } from './issuer-signature.js';
import { checkItemDigests } from './item-digests.js';
import { checkDigestAlgorithm, checkMsoDocType, checkSignedInCertificateValidity } from './mso.js';
import { DEFAULT_CLOCK_SKEW_SECONDS, validityCheck } from './mso-validity.js';

/** Everything the device part and the status check need from the issuer part. */
export interface IssuerPartOutcome {
  readonly checks: Check[];
  readonly verified: VerifiedItems;
  readonly mso: MobileSecurityObject;
  readonly msoSummary: MsoSummaryView;
  readonly issuer: DocumentSignerSummary | undefined;
  readonly issuerSignatureValid: boolean;
  /** The document signer certificate and its IACA, for judging a Status List Token's signer. */
  readonly documentSigner: Certificate | undefined;
  readonly iaca: Certificate | undefined;
}

/** Runs the issuer checks of one document, read by `readIssuerSigned`, in report order. */
export function checkIssuerPart(
  part: ReceivedIssuerSigned,
  documentDocType: string,
  options: VerifyIssuerOptions,
): IssuerPartOutcome {
  const { mso } = part;
  const { signer, x5chainProblem } = documentSignerOf(part.issuerAuth, options);
  const certificate = signerChecks(signer, documentDocType, options);
  const signature = checkIssuerSignature(part, signer.publicKey, x5chainProblem);
  const hash = digestAlgorithmHash(mso.digestAlgorithm);
  const ds = signer.certificate;
  const digests = checkItemDigests(part, hash);
  const checks: Check[] = [
    certificate.path,
    certificate.profile,
    signature.check,
    checkMsoDocType(mso.docType, documentDocType, options.docType),
    checkDigestAlgorithm(mso.digestAlgorithm, hash),
    validityCheck(mso.validityInfo, options.now, options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS),
    checkSignedInCertificateValidity(mso.validityInfo.signed, ds),
    digests.check,
  ];
  const issuer = signer.summary ?? (ds ? signerSummary(ds, signer.anchor) : undefined);
  return {
    checks,
    verified: digests.verified,
    mso,
    msoSummary: new MsoSummaryView(mso, part.msoBytes),
    issuer,
    issuerSignatureValid: signature.valid,
    documentSigner: ds,
    iaca: signer.issuerCertificate,
  };
}
