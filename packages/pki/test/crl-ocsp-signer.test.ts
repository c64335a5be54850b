import { sign } from 'node:crypto';
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CertificateSigner,
  createCrl,
  createCrlWithSigner,
  createOcspResponse,
  createOcspResponseWithSigner,
  keyObjectSigner,
  PkiError,
  parseCrl,
  parseOcspRequest,
  parseOcspResponse,
  verifyCrl,
  verifyOcspResponse,
} from '../src/index.js';
import { issue, keysFor, leaf, leafExtensions, root } from './helpers/chain.js';
import { OpensslDir } from './helpers/openssl.js';

// CRLs and OCSP responses signed through a CertificateSigner (a KMS, an HSM, an encrypted key store) are
// the structures createCrl / createOcspResponse write with the key in hand — one TBS writer each — and
// OpenSSL and our own verifiers accept them.

const ossl = new OpensslDir();
afterAll(() => ossl.cleanup());

const TSUKUBA = 'C=JP, O=JPKI, OU=CRL Distribution Points, OU=Ibaraki-ken, CN=Tsukuba-shi CRLDP';
const ca = root('C=JP, O=JPKI, OU=JPKI for user authentication', { keys: keysFor('signer-ca', 'RSA-2048') });
const holder = leaf('C=JP, CN=SIGNER HOLDER 1', ca, {
  serialNumber: '0a01',
  extensions: [
    ...leafExtensions,
    { type: 'crlDistributionPoints', points: [{ fullName: [{ type: 'directoryName', value: TSUKUBA }] }] },
  ],
});
const revokedHolder = leaf('C=JP, CN=SIGNER HOLDER 2', ca, { serialNumber: '0a02' });
const responder = issue({
  subject: 'C=JP, O=JPKI, CN=Signer OCSP Responder',
  issuer: ca,
  keys: keysFor('signer-responder', 'RSA-2048'),
  extensions: [
    { type: 'keyUsage', usages: ['digitalSignature'] },
    { type: 'extKeyUsage', usages: ['OCSPSigning'] },
    { type: 'ocspNoCheck' },
  ],
});
const caFile = ossl.write('ca.pem', ca.pem);
const holderFile = ossl.write('holder.pem', holder.pem);
const revokedFile = ossl.write('revoked.pem', revokedHolder.pem);

// OpenSSL judges validity windows against its own clock.
const wall = new Date(Math.floor(Date.now() / 1000) * 1000);
const before = new Date(wall.getTime() - 3_600_000);
const after = new Date(wall.getTime() + 86_400_000);

const crlOptions = {
  thisUpdate: before,
  nextUpdate: after,
  crlNumber: 1_767_225_600_000n,
  entries: [
    { serialNumber: '0a02', revocationDate: before, reason: 'certificateHold' as const },
    { serialNumber: 'ff00', revocationDate: before, reason: 'affiliationChanged' as const },
  ],
  issuingDistributionPoint: {
    fullName: [{ type: 'directoryName' as const, value: TSUKUBA }],
    onlyContainsUserCerts: true,
  },
};

/** An ECDSA signer answering in IEEE P1363 (r‖s) instead of the DER Ecdsa-Sig-Value. */
const ec = keysFor('signer-ec', 'P-256');
const p1363: CertificateSigner = {
  algorithm: 'ecdsa-with-SHA256',
  sign: async (data) =>
    new Uint8Array(sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' })),
};
const ecCa = root('C=JP, O=EC Test CA', { keys: ec });

describe('createCrlWithSigner', () => {
  it('writes the bytes createCrl writes (RSA PKCS #1 v1.5 is deterministic)', async () => {
    const withKey = createCrl({ ...crlOptions, issuer: { certificate: ca.cert, privateKey: ca.privateKey } });
    const withSigner = await createCrlWithSigner({
      ...crlOptions,
      issuer: { certificate: ca.cert, signer: keyObjectSigner(ca.privateKey) },
    });
    expect(Buffer.from(withSigner).equals(Buffer.from(withKey))).toBe(true);
  });

  it('is verified by OpenSSL and by verifyCrl, listing the entries with their reasons', async () => {
    const der = await createCrlWithSigner({
      ...crlOptions,
      issuer: { certificate: ca.cert, signer: keyObjectSigner(ca.privateKey) },
    });
    const f = ossl.write('signer.crl', der);
    const r = ossl.ok(['crl', '-in', f, '-inform', 'DER', '-CAfile', caFile, '-verify', '-noout', '-text']);
    expect(r.stderr + r.stdout).toContain('verify OK');
    expect(r.stdout).toContain('Serial Number: 0A02');
    expect(r.stdout).toContain('Certificate Hold');
    expect(r.stdout).toContain('Tsukuba-shi CRLDP');
    const v = verifyCrl(der, { issuerCertificate: ca.cert, now: wall, certificate: holder.cert });
    expect(v.status).toBe('current');
    expect(v.checks.find((c) => c.id === 'crl.scope')?.status).toBe('passed');
    const crl = parseCrl(der);
    expect(crl.crlNumber).toBe(1_767_225_600_000n);
    expect(crl.authorityKeyIdentifier).toBe(ca.cert.subjectKeyIdentifier);
    expect(crl.entries.map((e) => [e.serialNumber, e.reason])).toEqual([
      ['0a02', 'certificateHold'],
      ['ff00', 'affiliationChanged'],
    ]);
  });

  it('refuses a signer answering with another key, or with r‖s for ECDSA (INVALID_ARGUMENT)', async () => {
    const other = keysFor('signer-other', 'RSA-2048');
    for (const [certificate, signer] of [
      [ca.cert, keyObjectSigner(other.privateKey)],
      [ecCa.cert, p1363],
    ] as const) {
      const attempt = createCrlWithSigner({ ...crlOptions, issuer: { certificate, signer } });
      await expect(attempt).rejects.toBeInstanceOf(PkiError);
      await expect(attempt).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });
});

describe('createOcspResponseWithSigner', () => {
  const responses = [
    {
      certificate: holder.cert,
      issuerCertificate: ca.cert,
      status: 'good' as const,
      thisUpdate: before,
      nextUpdate: after,
    },
    {
      certificate: revokedHolder.cert,
      issuerCertificate: ca.cert,
      status: 'revoked' as const,
      revocationTime: before,
      reason: 'keyCompromise' as const,
      thisUpdate: before,
      nextUpdate: after,
    },
  ];

  it('writes the bytes createOcspResponse writes', async () => {
    const withKey = createOcspResponse({
      responder: { certificate: responder.cert, privateKey: responder.privateKey },
      producedAt: wall,
      responses,
      nonce: Uint8Array.of(1, 2, 3, 4),
    });
    const withSigner = await createOcspResponseWithSigner({
      responder: { certificate: responder.cert, signer: keyObjectSigner(responder.privateKey) },
      producedAt: wall,
      responses,
      nonce: Uint8Array.of(1, 2, 3, 4),
    });
    expect(Buffer.from(withSigner).equals(Buffer.from(withKey))).toBe(true);
  });

  it('a delegated responder’s answer to OpenSSL’s own request verifies (-CAfile and -VAfile, nonce echoed)', async () => {
    ossl.ok(['ocsp', '-issuer', caFile, '-cert', holderFile, '-cert', revokedFile, '-reqout', 'req.der']);
    const req = parseOcspRequest(new Uint8Array(fs.readFileSync(ossl.path('req.der'))));
    expect(req.requests).toHaveLength(2);
    const der = await createOcspResponseWithSigner({
      responder: { certificate: responder.cert, signer: keyObjectSigner(responder.privateKey) },
      producedAt: wall,
      responses: [
        { certId: req.requests[0]!, status: 'good', thisUpdate: before, nextUpdate: after },
        {
          certId: req.requests[1]!,
          status: 'revoked',
          revocationTime: before,
          reason: 'certificateHold',
          thisUpdate: before,
          nextUpdate: after,
        },
      ],
      nonce: req.nonce!,
    });
    expect(parseOcspResponse(der).basic?.certificates).toHaveLength(1);
    const f = ossl.write('resp.der', der);
    const withRequest = ossl.run([
      'ocsp',
      '-reqin',
      'req.der',
      '-respin',
      f,
      '-issuer',
      caFile,
      '-CAfile',
      caFile,
    ]);
    expect(withRequest.stderr).toContain('Response verify OK');
    expect(withRequest.stderr).not.toContain('Nonce Verify error');
    const common = ['ocsp', '-respin', f, '-issuer', caFile, '-no_nonce', '-cert', holderFile];
    const r = ossl.run([...common, '-cert', revokedFile, '-CAfile', caFile]);
    expect(r.stderr).toContain('Response verify OK');
    expect(r.stdout).toContain(`${holderFile}: good`);
    expect(r.stdout).toContain(`${revokedFile}: revoked`);
    expect(r.stdout).toContain('Reason: certificateHold');
    const va = ossl.run([...common, '-VAfile', ossl.write('va.pem', responder.pem)]);
    expect(va.stderr).toContain('Response verify OK');
    const ours = verifyOcspResponse(der, {
      certificate: revokedHolder.cert,
      issuerCertificate: ca.cert,
      now: wall,
      nonce: req.nonce!,
    });
    expect(ours.status).toBe('revoked');
    expect(ours.reason).toBe('certificateHold');
    expect(ours.checks.find((c) => c.id === 'ocsp.responder')?.status).toBe('passed');
  });

  it('refuses a signer answering with another key (INVALID_ARGUMENT)', async () => {
    const attempt = createOcspResponseWithSigner({
      responder: { certificate: responder.cert, signer: keyObjectSigner(ca.privateKey) },
      producedAt: wall,
      responses,
    });
    await expect(attempt).rejects.toBeInstanceOf(PkiError);
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
