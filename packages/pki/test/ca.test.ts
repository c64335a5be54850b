import { afterAll, describe, expect, it } from 'vitest';
import {
  createCertificate,
  createCsr,
  derToPem,
  generateKeyPair,
  OID,
  PkiError,
  parseCertificate,
  parseCsr,
  pemToDer,
  validateCertificatePath,
} from '../src/index.js';
import { caExtensions, keysFor, NOW, root } from './helpers/chain.js';
import { epochSeconds, OpensslDir } from './helpers/openssl.js';

const ossl = new OpensslDir();
afterAll(() => ossl.cleanup());

describe('generateKeyPair', () => {
  it.each(['RSA-2048', 'P-256', 'P-384', 'P-521', 'Ed25519'] as const)('%s', (alg) => {
    const kp = generateKeyPair(alg);
    expect(kp.privateKey.type).toBe('private');
    expect(kp.publicKey.type).toBe('public');
    if (alg === 'RSA-2048') expect(kp.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });
});

describe('CSR (PKCS #10)', () => {
  it('OpenSSL verifies the CSR we write and reads its requested extensions', () => {
    const kp = keysFor('csr-subject', 'RSA-2048');
    const der = createCsr({
      subject: 'C=JP, CN=CSR Subject',
      privateKey: kp.privateKey,
      extensions: [
        { type: 'keyUsage', usages: ['digitalSignature'] },
        { type: 'subjectAltName', names: [{ type: 'dNSName', value: 'csr.example.jp' }] },
      ],
    });
    const f = ossl.write('ours.csr', der);
    const r = ossl.ok(['req', '-in', f, '-inform', 'DER', '-verify', '-noout', '-text']);
    expect(r.stderr + r.stdout).toMatch(/verify OK|Certificate request self-signature verify OK/);
    expect(r.stdout).toContain('DNS:csr.example.jp');
    expect(r.stdout).toContain('Subject: C = JP, CN = CSR Subject');
  });

  it('reads an OpenSSL CSR, checks its self-signature and issues from it', () => {
    ossl.ok(['ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', 'csr.key']);
    ossl.ok([
      'req',
      '-new',
      '-key',
      'csr.key',
      '-subj',
      '/C=JP/O=Example/CN=From CSR',
      '-addext',
      'subjectAltName=DNS:from-csr.example.jp',
      '-outform',
      'DER',
      '-out',
      'os.csr',
    ]);
    const csr = parseCsr(
      new Uint8Array(ossl.ok(['req', '-in', 'os.csr', '-inform', 'DER', '-outform', 'DER']).stdoutBytes),
    );
    expect(csr.signatureValid).toBe(true);
    expect(csr.subject).toBe('C=JP, O=Example, CN=From CSR');
    expect(csr.extensions.map((e) => e.oid)).toEqual([OID.subjectAltName]);
    expect(csr.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');

    // tampering with the subject breaks the self-signature
    const bad = new Uint8Array(csr.der);
    const i = Buffer.from(bad).indexOf('From CSR');
    bad[i] = 'X'.charCodeAt(0);
    expect(parseCsr(bad).signatureValid).toBe(false);

    const ca = root('CN=CSR CA, C=JP', { keys: keysFor('csr-ca', 'P-384') });
    const cert = createCertificate({
      subject: csr.subjectDer,
      issuer: { certificate: ca.cert, privateKey: ca.privateKey },
      publicKey: csr.spkiDer,
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2027-01-01T00:00:00Z'),
      extensions: [
        { type: 'basicConstraints', ca: false },
        ...csr.extensions.map((e) => ({
          type: 'raw' as const,
          oid: e.oid,
          critical: e.critical,
          valueDer: e.value,
        })),
      ],
    });
    const c = parseCertificate(cert);
    expect(c.signatureAlgorithm.name).toBe('ecdsa-with-SHA384');
    expect(c.subjectAltName).toEqual([{ type: 'dNSName', value: 'from-csr.example.jp' }]);
    // OpenSSL: the certificate matches the CSR's key
    const certFile = ossl.write('from-csr.pem', derToPem(cert));
    const mod1 = ossl.ok(['x509', '-in', certFile, '-noout', '-pubkey']).stdout;
    const mod2 = ossl.ok(['pkey', '-in', 'csr.key', '-pubout']).stdout;
    expect(mod1).toBe(mod2);
  });

  it('rejects a non-CSR with CSR_MALFORMED', () => {
    expect(() => parseCsr(Uint8Array.of(0x30, 0))).toThrow(PkiError);
    try {
      parseCsr(Uint8Array.of(0x30, 0));
    } catch (e) {
      expect((e as PkiError).code).toBe('CSR_MALFORMED');
    }
  });
});

describe('createCertificate', () => {
  it('issues JPKI-like RSA-2048 certificates OpenSSL verifies, with every extension kind', () => {
    const ca = root(
      'C=JP, O=JPKI, OU=JPKI for user authentication, OU=Japan Agency for Local Authority Information Systems',
      {
        keys: keysFor('jpki-auth-ca', 'RSA-2048'),
      },
    );
    const holder = keysFor('auth-holder', 'RSA-2048');
    const der = createCertificate({
      subject: 'C=JP, CN=0123456789ABCDEFGHIJKLM',
      issuer: { certificate: ca.cert, privateKey: ca.privateKey },
      publicKey: holder.publicKey,
      notBefore: new Date('2026-04-01T00:00:00Z'),
      notAfter: new Date('2031-01-02T14:59:59Z'),
      extensions: [
        { type: 'keyUsage', usages: ['digitalSignature'] },
        { type: 'extKeyUsage', usages: ['clientAuth'] },
        { type: 'certificatePolicies', policies: ['1.2.392.200149.8.5.1.3.30'], critical: true },
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
          ],
        },
        { type: 'authorityInfoAccess', ocsp: ['http://127.0.0.1:8080/ocsp'] },
        { type: 'ocspNoCheck' },
      ],
    });
    const f = ossl.write('auth.pem', derToPem(der));
    const caFile = ossl.write('auth-ca.pem', ca.pem);
    const text = ossl.ok(['x509', '-in', f, '-noout', '-text']).stdout;
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(text).toContain('Public-Key: (2048 bit)');
    expect(text).toContain('X509v3 Certificate Policies: critical');
    expect(text).toContain('OCSP No Check');
    expect(text).toContain('TLS Web Client Authentication');
    expect(text).toContain(ca.cert.subjectKeyIdentifier!.match(/../g)!.join(':').toUpperCase());
    expect(text).toContain('Not After : Jan  2 14:59:59 2031 GMT');
    const v = ossl.run([
      'verify',
      '-attime',
      epochSeconds(new Date('2026-06-01T00:00:00Z')),
      '-CAfile',
      caFile,
      f,
    ]);
    expect(v.stdout).toContain(': OK');
    // a date past 2049 is a GeneralizedTime (RFC 5280 §4.1.2.5)
    const late = createCertificate({
      subject: 'CN=Late',
      privateKey: holder.privateKey,
      publicKey: holder.publicKey,
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2050-01-01T00:00:00Z'),
    });
    expect(parseCertificate(late).notAfter.toISOString()).toBe('2050-01-01T00:00:00.000Z');
    expect(
      ossl.ok(['x509', '-in', ossl.write('late.pem', derToPem(late)), '-noout', '-enddate']).stdout,
    ).toContain('2050');
  });

  it('self-signed certificates carry AKI = SKI and verify under their own key', () => {
    const ca = root('CN=Self, C=JP', { extensions: caExtensions(0) });
    expect(ca.cert.authorityKeyIdentifier).toBe(ca.cert.subjectKeyIdentifier);
    expect(validateCertificatePath({ leaf: ca.cert, trustAnchors: [ca.cert], now: NOW }).ok).toBe(true);
  });

  it('refuses contradictory input', () => {
    const kp = keysFor('x');
    const base = { subject: 'CN=x', publicKey: kp.publicKey, notBefore: NOW, notAfter: NOW };
    expect(() => createCertificate(base)).toThrow(PkiError);
    expect(() => createCertificate({ ...base, privateKey: kp.privateKey, notAfter: new Date(0) })).toThrow(
      PkiError,
    );
    expect(() =>
      createCertificate({
        ...base,
        privateKey: kp.privateKey,
        extensions: [
          { type: 'keyUsage', usages: ['digitalSignature'] },
          { type: 'keyUsage', usages: ['keyCertSign'] },
        ],
      }),
    ).toThrow(PkiError);
    expect(() =>
      createCertificate({ ...base, privateKey: kp.privateKey, signingAlgorithm: 'sha256WithRSAEncryption' }),
    ).toThrow(PkiError);
  });

  it('reads back a PEM round trip byte-exact', () => {
    const ca = root('CN=PEM, C=JP');
    expect(Buffer.from(pemToDer(derToPem(ca.der))).equals(Buffer.from(ca.der))).toBe(true);
  });
});
