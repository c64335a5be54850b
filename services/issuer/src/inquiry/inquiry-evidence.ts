/**
 * The evidence the issuer signs for a relying party's status inquiry (DOMAIN.md §4): the format — a CWT in
 * a COSE_Sign1 with `iss`, `aud` (the client that asked), `iat`, `mso_digest` and `status`, typ
 * `application/inquiry-evidence+cwt` — lives in @mynakit/status-list (record-inquiry-evidence.ts), where
 * relying parties verify it; here the issuer signs it with the records' status-list signer (certified by
 * the record IACA, ISO/IEC 18013-5 2nd edition §12.3.6.2), so a relying party checks it with the trust
 * anchor it already holds for the records.
 */
import { type InquiryStatus, signInquiryEvidence as signEvidence } from '@mynakit/status-list';
import type { SandboxHierarchy } from '../ca/sandbox-hierarchy.js';
import { statusListSignerOf } from '../status-lists/status-list-signer.js';

export { INQUIRY_EVIDENCE_TYP, InquiryClaim, type InquiryStatus } from '@mynakit/status-list';

/** What the evidence states. */
export interface InquiryEvidenceInput {
  /** SHA-256 of the MobileSecurityObjectBytes, 32 bytes. */
  readonly msoDigest: Uint8Array;
  readonly status: InquiryStatus;
  readonly checkedAt: Date;
  readonly clientId: string;
  /** The issuer's origin. */
  readonly issuer: string;
}

/** Signs the evidence: COSE_Sign1_Tagged bytes. */
export async function signInquiryEvidence(
  hierarchy: SandboxHierarchy,
  input: InquiryEvidenceInput,
): Promise<Uint8Array> {
  const { signer, x5chain } = statusListSignerOf(hierarchy);
  return signEvidence({
    msoDigest: input.msoDigest,
    status: input.status,
    checkedAt: input.checkedAt,
    audience: input.clientId,
    issuer: input.issuer,
    signer,
    x5chain,
  });
}
