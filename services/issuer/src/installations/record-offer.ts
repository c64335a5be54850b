import type { IssuerDeps } from '../context.js';
import { IssuerError } from '../errors.js';
import { challengeBytesOf, consumeChallenge } from './challenges.js';
import { createRecordOffer, type RecordOffer } from './offer.js';
import { verifyHolderAuthentication } from './proof-checks.js';
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
  const serial = await verifyHolderAuthentication(
    deps.hierarchy,
    { challenge, signature: bytesFromBase64(request.signature, 'signature'), certificate },
    now,
  );
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
