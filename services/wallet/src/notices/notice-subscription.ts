/**
 * Subscribing to the issuer's notices for one installation (the issuer's README, "Notices to phones"): ask
 * a single-use challenge, sign
 *   UTF-8("mynakit-notices-v1|" + credentialIssuer + "|" + installationId + "|" + challenge)
 * with a key of that installation, and trade the proof for a short-lived bearer token. The key is the
 * record's device key (ES256, IEEE P1363 r‖s) when the installation holds a record, else the JPKI
 * user-authentication key (RS256) — both need the device owner's authentication in the secure area: the
 * holder unlocking the wallet (DOMAIN.md §1, two-factor use: the phone alone proves nothing).
 */
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import { type IssuerClient, stringOf } from '../installation/issuer-client.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import type { WalletInstallation } from '../store/installation-repository.js';

/** The docType whose device key signs the proof when the installation holds it. */
const RECORD_DOC_TYPE = 'org.iso.23220.1.jp.mnc';

/** The bytes a subscription proof signs. */
export function noticeProofBytes(
  credentialIssuer: string,
  installationId: string,
  challenge: string,
): Uint8Array {
  return new TextEncoder().encode(`mynakit-notices-v1|${credentialIssuer}|${installationId}|${challenge}`);
}

/** A subscription: the bearer token of the notices stream. */
export interface NoticeSubscription {
  readonly token: string;
  readonly expiresAt?: string;
}

/**
 * Subscribes to `installation`'s notices. WALLET_NOT_FOUND when the phone holds no key of that
 * installation; the secure area's errors (WALLET_BIOMETRIC_FAILED, …) when the owner's authentication
 * fails; WALLET_ISSUER_REFUSED with the issuer's code when it refuses the proof.
 */
export async function subscribeToNotices(input: {
  readonly device: WalletDevice;
  readonly issuer: IssuerClient;
  readonly installation: WalletInstallation;
  readonly userAuthentication: UserAuthentication;
}): Promise<NoticeSubscription> {
  const { device, issuer, installation } = input;
  const record = (await device.store.documents.list(device.id, RECORD_DOC_TYPE)).find(
    (d) => d.installationId === installation.id,
  );
  const auth = (await device.store.certificates.list(device.id)).find(
    (c) => c.installationId === installation.id && c.purpose === 'auth',
  );
  const key = record
    ? { alias: record.deviceKeyAlias, alg: 'ES256' as const }
    : auth
      ? { alias: auth.keyAlias, alg: 'RS256' as const }
      : undefined;
  if (key === undefined)
    throw new WalletError(
      'WALLET_NOT_FOUND',
      'the phone holds no key of this installation to subscribe with',
    );

  const challenge = stringOf(
    await issuer.postJson('/notices/challenges', { installationId: installation.id }),
    'challenge',
  );
  const ticket = await device.secureArea.authenticate(key.alias, input.userAuthentication);
  const signature = await device.secureArea.sign(
    key.alias,
    noticeProofBytes(installation.credentialIssuer, installation.id, challenge),
    key.alg,
    ticket,
  );
  const answer = await issuer.postJson('/notices/subscriptions', {
    installationId: installation.id,
    challenge,
    proof: { alg: key.alg, signature: Buffer.from(signature).toString('base64url') },
  });
  const expiresAt = typeof answer.expiresAt === 'string' ? answer.expiresAt : undefined;
  return { token: stringOf(answer, 'token'), ...(expiresAt === undefined ? {} : { expiresAt }) };
}
