/**
 * SHA-1 signatures are rejected by default wherever validation verifies one — certificates below the
 * anchor, CRLs, OCSP responses (and their delegated responder certificates), CMS signatures — and
 * accepted only with `allowSha1: true`. A trust anchor's own self-signature is never verified (RFC 5280
 * §6.1.1 (d): the anchor is its name and key, taken from configuration), so SHA-1 roots stay usable.
 */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createCrl,
  createOcspResponse,
  isSignedBy,
  parseCertificate,
  validateCertificatePath,
  verifyCmsSignature,
  verifyCrl,
  verifyOcspResponse,
} from '../src/index.js';
import { goodOcspResponse, intermediate, issue, keysFor, leaf, NOW, root } from './helpers/chain.js';
import { OpensslDir } from './helpers/openssl.js';
import { resign, resignOcsp } from './helpers/resign.js';

const ossl = new OpensslDir();
afterAll(() => ossl.cleanup());

const ca = root('CN=SHA-1 Test Root, C=JP');
const rsaCa = root('CN=SHA-1 Test RSA Root, C=JP', { keys: keysFor('sha1-rsa-root', 'RSA-2048') });
const int = intermediate('CN=SHA-1 Test Int, C=JP', ca);
const ee = leaf('CN=SHA-1 Test Leaf', int);

const statusOf = (checks: readonly { id: string; status: string }[], id: string) =>
  checks.find((c) => c.id === id)?.status;

describe('certificate signatures on the path', () => {
  const sha1Int = parseCertificate(resign(int.der, ca.privateKey, 'ecdsa-with-SHA1'));
  const sha1Leaf = parseCertificate(resign(ee.der, int.privateKey, 'ecdsa-with-SHA1'));
  const rsaLeaf = leaf('CN=SHA-1 RSA Leaf', rsaCa);
  const sha1RsaLeaf = parseCertificate(resign(rsaLeaf.der, rsaCa.privateKey, 'sha1WithRSAEncryption'));
  const pssSha1Leaf = parseCertificate(resign(rsaLeaf.der, rsaCa.privateKey, 'RSASSA-PSS-SHA1'));

  it('an intermediate signed with ecdsa-with-SHA1 fails by default (PATH_WEAK_ALGORITHM)', () => {
    const o = { leaf: ee.cert, intermediates: [sha1Int], trustAnchors: [ca.cert], now: NOW };
    const r = validateCertificatePath(o);
    expect(r.ok).toBe(false);
    expect(r.failure?.code).toBe('PATH_WEAK_ALGORITHM');
    expect(r.failure?.detail).toContain('SHA-1');
    expect(validateCertificatePath({ ...o, allowSha1: true }).ok).toBe(true);
  });

  it('an end certificate signed with SHA-1 (ECDSA, RSA PKCS #1 v1.5, RSASSA-PSS) fails by default', () => {
    const cases = [
      { leaf: sha1Leaf, intermediates: [int.cert], trustAnchors: [ca.cert] },
      { leaf: sha1RsaLeaf, trustAnchors: [rsaCa.cert] },
      { leaf: pssSha1Leaf, trustAnchors: [rsaCa.cert] },
    ];
    for (const c of cases) {
      const r = validateCertificatePath({ ...c, now: NOW });
      expect(r.failure?.code).toBe('PATH_WEAK_ALGORITHM');
      expect(statusOf(r.checks, 'path.signature')).toBe('failed');
      expect(validateCertificatePath({ ...c, now: NOW, allowSha1: true }).ok).toBe(true);
    }
  });

  it('a remembered SHA-1 check does not let SHA-1 through later', () => {
    const o = { leaf: sha1Leaf, intermediates: [int.cert], trustAnchors: [ca.cert], now: NOW };
    expect(validateCertificatePath({ ...o, allowSha1: true }).ok).toBe(true);
    expect(validateCertificatePath(o).failure?.code).toBe('PATH_WEAK_ALGORITHM');
    expect(isSignedBy(sha1Leaf, int.cert)).toBe(false);
    expect(isSignedBy(sha1Leaf, int.cert, { allowSha1: true })).toBe(true);
  });

  it("a trust anchor's own SHA-1 self-signature is not verified (RFC 5280 §6.1.1 (d))", () => {
    const sha1Root = parseCertificate(resign(ca.der, ca.privateKey, 'ecdsa-with-SHA1'));
    expect(sha1Root.signatureAlgorithm.name).toBe('ecdsa-with-SHA1');
    const r = validateCertificatePath({
      leaf: ee.cert,
      intermediates: [int.cert],
      trustAnchors: [sha1Root],
      now: NOW,
    });
    expect(r.failure).toBeUndefined();
    expect(r.work.signatureChecks).toBe(2);
    // nor any self-signature at all: an anchor whose signature is garbage still stands for its name and key
    const garbled = new Uint8Array(ca.der);
    garbled[garbled.length - 5]! ^= 0x55;
    const r2 = validateCertificatePath({
      leaf: ee.cert,
      intermediates: [int.cert],
      trustAnchors: [parseCertificate(garbled)],
      now: NOW,
    });
    expect(r2.failure).toBeUndefined();
  });
});

describe('CRLs', () => {
  const crl = createCrl({
    issuer: { certificate: ca.cert, privateKey: ca.privateKey },
    thisUpdate: new Date('2025-05-01T00:00:00Z'),
    nextUpdate: new Date('2025-07-01T00:00:00Z'),
    crlNumber: 1,
    entries: [],
  });
  const sha1Crl = resign(crl, ca.privateKey, 'ecdsa-with-SHA1');

  it('a CRL signed with SHA-1 fails crl.signature by default', () => {
    expect(verifyCrl(crl, { issuerCertificate: ca.cert, now: NOW }).verdict).toBe('valid');
    const v = verifyCrl(sha1Crl, { issuerCertificate: ca.cert, now: NOW });
    expect(statusOf(v.checks, 'crl.signature')).toBe('failed');
    expect(v.checks.find((c) => c.id === 'crl.signature')?.detail).toContain('SHA-1');
    expect(verifyCrl(sha1Crl, { issuerCertificate: ca.cert, now: NOW, allowSha1: true }).verdict).toBe(
      'valid',
    );
  });
});

describe('OCSP', () => {
  const holder = leaf('CN=SHA-1 OCSP Holder', ca, { serialNumber: '0c01' });
  const T = new Date('2025-06-01T00:00:00Z');
  const good = goodOcspResponse(holder, ca, T);
  const opts = { certificate: holder.cert, issuerCertificate: ca.cert, now: NOW };

  it('a response signed with SHA-1 is unusable by default', () => {
    expect(verifyOcspResponse(good, opts).status).toBe('good');
    const sha1 = resignOcsp(good, ca.privateKey, 'ecdsa-with-SHA1');
    const v = verifyOcspResponse(sha1, opts);
    expect(v.status).toBe('unusable');
    expect(statusOf(v.checks, 'ocsp.signature')).toBe('failed');
    expect(v.detail).toContain('SHA-1');
    expect(verifyOcspResponse(sha1, { ...opts, allowSha1: true }).status).toBe('good');
  });

  it('a delegated responder whose certificate the CA signed with SHA-1 is not authorised by default', () => {
    const responder = issue({
      subject: 'CN=SHA-1 OCSP Responder',
      issuer: ca,
      keys: keysFor('sha1-responder'),
      extensions: [
        { type: 'keyUsage', usages: ['digitalSignature'] },
        { type: 'extKeyUsage', usages: ['OCSPSigning'] },
      ],
    });
    const sha1Responder = parseCertificate(resign(responder.der, ca.privateKey, 'ecdsa-with-SHA1'));
    const der = createOcspResponse({
      responder: { certificate: sha1Responder, privateKey: responder.privateKey },
      producedAt: T,
      includeCertificates: true,
      responses: [
        {
          certificate: holder.cert,
          issuerCertificate: ca.cert,
          status: 'good',
          thisUpdate: T,
          nextUpdate: new Date('2025-06-02T00:00:00Z'),
        },
      ],
    });
    const v = verifyOcspResponse(der, opts);
    expect(v.status).toBe('unusable');
    expect(v.detail).toContain('SHA-1');
    expect(verifyOcspResponse(der, { ...opts, allowSha1: true }).status).toBe('good');
  });
});

describe('CMS', () => {
  const signer = leaf('CN=SHA-1 CMS Signer', ca, {
    extensions: [{ type: 'keyUsage', usages: ['digitalSignature'] }],
  });
  ossl.write('signer.pem', signer.pem);
  ossl.write('signer.key', signer.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  ossl.write('content.txt', 'signed with SHA-1');

  it('a CMS signature over SHA-1 (OpenSSL -md sha1) fails cms.signature by default', () => {
    ossl.ok([
      'cms',
      '-sign',
      '-binary',
      '-nodetach',
      '-in',
      'content.txt',
      '-signer',
      'signer.pem',
      '-inkey',
      'signer.key',
      '-md',
      'sha1',
      '-outform',
      'DER',
      '-out',
      'sha1.der',
    ]);
    const der = new Uint8Array(fs.readFileSync(ossl.path('sha1.der')));
    const v = verifyCmsSignature(der, { trustAnchors: [ca.cert], now: NOW });
    expect(v.verdict).toBe('invalid');
    expect(statusOf(v.checks, 'cms.signature')).toBe('failed');
    expect(v.checks.find((c) => c.id === 'cms.signature')?.detail).toContain('SHA-1');
    const allowed = verifyCmsSignature(der, { trustAnchors: [ca.cert], now: NOW, allowSha1: true });
    expect(allowed.verdict, JSON.stringify(allowed.checks)).toBe('valid');
  });
});
