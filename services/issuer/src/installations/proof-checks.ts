/**
 * From a JPKI verification report (@mynakit/jpki: `{verdict, checks}`) to the one error the installation
 * step answers with. The issuer is the authority on its own cards and smartphone certificates, so
 * `status.revocation` is not asked of CRLs or OCSP here: the register says whether a card or credential is
 * in force (card-step.ts, record-offer.ts). Everything else must have passed.
 */
import { verifyAuthResponse } from '@mynakit/jpki';
import type { SandboxHierarchy } from '../ca/sandbox-hierarchy.js';
import { SANDBOX_JPKI_POLICY_CONFIG } from '../ca/sandbox-names.js';
import { IssuerError } from '../errors.js';

/** A check of a verification report, as far as this needs it. */
export interface ReportCheck {
  readonly id: string;
  readonly status: string;
}

/** Check ids that concern the signature over what was sent. */
const SIGNATURE_CHECKS: ReadonlySet<string> = new Set([
  'cms.decode',
  'cms.content',
  'cms.content_type',
  'cms.signer',
  'cms.message_digest',
  'cms.signature',
  'cms.signer_key_usage',
  'cert.decode',
  'auth.signature',
]);
/** Check ids that concern the signer certificate's trust and profile. */
const TRUST_CHECKS: ReadonlySet<string> = new Set([
  'cert.path',
  'cert.key_usage',
  'cert.policy',
  'jpki.basic_four',
]);

/**
 * Throws the error of the first kind of failure, in this order: the signature (ISSUER_PROOF_INVALID),
 * the certificate's trust (ISSUER_CERTIFICATE_UNTRUSTED), its validity (ISSUER_CERTIFICATE_EXPIRED).
 * The detail names the check ids only — check details may quote certificate names.
 */
export function requirePassedProof(checks: readonly ReportCheck[]): void {
  const failed = checks.filter(
    (c) => (c.status === 'failed' || c.status === 'undetermined') && c.id !== 'status.revocation',
  );
  const ids = (set: ReadonlySet<string>) => failed.filter((c) => set.has(c.id)).map((c) => c.id);
  const signature = ids(SIGNATURE_CHECKS);
  if (signature.length > 0)
    throw new IssuerError('ISSUER_PROOF_INVALID', `the signature does not verify (${signature.join(', ')})`);
  const trust = ids(TRUST_CHECKS);
  if (trust.length > 0)
    throw new IssuerError(
      'ISSUER_CERTIFICATE_UNTRUSTED',
      `the certificate is not one of the sandbox JPKI CAs' (${trust.join(', ')})`,
    );
  if (failed.some((c) => c.id === 'cert.validity'))
    throw new IssuerError('ISSUER_CERTIFICATE_EXPIRED', 'the certificate is outside its validity period');
  const other = failed.map((c) => c.id);
  if (other.length > 0)
    throw new IssuerError('ISSUER_PROOF_INVALID', `the proof does not verify (${other.join(', ')})`);
}

/**
 * Verifies a holder's JPKI user authentication — the signature over the challenge, the certificate's path
 * to the hierarchy's user-authentication CAs, its profile and validity (@mynakit/jpki verifyAuthResponse) —
 * and throws as requirePassedProof does. Answers the certificate's serial (lower-case hex), for the caller
 * to find the card or the smartphone credential it belongs to in the register.
 */
export async function verifyHolderAuthentication(
  hierarchy: SandboxHierarchy,
  proof: { readonly challenge: Uint8Array; readonly signature: Uint8Array; readonly certificate: Uint8Array },
  now: Date,
): Promise<string | undefined> {
  const report = await verifyAuthResponse({
    challenge: proof.challenge,
    signature: proof.signature,
    certificate: proof.certificate,
    trustAnchors: hierarchy.jpki.userAuthentication.cas.map((c) => c.certificate),
    now,
    profile: 'jpki-auth',
    policies: SANDBOX_JPKI_POLICY_CONFIG,
  });
  requirePassedProof(report.checks);
  return report.identity?.serialNumber;
}
