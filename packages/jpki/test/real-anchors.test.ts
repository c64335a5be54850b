/**
 * The six real J-LIS CA certificates (vectors/jpki-real: signature and user authentication, generations
 * 2015, 2019, 2023): every field its README lists, the JPKI CA profile, and their use as trust anchors.
 * Each generation is its own self-signed root under the same name, without link certificates (DOMAIN.md §3).
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  type Certificate,
  parseCertificate,
  subjectAttributesOf,
  validateCertificatePath,
} from '@mynakit/pki';
import { vectorPath } from '@mynakit/test-vectors';
import { describe, expect, it } from 'vitest';
import {
  authorityKeyIdentifierOf,
  checkCertificate,
  checkJpkiCaCertificate,
  createJpkiCaCertificate,
  formatName,
  inspectCertificate,
  issuerAltNameOf,
  JPKI_SIGNATURE_CA_ALT_NAME,
  JPKI_SIGNATURE_CA_NAME,
  JPKI_USER_AUTHENTICATION_CA_ALT_NAME,
  JPKI_USER_AUTHENTICATION_CA_NAME,
  selectIssuerGeneration,
} from '../src/index.js';

interface RealCa {
  file: string;
  purpose: 'signature' | 'userAuthentication';
  generation: '2015' | '2019' | '2023';
  serial: string;
  notBefore: string;
  notAfter: string;
  ski: string;
  sha256: string;
}

// vectors/jpki-real/README.md, table by table.
const REAL: readonly RealCa[] = [
  {
    file: 'authca01.cer',
    purpose: 'userAuthentication',
    generation: '2015',
    serial: '01',
    notBefore: '2015-10-20T03:08:13.000Z',
    notAfter: '2025-10-19T14:59:59.000Z',
    ski: '9567951b5ca70d84a0fff1d85a87f1aab1340385',
    sha256: '4dcfc4ca0aaf9fb2a3081b3f0c991c320b3acc008667a341eeaec5af1d58ca7d',
  },
  {
    file: 'authca02.cer',
    purpose: 'userAuthentication',
    generation: '2019',
    serial: '0133c349',
    notBefore: '2019-09-14T23:41:59.000Z',
    notAfter: '2029-09-14T14:59:59.000Z',
    ski: '8cd5586a891485e559379b7e29d410cfd28b3593',
    sha256: '0d98de47fc11b7f67126874b7028b6026a803d2638d6edfe53176953961fade6',
  },
  {
    file: 'authca03.pem',
    purpose: 'userAuthentication',
    generation: '2023',
    serial: '06d18006',
    notBefore: '2023-07-16T01:01:04.000Z',
    notAfter: '2033-07-15T14:59:59.000Z',
    ski: '1ac100f596a3bc8c4b3df195e32699249e9e308a',
    sha256: '64114f29620c24ed2631d46476a040e7ee740d956089c00b036a6a8118c322b5',
  },
  {
    file: 'signca01.cer',
    purpose: 'signature',
    generation: '2015',
    serial: '01',
    notBefore: '2015-10-20T02:40:28.000Z',
    notAfter: '2025-10-19T14:59:59.000Z',
    ski: '0d034cbb34d0714f45e45a1cafd8fd143fab54a7',
    sha256: '19645405a1fe14377434bd55957628ac4038557c542403a2243f21c706fc9355',
  },
  {
    file: 'signca02.cer',
    purpose: 'signature',
    generation: '2019',
    serial: '0132c4ab',
    notBefore: '2019-09-14T23:41:56.000Z',
    notAfter: '2029-09-14T14:59:59.000Z',
    ski: '4de017de4b7f473dcd867a62d38b134ace83558a',
    sha256: '79679c33e4cc9319440f1ad120a597ff1844e2ef217063adb176966fd5e6fbeb',
  },
  {
    file: 'signca03.cer',
    purpose: 'signature',
    generation: '2023',
    serial: '067c6a21',
    notBefore: '2023-07-16T00:50:27.000Z',
    notAfter: '2033-07-15T14:59:59.000Z',
    ski: 'd21ea55895617e93adbf966b941ab4edf653f08f',
    sha256: 'd227f6cde11d35c5252178f106f843d24651944975413b539fa2fb68dbfa365f',
  },
];

const load = (file: string): Certificate => {
  const bytes = readFileSync(vectorPath('jpki-real', file));
  return file.endsWith('.pem') ? parseCertificate(bytes.toString('utf8')) : parseCertificate(bytes);
};
const anchors = REAL.map((r) => ({ ...r, cert: load(r.file) }));
const all = anchors.map((a) => a.cert);
const byFile = (f: string) => anchors.find((a) => a.file === f)?.cert as Certificate;

/** Inside every generation's validity. */
const WHILE_ALL_VALID = new Date('2025-06-01T00:00:00Z');
/** Generation 1 (2015) expired on 2025-10-19 14:59:59Z; 2 and 3 are still valid. */
const AFTER_GEN1 = new Date('2026-01-01T00:00:00Z');

const nameOf = (p: RealCa['purpose']) =>
  formatName(p === 'signature' ? JPKI_SIGNATURE_CA_NAME : JPKI_USER_AUTHENTICATION_CA_NAME);
const altNameOf = (p: RealCa['purpose']) =>
  formatName(p === 'signature' ? JPKI_SIGNATURE_CA_ALT_NAME : JPKI_USER_AUTHENTICATION_CA_ALT_NAME);

describe.each(anchors)('$file (J-LIS $purpose CA, generation $generation)', (a) => {
  const c = a.cert;

  it('parses to every field the vectors README lists', () => {
    expect(c.fingerprint256).toBe(a.sha256);
    expect(c.serialNumber).toBe(a.serial);
    expect(c.subject).toBe(nameOf(a.purpose));
    expect(c.issuer).toBe(c.subject);
    expect(c.isSelfIssued).toBe(true);
    // C PrintableString, the other attributes UTF8String.
    for (const [rdn] of subjectAttributesOf(c))
      expect(rdn?.valueDer[0]).toBe(rdn?.shortName === 'C' ? 0x13 : 0x0c);
    expect(c.notBefore.toISOString()).toBe(a.notBefore);
    expect(c.notAfter.toISOString()).toBe(a.notAfter);
    expect(c.publicKeyInfo.algorithm).toBe('1.2.840.113549.1.1.1');
    expect(c.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(c.signatureAlgorithm.name).toBe('sha256WithRSAEncryption');
    // Extensions, in order: keyUsage (critical), subjectAltName, basicConstraints (critical),
    // cRLDistributionPoints, subjectKeyIdentifier — and no authorityKeyIdentifier.
    expect(c.extensions.map((e) => `${e.oid}${e.critical ? '!' : ''}`)).toEqual([
      '2.5.29.15!',
      '2.5.29.17',
      '2.5.29.19!',
      '2.5.29.31',
      '2.5.29.14',
    ]);
    expect(c.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    expect(c.subjectAltName).toEqual([
      expect.objectContaining({ type: 'directoryName', value: altNameOf(a.purpose) }),
    ]);
    expect(c.basicConstraints).toEqual({ ca: true });
    expect(c.basicConstraints?.pathLength).toBeUndefined();
    expect(c.crlDistributionPoints).toHaveLength(1);
    const dp = c.crlDistributionPoints[0]?.distributionPoint;
    expect(dp !== undefined && 'fullName' in dp ? dp.fullName : []).toEqual([
      expect.objectContaining({ type: 'directoryName', value: c.subject }),
    ]);
    expect(c.subjectKeyIdentifier).toBe(a.ski);
    expect(c.authorityKeyIdentifier).toBeUndefined();
    expect(authorityKeyIdentifierOf(c)).toBeUndefined();
    expect(issuerAltNameOf(c)).toEqual([]);
  });

  it('passes the JPKI CA profile without a warning while valid', () => {
    const r = checkJpkiCaCertificate(c, { now: WHILE_ALL_VALID });
    expect(r.checks.filter((x) => x.status !== 'passed')).toEqual([]);
    expect(r.verdict).toBe('valid');
    expect(r.purpose).toBe(a.purpose);
    expect(r.generation).toBe(a.generation);
    expect(r.checks.find((x) => x.id === 'ca.basic_constraints')?.detail).toContain('no pathLenConstraint');
  });

  it('validates as a trust anchor inside its validity, and only generation 1 fails after 2025-10-19', async () => {
    const at = (now: Date) =>
      checkCertificate({
        certificate: c,
        intermediates: [],
        trustAnchors: all,
        revocation: [],
        now,
        profile: 'x509',
      });
    const before = await at(WHILE_ALL_VALID);
    const after = await at(AFTER_GEN1);
    {
      const status = (r: typeof before, id: string) => r.checks.find((x) => x.id === id)?.status;
      expect(status(before, 'cert.path')).toBe('passed');
      expect(status(before, 'cert.validity')).toBe('passed');
      expect(before.path).toEqual([c]);
      expect(status(after, 'cert.path')).toBe('passed');
      expect(status(after, 'cert.validity')).toBe(a.generation === '2015' ? 'failed' : 'passed');
      const profile = checkJpkiCaCertificate(c, { now: AFTER_GEN1 });
      expect(profile.checks.find((x) => x.id === 'ca.validity')?.status).toBe(
        a.generation === '2015' ? 'failed' : 'passed',
      );
      // pki agrees: the exact configured certificate is its own path; only its validity can fail.
      const pki = validateCertificatePath({ leaf: c, trustAnchors: all, now: AFTER_GEN1 });
      expect(pki.ok).toBe(a.generation !== '2015');
      expect(pki.path).toEqual([c]);
    }
  });

  it('inspects with its Japanese subjectAltName, its own name as CRL DP and no AKI', () => {
    const i = inspectCertificate(c);
    expect(i.subjectAltName).toEqual([`DirName: ${altNameOf(a.purpose)}`]);
    expect(i.crlDistributionPoints).toEqual([`DirName: ${c.subject}`]);
    expect(i.issuerAltName).toEqual([]);
    expect(i.authorityKeyIdentifier).toBeUndefined();
    expect(i.subjectKeyIdentifier).toBe(a.ski);
    expect(i.extensionErrors).toBeUndefined();
  });
});

describe('the generations side by side', () => {
  it('share one name per purpose and are told apart by SKI', () => {
    for (const purpose of ['signature', 'userAuthentication'] as const) {
      const gens = anchors.filter((a) => a.purpose === purpose).map((a) => a.cert);
      expect(new Set(gens.map((g) => g.subject)).size).toBe(1);
      expect(new Set(gens.map((g) => g.subjectKeyIdentifier)).size).toBe(3);
      for (const g of gens) expect(selectIssuerGeneration(g.subjectKeyIdentifier, gens, AFTER_GEN1)).toBe(g);
    }
  });

  it('no generation signs another: there are no link certificates', () => {
    const sign = anchors.filter((a) => a.purpose === 'signature').map((a) => a.cert);
    for (const x of sign)
      for (const y of sign) {
        if (x === y) continue;
        // Presented as an end certificate with only the other generation trusted, nothing chains.
        const r = validateCertificatePath({ leaf: x, trustAnchors: [y], now: WHILE_ALL_VALID });
        expect(r.ok).toBe(false);
      }
  });

  it('our builder, given the J-LIS names, writes the same extensions as the real generation 2 root', () => {
    const real = byFile('signca02.cer');
    const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ours = parseCertificate(
      createJpkiCaCertificate({
        purpose: 'signature',
        publicKey: k.publicKey,
        privateKey: k.privateKey,
        notBefore: real.notBefore,
        notAfter: real.notAfter,
        name: JPKI_SIGNATURE_CA_NAME,
        altName: JPKI_SIGNATURE_CA_ALT_NAME,
      }),
    );
    expect(ours.subject).toBe(real.subject);
    const shape = (c: Certificate) => c.extensions.map((e) => `${e.oid}${e.critical ? '!' : ''}`);
    expect(shape(ours)).toEqual(shape(real));
    // Byte for byte, except the key identifier (another key): keyUsage, SAN, basicConstraints, CRL DP.
    for (const oid of ['2.5.29.15', '2.5.29.17', '2.5.29.19', '2.5.29.31']) {
      const a = ours.extensions.find((e) => e.oid === oid)?.value;
      const b = real.extensions.find((e) => e.oid === oid)?.value;
      expect(Buffer.from(a ?? []).toString('hex'), oid).toBe(Buffer.from(b ?? []).toString('hex'));
    }
    expect(checkJpkiCaCertificate(ours).checks.filter((x) => x.status !== 'passed')).toEqual([]);
  });
});
