/**
 * The record added later (Android, DOMAIN.md §1): a phone that holds its smartphone JPKI certificates
 * proves it is the active installation by a JPKI user authentication with its own user-authentication
 * key — unlocked by the auth PIN or a biometric — over an issuer challenge (POST
 * /installations/{id}/record-offer), and redeems the new offer through OpenID4VCI.
 */
import { challengeDigestInfo } from '@mynakit/jpki';
import type { Certificate } from '@mynakit/pki';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import type { WalletDocument } from '../store/document-repository.js';
import { issuerChallenge } from './card-step.js';
import { type IssuerClient, objectOf, stringOf } from './issuer-client.js';
import { receiveCredentials } from './receive-credentials.js';

/** Input of `addRecord`. */
export interface AddRecordInput {
  readonly device: WalletDevice;
  readonly issuer: IssuerClient;
  /** Unlocks the phone's JPKI user-authentication key: the auth PIN or a biometric. */
  readonly authentication: UserAuthentication;
  /** The owner's biometric, unlocking the record's new device key. */
  readonly biometric: UserAuthentication;
  readonly trustAnchors: readonly (Uint8Array | Certificate)[];
  readonly alsoRequest?: readonly string[];
  /** Where an OpenID4VCI notification the issuer did not take is reported (no personal data). */
  readonly log?: (line: string) => void;
}

/** Asks the issuer for the record of the phone's active installation and stores it. */
export async function addRecord(input: AddRecordInput): Promise<WalletDocument[]> {
  const { device, issuer } = input;
  const installation = await device.store.installations.latest(device.id);
  const auth = await device.store.certificates.active(device.id, 'auth');
  if (installation === undefined || auth === undefined || auth.installationId !== installation.id)
    throw new WalletError('WALLET_INSTALLATION_STATE', 'this phone holds no smartphone certificates');
  const ch = await issuerChallenge(issuer);
  const ticket = await device.secureArea.authenticate(auth.keyAlias, input.authentication);
  const signature = await device.secureArea.sign(
    auth.keyAlias,
    challengeDigestInfo(ch.challenge),
    'RSA-PKCS1-DigestInfo',
    ticket,
  );
  const r = await issuer.postJson(`/installations/${encodeURIComponent(installation.id)}/record-offer`, {
    challengeId: ch.challengeId,
    signature: Buffer.from(signature).toString('base64'),
    certificate: Buffer.from(auth.certificate).toString('base64'),
  });
  const offer = objectOf(r, 'credentialOffer');
  if (offer === undefined) throw new WalletError('WALLET_ISSUER_RESPONSE', 'the issuer sent no offer');
  return receiveCredentials({
    device,
    issuer,
    credentialOffer: offer,
    txCode: stringOf(r, 'txCode'),
    trustAnchors: input.trustAnchors,
    biometric: input.biometric,
    installationId: installation.id,
    ...(input.alsoRequest ? { alsoRequest: input.alsoRequest } : {}),
    ...(input.log ? { log: input.log } : {}),
  });
}
