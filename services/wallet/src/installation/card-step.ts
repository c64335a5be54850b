/**
 * The card step (POST /installations): the plastic card proves the holder — its signature key signs the
 * canonical installation request as a detached CMS (15 and over), or its user-authentication key signs a
 * challenge (under 15, no signature certificate) — and the issuer starts a pending installation.
 */
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { SandboxCard } from '../card/sandbox-card.js';
import { type IssuerClient, objectOf, stringOf } from './issuer-client.js';
import { canonicalInstallationRequest } from './installation-request.js';

/** What the card step answered. */
export interface StartedInstallation {
  readonly installationId: string;
  readonly installationToken: string;
  readonly needs: readonly string[];
  readonly keyAttestationNonce: string;
  /** iPhone, 15+: the record's offer and its Transaction Code. */
  readonly credentialOffer?: Record<string, unknown>;
  readonly txCode?: string;
}

/** A fresh single-use challenge of the issuer. */
export async function issuerChallenge(
  issuer: IssuerClient,
): Promise<{ challengeId: string; challenge: Uint8Array }> {
  const r = await issuer.postJson('/installations/challenges');
  return {
    challengeId: stringOf(r, 'challengeId'),
    challenge: new Uint8Array(Buffer.from(stringOf(r, 'challenge'), 'base64url')),
  };
}

/** Runs the card step with a card whose PIN for its proof was verified. */
export async function cardStep(
  device: WalletDevice,
  issuer: IssuerClient,
  card: SandboxCard,
): Promise<StartedInstallation> {
  const ch = await issuerChallenge(issuer);
  const deviceInfo = device.model === undefined ? {} : { model: device.model };
  const body =
    card.signatureCertificate !== undefined
      ? {
          family: device.family,
          nonce: ch.challengeId,
          deviceInfo,
          proof: {
            type: 'signature',
            cms: Buffer.from(
              card.signCms(
                canonicalInstallationRequest({ family: device.family, nonce: ch.challengeId, deviceInfo }),
                device.clock(),
              ),
            ).toString('base64'),
          },
        }
      : {
          family: device.family,
          deviceInfo,
          proof: {
            type: 'user-authentication',
            challengeId: ch.challengeId,
            signature: Buffer.from(card.authenticate(ch.challenge)).toString('base64'),
            certificate: Buffer.from(card.userAuthenticationCertificate).toString('base64'),
          },
        };
  const r = await issuer.postJson('/installations', body);
  const needs = Array.isArray(r.needs) ? r.needs.filter((n): n is string => typeof n === 'string') : [];
  if (needs.length === 0) throw new WalletError('WALLET_ISSUER_RESPONSE', 'the issuer named no credentials');
  const offer = objectOf(r, 'credentialOffer');
  return {
    installationId: stringOf(r, 'installationId'),
    installationToken: stringOf(r, 'installationToken'),
    needs,
    keyAttestationNonce: stringOf(r, 'keyAttestationNonce'),
    ...(offer === undefined ? {} : { credentialOffer: offer, txCode: stringOf(r, 'txCode') }),
  };
}
