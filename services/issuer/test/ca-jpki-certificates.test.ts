/**
 * Smartphone JPKI certificates issued by the sandbox CAs through the key source: the J-LIS leaf profile,
 * @mynakit/jpki's own checks, the validity rule, and OpenSSL's `verify` against the sandbox roots (with
 * the DS of the record too).
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  authorityKeyIdentifierOf,
  basicFourOfCertificate,
  checkCertificate,
  composeName,
  createChallenge,
  DEFAULT_JPKI_POLICY_CONFIG,
  issuerAltNameOf,
  JpkiError,
  policyInformationOf,
  signAuthChallenge,
  verifyAuthResponse,
} from '@mynakit/jpki';
import { type Certificate, createCsr, derToPem, parseCertificate, parseCsr } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  issueSandboxSignatureCertificate,
  issueSandboxUserAuthenticationCertificate,
  type JpkiSignatureHolder,
} from '../src/ca/jpki-certificates.js';
import type { SandboxHierarchy } from '../src/ca/sandbox-hierarchy.js';
import {
  SANDBOX_JPKI_CPS_URI,
  SANDBOX_JPKI_POLICY_CONFIG,
  SANDBOX_JPKI_POLICY_OID,
} from '../src/ca/sandbox-names.js';
import { CA_EPOCH, sandboxAt, type TempDataDir, tempDataDir } from './helpers/sandbox-ca.js';

const ISSUED_AT = new Date('2026-05-10T03:00:00Z');
const phoneSignKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const phoneAuthKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const holder: JpkiSignatureHolder = {
  basicFour: {
    name: composeName('番号', '花子'),
    address: '東京都千代田区霞が関１－２－３',
    birthDate: { year: 1990, month: 1, day: 2 },
    sex: 'female',
  },
  municipality: { prefecture: 'Tokyo-to', name: 'Chiyoda-ku' },
};

let dir: TempDataDir;
let ossl: string;
let h: SandboxHierarchy;
let sign: Certificate;
let signDer: Uint8Array;
let auth: Certificate;
let authDer: Uint8Array;
beforeAll(async () => {
  dir = tempDataDir();
  ossl = mkdtempSync(join(tmpdir(), 'mynakit-issuer-openssl-'));
  h = await sandboxAt(dir.path);
  // The phone's key arrives in a CSR: issue from the key the CSR carries.
  const csr = parseCsr(
    createCsr({
      subject: 'CN=phone',
      publicKey: phoneSignKey.publicKey,
      privateKey: phoneSignKey.privateKey,
    }),
  );
  const s = await issueSandboxSignatureCertificate(h, holder, {
    publicKey: csr.spkiDer,
    issuedAt: ISSUED_AT,
  });
  sign = s.certificate;
  signDer = s.der;
  const a = await issueSandboxUserAuthenticationCertificate(
    h,
    { birthDate: holder.basicFour.birthDate, municipality: holder.municipality },
    { publicKey: phoneAuthKey.publicKey, issuedAt: ISSUED_AT },
  );
  auth = a.certificate;
  authDer = a.der;
  expect(s.serialNumber).toBe(sign.serialNumber);
  expect(a.userId).toMatch(/^[0-9A-Z]{23}$/);
});
afterAll(() => {
  dir.remove();
  rmSync(ossl, { recursive: true, force: true });
});

function opensslVerify(anchor: Uint8Array, leaf: Uint8Array, at: Date): { ok: boolean; out: string } {
  const id = Math.random().toString(36).slice(2);
  const anchorPath = join(ossl, `anchor-${id}.pem`);
  const leafPath = join(ossl, `leaf-${id}.pem`);
  writeFileSync(anchorPath, derToPem(anchor));
  writeFileSync(leafPath, derToPem(leaf));
  const r = spawnSync(
    '/usr/bin/openssl',
    [
      'verify',
      '-x509_strict',
      '-attime',
      String(Math.floor(at.getTime() / 1000)),
      '-CAfile',
      anchorPath,
      leafPath,
    ],
    { encoding: 'utf8' },
  );
  if (r.error) throw r.error;
  return { ok: r.status === 0 && r.stdout.includes(': OK'), out: r.stdout + r.stderr };
}

describe('sandbox JPKI end certificates', () => {
  it('have the J-LIS leaf structure under sandbox names and policies', () => {
    const ca = h.jpki.signature.ca.certificate;
    expect(sign.subject).toMatch(/^C=JP, L=Chiyoda-ku, CN=[0-9A-Z]{23}$/);
    expect(auth.subject).toMatch(/^C=JP, CN=[0-9A-Z]{23}$/);
    expect(sign.signatureAlgorithm.name).toBe('sha256WithRSAEncryption');
    expect(sign.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(auth.keyUsage).toEqual(['digitalSignature']);
    expect(auth.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    // Critical certificatePolicies: the sandbox policy with a CPS qualifier, never J-LIS's.
    for (const [c, oid] of [
      [sign, SANDBOX_JPKI_POLICY_OID.signature],
      [auth, SANDBOX_JPKI_POLICY_OID.userAuthentication],
    ] as const) {
      expect(c.extensions.find((e) => e.oid === '2.5.29.32')?.critical).toBe(true);
      expect(policyInformationOf(c)).toEqual([
        { policy: oid, cpsUris: [SANDBOX_JPKI_CPS_URI], otherQualifiers: [] },
      ]);
      expect(c.authorityInfoAccess.map((a) => a.location)).toEqual([
        { type: 'uniformResourceIdentifier', value: `${h.baseUrl}/jpki/ocsp` },
      ]);
    }
    // issuerAltName = the CA's subjectAltName; AKI = keyIdentifier + the CA's issuer name + its serial.
    expect(issuerAltNameOf(sign)).toEqual(ca.subjectAltName);
    expect(authorityKeyIdentifierOf(sign)).toEqual({
      keyIdentifier: ca.subjectKeyIdentifier,
      authorityCertIssuer: [expect.objectContaining({ type: 'directoryName', value: ca.issuer })],
      authorityCertSerialNumber: ca.serialNumber,
    });
    // CRL distribution points partitioned by municipality, under each CA's name.
    const dp = (c: Certificate) => {
      const n = c.crlDistributionPoints[0]?.distributionPoint;
      return n !== undefined && 'fullName' in n
        ? n.fullName.map((g) => g.type === 'directoryName' && g.value)
        : [];
    };
    expect(dp(sign)).toEqual([
      'C=JP, O=mynakit sandbox, OU=sandbox digital signature CA, OU=CRL Distribution Points, OU=Tokyo-to, CN=Chiyoda-ku CRLDP',
    ]);
    expect(dp(auth)).toEqual([
      'C=JP, O=mynakit sandbox, OU=sandbox user authentication CA, OU=CRL Distribution Points, OU=Tokyo-to, CN=Chiyoda-ku CRLDP',
    ]);
    expect(basicFourOfCertificate(sign)?.birthDate).toBe('419900102');
    expect(basicFourOfCertificate(auth)).toBeUndefined();
  });

  it('last until 23:59:59 JST on the 5th birthday after issuance, capped by the card', async () => {
    expect(sign.notBefore).toEqual(ISSUED_AT);
    expect(sign.notAfter).toEqual(new Date('2031-01-02T14:59:59Z'));
    expect(auth.notAfter).toEqual(new Date('2031-01-02T14:59:59Z'));
    const cardExpiresAt = new Date('2029-03-31T14:59:59Z');
    const capped = await issueSandboxUserAuthenticationCertificate(
      h,
      { birthDate: holder.basicFour.birthDate, municipality: holder.municipality },
      { publicKey: phoneAuthKey.publicKey, issuedAt: ISSUED_AT, cardExpiresAt },
    );
    expect(capped.notAfter).toEqual(cardExpiresAt);
  });

  it('report the serial and validity the certificate carries, an issuance instant with milliseconds too', async () => {
    const at = new Date(ISSUED_AT.getTime() + 123_456);
    const cardExpiresAt = new Date('2029-03-31T14:59:59.999Z');
    for (const issued of [
      await issueSandboxSignatureCertificate(h, holder, {
        publicKey: phoneSignKey.publicKey,
        issuedAt: at,
        cardExpiresAt,
      }),
      await issueSandboxUserAuthenticationCertificate(
        h,
        { birthDate: holder.basicFour.birthDate, municipality: holder.municipality },
        { publicKey: phoneAuthKey.publicKey, issuedAt: at, cardExpiresAt },
      ),
    ]) {
      const parsed = parseCertificate(issued.der);
      expect(issued.serialNumber).toBe(parsed.serialNumber);
      expect(issued.notBefore).toEqual(parsed.notBefore);
      expect(issued.notAfter).toEqual(parsed.notAfter);
      expect(issued.certificate.fingerprint256).toBe(parsed.fingerprint256);
    }
  });

  it('refuse a signature certificate under 15 (JpkiError SIGNATURE_CERTIFICATE_UNDER_15), not an auth one', async () => {
    const child = {
      ...holder,
      basicFour: { ...holder.basicFour, birthDate: { year: 2015, month: 6, day: 1 } },
    };
    const err = await issueSandboxSignatureCertificate(h, child, {
      publicKey: phoneSignKey.publicKey,
      issuedAt: ISSUED_AT,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JpkiError);
    expect((err as JpkiError).code).toBe('SIGNATURE_CERTIFICATE_UNDER_15');
    const a = await issueSandboxUserAuthenticationCertificate(
      h,
      { birthDate: child.basicFour.birthDate, municipality: holder.municipality },
      { publicKey: phoneAuthKey.publicKey, issuedAt: ISSUED_AT },
    );
    expect(a.certificate.subject).toMatch(/^C=JP, CN=/);
  });

  it("pass @mynakit/jpki's jpki-sign and jpki-auth profile checks with the sandbox policies configured", async () => {
    for (const [certificate, profile, ca] of [
      [sign, 'jpki-sign', h.jpki.signature.ca.certificate],
      [auth, 'jpki-auth', h.jpki.userAuthentication.ca.certificate],
    ] as const) {
      const r = await checkCertificate({
        certificate,
        intermediates: [],
        trustAnchors: [ca],
        revocation: [],
        now: ISSUED_AT,
        profile,
        policies: SANDBOX_JPKI_POLICY_CONFIG,
      });
      const notPassed = r.checks.filter((c) => c.status !== 'passed');
      // No revocation source given: only the status is open.
      expect(
        notPassed.map((c) => [c.id, c.status]),
        JSON.stringify(notPassed),
      ).toEqual([['status.revocation', 'undetermined']]);
      // A relying party configured for the real J-LIS policies does not take a sandbox certificate.
      const real = await checkCertificate({
        certificate,
        intermediates: [],
        trustAnchors: [ca],
        revocation: [],
        now: ISSUED_AT,
        profile,
        policies: DEFAULT_JPKI_POLICY_CONFIG,
      });
      expect(real.checks.find((c) => c.id === 'cert.policy')?.status).toBe('failed');
    }
  });

  it('authenticate a holder end to end (challenge signed by the phone key, verifyAuthResponse)', async () => {
    const challenge = createChallenge();
    const report = await verifyAuthResponse({
      challenge,
      signature: signAuthChallenge(challenge, phoneAuthKey.privateKey),
      certificate: authDer,
      trustAnchors: h.jpki.userAuthentication.cas.map((c) => c.certificate),
      now: ISSUED_AT,
      policies: SANDBOX_JPKI_POLICY_CONFIG,
    });
    expect(report.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(report.identity?.subjectCommonName).toBe(auth.subject.slice('C=JP, CN='.length));
  });

  it('verify with OpenSSL (-x509_strict) against the sandbox roots: JPKI leaves and the record DS', () => {
    for (const [anchor, leaf] of [
      [h.jpki.signature.ca.der, signDer],
      [h.jpki.userAuthentication.ca.der, authDer],
      [h.jpki.signature.ca.der, h.jpki.signature.ocspResponder.der],
      [h.mnc.iaca.der, h.mnc.documentSigner.der],
      [h.mnc.iaca.der, h.mnc.statusListSigner.der],
      [h.mdl.iaca.der, h.mdl.documentSigner.der],
      [h.attestation.root.der, h.attestation.ca.der],
    ] as const) {
      const v = opensslVerify(anchor, leaf, ISSUED_AT);
      expect(v.ok, v.out).toBe(true);
    }
    // And OpenSSL refuses the wrong root.
    expect(opensslVerify(h.jpki.userAuthentication.ca.der, signDer, ISSUED_AT).ok).toBe(false);
    expect(opensslVerify(h.mdl.iaca.der, h.mnc.documentSigner.der, CA_EPOCH).ok).toBe(false);
  });
});
