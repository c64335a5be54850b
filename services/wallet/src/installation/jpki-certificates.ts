/**
 * The smartphone JPKI certificates (POST /installations/{id}/jpki-certificates): RSA-2048 keys made in the
 * secure area — the user-authentication key unlocked by the auth PIN or a biometric, the signature key by
 * the signature password only — each attested by the platform with the installation's nonce, and a CSR for
 * each signed by the secure area after the holder's new PIN / password. The issued certificates are kept
 * with their key aliases.
 */
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import type { WalletCertificate } from '../store/certificate-repository.js';
import { type IssuerClient, objectOf, stringOf } from './issuer-client.js';
import { secureAreaCsr } from './secure-area-csr.js';
import type { StartedInstallation } from './card-step.js';
import { type JpkiTrust, verifyReceivedJpkiCertificate } from './verify-received-certificate.js';

/** The holder's new secrets, which unlock the new keys for their requests. */
export interface NewSecrets {
  readonly authPin: string;
  readonly signaturePassword?: string;
}

/** What the certificate step answered. */
export interface ReceivedCertificates {
  readonly state: 'pending' | 'active';
  readonly certificates: readonly WalletCertificate[];
  readonly supersededInstallationId?: string;
}

/** Key aliases of an installation's JPKI keys. */
export function jpkiKeyAlias(installationId: string, purpose: 'sign' | 'auth'): string {
  return `jpki-${purpose}-${installationId.toLowerCase().replace(/[^a-z0-9-]/g, '')}`.slice(0, 64);
}

async function requestOf(
  device: WalletDevice,
  alias: string,
  nonce: string,
  unlock: { method: 'pin'; value: string } | { method: 'password'; value: string },
): Promise<{ csr: string; attestation: string }> {
  const attestation = await device.secureArea.attest({ aliases: [alias], nonce });
  const ticket = await device.secureArea.authenticate(alias, unlock);
  const csr = await secureAreaCsr(device.secureArea, alias, ticket);
  return { csr: Buffer.from(csr).toString('base64'), attestation };
}

/** Makes the keys, sends the requests and stores the certificates. */
export async function requestJpkiCertificates(
  device: WalletDevice,
  issuer: IssuerClient,
  started: StartedInstallation,
  secrets: NewSecrets,
  jpkiTrust?: JpkiTrust,
): Promise<ReceivedCertificates> {
  const withSign = started.needs.includes('jpki-sign');
  const authAlias = jpkiKeyAlias(started.installationId, 'auth');
  const signAlias = jpkiKeyAlias(started.installationId, 'sign');
  await device.secureArea.createKey({
    alias: authAlias,
    type: 'rsa-2048',
    userAuthentication: ['pin', 'biometric'],
  });
  const auth = await requestOf(device, authAlias, started.keyAttestationNonce, {
    method: 'pin',
    value: secrets.authPin,
  });
  let sign: { csr: string; attestation: string } | undefined;
  if (withSign) {
    if (secrets.signaturePassword === undefined)
      throw new WalletError('WALLET_SECRET_NOT_SET', 'a signature password is needed for the signature key');
    await device.secureArea.createKey({
      alias: signAlias,
      type: 'rsa-2048',
      userAuthentication: ['password'],
    });
    sign = await requestOf(device, signAlias, started.keyAttestationNonce, {
      method: 'password',
      value: secrets.signaturePassword,
    });
  }
  const r = await issuer.postJson(
    `/installations/${encodeURIComponent(started.installationId)}/jpki-certificates`,
    {
      authCsr: auth.csr,
      authKeyAttestation: auth.attestation,
      ...(sign === undefined ? {} : { signCsr: sign.csr, signKeyAttestation: sign.attestation }),
    },
    { authorization: `Bearer ${started.installationToken}` },
  );
  const issued = objectOf(r, 'certificates');
  const authCert = issued === undefined ? undefined : objectOf(issued, 'userAuthentication');
  if (issued === undefined || authCert === undefined)
    throw new WalletError('WALLET_ISSUER_RESPONSE', 'the issuer sent no user-authentication certificate');
  const signCert = withSign ? objectOf(issued, 'signature') : undefined;
  // Both are checked before either is kept: a phone never holds half of a refused answer.
  const received = [await receive(device, 'auth', authAlias, authCert, jpkiTrust)];
  if (signCert !== undefined) received.push(await receive(device, 'sign', signAlias, signCert, jpkiTrust));
  const certificates: WalletCertificate[] = [];
  for (const r of received) certificates.push(await store(device, started.installationId, r));
  const state = r.state === 'active' ? 'active' : 'pending';
  const superseded = typeof r.supersededInstallationId === 'string' ? r.supersededInstallationId : undefined;
  return {
    state,
    certificates,
    ...(superseded === undefined ? {} : { supersededInstallationId: superseded }),
  };
}

interface Received {
  readonly purpose: 'sign' | 'auth';
  readonly keyAlias: string;
  readonly certificate: Uint8Array;
  readonly issuerCertificate: Uint8Array;
  readonly fields: Record<string, unknown>;
}

async function receive(
  device: WalletDevice,
  purpose: 'sign' | 'auth',
  keyAlias: string,
  c: Record<string, unknown>,
  trust: JpkiTrust | undefined,
): Promise<Received> {
  const certificate = new Uint8Array(Buffer.from(stringOf(c, 'certificate'), 'base64'));
  const issuerCertificate = new Uint8Array(Buffer.from(stringOf(c, 'issuer'), 'base64'));
  const key = await device.secureArea.getKey(keyAlias);
  await verifyReceivedJpkiCertificate({
    der: certificate,
    issuerDer: issuerCertificate,
    purpose,
    publicKey: key?.publicKey,
    ...(trust === undefined ? {} : { trust }),
    now: device.clock(),
  });
  return { purpose, keyAlias, certificate, issuerCertificate, fields: c };
}

async function store(device: WalletDevice, installationId: string, r: Received): Promise<WalletCertificate> {
  return device.store.certificates.add(
    {
      deviceId: device.id,
      installationId,
      purpose: r.purpose,
      certificate: r.certificate,
      issuerCertificate: r.issuerCertificate,
      serialNumber: stringOf(r.fields, 'serialNumber'),
      notAfter: new Date(stringOf(r.fields, 'notAfter')),
      keyAlias: r.keyAlias,
    },
    device.clock().getTime(),
  );
}
