import type { IssuerDeps } from '../context.js';
import { IssuerError } from '../errors.js';
import { verifyHolderAuthentication } from '../installations/proof-checks.js';
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
  const serial = await verifyHolderAuthentication(
    deps.hierarchy,
    { challenge, signature: bytesFromBase64(request.signature, 'signature'), certificate },
    now,
  );
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
