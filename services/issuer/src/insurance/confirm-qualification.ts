/**
 * Online qualification confirmation (オンライン資格確認, DOMAIN.md §3 "Health insurance"): at a clinic the
 * holder's phone is held to the reader, the reader asks the holder's user-authentication key to sign a
 * challenge the clinic drew (after the 4-digit PIN or Face ID), and the clinic's system sends the
 * certificate, the challenge and the signature here. The user-authentication certificate carries no personal
 * data (DOMAIN.md §3); the insurer registry finds the person behind it and answers the qualification — the
 * insurer, the card's symbol and numbers, the copayment and the validity — and nothing else about them.
 *
 * The challenge is the clinic's: it drew it and it alone knows whether it was used before, so replay is the
 * clinic's check (as for any JPKI user authentication, the relying party keeps its nonces). The issuer
 * verifies the signature and the chain to the sandbox's user-authentication CAs (@mynakit/jpki
 * verifyAuthResponse), then that the certificate is a smartphone certificate it issued and that is in force
 * — the register is the authority here, so no CRL or OCSP is asked (proof-checks.ts).
 */
import { verifyAuthResponse } from '@mynakit/jpki';
import { SANDBOX_JPKI_POLICY_CONFIG } from '../ca/sandbox-names.js';
import type { IssuerDeps } from '../context.js';
import { IssuerError } from '../errors.js';
import { requirePassedProof } from '../installations/proof-checks.js';
import { bytesFromBase64, sameBytes } from '../installations/support.js';
import type { Qualification } from '../store/insurance-repository.js';
import { jstDay } from './seed-qualifications.js';

/** The body of POST /insurance/qualification-confirmations. */
export interface QualificationConfirmationRequest {
  /** base64 DER of the holder's smartphone user-authentication certificate. */
  readonly certificate: string;
  /** base64url (or base64) of the 32 bytes the clinic drew. */
  readonly challenge: string;
  /** base64 RSA PKCS #1 v1.5 signature of DigestInfo(SHA-256, challenge) by the user-authentication key. */
  readonly signature: string;
}

/** What the confirmation answers. */
export interface ConfirmedQualification {
  readonly qualification: Qualification;
  /** The JST day the qualification was confirmed for. */
  readonly day: string;
}

/**
 * Verifies the holder's user authentication and answers their qualification in force today (JST).
 * ISSUER_PROOF_INVALID (signature), ISSUER_CERTIFICATE_UNTRUSTED / _EXPIRED (chain, validity),
 * ISSUER_INSURANCE_CERTIFICATE_UNKNOWN / _REVOKED (register), ISSUER_INSURANCE_NOT_QUALIFIED.
 */
export async function confirmQualification(
  deps: Pick<IssuerDeps, 'store' | 'hierarchy' | 'clock'>,
  request: QualificationConfirmationRequest,
  clientId: string,
): Promise<ConfirmedQualification> {
  const now = deps.clock();
  const challenge = bytesFromBase64(request.challenge, 'challenge');
  const certificate = bytesFromBase64(request.certificate, 'certificate');
  const report = await verifyAuthResponse({
    challenge,
    signature: bytesFromBase64(request.signature, 'signature'),
    certificate,
    trustAnchors: deps.hierarchy.jpki.userAuthentication.cas.map((c) => c.certificate),
    now,
    profile: 'jpki-auth',
    policies: SANDBOX_JPKI_POLICY_CONFIG,
  });
  requirePassedProof(report.checks);
  const serial = report.identity?.serialNumber;
  const credential =
    serial === undefined ? undefined : await deps.store.credentials.getBySerial('jpki-auth', serial);
  if (!credential || !sameBytes(credential.bytes, certificate))
    throw new IssuerError(
      'ISSUER_INSURANCE_CERTIFICATE_UNKNOWN',
      'the certificate is no smartphone user-authentication certificate of this issuer',
    );
  if (credential.state !== 'active')
    throw new IssuerError(
      'ISSUER_INSURANCE_CERTIFICATE_REVOKED',
      credential.revocationReason === 'certificateHold'
        ? 'the certificate is suspended'
        : 'the certificate was revoked',
    );
  const day = jstDay(now);
  const qualification = await deps.store.insurance.inForce(credential.residentId, day);
  if (!qualification)
    throw new IssuerError(
      'ISSUER_INSURANCE_NOT_QUALIFIED',
      'no health-insurance qualification in force today',
    );
  await deps.store.events.append({
    kind: 'insurance.qualification_confirmed',
    residentId: credential.residentId,
    // Who asked, never what was answered.
    detail: { clientId, credentialId: credential.id },
    at: now.getTime(),
  });
  return { qualification, day };
}
