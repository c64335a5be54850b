import type { KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Certificate,
  type CreateOcspResponseOptions,
  certIdFor,
  createOcspErrorResponse,
  createOcspRequest,
  createOcspResponse,
  parseCertificate,
  parseOcspRequest,
  parseOcspResponse,
  verifyOcspResponse,
} from '../src/index.js';
import { issue, keysFor, leaf, leafExtensions, root } from './helpers/chain.js';
import { OpensslDir } from './helpers/openssl.js';

const ossl = new OpensslDir();
afterAll(() => ossl.cleanup());

const keyPem = (k: KeyObject): string => k.export({ type: 'pkcs8', format: 'pem' }) as string;

const ca = root('C=JP, O=JPKI, OU=JPKI for user authentication', { keys: keysFor('ocsp-ca', 'RSA-2048') });
const holder = leaf('C=JP, CN=OCSP HOLDER 1', ca, { serialNumber: '0a01' });
const revokedHolder = leaf('C=JP, CN=OCSP HOLDER 2', ca, { serialNumber: '0a02' });
const responder = issue({
  subject: 'C=JP, O=JPKI, CN=OCSP Responder',
  issuer: ca,
  keys: keysFor('ocsp-responder', 'P-256'),
  extensions: [
    { type: 'keyUsage', usages: ['digitalSignature'] },
    { type: 'extKeyUsage', usages: ['OCSPSigning'] },
    { type: 'ocspNoCheck' },
  ],
});
const plainSigner = issue({ subject: 'C=JP, CN=Not A Responder', issuer: ca, extensions: leafExtensions });
const otherCa = root('C=JP, O=Unrelated CA', { keys: keysFor('other-ca', 'P-256') });

const caFile = ossl.write('ca.pem', ca.pem);
const holderFile = ossl.write('holder.pem', holder.pem);
const revokedFile = ossl.write('revoked.pem', revokedHolder.pem);

const T = new Date('2026-11-01T00:00:00Z');
const T_NEXT = new Date('2026-11-01T00:15:00Z');
const T_IN = new Date('2026-11-01T00:05:00Z');

function respond(
  o: Partial<CreateOcspResponseOptions> & {
    cert?: Certificate;
    status?: 'good' | 'revoked' | 'unknown';
  } = {},
) {
  const cert = o.cert ?? holder.cert;
  return createOcspResponse({
    responder: o.responder ?? { certificate: ca.cert, privateKey: ca.privateKey },
    producedAt: o.producedAt ?? T,
    responses: o.responses ?? [
      {
        certificate: cert,
        issuerCertificate: ca.cert,
        status: o.status ?? 'good',
        ...(o.status === 'revoked'
          ? { revocationTime: new Date('2026-10-31T00:00:00Z'), reason: 'keyCompromise' as const }
          : {}),
        thisUpdate: T,
        nextUpdate: T_NEXT,
      },
    ],
    ...(o.nonce ? { nonce: o.nonce } : {}),
    ...(o.includeCertificates !== undefined ? { includeCertificates: o.includeCertificates } : {}),
    ...(o.responderIdType ? { responderIdType: o.responderIdType } : {}),
  });
}

const verify = (der: Uint8Array, extra: Partial<Parameters<typeof verifyOcspResponse>[1]> = {}) =>
  verifyOcspResponse(der, { certificate: holder.cert, issuerCertificate: ca.cert, now: T_IN, ...extra });

describe('OCSP requests', () => {
  it('OpenSSL reads the request we write (SHA-1 and SHA-256 CertIDs, nonce)', () => {
    const nonce = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    for (const hashAlgorithm of ['SHA-1', 'SHA-256'] as const) {
      const der = createOcspRequest({
        certificate: holder.cert,
        issuerCertificate: ca.cert,
        hashAlgorithm,
        nonce,
      });
      const text = ossl.ok([
        'ocsp',
        '-reqin',
        ossl.write(`req-${hashAlgorithm}.der`, der),
        '-req_text',
        '-noverify',
      ]).stdout;
      expect(text).toContain('Serial Number: 0A01');
      expect(text).toContain(`Hash Algorithm: ${hashAlgorithm === 'SHA-1' ? 'sha1' : 'sha256'}`);
      expect(text).toContain('OCSP Nonce');
      expect(text).toContain('0102030405060708090A0B0C0D0E0F10');
      const parsed = parseOcspRequest(der);
      expect(parsed.nonce).toEqual(nonce);
      expect(parsed.requests[0]).toMatchObject({ serialNumber: '0a01' });
    }
  });

  it('reads the request OpenSSL writes; its CertID equals ours', () => {
    for (const [flag, alg] of [
      ['-sha1', 'SHA-1'],
      ['-sha256', 'SHA-256'],
    ] as const) {
      ossl.ok(['ocsp', '-issuer', caFile, flag, '-cert', holderFile, '-reqout', 'os-req.der']);
      const req = parseOcspRequest(new Uint8Array(fs.readFileSync(ossl.path('os-req.der'))));
      const ours = certIdFor(holder.cert, ca.cert, alg);
      expect(req.requests[0]).toMatchObject({
        hashAlgorithm: ours.hashAlgorithm,
        issuerNameHash: ours.issuerNameHash,
        issuerKeyHash: ours.issuerKeyHash,
        serialNumber: '0a01',
      });
      expect(req.nonce?.length).toBe(16);
    }
  });
});

describe('OCSP responses we write — OpenSSL accepts them', () => {
  // OpenSSL judges thisUpdate/nextUpdate against its own clock, so these fixtures are dated around it.
  const wall = new Date(Math.floor(Date.now() / 1000) * 1000);
  const before = new Date(wall.getTime() - 3_600_000);
  const after = new Date(wall.getTime() + 86_400_000);
  const single = (cert: Certificate, status: 'good' | 'revoked') => ({
    certificate: cert,
    issuerCertificate: ca.cert,
    status,
    ...(status === 'revoked' ? { revocationTime: before, reason: 'keyCompromise' as const } : {}),
    thisUpdate: before,
    nextUpdate: after,
  });

  it('signed by the CA itself: good and revoked', () => {
    const der = createOcspResponse({
      responder: { certificate: ca.cert, privateKey: ca.privateKey },
      producedAt: wall,
      responses: [single(holder.cert, 'good'), single(revokedHolder.cert, 'revoked')],
    });
    const f = ossl.write('ca-resp.der', der);
    const r = ossl.run([
      'ocsp',
      '-respin',
      f,
      '-issuer',
      caFile,
      '-cert',
      holderFile,
      '-cert',
      revokedFile,
      '-CAfile',
      caFile,
      '-no_nonce',
    ]);
    expect(r.stderr).toContain('Response verify OK');
    expect(r.stdout).toContain(`${holderFile}: good`);
    expect(r.stdout).toContain(`${revokedFile}: revoked`);
    expect(r.stdout).toContain('Reason: keyCompromise');
  });

  it('signed by a delegated responder (OCSPSigning, embedded), by name and by key; -VAfile too', () => {
    for (const responderIdType of ['byKey', 'byName'] as const) {
      const der = createOcspResponse({
        responder: { certificate: responder.cert, privateKey: responder.privateKey },
        producedAt: wall,
        responderIdType,
        responses: [single(holder.cert, 'good')],
      });
      expect(parseOcspResponse(der).basic?.certificates).toHaveLength(1);
      const f = ossl.write(`del-${responderIdType}.der`, der);
      const r = ossl.run([
        'ocsp',
        '-respin',
        f,
        '-issuer',
        caFile,
        '-cert',
        holderFile,
        '-CAfile',
        caFile,
        '-no_nonce',
      ]);
      expect(r.stderr, r.stderr).toContain('Response verify OK');
      expect(r.stdout).toContain(`${holderFile}: good`);
      const va = ossl.run([
        'ocsp',
        '-respin',
        f,
        '-issuer',
        caFile,
        '-cert',
        holderFile,
        '-VAfile',
        ossl.write('va.pem', responder.pem),
        '-no_nonce',
      ]);
      expect(va.stderr).toContain('Response verify OK');
    }
  });

  it('OpenSSL rejects a response from an unrelated CA’s responder', () => {
    const der = createOcspResponse({
      responder: { certificate: otherCa.cert, privateKey: otherCa.privateKey },
      producedAt: wall,
      responses: [single(holder.cert, 'good')],
      includeCertificates: true,
    });
    const r = ossl.run([
      'ocsp',
      '-respin',
      ossl.write('unrelated.der', der),
      '-issuer',
      caFile,
      '-cert',
      holderFile,
      '-CAfile',
      caFile,
      '-no_nonce',
    ]);
    expect(r.stderr).toContain('Response Verify Failure');
    expect(
      verifyOcspResponse(der, { certificate: holder.cert, issuerCertificate: ca.cert, now: wall }).status,
    ).toBe('unusable');
  });

  it('the nonce we echo is accepted by OpenSSL for its request', () => {
    ossl.ok(['ocsp', '-issuer', caFile, '-cert', holderFile, '-reqout', 'nonce-req.der']);
    const req = parseOcspRequest(new Uint8Array(fs.readFileSync(ossl.path('nonce-req.der'))));
    const der = createOcspResponse({
      responder: { certificate: ca.cert, privateKey: ca.privateKey },
      producedAt: wall,
      responses: [{ certId: req.requests[0]!, status: 'good', thisUpdate: before, nextUpdate: after }],
      nonce: req.nonce!,
    });
    const r = ossl.run([
      'ocsp',
      '-reqin',
      ossl.path('nonce-req.der'),
      '-respin',
      ossl.write('nonce-resp.der', der),
      '-issuer',
      caFile,
      '-CAfile',
      caFile,
    ]);
    expect(r.stderr).toContain('Response verify OK');
    expect(r.stderr).not.toContain('Nonce Verify error');
    // control: a different nonce is caught by OpenSSL
    const wrong = createOcspResponse({
      responder: { certificate: ca.cert, privateKey: ca.privateKey },
      producedAt: wall,
      responses: [{ certId: req.requests[0]!, status: 'good', thisUpdate: before, nextUpdate: after }],
      nonce: Uint8Array.of(1, 2, 3),
    });
    const w = ossl.run([
      'ocsp',
      '-reqin',
      ossl.path('nonce-req.der'),
      '-respin',
      ossl.write('nonce-wrong.der', wrong),
      '-issuer',
      caFile,
      '-CAfile',
      caFile,
    ]);
    expect(w.stderr).toContain('Nonce Verify error');
  });
});

describe('OCSP responses OpenSSL writes — we reach its verdict', () => {
  it('openssl ocsp -index … -rsigner: good, revoked, unknown, with our nonce', () => {
    const d = ossl;
    d.write(
      'index.txt',
      'V\t301231000000Z\t\t0A01\tunknown\t/CN=one\nR\t301231000000Z\t261030000000Z,keyCompromise\t0A02\tunknown\t/CN=two\n',
    );
    d.write('rsigner.pem', responder.pem);
    d.write('rsigner.key', keyPem(responder.privateKey));
    const unknownHolder = leaf('C=JP, CN=OCSP HOLDER 3', ca, { serialNumber: '0a03' });
    const nonce = Uint8Array.from({ length: 20 }, (_, i) => 0xa0 + i);
    const cases = [
      [holder.cert, 'good'],
      [revokedHolder.cert, 'revoked'],
      [unknownHolder.cert, 'unknown'],
    ] as const;
    for (const [cert, expected] of cases) {
      const req = d.write(
        'q.der',
        createOcspRequest({ certificate: cert, issuerCertificate: ca.cert, nonce }),
      );
      d.ok([
        'ocsp',
        '-index',
        'index.txt',
        '-rsigner',
        'rsigner.pem',
        '-rkey',
        'rsigner.key',
        '-CA',
        caFile,
        '-reqin',
        req,
        '-respout',
        'r.der',
        '-ndays',
        '1',
      ]);
      const der = new Uint8Array(fs.readFileSync(d.path('r.der')));
      const basic = parseOcspResponse(der).basic!;
      const now = new Date(basic.responses[0]!.thisUpdate.getTime() + 60_000);
      const v = verifyOcspResponse(der, { certificate: cert, issuerCertificate: ca.cert, now, nonce });
      expect(v.status, JSON.stringify(v.checks)).toBe(expected);
      if (expected === 'revoked') {
        expect(v.reason).toBe('keyCompromise');
        expect(v.revocationTime?.toISOString()).toBe('2026-10-30T00:00:00.000Z');
      }
      // and a day and a minute later it is stale: unusable, never good
      const late = verifyOcspResponse(der, {
        certificate: cert,
        issuerCertificate: ca.cert,
        now: new Date(basic.responses[0]!.nextUpdate!.getTime() + 60_000),
        nonce,
      });
      expect(late.status).toBe('unusable');
    }
  });
});

describe('verifyOcspResponse fails closed', () => {
  it('good from the CA, revoked with reason, unknown', () => {
    expect(verify(respond())).toMatchObject({ status: 'good', verdict: 'valid' });
    const r = verify(respond({ cert: revokedHolder.cert, status: 'revoked' }), {
      certificate: revokedHolder.cert,
    });
    expect(r).toMatchObject({ status: 'revoked', reason: 'keyCompromise', verdict: 'invalid' });
    expect(verify(respond({ status: 'unknown' }))).toMatchObject({
      status: 'unknown',
      verdict: 'undetermined',
    });
  });

  it('delegated responder: accepted with OCSPSigning, refused without', () => {
    const ok = respond({ responder: { certificate: responder.cert, privateKey: responder.privateKey } });
    expect(verify(ok).status).toBe('good');
    expect(verify(ok).checks.find((c) => c.id === 'ocsp.responder')?.detail).toContain('delegated');
    const noEku = respond({
      responder: { certificate: plainSigner.cert, privateKey: plainSigner.privateKey },
      includeCertificates: true,
    });
    const v = verify(noEku);
    expect(v.status).toBe('unusable');
    expect(v.checks.find((c) => c.id === 'ocsp.responder')).toMatchObject({ status: 'failed' });
    expect(v.detail).toContain('OCSPSigning');
  });

  it('a responder with OCSPSigning issued by an unrelated CA is not authorised', () => {
    const foreign = issue({
      subject: 'C=JP, CN=Foreign Responder',
      issuer: otherCa,
      extensions: [{ type: 'extKeyUsage', usages: ['OCSPSigning'] }],
    });
    const v = verify(respond({ responder: { certificate: foreign.cert, privateKey: foreign.privateKey } }));
    expect(v.status).toBe('unusable');
    expect(v.checks.at(-1)?.id).toBe('ocsp.responder');
  });

  it('a locally trusted responder is accepted only when configured', () => {
    const local = root('C=JP, CN=Local Responder', { extensions: leafExtensions });
    const der = respond({
      responder: { certificate: local.cert, privateKey: local.privateKey },
      includeCertificates: true,
    });
    expect(verify(der).status).toBe('unusable');
    expect(verify(der, { trustedResponders: [local.cert] }).status).toBe('good');
  });

  it('outside its window: before thisUpdate or after nextUpdate is unusable', () => {
    const der = respond();
    expect(verify(der, { now: new Date(T.getTime() - 1000) })).toMatchObject({ status: 'unusable' });
    const late = verify(der, { now: new Date(T_NEXT.getTime() + 1000) });
    expect(late.status).toBe('unusable');
    expect(late.checks.at(-1)).toMatchObject({ id: 'ocsp.freshness', status: 'undetermined' });
    expect(verify(der, { now: T_NEXT }).status).toBe('good');
    expect(verify(der, { now: new Date(T_NEXT.getTime() + 60_000), clockToleranceSeconds: 120 }).status).toBe(
      'good',
    );
  });

  it('no nextUpdate: usable only with a matching nonce', () => {
    const nonce = Uint8Array.of(9, 9, 9, 9);
    const mk = (withNonce: boolean) =>
      respond({
        responses: [{ certificate: holder.cert, issuerCertificate: ca.cert, status: 'good', thisUpdate: T }],
        ...(withNonce ? { nonce } : {}),
      });
    expect(verify(mk(false)).status).toBe('unusable');
    expect(verify(mk(true), { nonce }).status).toBe('good');
  });

  it('nonce: missing or different is unusable', () => {
    const nonce = Uint8Array.of(1, 2, 3, 4);
    expect(verify(respond(), { nonce })).toMatchObject({ status: 'unusable' });
    expect(verify(respond({ nonce: Uint8Array.of(1, 2, 3, 5) }), { nonce }).checks.at(-1)?.id).toBe(
      'ocsp.nonce',
    );
    expect(verify(respond({ nonce }), { nonce }).status).toBe('good');
  });

  it('a response for another certificate (CertID mismatch) is unusable; SHA-256 CertIDs match', () => {
    const other = verify(respond({ cert: revokedHolder.cert }));
    expect(other).toMatchObject({ status: 'unusable' });
    expect(other.checks.at(-1)?.id).toBe('ocsp.cert_id');
    const sha256 = respond({
      responses: [
        {
          certificate: holder.cert,
          issuerCertificate: ca.cert,
          hashAlgorithm: 'SHA-256',
          status: 'good',
          thisUpdate: T,
          nextUpdate: T_NEXT,
        },
      ],
    });
    expect(verify(sha256).status).toBe('good');
  });

  it('a tampered signature, an error status or garbage is unusable', () => {
    const der = respond();
    const bad = new Uint8Array(der);
    bad[bad.length - 3]! ^= 0x40;
    const v = verify(bad);
    expect(v.status).toBe('unusable');
    expect(v.checks.at(-1)).toMatchObject({ id: 'ocsp.signature', status: 'failed' });
    expect(verify(createOcspErrorResponse('tryLater'))).toMatchObject({ status: 'unusable' });
    expect(verify(Uint8Array.of(0x30, 0x01))).toMatchObject({ status: 'unusable' });
    expect(verify(Uint8Array.of(0x30, 0x01)).checks[0]?.id).toBe('ocsp.decode');
  });

  it('the issuing CA given is a different CA: unusable', () => {
    const v = verifyOcspResponse(respond(), {
      certificate: holder.cert,
      issuerCertificate: otherCa.cert,
      now: T_IN,
    });
    expect(v.status).toBe('unusable');
  });

  it('parses embedded certificates as certificates', () => {
    const der = respond({ responder: { certificate: responder.cert, privateKey: responder.privateKey } });
    const certs = parseOcspResponse(der).basic!.certificates.map((c) => parseCertificate(c));
    expect(certs[0]?.fingerprint256).toBe(responder.cert.fingerprint256);
  });
});
