/**
 * Installing a holder's credentials on a phone (DOMAIN.md §1 "Two phone families"), the steps a real
 * card-reading app takes:
 *
 * 1. read the physical card: its input-support PIN (card-face data), then the PIN behind its proof — the
 *    signature password (15 and over) or the user-authentication PIN (under 15);
 * 2. the liveness step (sandbox: an explicit confirmation);
 * 3. the phone's new auth PIN and signature password, each typed twice and checked before anything is sent;
 * 4. the card step → a pending installation;
 * 5. the secrets stored (verifiers, full tries), the JPKI keys made in the secure area, attested, requested;
 * 6. iPhone: the record through OpenID4VCI with its Transaction Code, which completes the installation;
 *    Android: the certificates complete it, the record comes later (add-record.ts); under 15: the
 *    user-authentication certificate only, never a record.
 */
import type { Certificate } from '@mynakit/pki';
import type { SandboxCard } from '../card/sandbox-card.js';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import { checkNewSecret } from '../secrets/new-secret.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import type { WalletCertificate } from '../store/certificate-repository.js';
import type { WalletDocument } from '../store/document-repository.js';
import { cardStep } from './card-step.js';
import type { IssuerClient } from './issuer-client.js';
import { requestJpkiCertificates } from './jpki-certificates.js';
import { receiveCredentials } from './receive-credentials.js';
import type { JpkiTrust } from './verify-received-certificate.js';

/** What the holder enters and confirms during an installation. */
export interface InstallInput {
  readonly device: WalletDevice;
  readonly issuer: IssuerClient;
  /** The physical card, read (SandboxCard.read). */
  readonly card: SandboxCard;
  /** The card's PINs as the holder types them. */
  readonly cardPins: {
    readonly inputSupportPin: string;
    /** 15 and over: the card's signature password. */
    readonly signaturePassword?: string;
    /** Under 15: the card's user-authentication PIN. */
    readonly userAuthenticationPin?: string;
  };
  /** The liveness (face) check; the sandbox takes an explicit confirmation. */
  readonly liveness: { readonly confirmed: boolean };
  /** The phone's new auth PIN, typed twice. */
  readonly newAuthPin: readonly [string, string];
  /** The phone's new signature password, typed twice (15 and over). */
  readonly newSignaturePassword?: readonly [string, string];
  /** The owner's biometric, unlocking the record's device key for its key proof. */
  readonly biometric: UserAuthentication;
  /** IACAs trusted for received documents. */
  readonly trustAnchors: readonly (Uint8Array | Certificate)[];
  /** Configurations to ask for besides the record (the sandbox's sample mDL). */
  readonly alsoRequest?: readonly string[];
  /**
   * The JPKI CAs (and policies) the received certificates must chain to and follow. Without it the phone
   * only checks that each certificate certifies its own key.
   */
  readonly jpkiTrust?: JpkiTrust;
  /** Where an OpenID4VCI notification the issuer did not take is reported (no personal data). */
  readonly log?: (line: string) => void;
}

/** The outcome of an installation. */
export interface InstallResult {
  readonly installationId: string;
  readonly state: 'pending' | 'active';
  readonly certificates: readonly WalletCertificate[];
  readonly documents: readonly WalletDocument[];
  readonly supersededInstallationId?: string;
}

/** Reads the card and checks what the holder typed (steps 1–3), before anything is sent. */
function checkHolderInput(input: InstallInput): void {
  const { card, cardPins } = input;
  card.verifyPin('inputSupportPin', cardPins.inputSupportPin);
  if (card.signatureCertificate !== undefined)
    card.verifyPin('signaturePassword', cardPins.signaturePassword ?? '');
  else card.verifyPin('userAuthenticationPin', cardPins.userAuthenticationPin ?? '');
  if (input.liveness.confirmed !== true)
    throw new WalletError('WALLET_LIVENESS_REQUIRED', 'the liveness step was not confirmed');
  checkNewSecret('authPin', input.newAuthPin[0], input.newAuthPin[1]);
  if (card.signatureCertificate !== undefined) {
    if (input.newSignaturePassword === undefined)
      throw new WalletError('WALLET_SECRET_NOT_SET', 'choose a signature password for the phone');
    checkNewSecret('signaturePassword', input.newSignaturePassword[0], input.newSignaturePassword[1]);
  }
}

/** Installs the holder's credentials on `input.device` (see the file comment). */
export async function installCredentials(input: InstallInput): Promise<InstallResult> {
  checkHolderInput(input);
  const { device, issuer } = input;
  const started = await cardStep(device, issuer, input.card);
  await device.store.installations.create(
    {
      id: started.installationId,
      deviceId: device.id,
      credentialIssuer: issuer.baseUrl,
      family: device.family,
      state: 'pending',
      needs: started.needs,
    },
    device.clock().getTime(),
  );
  const withSign = started.needs.includes('jpki-sign');
  await device.secrets.set('authPin', input.newAuthPin[0], input.newAuthPin[1]);
  if (withSign && input.newSignaturePassword)
    await device.secrets.set(
      'signaturePassword',
      input.newSignaturePassword[0],
      input.newSignaturePassword[1],
    );
  const certs = await requestJpkiCertificates(
    device,
    issuer,
    started,
    {
      authPin: input.newAuthPin[0],
      ...(withSign && input.newSignaturePassword ? { signaturePassword: input.newSignaturePassword[0] } : {}),
    },
    input.jpkiTrust,
  );
  let documents: WalletDocument[] = [];
  if (started.credentialOffer !== undefined && started.txCode !== undefined)
    documents = await receiveCredentials({
      device,
      issuer,
      credentialOffer: started.credentialOffer,
      txCode: started.txCode,
      trustAnchors: input.trustAnchors,
      biometric: input.biometric,
      installationId: started.installationId,
      ...(input.alsoRequest ? { alsoRequest: input.alsoRequest } : {}),
      ...(input.log ? { log: input.log } : {}),
    });
  const state = certs.state === 'active' || documents.length > 0 ? 'active' : 'pending';
  if (state === 'active') await device.store.installations.activate(started.installationId);
  return {
    installationId: started.installationId,
    state,
    certificates: certs.certificates,
    documents,
    ...(certs.supersededInstallationId ? { supersededInstallationId: certs.supersededInstallationId } : {}),
  };
}
