/**
 * The record added later (POST /installations/{id}/record-offer): an Android holder whose phone already
 * holds the smartphone JPKI certificates adds the card-substitute record without repeating the card step
 * (DOMAIN.md §1 "Two phone families"). The phone proves that it is the active installation by a JPKI user
 * authentication with its *smartphone* user-authentication key — the certificate issued to this
 * installation, still in force — over a challenge from POST /installations/challenges; the answer is a new
 * credential offer for the active installation. The OpenID4VCI credential endpoint then adds the record
 * with InstallationRepository.addCredentials.
 *
 * The record goes only to a holder whose card carries a signature certificate (DOMAIN.md §4).
 */
import { verifyAuthResponse } from '@mynakit/jpki';
import { SANDBOX_JPKI_POLICY_CONFIG } from '../ca/sandbox-names.js';
import type { IssuerDeps } from '../context.js';
import { IssuerError } from '../errors.js';
import { challengeBytesOf, consumeChallenge } from './challenges.js';
import { createRecordOffer, type RecordOffer } from './offer.js';
import { requirePassedProof } from './proof-checks.js';
import { bytesFromBase64, randomOf, sameBytes } from './support.js';

/** The body of POST /installations/{id}/record-offer. */
export interface RecordOfferRequest {
  readonly challengeId: string;
  /** base64 RSA PKCS #1 v1.5 signature of DigestInfo(SHA-256, challenge) by the smartphone's auth key. */
  readonly signature: string;
  /** base64 DER of the smartphone user-authentication certificate this installation received. */
  readonly certificate: string;
}

/** Verifies the user authentication and answers a new offer of the record for the active installation. */
export async function offerRecordToInstallation(
  deps: IssuerDeps,
  installationId: string,
  request: RecordOfferRequest,
): Promise<RecordOffer> {
  const now = deps.clock();
  const challenge = challengeBytesOf(request.challengeId);
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
  if (
    !credential ||
    credential.installationId !== installationId ||
    !sameBytes(credential.bytes, certificate)
  )
    throw new IssuerError(
      'ISSUER_DEVICE_CERTIFICATE_UNKNOWN',
      'the certificate is no smartphone certificate of this installation',
    );
  if (credential.state !== 'active')
    throw new IssuerError(
      'ISSUER_DEVICE_CERTIFICATE_REVOKED',
      credential.revocationReason === 'superseded'
        ? 'the certificate was revoked: another device was installed since'
        : 'the certificate was revoked',
    );
  const installation = await deps.store.installations.get(installationId);
  if (installation?.state !== 'active')
    throw new IssuerError('ISSUER_INSTALLATION_STATE', 'the installation is not the active one');
  const card = installation.cardId === null ? undefined : await deps.store.cards.get(installation.cardId);
  if (card?.state !== 'active')
    throw new IssuerError('ISSUER_CARD_REVOKED', 'the card of this installation is no longer in force');
  if (card.signCert === null)
    throw new IssuerError(
      'ISSUER_RECORD_NOT_ELIGIBLE',
      'the card carries no signature certificate (under 15): no card-substitute record',
    );
  const held = await deps.store.credentials.listByInstallation(installationId);
  if (held.some((c) => c.kind === 'mdoc' && c.state === 'active' && c.notAfter > now.getTime()))
    throw new IssuerError('ISSUER_INSTALLATION_STATE', 'the installation holds a record in force');

  await consumeChallenge(deps.store, request.challengeId, now);
  return deps.store.transaction(async (tx) => {
    const offer = await createRecordOffer(tx, {
      credentialIssuer: deps.config.origin,
      installationId,
      random: randomOf(deps),
      now,
    });
    await tx.events.append({
      kind: 'installation.record_offered',
      residentId: installation.residentId,
      detail: { installationId },
      at: now.getTime(),
    });
    return offer;
  });
}
