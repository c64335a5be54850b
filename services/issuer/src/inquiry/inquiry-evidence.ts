/**
 * The evidence a relying party keeps of a status inquiry (DOMAIN.md §4: a per-record inquiry for
 * authenticated relying parties, keyed by SHA-256 of the MobileSecurityObjectBytes): a CWT (RFC 8392) in a
 * COSE_Sign1 (RFC 9052 §4.2), signed by the records' status-list signer — the key that already speaks for
 * the records' status (ISO/IEC 18013-5 2nd edition §12.3.6.2), certified by the record IACA — so a relying
 * party verifies the evidence with the trust anchor it already holds for the records, and can show it
 * later (a KYC file, a dispute) without the issuer.
 *
 *   COSE_Sign1_Tagged (tag 18) = [
 *     protected:   << { 1 (alg): -7 (ES256), 16 (typ, RFC 9596): "application/inquiry-evidence+cwt" } >>,
 *     unprotected: { 33 (x5chain, RFC 9360): the status-list signer's certificate },
 *     payload:     << {
 *       1 (iss): tstr,                 ; the issuer's origin (credential issuer identifier)
 *       3 (aud): tstr,                 ; the relying party's client id that asked
 *       6 (iat): uint,                 ; checkedAt, seconds since the epoch
 *       "mso_digest": bstr .size 32,   ; SHA-256 of the MobileSecurityObjectBytes asked about
 *       "status": "valid" / "invalid" / "suspended" / "unknown"
 *     } >>,
 *     signature:   r ‖ s (RFC 9053 §2.1)
 *   ]
 *
 * Nothing else: no name, no index, no revocation reason beyond the four statuses — the answer says what the
 * relying party may rely on and nothing about the holder. The `typ` keeps the evidence from being taken
 * for any other signed object of the same key (a Status List Token has typ application/statuslist+cwt).
 */
import { type CborMap, type CborValue, encode } from '@mynakit/cbor';
import { HeaderLabel, signSign1, x5chainValue } from '@mynakit/cose';
import type { SandboxHierarchy } from '../ca/sandbox-hierarchy.js';
import { statusListSignerOf } from '../status-lists/status-list-signer.js';

/** What an inquiry answers. */
export type InquiryStatus = 'valid' | 'invalid' | 'suspended' | 'unknown';

/** The `typ` of the evidence (RFC 9596: a media type). */
export const INQUIRY_EVIDENCE_TYP = 'application/inquiry-evidence+cwt';

/** CWT claim keys of the evidence (RFC 8392 §3.1) and its two private text labels. */
export const InquiryClaim = {
  iss: 1,
  aud: 3,
  iat: 6,
  msoDigest: 'mso_digest',
  status: 'status',
} as const;

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
  const claims: CborMap = new Map<CborValue, CborValue>([
    [InquiryClaim.iss, input.issuer],
    [InquiryClaim.aud, input.clientId],
    [InquiryClaim.iat, Math.floor(input.checkedAt.getTime() / 1000)],
    [InquiryClaim.msoDigest, input.msoDigest],
    [InquiryClaim.status, input.status],
  ]);
  const sign1 = await signSign1({
    protectedHeaders: new Map<CborValue, CborValue>([
      [HeaderLabel.alg, -7],
      [HeaderLabel.typ, INQUIRY_EVIDENCE_TYP],
    ]),
    unprotectedHeaders: new Map<CborValue, CborValue>([[HeaderLabel.x5chain, x5chainValue(x5chain)]]),
    payload: encode(claims),
    signer,
    tagged: true,
  });
  return sign1.encode({ tagged: true });
}
