/**
 * The card step (POST /installations): the holder proves with their plastic card that this installation
 * is theirs, and the issuer starts it.
 *
 * Two proofs (DOMAIN.md §3 "Signatures"):
 * - `signature` — a CMS SignedData by the card's signature key over the canonical installation request
 *   (installation-request.ts), verified with @mynakit/jpki verifyJpkiSignature against the sandbox JPKI
 *   signature CAs (profile jpki-sign) at the issuer's clock. A holder whose card carries a signature
 *   certificate must use it: the record is issued only on the signature method (DOMAIN.md §4).
 * - `user-authentication` — for a holder without a signature certificate (under 15): the card's
 *   user-authentication key signs a challenge from POST /installations/challenges, verified with
 *   verifyAuthResponse (profile jpki-auth). It binds the challenge, not the family or device description.
 *
 * Then the register: the signer certificate must be the certificate of a card (by serial, bytes equal),
 * that card active and unexpired. Last the challenge is consumed — after the checks, so that a request that
 * fails them does not burn it, and before anything is written, so that of two identical requests one wins
 * (startInstallation consumes it first thing in the transaction that writes the installation).
 */
import { verifyJpkiSignature } from '@mynakit/jpki';
import { SANDBOX_JPKI_POLICY_CONFIG } from '../ca/sandbox-names.js';
import type { IssuerDeps } from '../context.js';
import { IssuerError } from '../errors.js';
import type { Card } from '../store/card-repository.js';
import type { CredentialKind } from '../store/schema.js';
import { challengeBytesOf, consumeChallenge } from './challenges.js';
import { canonicalInstallationRequest, type InstallationFamilyName } from './installation-request.js';
import { createRecordOffer, type RecordOffer } from './offer.js';
import { requirePassedProof, verifyHolderAuthentication } from './proof-checks.js';
import { bytesFromBase64, fingerprintOf, randomOf, sameBytes } from './support.js';

/** The proof of the card step. */
export type CardStepProof =
  | { readonly type: 'signature' /** base64 DER CMS SignedData */; readonly cms: string }
  | {
      readonly type: 'user-authentication';
      readonly challengeId: string;
      /** base64 RSA PKCS #1 v1.5 signature of DigestInfo(SHA-256, challenge) */
      readonly signature: string;
      /** base64 DER of the card's user-authentication certificate */
      readonly certificate: string;
    };

/** The card step's request body. */
export interface CardStepRequest {
  readonly family: InstallationFamilyName;
  /** The challenge id the card signed (signature proofs). */
  readonly nonce?: string;
  readonly deviceInfo?: Readonly<Record<string, string>>;
  readonly proof: CardStepProof;
}

/** How long a pending installation's token and key-attestation nonce live: 30 minutes. */
export const INSTALLATION_TTL_SECONDS = 1800;

/** Purpose of the key-attestation nonce in the nonce store: bound to the installation by its id. */
export function attestationNoncePurpose(installationId: string): string {
  return `jpki-attestation:${installationId}`;
}

/** What the card step answers. */
export interface StartedInstallation {
  readonly installationId: string;
  /** Bearer secret for POST /installations/{id}/jpki-certificates (stored only as SHA-256). */
  readonly installationToken: string;
  readonly family: InstallationFamilyName;
  /** The credentials this installation must receive to complete, and which it will hold. */
  readonly needs: readonly CredentialKind[];
  /** The nonce the key attestations of the CSRs must carry. */
  readonly keyAttestationNonce: string;
  readonly expiresAt: Date;
  /** iPhone family with a signature certificate: the offer of the record (with its tx_code). */
  readonly recordOffer?: RecordOffer;
}

/** The credentials an installation needs: the record only with a signature certificate, on an iPhone now. */
export function needsOf(family: InstallationFamilyName, card: Pick<Card, 'signCert'>): CredentialKind[] {
  if (card.signCert === null) return ['jpki-auth'];
  return family === 'iphone' ? ['jpki-auth', 'jpki-sign', 'mdoc'] : ['jpki-auth', 'jpki-sign'];
}

/** Verifies the proof and finds the card (see the file comment); consumes the challenge. */
export async function verifyCardStep(deps: IssuerDeps, request: CardStepRequest, now: Date): Promise<Card> {
  const { card, challengeId } = await checkCardStep(deps, request, now);
  await consumeChallenge(deps.store, challengeId, now);
  return card;
}

/** verifyCardStep without consuming the challenge: the card, and the challenge the caller must consume. */
async function checkCardStep(
  deps: IssuerDeps,
  request: CardStepRequest,
  now: Date,
): Promise<{ card: Card; challengeId: string }> {
  if (request.proof.type === 'signature') {
    if (request.nonce === undefined)
      throw new IssuerError('ISSUER_INVALID_INPUT', 'a signed installation request carries its nonce');
    const report = await verifyJpkiSignature({
      signature: bytesFromBase64(request.proof.cms, 'proof.cms'),
      content: canonicalInstallationRequest({
        family: request.family,
        nonce: request.nonce,
        ...(request.deviceInfo === undefined ? {} : { deviceInfo: request.deviceInfo }),
      }),
      trustAnchors: deps.hierarchy.jpki.signature.cas.map((c) => c.certificate),
      now,
      profile: 'jpki-sign',
      policies: SANDBOX_JPKI_POLICY_CONFIG,
    });
    requirePassedProof(report.checks);
    const signer = report.signer;
    if (signer === undefined) throw new IssuerError('ISSUER_PROOF_INVALID', 'no signer certificate');
    const card = await deps.store.cards.getByCertificateSerial('sign', signer.serialNumber);
    if (!card || card.signCert === null || fingerprintOf(card.signCert) !== signer.fingerprint256)
      throw new IssuerError('ISSUER_CARD_UNKNOWN', 'the signer is no card of the register');
    requireInForce(card, now);
    return { card, challengeId: request.nonce };
  }

  const proof = request.proof;
  const challenge = challengeBytesOf(proof.challengeId);
  const certificate = bytesFromBase64(proof.certificate, 'proof.certificate');
  const serial = await verifyHolderAuthentication(
    deps.hierarchy,
    { challenge, signature: bytesFromBase64(proof.signature, 'proof.signature'), certificate },
    now,
  );
  const card =
    serial === undefined ? undefined : await deps.store.cards.getByCertificateSerial('auth', serial);
  if (!card || !sameBytes(card.authCert, certificate))
    throw new IssuerError('ISSUER_CARD_UNKNOWN', 'the certificate is no card certificate of the register');
  requireInForce(card, now);
  if (card.signCert !== null)
    throw new IssuerError(
      'ISSUER_PROOF_NOT_ACCEPTED',
      'this card carries a signature certificate: sign the installation request with it',
    );
  return { card, challengeId: proof.challengeId };
}

function requireInForce(card: Card, now: Date): void {
  if (card.state !== 'active')
    throw new IssuerError('ISSUER_CARD_REVOKED', 'the card is no longer in force (revoked or replaced)');
  if (card.expiresAt <= now.getTime())
    throw new IssuerError('ISSUER_CERTIFICATE_EXPIRED', 'the card has expired');
}

/**
 * The card step: verifies the proof, then starts a pending installation from the resident's current
 * device generation, with its token, the key-attestation nonce and — iPhone, 15+ — the record's offer,
 * all in one transaction with the challenge's consumption.
 */
export async function startInstallation(
  deps: IssuerDeps,
  request: CardStepRequest,
): Promise<StartedInstallation> {
  const now = deps.clock();
  const at = now.getTime();
  const random = randomOf(deps);
  const { card, challengeId } = await checkCardStep(deps, request, now);
  const needs = needsOf(request.family, card);
  const installationToken = Buffer.from(random(new Uint8Array(32))).toString('base64url');
  const keyAttestationNonce = Buffer.from(random(new Uint8Array(32))).toString('base64url');
  const expiresAt = new Date(at + INSTALLATION_TTL_SECONDS * 1000);

  return deps.store.transaction(async (tx) => {
    // The challenge is used up in the transaction that starts the installation: of two identical requests
    // one wins, and a failure below leaves the challenge unspent.
    await consumeChallenge(tx, challengeId, now);
    const installation = await tx.installations.begin(
      {
        residentId: card.residentId,
        family: request.family,
        cardId: card.id,
        deviceInfo: request.deviceInfo ?? null,
      },
      at,
    );
    await tx.installationTokens.create(
      { token: installationToken, installationId: installation.id, expiresAt: expiresAt.getTime() },
      at,
    );
    await tx.nonces.issue({
      nonce: keyAttestationNonce,
      purpose: attestationNoncePurpose(installation.id),
      now,
      ttlSeconds: INSTALLATION_TTL_SECONDS,
    });
    const recordOffer = needs.includes('mdoc')
      ? await createRecordOffer(tx, {
          credentialIssuer: deps.config.origin,
          installationId: installation.id,
          random,
          now,
        })
      : undefined;
    await tx.events.append({
      kind: 'installation.started',
      residentId: card.residentId,
      detail: {
        installationId: installation.id,
        family: request.family,
        cardId: card.id,
        proof: request.proof.type,
        baseGeneration: installation.baseGeneration,
      },
      at,
    });
    return {
      installationId: installation.id,
      installationToken,
      family: request.family,
      needs,
      keyAttestationNonce,
      expiresAt,
      ...(recordOffer === undefined ? {} : { recordOffer }),
    };
  });
}
