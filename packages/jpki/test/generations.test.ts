/**
 * Several CA generations under one name, as J-LIS runs them (DOMAIN.md §3: "trust all that are current,
 * pick by AKI/SKI"; each generation its own self-signed root, no link certificates), with certificates
 * built by our builders in the real structure: end certificates with issuerAltName, the whole AKI and a
 * CPS pointer pass the JPKI profiles without a warning. J-LIS test cards stay a configuration.
 */
import { generateKeyPairSync } from 'node:crypto';
import { type Certificate, parseCertificate, signCms, validateCertificatePath } from '@mynakit/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkCertificate,
  checkJpkiCaCertificate,
  composeName,
  createChallenge,
  createJpkiCaCertificate,
  createSignatureCertificate,
  createUserAuthenticationCertificate,
  encodeBasicFour,
  formatName,
  inMemoryRevocationSource,
  inspectCertificate,
  JPKI_OID,
  JPKI_TEST_POLICY_CONFIG,
  type NameAttributes,
  SANDBOX_CPS_URI,
  SANDBOX_SIGNATURE_CA_NAME,
  signAuthChallenge,
  verifyAuthResponse,
  verifyJpkiSignature,
} from '../src/index.js';

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const NOW = new Date('2026-03-01T00:00:00Z');
/** Before generation 1 (2015–2025) expired. */
const ALL_VALID = new Date('2025-06-01T00:00:00Z');
const basicFour = encodeBasicFour({
  name: composeName('番号', '花子'),
  address: '東京都千代田区霞が関１－２－３',
  birthDate: { year: 1990, month: 1, day: 2 },
  sex: 'female',
});

interface Ca {
  readonly cert: Certificate;
  readonly key: ReturnType<typeof rsa>;
}

function ca(purpose: 'signature' | 'userAuthentication', year: number, name?: NameAttributes): Ca {
  const key = rsa();
  const der = createJpkiCaCertificate({
    purpose,
    publicKey: key.publicKey,
    privateKey: key.privateKey,
    notBefore: new Date(`${year}-07-16T00:00:00Z`),
    notAfter: new Date(`${year + 10}-07-15T14:59:59Z`),
    ...(name !== undefined ? { name } : {}),
  });
  return { cert: parseCertificate(der), key };
}

let gen1: Ca;
let gen2: Ca;
let gen3: Ca;
let leafKey: ReturnType<typeof rsa>;
let leaf: Certificate;

beforeAll(() => {
  gen1 = ca('signature', 2015);
  gen2 = ca('signature', 2019);
  gen3 = ca('signature', 2023);
  leafKey = rsa();
  leaf = parseCertificate(
    createSignatureCertificate({
      issuer: { certificate: gen2.cert, privateKey: gen2.key.privateKey },
      publicKey: leafKey.publicKey,
      basicFour,
      notBefore: new Date('2025-06-24T00:00:00Z'),
      notAfter: new Date('2030-01-02T14:59:59Z'),
      ocspUrls: ['http://127.0.0.1:9/ocsp'],
    }),
  );
}, 60_000);

const statusOf = (checks: readonly { id: string; status: string }[], id: string) =>
  checks.find((c) => c.id === id)?.status;
const good = (issuer: Ca) => inMemoryRevocationSource({ issuer: issuer.cert, entries: [], complete: true });

describe('three generations under one name', () => {
  it('are sandbox roots in the real structure, each passing the CA profile once its name is configured', () => {
    const names = new Set([gen1, gen2, gen3].map((g) => g.cert.subject));
    expect([...names]).toEqual([formatName(SANDBOX_SIGNATURE_CA_NAME)]);
    for (const g of [gen1, gen2, gen3]) {
      const byDefault = checkJpkiCaCertificate(g.cert, { now: ALL_VALID });
      // A sandbox name is not J-LIS's: said, as a warning, until configured.
      expect(byDefault.checks.filter((c) => c.status !== 'passed').map((c) => c.id)).toEqual(['ca.name']);
      const configured = checkJpkiCaCertificate(g.cert, { now: ALL_VALID, caNames: [g.cert.subject] });
      expect(configured.checks.filter((c) => c.status !== 'passed')).toEqual([]);
    }
  });

  it('path building picks the generation whose SKI is the AKI, whatever the order of the anchors', () => {
    for (const anchors of [
      [gen1, gen2, gen3],
      [gen3, gen1, gen2],
      [gen2, gen3, gen1],
    ]) {
      const r = validateCertificatePath({ leaf, trustAnchors: anchors.map((a) => a.cert), now: NOW });
      expect(r.ok).toBe(true);
      expect(r.path[1]).toBe(gen2.cert);
    }
    const without = validateCertificatePath({ leaf, trustAnchors: [gen1.cert, gen3.cert], now: NOW });
    expect(without.ok).toBe(false);
  });

  it('a signature made under a leaf of generation 2 verifies with all three generations as anchors', async () => {
    const content = new TextEncoder().encode('申込書: 口座開設');
    const signature = signCms({
      content,
      detached: false,
      signer: { certificate: leaf, privateKey: leafKey.privateKey },
      signingTime: new Date('2026-02-28T12:00:00Z'),
    });
    const report = await verifyJpkiSignature({
      signature,
      trustAnchors: [gen3.cert, gen1.cert, gen2.cert],
      revocation: [good(gen2)],
      now: NOW,
      profile: 'jpki-sign',
    });
    expect(report.checks.filter((c) => c.status !== 'passed')).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(report.basicFour).toEqual(basicFour);
    // Only the other generations trusted: no path.
    const others = await verifyJpkiSignature({
      signature,
      trustAnchors: [gen1.cert, gen3.cert],
      revocation: [good(gen2)],
      now: NOW,
      profile: 'jpki-sign',
    });
    expect(statusOf(others.checks, 'cert.path')).toBe('failed');
    expect(others.verdict).toBe('invalid');
  });
});

describe('an expired generation', () => {
  it('no longer vouches for what it issued: cert.validity names the expired trust anchor', async () => {
    // Issued by generation 1 (2015–2025) with a validity beyond it, checked after generation 1 expired.
    const key = rsa();
    const late = parseCertificate(
      createSignatureCertificate({
        issuer: { certificate: gen1.cert, privateKey: gen1.key.privateKey },
        publicKey: key.publicKey,
        basicFour,
        notBefore: new Date('2025-01-01T00:00:00Z'),
        notAfter: new Date('2026-12-31T14:59:59Z'),
      }),
    );
    const r = await checkCertificate({
      certificate: late,
      intermediates: [],
      trustAnchors: [gen1.cert, gen2.cert, gen3.cert],
      revocation: [good(gen1)],
      now: NOW,
      profile: 'jpki-sign',
    });
    expect(statusOf(r.checks, 'cert.path')).toBe('passed');
    expect(statusOf(r.checks, 'cert.validity')).toBe('failed');
    expect(r.checks.find((c) => c.id === 'cert.validity')?.detail).toMatch(
      /^trust anchor ".*" expired at 2025-07-15/,
    );
    const before = await checkCertificate({
      certificate: late,
      intermediates: [],
      trustAnchors: [gen1.cert, gen2.cert, gen3.cert],
      revocation: [good(gen1)],
      now: new Date('2025-03-01T00:00:00Z'),
      profile: 'jpki-sign',
    });
    expect(statusOf(before.checks, 'cert.validity')).toBe('passed');
  });
});

describe('end certificates with the real traits pass the JPKI profiles without a warning', () => {
  it('signature certificate: issuerAltName, the whole AKI, a CPS pointer (jpki-sign)', async () => {
    const i = inspectCertificate(leaf);
    expect(i.issuerAltName).toEqual([
      'DirName: C=JP, O=mynakit サンドボックス, OU=サンドボックス署名用認証局',
    ]);
    expect(i.authorityKeyIdentifier).toEqual({
      keyIdentifier: gen2.cert.subjectKeyIdentifier,
      authorityCertIssuer: [`DirName: ${gen2.cert.issuer}`],
      authorityCertSerialNumber: gen2.cert.serialNumber,
    });
    expect(i.policyQualifiers).toEqual([{ policy: JPKI_OID.signaturePolicy, cps: SANDBOX_CPS_URI }]);
    expect(i.crlDistributionPoints).toEqual([`DirName: ${gen2.cert.subject}, OU=CRL Distribution Points`]);
    const r = await checkCertificate({
      certificate: leaf,
      intermediates: [],
      trustAnchors: [gen1.cert, gen2.cert, gen3.cert],
      revocation: [good(gen2)],
      now: NOW,
      profile: 'jpki-sign',
    });
    expect(r.checks.filter((c) => c.status !== 'passed')).toEqual([]);
    expect(r.checks.find((c) => c.id === 'cert.path')?.detail).not.toMatch(/\(.*\)$/);
    expect(r.issuer).toBe(gen2.cert);
  });

  it('user-authentication certificate (jpki-auth), issued by the 2023 user-authentication CA', async () => {
    const authGen2 = ca('userAuthentication', 2019);
    const authGen3 = ca('userAuthentication', 2023);
    const holder = rsa();
    const cert = parseCertificate(
      createUserAuthenticationCertificate({
        issuer: { certificate: authGen3.cert, privateKey: authGen3.key.privateKey },
        publicKey: holder.publicKey,
        userId: 'ABCDEFGHJKLMNPQRSTUVWXY',
        crlPartition: { prefecture: 'Ibaraki-ken', municipality: 'Tsukuba-shi' },
        notBefore: new Date('2025-06-24T00:00:00Z'),
        notAfter: new Date('2030-01-02T14:59:59Z'),
      }),
    );
    const i = inspectCertificate(cert);
    expect(i.issuerAltName).toEqual([
      'DirName: C=JP, O=mynakit サンドボックス, OU=サンドボックス利用者証明用認証局',
    ]);
    expect(i.authorityKeyIdentifier?.keyIdentifier).toBe(authGen3.cert.subjectKeyIdentifier);
    expect(i.authorityKeyIdentifier?.authorityCertSerialNumber).toBe(authGen3.cert.serialNumber);
    expect(i.policyQualifiers).toEqual([{ policy: JPKI_OID.userAuthenticationPolicy, cps: SANDBOX_CPS_URI }]);
    expect(i.crlDistributionPoints).toEqual([
      `DirName: ${authGen3.cert.subject}, OU=CRL Distribution Points, OU=Ibaraki-ken, CN=Tsukuba-shi CRLDP`,
    ]);
    const challenge = createChallenge();
    const report = await verifyAuthResponse({
      challenge,
      signature: signAuthChallenge(challenge, holder.privateKey),
      certificate: cert,
      trustAnchors: [authGen2.cert, authGen3.cert],
      revocation: [good(authGen3)],
      now: NOW,
    });
    expect(report.checks.filter((c) => c.status !== 'passed')).toEqual([]);
    expect(report.verdict).toBe('valid');
  });
});

describe('J-LIS test cards are a configuration, never a default', () => {
  // Test cards chain to differently named roots (O=JPKI-TEST) and carry the test policy
  // 1.2.392.200149.8.5.1.0.20 (DOMAIN.md §3).
  const TEST_ROOT: NameAttributes = [
    ['C', 'JP'],
    ['O', 'JPKI-TEST'],
    ['OU', 'JPKI-TEST for digital signature'],
  ];

  it('a test-card signature policy is refused by default and accepted with JPKI_TEST_POLICY_CONFIG', async () => {
    const root = ca('signature', 2023, TEST_ROOT);
    const key = rsa();
    const card = parseCertificate(
      createSignatureCertificate({
        issuer: { certificate: root.cert, privateKey: root.key.privateKey },
        publicKey: key.publicKey,
        basicFour,
        notBefore: new Date('2025-06-24T00:00:00Z'),
        notAfter: new Date('2030-01-02T14:59:59Z'),
        policyOid: JPKI_OID.signaturePolicyTestCard,
      }),
    );
    const signature = signCms({
      content: new TextEncoder().encode('test card'),
      detached: false,
      signer: { certificate: card, privateKey: key.privateKey },
      signingTime: NOW,
    });
    const base = { signature, trustAnchors: [root.cert], revocation: [good(root)], now: NOW } as const;
    const byDefault = await verifyJpkiSignature({ ...base, profile: 'jpki-sign' });
    expect(statusOf(byDefault.checks, 'cert.policy')).toBe('failed');
    expect(byDefault.checks.find((c) => c.id === 'cert.policy')?.detail).toContain(
      JPKI_OID.signaturePolicyTestCard,
    );
    expect(byDefault.verdict).toBe('invalid');
    const configured = await verifyJpkiSignature({
      ...base,
      profile: 'jpki-sign',
      policies: JPKI_TEST_POLICY_CONFIG,
    });
    expect(statusOf(configured.checks, 'cert.policy')).toBe('passed');
    expect(configured.verdict).toBe('valid');
    // The test root is no J-LIS CA: the CA profile says so unless configured.
    expect(statusOf(checkJpkiCaCertificate(root.cert).checks, 'ca.name')).toBe('warning');
    expect(
      statusOf(checkJpkiCaCertificate(root.cert, { caNames: [root.cert.subject] }).checks, 'ca.name'),
    ).toBe('passed');
  });
});
