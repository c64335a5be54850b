import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createCertificate,
  derToPem,
  encodeName,
  generateKeyPair,
  namesEqual,
  nameToString,
  normaliseSerialNumber,
  OID,
  PkiError,
  parseCertificate,
  pemToDer,
  splitPemBundle,
} from '../src/index.js';
import { keysFor, root } from './helpers/chain.js';
import { OpensslDir } from './helpers/openssl.js';

const ossl = new OpensslDir();
afterAll(() => ossl.cleanup());

const JPKI_NAME = '1.2.392.200149.8.5.5.1';
const JPKI_BIRTH = '1.2.392.200149.8.5.5.4';
const ca = root(
  'C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems',
  {
    keys: keysFor('jpki-ca', 'RSA-2048'),
  },
);

function richCertificate() {
  const kp = keysFor('holder', 'RSA-2048');
  return createCertificate({
    subject: 'C=JP, L=Tokyo, CN=ABCDEFGHIJ0123456789XYZ',
    issuer: { certificate: ca.cert, privateKey: ca.privateKey },
    publicKey: kp.publicKey,
    serialNumber: '00ff01',
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2029-12-31T14:59:59Z'),
    extensions: [
      { type: 'keyUsage', usages: ['digitalSignature', 'nonRepudiation'] },
      { type: 'certificatePolicies', policies: ['1.2.392.200149.8.5.1.1.20'], critical: true },
      {
        type: 'subjectAltName',
        names: [
          { type: 'otherName', typeId: JPKI_NAME, value: '番号　花子' },
          { type: 'otherName', typeId: JPKI_BIRTH, value: '419900102' },
          { type: 'rfc822Name', value: 'x@example.jp' },
          { type: 'iPAddress', value: '192.0.2.1' },
        ],
      },
      {
        type: 'crlDistributionPoints',
        points: [
          {
            fullName: [
              {
                type: 'directoryName',
                value: 'C=JP, O=JPKI, OU=CRL Distribution Points, OU=Ibaraki-ken, CN=Tsukuba-shi CRLDP',
              },
            ],
          },
          { fullName: [{ type: 'uniformResourceIdentifier', value: 'http://127.0.0.1/crl' }] },
        ],
      },
      { type: 'authorityInfoAccess', ocsp: ['http://127.0.0.1/ocsp'] },
      { type: 'extKeyUsage', usages: ['clientAuth'] },
    ],
  });
}

describe('parseCertificate', () => {
  it('reads every field of a JPKI-like certificate; @peculiar/x509 and OpenSSL agree', () => {
    const der = richCertificate();
    const c = parseCertificate(der);
    const p = new x509.X509Certificate(new Uint8Array(der));
    expect(c.subject).toBe(p.subject);
    expect(c.issuer).toBe(p.issuer);
    expect(c.serialNumber).toBe(p.serialNumber.replace(/^00/, '').toLowerCase());
    expect(c.serialNumber).toBe('ff01');
    expect(c.notBefore.toISOString()).toBe(p.notBefore.toISOString());
    expect(c.notAfter.toISOString()).toBe('2029-12-31T14:59:59.000Z');
    expect(c.version).toBe(3);
    expect(c.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(c.extKeyUsage).toEqual([OID.clientAuth]);
    expect(c.certificatePolicies).toEqual(['1.2.392.200149.8.5.1.1.20']);
    expect(c.extensions.find((e) => e.oid === OID.certificatePolicies)?.critical).toBe(true);
    expect(c.subjectAltName[0]).toMatchObject({ type: 'otherName', typeId: JPKI_NAME, text: '番号　花子' });
    expect(c.subjectAltName[1]).toMatchObject({ type: 'otherName', typeId: JPKI_BIRTH, text: '419900102' });
    expect(c.subjectAltName[2]).toEqual({ type: 'rfc822Name', value: 'x@example.jp' });
    expect(c.subjectAltName[3]).toMatchObject({ type: 'iPAddress', value: '192.0.2.1' });
    const dp = c.crlDistributionPoints[0]?.distributionPoint;
    expect(dp && 'fullName' in dp ? dp.fullName[0] : undefined).toMatchObject({
      type: 'directoryName',
      value: 'C=JP, O=JPKI, OU=CRL Distribution Points, OU=Ibaraki-ken, CN=Tsukuba-shi CRLDP',
    });
    expect(c.authorityInfoAccess).toEqual([
      { method: OID.ocsp, location: { type: 'uniformResourceIdentifier', value: 'http://127.0.0.1/ocsp' } },
    ]);
    expect(c.subjectKeyIdentifier).toBe(
      Buffer.from(p.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId, 'hex').toString('hex'),
    );
    expect(c.authorityKeyIdentifier).toBe(ca.cert.subjectKeyIdentifier);
    expect(c.signatureAlgorithm.name).toBe('sha256WithRSAEncryption');
    expect(c.publicKey.asymmetricKeyType).toBe('rsa');

    // OpenSSL reads the same certificate the same way
    const f = ossl.write('rich.pem', derToPem(der));
    const text = ossl.ok(['x509', '-in', f, '-noout', '-text', '-nameopt', 'utf8']).stdout;
    expect(text).toContain('X509v3 Certificate Policies: critical');
    expect(text).toContain('OCSP - URI:http://127.0.0.1/ocsp');
    expect(text).toContain(
      'DirName:C = JP, O = JPKI, OU = CRL Distribution Points, OU = Ibaraki-ken, CN = Tsukuba-shi CRLDP',
    );
    expect(text).toContain('othername: 1.2.392.200149.8.5.5.1');
    const fp = ossl.ok(['x509', '-in', f, '-noout', '-fingerprint', '-sha256']).stdout;
    expect(fp.split('=')[1]!.trim().replace(/:/g, '').toLowerCase()).toBe(c.fingerprint256);
  });

  it('reads what OpenSSL wrote: otherName UTF8String, directoryName distribution point, policies', () => {
    const cnf = ossl.write(
      'jpki.cnf',
      [
        '[req]',
        'distinguished_name=dn',
        '[dn]',
        '[ext]',
        'keyUsage=critical,digitalSignature,nonRepudiation',
        'certificatePolicies=critical,1.2.392.200149.8.5.1.1.20',
        'subjectAltName=@san',
        'crlDistributionPoints=cdp1',
        'authorityInfoAccess=OCSP;URI:http://127.0.0.1/ocsp',
        '[san]',
        `otherName.1=${JPKI_NAME};FORMAT:UTF8,UTF8:番号　花子`,
        `otherName.2=${JPKI_BIRTH};UTF8:419900102`,
        '[cdp1]',
        'fullname=dirName:cdp_dn',
        '[cdp_dn]',
        'C=JP',
        'O=JPKI',
        '1.OU=CRL Distribution Points',
        '2.OU=Ibaraki-ken',
        'CN=Tsukuba-shi CRLDP',
        '',
      ].join('\n'),
    );
    ossl.ok(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'k.pem']);
    ossl.ok([
      'req',
      '-new',
      '-x509',
      '-key',
      'k.pem',
      '-subj',
      '/C=JP/CN=OpenSSL JPKI-like',
      '-days',
      '1',
      '-config',
      cnf,
      '-extensions',
      'ext',
      '-set_serial',
      '-5',
      '-out',
      'j.pem',
    ]);
    const c = parseCertificate(ossl.ok(['x509', '-in', 'j.pem']).stdout);
    expect(c.subjectAltName).toMatchObject([
      { type: 'otherName', typeId: JPKI_NAME, text: '番号　花子' },
      { type: 'otherName', typeId: JPKI_BIRTH, text: '419900102' },
    ]);
    const dp = c.crlDistributionPoints[0]!.distributionPoint!;
    expect('fullName' in dp && dp.fullName[0]).toMatchObject({
      type: 'directoryName',
      value: 'C=JP, O=JPKI, OU=CRL Distribution Points, OU=Ibaraki-ken, CN=Tsukuba-shi CRLDP',
    });
    expect(c.certificatePolicies).toEqual(['1.2.392.200149.8.5.1.1.20']);
    expect(c.serialNumber).toBe('-05');
    expect(c.isSelfIssued).toBe(true);
  });

  it('caches by fingerprint and keeps its own copy of the bytes', () => {
    const der = new Uint8Array(richCertificate());
    const a = parseCertificate(der);
    const b = parseCertificate(new Uint8Array(der));
    expect(a).toBe(b);
    const copy = new Uint8Array(der);
    const c = parseCertificate(copy);
    copy.fill(0);
    expect(c.der[0]).toBe(0x30);
    expect(parseCertificate(derToPem(der))).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('throws CERTIFICATE_MALFORMED for garbage and truncated input', () => {
    const der = richCertificate();
    for (const bad of [
      Uint8Array.of(1, 2, 3),
      der.subarray(0, der.length - 1),
      Uint8Array.of(0x30, 0x00),
      'not pem',
    ]) {
      try {
        parseCertificate(bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(PkiError);
        expect((e as PkiError).code).toBe('CERTIFICATE_MALFORMED');
      }
    }
  });

  it('never crashes on mutated certificates (fuzz): parses or throws PkiError', () => {
    const der = richCertificate();
    fc.assert(
      fc.property(fc.nat(der.length - 1), fc.integer({ min: 0, max: 255 }), (i, v) => {
        const m = new Uint8Array(der);
        m[i] = v;
        try {
          parseCertificate(m);
        } catch (e) {
          expect(e).toBeInstanceOf(PkiError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('names', () => {
  it('encodes names in the order written; OpenSSL prints the same order', () => {
    const der = encodeName('C=JP, O=JPKI, OU=JPKI for user authentication, CN=x\\, y');
    expect(nameToString(der)).toBe('C=JP, O=JPKI, OU=JPKI for user authentication, CN=x\\, y');
    const kp = generateKeyPair('P-256');
    const cert = createCertificate({
      subject: der,
      privateKey: kp.privateKey,
      publicKey: kp.publicKey,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2026-01-01T00:00:00Z'),
    });
    const f = ossl.write('name.pem', derToPem(cert));
    expect(ossl.ok(['x509', '-in', f, '-noout', '-subject', '-nameopt', 'compat']).stdout.trim()).toBe(
      'subject=/C=JP/O=JPKI/OU=JPKI for user authentication/CN=x, y',
    );
  });

  it('compares names per RFC 5280 §7.1 (case, spaces, string type)', () => {
    const a = encodeName([
      [{ type: 'C', value: 'JP' }],
      [{ type: 'O', value: 'JPKI', encoding: 'printable' }],
    ]);
    const b = encodeName([[{ type: 'C', value: 'jp' }], [{ type: 'O', value: '  jpki ', encoding: 'utf8' }]]);
    expect(namesEqual(a, b)).toBe(true);
    expect(namesEqual(a, encodeName('C=JP, O=JPKX'))).toBe(false);
    expect(namesEqual(a, encodeName('O=JPKI, C=JP'))).toBe(false);
  });
});

describe('PEM', () => {
  it('splits bundles, skipping other blocks and text', () => {
    const d1 = richCertificate();
    const d2 = ca.der;
    const bundle = `subject=whatever\n${derToPem(d1)}\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n${derToPem(d2).replace(/\n/g, '\r\n')}`;
    const certs = splitPemBundle(bundle);
    expect(certs.map((c) => Buffer.from(c).toString('hex'))).toEqual(
      [d1, d2].map((c) => Buffer.from(c).toString('hex')),
    );
    expect(splitPemBundle(bundle, null)).toHaveLength(3);
    expect(Buffer.from(pemToDer(derToPem(d2))).equals(Buffer.from(d2))).toBe(true);
    expect(() => pemToDer('nothing')).toThrow(PkiError);
  });

  it('normalises serial numbers', () => {
    expect(normaliseSerialNumber('00:FF:01')).toBe('ff01');
    expect(normaliseSerialNumber(255n)).toBe('ff');
    expect(normaliseSerialNumber(1)).toBe('01');
  });
});
