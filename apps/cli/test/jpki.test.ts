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
    authKeyPem: string;
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
const writeFixture = (name: string, content: string | Uint8Array) => {
  const p = join(fx.dir, name);
  writeFileSync(p, content);
  return p;
};
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

  it('input that is none of the four kinds is invalid input (1, as mdoc inspect); an unreadable file 64', async () => {
    const junk = await runCli(['jpki', 'inspect', fx.files.content]);
    expect(junk.code).toBe(1);
    expect(junk.stderr).toMatch(/not a certificate, CRL, OCSP response or CMS SignedData/);
    expect((await runCli(['jpki', 'inspect', '/nonexistent'])).code).toBe(64);
  });

  it('an empty file or a PEM of another kind (a private key) is a usage error (64)', async () => {
    const empty = await runCli(['jpki', 'inspect', writeFixture('empty.der', '')]);
    expect(empty.code).toBe(64);
    expect(empty.stderr).toMatch(/empty/);
    const key = await runCli(['jpki', 'inspect', fx.files.authKeyPem]);
    expect(key.code).toBe(64);
    expect(key.stdout).toBe('');
    expect(key.stderr).toMatch(/PRIVATE KEY/);
  });

  it('--json: one JSON object with kind and verdict undetermined (nothing is verified)', async () => {
    const r = await runCli(['jpki', 'inspect', fx.files.signerPem, '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'certificate',
      verdict: 'undetermined',
      verified: false,
    });
    const junk = await runCli(['jpki', 'inspect', fx.files.content, '--json']);
    expect(junk.code).toBe(1);
    expect(junk.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(junk.stdout)).toMatchObject({
      kind: 'undecodable',
      verdict: 'invalid',
      verified: false,
    });
  });

  it('--help documents the exit codes', async () => {
    const r = await runCli(['jpki', 'inspect', '--help']);
    expect(r.stdout).toMatch(/exit 0/i);
    expect(r.stdout).toMatch(/64/);
  });
});

describe('mynakit jpki verify — files of the wrong kind', () => {
  const base = (o: { signature?: string; trust?: string } = {}) => [
    'jpki',
    'verify',
    '--signature',
    o.signature ?? fx.files.attached,
    '--trust',
    o.trust ?? fx.files.caPem,
    '--at',
    fx.at.toISOString(),
    '--json',
  ];
  async function usage(args: string[], ...mentions: (string | RegExp)[]) {
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(64);
    expect(r.stdout).toBe('');
    for (const m of mentions) expect(r.stderr).toMatch(m);
  }

  it('--signature: a PEM certificate or key is a usage error naming the option and what it expects', async () => {
    await usage(base({ signature: fx.files.signerPem }), /--signature/, /CERTIFICATE/, /CMS SignedData/);
    await usage(base({ signature: fx.files.authKeyPem }), /--signature/, /PRIVATE KEY/);
  });

  it('--signature: an empty file is a usage error', async () => {
    await usage(base({ signature: writeFixture('empty.p7s', '') }), /--signature/, /empty/);
  });

  it('--signature: bytes that are no CMS are a verdict: invalid, cms.decode failed (exit 1)', async () => {
    const { code, report } = await verify(['--signature', fx.files.content, ...trust()]);
    expect(code).toBe(1);
    expect(report.verdict).toBe('invalid');
    expect(status(report, 'cms.decode')).toBe('failed');
  });

  it('a detached signature without --content is a usage error saying --content is needed', async () => {
    await usage(base({ signature: fx.files.detached }), /detached/, /--content/);
  });

  it.each([
    ['a PEM with no CERTIFICATE block', () => fx.files.crlPem, [/--trust/, /no CERTIFICATE/, /X509 CRL/]],
    ['an empty file', () => writeFixture('empty-trust.pem', ''), [/--trust/, /empty/]],
    [
      'a CERTIFICATE block that cannot be parsed',
      () => writeFixture('broken.pem', '-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n'),
      [/--trust/, /broken\.pem/, /not a certificate/],
    ],
    ['DER that is no certificate', () => fx.files.crl, [/--trust/, /not a certificate/]],
  ])('--trust: %s is a usage error naming the file', async (_name, path, mentions) => {
    await usage(base({ trust: path() }), ...mentions);
  });

  it.each([
    ['--crl', 'bytes that are no CRL', () => fx.files.content, [/--crl/, /not a CRL/]],
    ['--crl', 'a PEM certificate', () => fx.files.caPem, [/--crl/, /CERTIFICATE/, /X509 CRL/]],
    ['--crl', 'an empty file', () => writeFixture('empty.crl', ''), [/--crl/, /empty/]],
    ['--ocsp', 'bytes that are no OCSP response', () => fx.files.content, [/--ocsp/, /not an OCSP response/]],
    ['--ocsp', 'a PEM certificate', () => fx.files.caPem, [/--ocsp/, /CERTIFICATE/]],
    ['--cert', 'bytes that are no certificate', () => fx.files.content, [/--cert/, /not a certificate/]],
    ['--cert', 'a PEM CRL', () => fx.files.crlPem, [/--cert/, /no CERTIFICATE/]],
  ])('%s: %s is a usage error naming the option', async (option, _name, path, mentions) => {
    await usage([...base(), option, path()], ...mentions);
  });

  it('a CRL that parses but is stale stays a verdict matter (undetermined, exit 2)', async () => {
    const { code } = await verify(['--signature', fx.files.attached, ...trust(), '--crl', fx.files.staleCrl]);
    expect(code).toBe(2);
  });
});

describe('mynakit jpki verify — defaults and text output', () => {
  it('defaults to the JPKI signature profile (jpki-sign)', async () => {
    const { report } = await verify(['--signature', fx.files.attached, ...trust(), '--crl', fx.files.crl]);
    expect(report.profile).toBe('jpki-sign');
    const noPolicy = await verify(['--signature', fx.files.noPolicy, ...trust(), '--crl', fx.files.crl]);
    expect(status(noPolicy.report, 'cert.policy')).toBe('failed');
    expect(noPolicy.code).toBe(1);
    const x509 = await verify([
      '--signature',
      fx.files.attached,
      ...trust(),
      '--crl',
      fx.files.crl,
      '--profile',
      'x509',
    ]);
    expect(x509.report.profile).toBe('x509');
    const help = await runCli(['jpki', 'verify', '--help']);
    expect(help.stdout).toMatch(/default: "jpki-sign"/);
  });

  const text = (args: string[]) => runCli(['jpki', 'verify', ...args, '--at', fx.at.toISOString()]);

  it('an invalid signature does not print the basic four as facts', async () => {
    const r = await text(['--signature', fx.files.expiredSigner, ...trust(), '--crl', fx.files.crl]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('verdict: invalid');
    expect(r.stdout).not.toContain('番号');
    expect(r.stdout).not.toMatch(/^basic four:$/m);
    expect(r.stdout).toMatch(/basic four: not shown \(the signature is invalid\)/);
  });

  it('an undetermined verdict labels them as claimed, not verified', async () => {
    const r = await text(['--signature', fx.files.attached, ...trust()]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/basic four \(claimed, not verified[^)]*\):/);
    expect(r.stdout).toContain('name: 番号\u3000花子');
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
