import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  composeName,
  createJpkiCaCertificate,
  createSignatureCertificate,
  encodeBasicFour,
  JPKI_OID,
  SANDBOX_CPS_URI,
} from '@mynakit/jpki';
import { createCertificate, derToPem, parseCertificate, signCms } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './capture.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'mynakit.js');
/** OpenSSL-made JPKI fixtures (the independent oracle), produced by the jpki package's fixture script. */
const fixtureScript = join(here, '..', '..', '..', 'packages', 'jpki', 'test', 'helpers', 'jpki-fixtures.ts');

interface Fixtures {
  dir: string;
  at: Date;
  files: Record<string, string> & {
    caPem: string;
    otherCaPem: string;
    signerPem: string;
    attached: string;
    attachedPem: string;
    detached: string;
    content: string;
    tamperedContent: string;
    tamperedAttached: string;
    badSignatureValue: string;
    expiredSigner: string;
    revokedSigner: string;
    untrustedSigner: string;
    wrongKeyUsage: string;
    noPolicy: string;
    signerNotIncluded: string;
    sha1Attached: string;
    crl: string;
    crlPem: string;
    staleCrl: string;
    ocspGood: string;
    ocspRevoked: string;
  };
}

let fx: Fixtures;
beforeAll(() => {
  const out = execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', fixtureScript], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const m = JSON.parse(out) as { dir: string; at: string; files: Fixtures['files'] };
  fx = { dir: m.dir, at: new Date(m.at), files: m.files };
}, 120_000);
afterAll(() => {
  if (fx !== undefined) rmSync(fx.dir, { recursive: true, force: true });
});

interface JsonReport {
  verdict: string;
  checks: { id: string; status: string; detail: string }[];
  basicFour?: Record<string, string>;
  [k: string]: unknown;
}

async function verify(
  args: string[],
): Promise<{ code: number; report: JsonReport; stderr: string; stdout: string }> {
  const r = await runCli(['jpki', 'verify', ...args, '--at', fx.at.toISOString(), '--json']);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  expect(lines, 'exactly one JSON object on stdout').toHaveLength(1);
  return {
    code: r.code,
    report: JSON.parse(lines[0] ?? '') as JsonReport,
    stderr: r.stderr,
    stdout: r.stdout,
  };
}

const status = (r: JsonReport, id: string) => r.checks.find((c) => c.id === id)?.status;
const trust = () => ['--trust', fx.files.caPem];

describe('mynakit jpki verify', () => {
  it('valid attached signature with a CRL: exit 0, verdict valid', async () => {
    const { code, report } = await verify([
      '--signature',
      fx.files.attached,
      ...trust(),
      '--crl',
      fx.files.crl,
      '--profile',
      'jpki-sign',
    ]);
    expect(code).toBe(0);
    expect(report.verdict).toBe('valid');
    for (const id of [
      'cms.decode',
      'cms.signature',
      'cms.message_digest',
      'cert.path',
      'cert.validity',
      'cert.key_usage',
      'cert.policy',
      'status.revocation',
    ]) {
      expect(status(report, id), id).toBe('passed');
    }
    expect(report.checks.every((c) => typeof c.detail === 'string')).toBe(true);
    expect(report.basicFour).toMatchObject({ name: '番号\u3000花子', birthDate: '419900102', sex: '2' });
  });

  it('PEM signature and PEM CRL are detected', async () => {
    const { code, report } = await verify([
      '--signature',
      fx.files.attachedPem,
      ...trust(),
      '--crl',
      fx.files.crlPem,
    ]);
    expect(code).toBe(0);
    expect(report.verdict).toBe('valid');
  });

  it('valid detached signature with --content and an OCSP response', async () => {
    const { code, report } = await verify([
      '--signature',
      fx.files.detached,
      '--content',
      fx.files.content,
      ...trust(),
      '--ocsp',
      fx.files.ocspGood,
    ]);
    expect(code).toBe(0);
    expect(report.checks.find((c) => c.id === 'status.revocation')?.detail).toMatch(
      /OCSP #1 \(ocsp-good\.der\): good/,
    );
  });

  it.each([
    [
      'tampered content',
      () => ['--signature', fx.files.detached, '--content', fx.files.tamperedContent],
      'cms.message_digest',
    ],
    ['tampered attached content', () => ['--signature', fx.files.tamperedAttached], 'cms.message_digest'],
    ['bad signature value', () => ['--signature', fx.files.badSignatureValue], 'cms.signature'],
    ['expired signer', () => ['--signature', fx.files.expiredSigner], 'cert.validity'],
    ['untrusted CA', () => ['--signature', fx.files.untrustedSigner], 'cert.path'],
    ['wrong key usage', () => ['--signature', fx.files.wrongKeyUsage], 'cert.key_usage'],
    [
      'missing critical policy',
      () => ['--signature', fx.files.noPolicy, '--profile', 'jpki-sign'],
      'cert.policy',
    ],
    ['signer certificate not included', () => ['--signature', fx.files.signerNotIncluded], 'cms.signature'],
    ['revoked by CRL', () => ['--signature', fx.files.revokedSigner], 'status.revocation'],
    [
      'revoked by OCSP',
      () => ['--signature', fx.files.revokedSigner, '--ocsp', fx.files.ocspRevoked],
      'status.revocation',
    ],
  ])('%s: exit 1, %s failed', async (_name, args, id) => {
    const a = args();
    const { code, report } = await verify([
      ...a,
      ...trust(),
      ...(a.includes('--ocsp') ? [] : ['--crl', fx.files.crl]),
    ]);
    expect(report.verdict).toBe('invalid');
    expect(status(report, id)).toBe('failed');
    expect(code).toBe(1);
  });

  it('stale CRL: exit 2, undetermined', async () => {
    const { code, report } = await verify([
      '--signature',
      fx.files.attached,
      ...trust(),
      '--crl',
      fx.files.staleCrl,
    ]);
    expect(code).toBe(2);
    expect(report.verdict).toBe('undetermined');
    expect(status(report, 'status.revocation')).toBe('undetermined');
  });

  it('no revocation data: exit 2, undetermined', async () => {
    const { code, report } = await verify(['--signature', fx.files.attached, ...trust()]);
    expect(code).toBe(2);
    expect(status(report, 'status.revocation')).toBe('undetermined');
    expect(report.checks.filter((c) => c.id === 'status.revocation')).toHaveLength(1);
  });

  it('repeated --trust, --crl and --ocsp all count', async () => {
    const { code, report } = await verify([
      '--signature',
      fx.files.attached,
      '--trust',
      fx.files.otherCaPem,
      '--trust',
      fx.files.caPem,
      '--crl',
      fx.files.staleCrl,
      '--crl',
      fx.files.crl,
      '--ocsp',
      fx.files.ocspRevoked,
      '--ocsp',
      fx.files.ocspGood,
    ]);
    expect(code).toBe(0);
    const detail = report.checks.find((c) => c.id === 'status.revocation')?.detail ?? '';
    for (const s of ['CRL #1', 'CRL #2', 'OCSP #1', 'OCSP #2']) expect(detail).toContain(s);
    const revoked = await verify([
      '--signature',
      fx.files.revokedSigner,
      ...trust(),
      '--crl',
      fx.files.staleCrl,
      '--ocsp',
      fx.files.ocspGood,
      '--crl',
      fx.files.crl,
    ]);
    expect(revoked.code).toBe(1);
  });

  it('SHA-1 is refused unless --allow-sha1', async () => {
    const refused = await verify(['--signature', fx.files.sha1Attached, ...trust(), '--crl', fx.files.crl]);
    expect(refused.code).toBe(1);
    expect(status(refused.report, 'cms.signature')).toBe('failed');
    expect(refused.report.checks.find((c) => c.id === 'cms.signature')?.detail).toContain('SHA-1');
    const accepted = await verify([
      '--signature',
      fx.files.sha1Attached,
      ...trust(),
      '--crl',
      fx.files.crl,
      '--allow-sha1',
    ]);
    expect(accepted.code).toBe(0);
    expect(accepted.report.verdict).toBe('valid');
  });

  it('prints a readable report without --json', async () => {
    const r = await runCli([
      'jpki',
      'verify',
      '--signature',
      fx.files.attached,
      ...trust(),
      '--crl',
      fx.files.crl,
      '--at',
      fx.at.toISOString(),
      '--profile',
      'jpki-sign',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('verdict: valid');
    expect(r.stdout).toContain('[ok  ] cert.policy');
    expect(r.stdout).toContain('name: 番号\u3000花子');
    expect(r.stdout).toContain('birth date: 419900102 (Heisei, 1990-01-02)');
  });

  it.each([
    ['missing --at', () => ['jpki', 'verify', '--signature', fx.files.attached, ...trust(), '--json']],
    [
      'bad --at',
      () => ['jpki', 'verify', '--signature', fx.files.attached, ...trust(), '--at', 'tomorrow', '--json'],
    ],
    [
      'missing --trust',
      () => ['jpki', 'verify', '--signature', fx.files.attached, '--at', fx.at.toISOString(), '--json'],
    ],
    ['missing --signature', () => ['jpki', 'verify', ...trust(), '--at', fx.at.toISOString(), '--json']],
    [
      'unreadable signature',
      () => [
        'jpki',
        'verify',
        '--signature',
        '/nonexistent/sig.p7s',
        ...trust(),
        '--at',
        fx.at.toISOString(),
        '--json',
      ],
    ],
    [
      'unreadable content',
      () => [
        'jpki',
        'verify',
        '--signature',
        fx.files.detached,
        '--content',
        '/nonexistent',
        ...trust(),
        '--at',
        fx.at.toISOString(),
        '--json',
      ],
    ],
    [
      'unreadable CRL',
      () => [
        'jpki',
        'verify',
        '--signature',
        fx.files.attached,
        ...trust(),
        '--crl',
        '/nonexistent.crl',
        '--at',
        fx.at.toISOString(),
        '--json',
      ],
    ],
    [
      'a trust file that is no certificate',
      () => [
        'jpki',
        'verify',
        '--signature',
        fx.files.attached,
        '--trust',
        fx.files.content,
        '--at',
        fx.at.toISOString(),
        '--json',
      ],
    ],
    [
      'unknown profile',
      () => [
        'jpki',
        'verify',
        '--signature',
        fx.files.attached,
        ...trust(),
        '--at',
        fx.at.toISOString(),
        '--profile',
        'x',
        '--json',
      ],
    ],
    [
      'unknown flag',
      () => [
        'jpki',
        'verify',
        '--signature',
        fx.files.attached,
        ...trust(),
        '--at',
        fx.at.toISOString(),
        '--fetch',
        '--json',
      ],
    ],
  ])('%s: exit 64, nothing on stdout', async (_name, args) => {
    const r = await runCli(args());
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toBe('');
  });
});

describe('mynakit jpki inspect', () => {
  it('a JPKI signature certificate, with the basic four decoded', async () => {
    const r = await runCli(['jpki', 'inspect', fx.files.signerPem]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('certificate (JPKI signature)');
    expect(r.stdout).toContain('name: 番号\u3000花子');
    expect(r.stdout).toContain('sex: 2 (female)');
    expect(r.stdout).toContain('address: 東京都千代田区霞が関１－２－３');
    expect(r.stdout).toContain('key usage: digitalSignature, nonRepudiation');
  });

  it('a CRL, an OCSP response and a CMS signature; --json', async () => {
    const crl = await runCli(['jpki', 'inspect', fx.files.crl, '--json']);
    const crlJson = JSON.parse(crl.stdout) as { kind: string; entries: { reason?: string }[] };
    expect(crlJson.kind).toBe('crl');
    expect(crlJson.entries).toEqual([expect.objectContaining({ reason: 'keyCompromise' })]);
    const ocsp = await runCli(['jpki', 'inspect', fx.files.ocspRevoked]);
    expect(ocsp.stdout).toMatch(/OCSP response[\s\S]*: revoked \(keyCompromise\)/);
    const cms = await runCli(['jpki', 'inspect', fx.files.attached, '--json']);
    const cmsJson = JSON.parse(cms.stdout) as {
      kind: string;
      detached: boolean;
      certificates: { basicFour?: { name: string } }[];
    };
    expect(cmsJson).toMatchObject({ kind: 'cms', detached: false });
    expect(cmsJson.certificates[0]?.basicFour?.name).toBe('番号\u3000花子');
  });

  it('a certificate in the real JPKI structure: issuerAltName and the whole AKI, in text and --json', async () => {
    const caKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const caDer = createJpkiCaCertificate({
      purpose: 'signature',
      publicKey: caKey.publicKey,
      privateKey: caKey.privateKey,
      serialNumber: '0132c4ab',
      notBefore: new Date('2023-01-01T00:00:00Z'),
      notAfter: new Date('2033-01-01T00:00:00Z'),
    });
    const ca = parseCertificate(caDer);
    const leafDer = createSignatureCertificate({
      issuer: { certificate: ca, privateKey: caKey.privateKey },
      publicKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
      basicFour: encodeBasicFour({
        name: composeName('番号', '花子'),
        address: '東京都千代田区霞が関１－２－３',
        birthDate: { year: 1990, month: 1, day: 2 },
        sex: 'female',
      }),
      notBefore: new Date('2025-06-24T00:00:00Z'),
      notAfter: new Date('2030-01-02T14:59:59Z'),
    });
    const leafFile = join(fx.dir, 'real-structure-leaf.pem');
    writeFileSync(leafFile, derToPem(leafDer));
    const caFile = join(fx.dir, 'real-structure-ca.der');
    writeFileSync(caFile, caDer);
    const sandboxAltName = 'DirName: C=JP, O=mynakit サンドボックス, OU=サンドボックス署名用認証局';

    const text = await runCli(['jpki', 'inspect', leafFile]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`issuer alt names: ${sandboxAltName}`);
    expect(text.stdout).toContain(`authority key id: ${ca.subjectKeyIdentifier}`);
    expect(text.stdout).toContain(`authority cert issuer: DirName: ${ca.issuer}`);
    expect(text.stdout).toContain('authority cert serial: 0132c4ab');
    expect(text.stdout).toContain(`CPS: ${SANDBOX_CPS_URI} (${JPKI_OID.signaturePolicy})`);
    const json = JSON.parse((await runCli(['jpki', 'inspect', leafFile, '--json'])).stdout) as Record<
      string,
      unknown
    >;
    expect(json.issuerAltName).toEqual([sandboxAltName]);
    expect(json.authorityKeyIdentifier).toEqual({
      keyIdentifier: ca.subjectKeyIdentifier,
      authorityCertIssuer: [`DirName: ${ca.issuer}`],
      authorityCertSerialNumber: '0132c4ab',
    });
    expect(json.policyQualifiers).toEqual([{ policy: JPKI_OID.signaturePolicy, cps: SANDBOX_CPS_URI }]);

    // The CA: a Japanese directoryName SAN, a CRL DP naming itself, no AKI.
    const caText = await runCli(['jpki', 'inspect', caFile]);
    expect(caText.stdout).toContain(`subject alt names: ${sandboxAltName}`);
    expect(caText.stdout).toContain(`CRL distribution points: DirName: ${ca.subject}`);
    expect(caText.stdout).not.toContain('authority key id');
    const caJson = JSON.parse((await runCli(['jpki', 'inspect', caFile, '--json'])).stdout) as Record<
      string,
      unknown
    >;
    expect(caJson.authorityKeyIdentifier).toBeUndefined();
    expect(caJson.issuerAltName).toEqual([]);
  });

  it('names that are Object.prototype property names are printed as data', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort().join();
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const on = (typeId: string, value: string) => ({ type: 'otherName' as const, typeId, value });
    const der = createCertificate({
      subject: [
        [{ type: 'C', value: 'JP' }],
        [{ type: 'L', value: '__proto__' }],
        [{ type: 'CN', value: 'constructor' }],
      ],
      publicKey: key.publicKey,
      privateKey: key.privateKey,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
      extensions: [
        { type: 'keyUsage', usages: ['digitalSignature', 'nonRepudiation'] },
        {
          type: 'subjectAltName',
          names: [
            on(JPKI_OID.name, 'toString'),
            on(JPKI_OID.nameSubstitutionMap, '00000000'),
            on(JPKI_OID.sex, '__proto__'),
            on(JPKI_OID.birthDate, 'constructor'),
            on(JPKI_OID.address, 'valueOf'),
            on(JPKI_OID.addressSubstitutionMap, '0000000'),
          ],
        },
      ],
    });
    const file = join(fx.dir, 'hostile.pem');
    writeFileSync(file, derToPem(der));
    const text = await runCli(['jpki', 'inspect', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('subject: C=JP, L=__proto__, CN=constructor');
    expect(text.stdout).toMatch(/basic four: INVALID_SEX/);
    // A self-signed signer trusted as itself: the report stands, the basic four fail with their code.
    const sig = join(fx.dir, 'hostile.p7s');
    writeFileSync(
      sig,
      signCms({
        content: new TextEncoder().encode('x'),
        detached: false,
        signer: { certificate: der, privateKey: key.privateKey },
        signingTime: new Date('2026-01-01T00:00:00Z'),
      }),
    );
    const r = await runCli([
      'jpki',
      'verify',
      '--signature',
      sig,
      '--trust',
      file,
      '--at',
      '2026-01-01T00:00:00Z',
      '--profile',
      'jpki-sign',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(status(report, 'cms.signature')).toBe('passed');
    expect(status(report, 'jpki.basic_four')).toBe('failed');
    expect(report.checks.find((c) => c.id === 'jpki.basic_four')?.detail).toMatch(/^INVALID_SEX/);
    expect(Object.getOwnPropertyNames(Object.prototype).sort().join()).toBe(before);
  });

  it('anything else is a usage error', async () => {
    expect((await runCli(['jpki', 'inspect', fx.files.content])).code).toBe(64);
    expect((await runCli(['jpki', 'inspect', '/nonexistent'])).code).toBe(64);
  });
});

describe('the mynakit binary', () => {
  it('runs jpki verify as a real process', () => {
    const args = [
      'jpki',
      'verify',
      '--signature',
      fx.files.revokedSigner,
      '--trust',
      fx.files.caPem,
      '--crl',
      fx.files.crl,
      '--at',
      fx.at.toISOString(),
      '--json',
    ];
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(status(report, 'status.revocation')).toBe('failed');
  });
});
