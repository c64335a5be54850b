import { parseCertificate } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addRecord,
  type InstallInput,
  installCredentials,
  type WalletDevice,
  WalletError,
} from '../src/index.js';
import { cardPinsOf, type IssuerEnvironment, issuerEnvironment } from './helpers/issuer-fixture.js';

const MNC = 'org.iso.23220.1.jp.mnc';
const MDL = 'org.iso.18013.5.1.mDL';
const BIOMETRIC = { method: 'biometric', matched: true } as const;

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError) return e.issuerCode ?? e.code;
    throw e;
  }
  return 'resolved';
}

let env: IssuerEnvironment;
beforeAll(async () => {
  env = await issuerEnvironment();
}, 120_000);
afterAll(async () => {
  await env?.close();
});

async function install(
  phone: WalletDevice,
  residentId: string,
  overrides: { [K in keyof InstallInput]?: InstallInput[K] | undefined } = {},
) {
  const pins = await cardPinsOf(env, residentId);
  return installCredentials({
    device: phone,
    issuer: env.client,
    card: await env.card(residentId),
    cardPins: pins,
    liveness: { confirmed: true },
    newAuthPin: ['2468', '2468'],
    newSignaturePassword: ['PHONE2026', 'PHONE2026'],
    biometric: BIOMETRIC,
    trustAnchors: env.trustAnchors,
    jpkiTrust: env.jpkiTrust,
    ...overrides,
  } as InstallInput);
}

describe('iPhone: the record and both certificates together', () => {
  it('installs for an adult, verifies and stores both, and the phone can use its keys', async () => {
    const phone = await env.phone('iphone-adult', 'iphone');
    const result = await install(phone, 'sandbox-ordinary-female', { alsoRequest: [MDL] });
    expect(result.state).toBe('active');
    expect(result.certificates.map((c) => c.purpose).sort()).toEqual(['auth', 'sign']);
    expect(result.documents.map((d) => d.docType)).toEqual([MNC, MDL]);
    const held = await phone.store.documents.list(phone.id);
    expect(held.map((d) => d.docType).sort()).toEqual([MDL, MNC].sort());
    expect(held.every((d) => d.state === 'active' && d.credentialId !== undefined)).toBe(true);
    // The certificate certifies the secure-area key.
    const sign = await phone.store.certificates.active(phone.id, 'sign');
    const key = await phone.secureArea.getKey(sign!.keyAlias);
    expect(parseCertificate(sign!.certificate).publicKey.equals(key!.publicKey)).toBe(true);
    // The issuer holds the installation active with the record and both certificates.
    const credentials = await env.issuer.deps.store.credentials.listByInstallation(result.installationId);
    expect(
      credentials
        .filter((c) => c.state === 'active')
        .map((c) => c.kind)
        .sort(),
    ).toEqual(['jpki-auth', 'jpki-sign', 'mdoc', 'mdoc'].sort());
    expect((await phone.secrets.status('signaturePassword')).remaining).toBe(5);
  }, 60_000);

  it('refuses before contacting the issuer: wrong card PIN, no liveness, mismatched new PIN, bad password', async () => {
    const phone = await env.phone('iphone-refusals', 'iphone');
    const pins = await cardPinsOf(env, 'sandbox-ordinary-male');
    expect(
      await code(install(phone, 'sandbox-ordinary-male', { cardPins: { ...pins, inputSupportPin: '0000' } })),
    ).toMatch(/WALLET_CARD_PIN_(WRONG|LOCKED)/);
    expect(await code(install(phone, 'sandbox-ordinary-male', { liveness: { confirmed: false } }))).toBe(
      'WALLET_LIVENESS_REQUIRED',
    );
    expect(await code(install(phone, 'sandbox-ordinary-male', { newAuthPin: ['1234', '4321'] }))).toBe(
      'WALLET_SECRET_MISMATCH',
    );
    expect(
      await code(install(phone, 'sandbox-ordinary-male', { newSignaturePassword: ['short', 'short'] })),
    ).toBe('WALLET_SECRET_FORMAT');
    expect(await phone.store.installations.latest(phone.id)).toBeUndefined();
  }, 60_000);
});

describe('the received JPKI certificates are checked before the phone keeps them', () => {
  it('refuses certificates that do not chain to the trusted JPKI CAs, keeping neither', async () => {
    const phone = await env.phone('iphone-wrong-ca', 'iphone');
    const h = env.issuer.deps.hierarchy;
    const failure = install(phone, 'sandbox-ordinary-male', {
      // Only the signature CAs: the user-authentication certificate has no path.
      jpkiTrust: { ...env.jpkiTrust, trustAnchors: h.jpki.signature.cas.map((c) => c.der) },
    });
    await expect(failure).rejects.toMatchObject({ code: 'WALLET_ISSUER_RESPONSE' });
    await expect(failure).rejects.toThrow(/auth certificate does not verify \(cert\.path/);
    expect(await phone.store.certificates.active(phone.id, 'auth')).toBeUndefined();
    expect(await phone.store.certificates.active(phone.id, 'sign')).toBeUndefined();
  }, 60_000);

  it('refuses a certificate whose policy is not the one its purpose requires', async () => {
    const phone = await env.phone('iphone-wrong-policy', 'iphone');
    const policies = env.jpkiTrust.policies!;
    const failure = install(phone, 'sandbox-ordinary-female', {
      // The deployment's signature policy expected where the sandbox's is: cert.policy fails.
      jpkiTrust: {
        ...env.jpkiTrust,
        policies: { ...policies, signaturePolicyOids: ['1.2.392.200149.8.5.1.1.20'] },
      },
    });
    await expect(failure).rejects.toThrow(/sign certificate does not verify \(cert\.policy\)/);
    expect(await phone.store.certificates.active(phone.id, 'auth')).toBeUndefined();
    expect(await phone.store.certificates.active(phone.id, 'sign')).toBeUndefined();
  }, 60_000);
});

describe('Android: certificates first, the record later', () => {
  it('installs the certificates, then adds the record with the phone’s JPKI user authentication', async () => {
    const phone = await env.phone('android-adult', 'android');
    const result = await install(phone, 'sandbox-ordinary-male');
    expect(result.state).toBe('active');
    expect(result.documents).toEqual([]);
    expect(result.certificates.length).toBe(2);
    const docs = await addRecord({
      device: phone,
      issuer: env.client,
      authentication: { method: 'pin', value: '2468' },
      biometric: BIOMETRIC,
      trustAnchors: env.trustAnchors,
    });
    expect(docs.map((d) => d.docType)).toEqual([MNC]);
    // A second record for the same installation is refused by the issuer.
    expect(
      await code(
        addRecord({
          device: phone,
          issuer: env.client,
          authentication: BIOMETRIC,
          biometric: BIOMETRIC,
          trustAnchors: env.trustAnchors,
        }),
      ),
    ).toBe('ISSUER_INSTALLATION_STATE');
  }, 60_000);
});

describe('under 15: the user-authentication certificate only', () => {
  it('proves with the card’s auth key and receives no record and no signature certificate', async () => {
    const phone = await env.phone('iphone-child', 'iphone');
    const result = await install(phone, 'sandbox-under-15', { newSignaturePassword: undefined });
    expect(result.state).toBe('active');
    expect(result.certificates.map((c) => c.purpose)).toEqual(['auth']);
    expect(result.documents).toEqual([]);
    expect((await phone.secrets.status('signaturePassword')).set).toBe(false);
    expect(
      await code(
        addRecord({
          device: phone,
          issuer: env.client,
          authentication: { method: 'pin', value: '2468' },
          biometric: BIOMETRIC,
          trustAnchors: env.trustAnchors,
        }),
      ),
    ).toBe('ISSUER_RECORD_NOT_ELIGIBLE');
  }, 60_000);
});

describe('one person, one device', () => {
  it('installing on a second phone revokes the first phone’s credentials at the issuer', async () => {
    const first = await env.phone('first-phone', 'iphone');
    const a = await install(first, 'sandbox-leap-day');
    const second = await env.phone('second-phone', 'android');
    const b = await install(second, 'sandbox-leap-day');
    expect(b.supersededInstallationId).toBe(a.installationId);
    const old = await env.issuer.deps.store.credentials.listByInstallation(a.installationId);
    expect(old.length).toBe(3);
    expect(old.every((c) => c.state === 'revoked')).toBe(true);
    const installation = await env.issuer.deps.store.installations.get(a.installationId);
    expect(installation?.state).toBe('superseded');
  }, 90_000);
});
