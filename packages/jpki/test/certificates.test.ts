import { generateKeyPairSync } from 'node:crypto';
import { parseCertificate } from '@mynakit/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basicFourOfCertificate,
  composeName,
  createJpkiCaCertificate,
  createSignatureCertificate,
  createUserAuthenticationCertificate,
  createUserId,
  encodeBasicFour,
  formatName,
  JPKI_OID,
  SANDBOX_CPS_URI,
  SANDBOX_SIGNATURE_CA_NAME,
  selectIssuerGeneration,
} from '../src/index.js';
import { openssl, opensslStatus, tempDir } from './helpers/openssl.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (der: Uint8Array, label = 'CERTIFICATE') =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;

const notBefore = new Date('2025-06-24T00:00:00Z');
const notAfter = new Date('2030-09-01T14:59:59Z');
let caKey: ReturnType<typeof rsa>;
let caDer: Uint8Array;

beforeAll(() => {
  caKey = rsa();
  caDer = createJpkiCaCertificate({
    purpose: 'signature',
    publicKey: caKey.publicKey,
    privateKey: caKey.privateKey,
    notBefore: new Date('2023-01-01T00:00:00Z'),
    notAfter: new Date('2033-01-01T00:00:00Z'),
  });
  tmp.write('ca.pem', pem(caDer));
});

const basicFour = encodeBasicFour({
  name: composeName('番号', '花子'),
  address: '東京都千代田区霞が関１－２－３',
  birthDate: { year: 1990, month: 1, day: 2 },
  sex: 'female',
});

describe('JPKI certificates, checked by OpenSSL', () => {
  it('CA certificate: a sandbox name by default, in the structure of the real J-LIS roots', () => {
    const text = openssl([
      'x509',
      '-in',
      tmp.file('ca.pem'),
      '-noout',
      '-text',
      '-nameopt',
      'RFC2253',
    ]).toString();
    expect(text).toContain('Subject: OU=sandbox digital signature CA,O=mynakit sandbox,C=JP');
    expect(text).not.toContain('JPKI');
    // vectors/jpki-real: cA=TRUE without pathLenConstraint, a directoryName SAN, a CRL DP naming the CA
    // itself, an SKI and no AKI — extensions in that order.
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE\n/);
    expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(text).toMatch(/Subject Alternative Name: \s+DirName:/);
    expect(text).toContain('DirName:C = JP, O = mynakit sandbox, OU = sandbox digital signature CA\n');
    expect(text).not.toContain('Authority Key Identifier');
    expect(text).toContain('sha256WithRSAEncryption');
    const ca = parseCertificate(caDer);
    expect(ca.subject).toBe(formatName(SANDBOX_SIGNATURE_CA_NAME));
    expect(ca.extensions.map((e) => `${e.oid}${e.critical ? '!' : ''}`)).toEqual([
      '2.5.29.15!',
      '2.5.29.17',
      '2.5.29.19!',
      '2.5.29.31',
      '2.5.29.14',
    ]);
    expect(ca.subjectAltName).toEqual([
      expect.objectContaining({
        type: 'directoryName',
        value: 'C=JP, O=mynakit サンドボックス, OU=サンドボックス署名用認証局',
      }),
    ]);
    expect(ca.authorityKeyIdentifier).toBeUndefined();
    expect(ca.subjectKeyIdentifier).toMatch(/^[0-9a-f]{40}$/);
    const v = opensslStatus(['verify', '-check_ss_sig', '-CAfile', tmp.file('ca.pem'), tmp.file('ca.pem')]);
    expect(v.stdout.trim()).toBe(`${tmp.file('ca.pem')}: OK`);
  });

  it('signature certificate: key usage, critical policy, the basic four as otherNames, CRL DP, OCSP', () => {
    const key = rsa();
    const der = createSignatureCertificate({
      issuer: { certificate: caDer, privateKey: caKey.privateKey },
      publicKey: key.publicKey,
      basicFour,
      notBefore,
      notAfter,
      ocspUrls: ['http://127.0.0.1:8080/ocsp'],
    });
    tmp.write('sign.pem', pem(der));
    const text = openssl(['x509', '-in', tmp.file('sign.pem'), '-noout', '-text']).toString();
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toMatch(/Certificate Policies: critical\s+Policy: 1\.2\.392\.200149\.8\.5\.1\.1\.20/);
    expect(text).toContain(
      [
        'othername: 1.2.392.200149.8.5.5.1::番号　花子',
        'othername: 1.2.392.200149.8.5.5.2::00000',
        'othername: 1.2.392.200149.8.5.5.3::2',
        'othername: 1.2.392.200149.8.5.5.4::419900102',
        'othername: 1.2.392.200149.8.5.5.5::東京都千代田区霞が関１－２－３',
        `othername: 1.2.392.200149.8.5.5.6::${'0'.repeat(15)}`,
      ].join(', '),
    );
    expect(text).toContain(
      'DirName:C = JP, O = mynakit sandbox, OU = sandbox digital signature CA, OU = CRL Distribution Points',
    );
    expect(text).toContain('OCSP - URI:http://127.0.0.1:8080/ocsp');
    // The real leaf traits: the CA's SAN as issuerAltName, the whole AKI, a CPS pointer.
    const ca = parseCertificate(caDer);
    const colonHex = (h: string) => (h.match(/../g) ?? []).join(':').toUpperCase();
    expect(text).toMatch(/Issuer Alternative Name: \s+DirName:\/C=JP\/O=mynakit /);
    expect(text).toContain(`keyid:${colonHex(ca.subjectKeyIdentifier ?? '')}`);
    expect(text).toContain('DirName:/C=JP/O=mynakit sandbox/OU=sandbox digital signature CA');
    expect(text).toContain(`serial:${colonHex(ca.serialNumber)}`);
    expect(text).toContain(`CPS: ${SANDBOX_CPS_URI}`);
    const v = opensslStatus([
      'verify',
      '-attime',
      String(Date.parse('2026-01-01T00:00:00Z') / 1000),
      '-CAfile',
      tmp.file('ca.pem'),
      tmp.file('sign.pem'),
    ]);
    expect(v.stdout.trim()).toBe(`${tmp.file('sign.pem')}: OK`);
    expect(basicFourOfCertificate(parseCertificate(der))).toEqual(basicFour);
  });

  it('user-authentication certificate: opaque subject, clientAuth, municipality-partitioned CRL DP', () => {
    const key = rsa();
    const userId = createUserId();
    expect(userId).toMatch(/^[0-9A-Z]{23}$/);
    const der = createUserAuthenticationCertificate({
      issuer: { certificate: caDer, privateKey: caKey.privateKey },
      publicKey: key.publicKey,
      userId,
      crlPartition: { prefecture: 'Ibaraki-ken', municipality: 'Tsukuba-shi' },
      notBefore,
      notAfter,
      ocspUrls: ['http://127.0.0.1:8080/ocsp'],
    });
    tmp.write('auth.pem', pem(der));
    const text = openssl(['x509', '-in', tmp.file('auth.pem'), '-noout', '-text']).toString();
    expect(text).toContain(`Subject: C = JP, CN = ${userId}`);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/Extended Key Usage: \s+TLS Web Client Authentication/);
    expect(text).toMatch(/Certificate Policies: critical\s+Policy: 1\.2\.392\.200149\.8\.5\.1\.3\.30/);
    expect(text).toContain(
      'DirName:C = JP, O = mynakit sandbox, OU = sandbox digital signature CA, OU = CRL Distribution Points, OU = Ibaraki-ken, CN = Tsukuba-shi CRLDP',
    );
    expect(text).toMatch(/Issuer Alternative Name: \s+DirName:/);
    expect(text).toMatch(/Authority Key Identifier: \s+keyid:[0-9A-F:]+\s+DirName:[^\n]+\s+serial:/);
    expect(text).toContain(`CPS: ${SANDBOX_CPS_URI}`);
    expect(text).not.toContain('othername');
    expect(basicFourOfCertificate(parseCertificate(der))).toBeUndefined();
    expect(() =>
      createUserAuthenticationCertificate({
        issuer: { certificate: caDer, privateKey: caKey.privateKey },
        publicKey: key.publicKey,
        userId: 'short',
        crlPartition: { prefecture: 'Ibaraki-ken', municipality: 'Tsukuba-shi' },
        notBefore,
        notAfter,
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_USER_ID' }));
  });

  it('the basic four round-trip through real certificates: era codes 0-5, substitutions, long addresses', () => {
    const cases: {
      name: string;
      birthDate: string | { year: number; month: number; day: number };
      address: string;
      at?: Date;
    }[] = [
      { name: composeName('𠮷田', '太郎'), birthDate: '000000000', address: `北海道${'札幌市'.repeat(60)}` },
      {
        name: composeName('番号', '一郎'),
        birthDate: { year: 1910, month: 5, day: 5 },
        address: '京都府京都市',
      },
      {
        name: composeName('葛\u{E0100}西', '二郎'),
        birthDate: { year: 1920, month: 1, day: 1 },
        address: '沖縄県那覇市',
      },
      { name: 'SMITH JOHN', birthDate: { year: 1971, month: 9, day: 1 }, address: '大阪府大阪市北区１－２' },
      // Born in Reiwa: 15 only from 2034, so issued later.
      {
        name: composeName('令和', '花'),
        birthDate: { year: 2019, month: 5, day: 1 },
        address: '東京都千代田区',
        at: new Date('2034-05-01T00:00:00Z'),
      },
      {
        name: composeName('平成', '子'),
        birthDate: { year: 1989, month: 1, day: 8 },
        address: '東京都千代田区',
      },
    ];
    const eras = new Set<string>();
    for (const c of cases) {
      const b = encodeBasicFour({ name: c.name, birthDate: c.birthDate, address: c.address, sex: 'unknown' });
      eras.add(b.birthDate[0] ?? '');
      const der = createSignatureCertificate({
        issuer: { certificate: caDer, privateKey: caKey.privateKey },
        publicKey: caKey.publicKey,
        basicFour: b,
        notBefore: c.at ?? new Date('2026-01-01T00:00:00Z'),
        notAfter: new Date('2039-01-01T00:00:00Z'),
      });
      expect(basicFourOfCertificate(parseCertificate(der))).toEqual(b);
      const text = openssl(['x509', '-inform', 'DER', '-noout', '-ext', 'subjectAltName'], {
        input: der,
      }).toString();
      expect(text).toContain(`othername: 1.2.392.200149.8.5.5.1::${b.name}`);
      expect(text).toContain(`othername: 1.2.392.200149.8.5.5.2::${b.nameSubstitutionMap}`);
      expect(text).toContain(`othername: 1.2.392.200149.8.5.5.4::${b.birthDate}`);
    }
    expect([...eras].sort().join('')).toBe('012345');
  });

  it('refuses a signature certificate to a holder under 15', () => {
    const child = encodeBasicFour({
      name: '番号　一郎',
      address: '東京都千代田区',
      birthDate: { year: 2015, month: 1, day: 1 },
      sex: 'male',
    });
    expect(() =>
      createSignatureCertificate({
        issuer: { certificate: caDer, privateKey: caKey.privateKey },
        publicKey: caKey.publicKey,
        basicFour: child,
        notBefore,
        notAfter,
      }),
    ).toThrow(expect.objectContaining({ code: 'SIGNATURE_CERTIFICATE_UNDER_15' }));
  });

  it('reads the basic four from a certificate OpenSSL wrote', () => {
    tmp.write(
      'req.cnf',
      [
        '[req]',
        'distinguished_name=dn',
        'prompt=no',
        'x509_extensions=ext',
        '[dn]',
        'C=JP',
        'CN=X',
        '[ext]',
        'subjectAltName=@san',
        'keyUsage=critical,digitalSignature,nonRepudiation',
        `certificatePolicies=critical,${JPKI_OID.signaturePolicy}`,
        '[san]',
        `otherName.1=${JPKI_OID.name};FORMAT:UTF8,UTF8:〓田\u3000太郎`,
        `otherName.2=${JPKI_OID.nameSubstitutionMap};UTF8:10000`,
        `otherName.3=${JPKI_OID.sex};UTF8:1`,
        `otherName.4=${JPKI_OID.birthDate};UTF8:319710901`,
        `otherName.5=${JPKI_OID.address};FORMAT:UTF8,UTF8:茨城県つくば市研究学園一丁目1番地1`,
        `otherName.6=${JPKI_OID.addressSubstitutionMap};UTF8:${'0'.repeat(18)}`,
        '',
      ].join('\n'),
    );
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      tmp.file('k.pem'),
      '-out',
      tmp.file('o.pem'),
      '-config',
      tmp.file('req.cnf'),
      '-days',
      '1',
    ]);
    const cert = parseCertificate(new TextDecoder().decode(tmp.read('o.pem')));
    expect(basicFourOfCertificate(cert)).toEqual({
      name: '〓田\u3000太郎',
      nameSubstitutionMap: '10000',
      sex: '1',
      birthDate: '319710901',
      address: '茨城県つくば市研究学園一丁目1番地1',
      addressSubstitutionMap: '0'.repeat(18),
    });
  });

  it('picks the issuing CA generation by AKI/SKI among same-name CAs', () => {
    const gens = ['2019', '2023'].map((y) => {
      const k = rsa();
      const der = createJpkiCaCertificate({
        purpose: 'signature',
        publicKey: k.publicKey,
        privateKey: k.privateKey,
        notBefore: new Date(`${y}-01-01T00:00:00Z`),
        notAfter: new Date(`${Number(y) + 10}-01-01T00:00:00Z`),
      });
      return { key: k, cert: parseCertificate(der) };
    });
    const leaf = parseCertificate(
      createSignatureCertificate({
        issuer: { certificate: gens[0]!.cert, privateKey: gens[0]!.key.privateKey },
        publicKey: rsa().publicKey,
        basicFour,
        notBefore,
        notAfter,
      }),
    );
    expect(gens[0]!.cert.subject).toBe(gens[1]!.cert.subject);
    expect(
      selectIssuerGeneration(
        leaf.authorityKeyIdentifier,
        gens.map((g) => g.cert),
        new Date('2026-01-01T00:00:00Z'),
      ),
    ).toBe(gens[0]!.cert);
  });
});
