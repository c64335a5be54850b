/**
 * One signed object, one accepted encoding. Certificates, CRLs, OCSP responses and CMS are read as DER
 * (X.690 §10–11), the algorithm outside the signed part must equal the signed one byte for byte, and the
 * signature BIT STRING has no unused bits — so the bytes outside a signature cannot be varied to give one
 * signed object several fingerprints (caches key on `fingerprint256`), and verification never uses
 * unsigned algorithm parameters.
 */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { children, readDer } from '../src/der-reader.js';
import { integer, nullValue, oid, sequence, tlv } from '../src/der-writer.js';
import {
  createCrl,
  OID,
  PkiError,
  parseCertificate,
  parseCms,
  parseCrl,
  parseOcspResponse,
  signCms,
  validateCertificatePath,
  verifyCmsSignature,
  verifyOcspResponse,
} from '../src/index.js';
import { goodOcspResponse, keysFor, leaf, NOW, root } from './helpers/chain.js';
import { OpensslDir } from './helpers/openssl.js';
import { algorithmIdentifier, pssParams, resign, resignOcsp, signBytes } from './helpers/resign.js';

const ossl = new OpensslDir();
afterAll(() => ossl.cleanup());

const ca = root('CN=Encoding Root, C=JP');
const rsaCa = root('CN=Encoding RSA Root, C=JP', { keys: keysFor('encoding-rsa-root', 'RSA-2048') });
const ee = leaf('CN=Encoding Leaf', ca);
const rsaEe = leaf('CN=Encoding RSA Leaf', rsaCa);

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof PkiError ? e.code : 'not a PkiError';
  }
};

/** The element's header rewritten with a non-minimal definite length (one extra leading 0x00 octet). */
function longLength(der: Uint8Array): Uint8Array {
  const el = readDer(der);
  const n = el.value.length;
  const len: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) len.unshift(v & 0xff);
  return Uint8Array.of(der[0]!, 0x80 | (len.length + 1), 0, ...len, ...el.value);
}

/** The element with an indefinite length (BER, X.690 §8.1.3.6). */
function indefinite(der: Uint8Array): Uint8Array {
  return Uint8Array.of(der[0]!, 0x80, ...readDer(der).value, 0, 0);
}

/** Replaces the child at `index` of the top-level SEQUENCE. */
function withChild(der: Uint8Array, index: number, child: Uint8Array): Uint8Array {
  const parts = children(readDer(der))
    .rest()
    .map((e, i) => (i === index ? child : e.bytes));
  return sequence(...parts);
}

describe('certificates (RFC 5280 §4.1: DER)', () => {
  it('the certificate as issued parses', () => {
    expect(parseCertificate(ee.der).fingerprint256).toBe(ee.cert.fingerprint256);
  });

  it('rejects a non-minimal length and an indefinite length around the same signed bytes', () => {
    expect(codeOf(() => parseCertificate(longLength(ee.der)))).toBe('CERTIFICATE_MALFORMED');
    expect(codeOf(() => parseCertificate(indefinite(ee.der)))).toBe('CERTIFICATE_MALFORMED');
    // the signature BIT STRING with a non-minimal length
    const sig = children(readDer(ee.der)).rest()[2]!;
    expect(codeOf(() => parseCertificate(withChild(ee.der, 2, longLength(sig.bytes))))).toBe(
      'CERTIFICATE_MALFORMED',
    );
  });

  it('rejects a non-minimal INTEGER (X.690 §8.3.2) even under a valid signature', () => {
    // serialNumber 00 01 2c instead of 01 2c, signed by the issuer
    const tbsParts = children(children(readDer(ee.der)).next())
      .rest()
      .map((e) => e.bytes);
    tbsParts[1] = tlv(0x02, Uint8Array.of(0x00, 0x01, 0x2c));
    const tbs = sequence(...tbsParts);
    const alg = algorithmIdentifier('ecdsa-with-SHA256');
    const der = sequence(
      tbs,
      alg,
      tlv(0x03, Uint8Array.of(0), signBytes('ecdsa-with-SHA256', tbs, ca.privateKey)),
    );
    expect(codeOf(() => parseCertificate(der))).toBe('CERTIFICATE_MALFORMED');
    // the minimal form under the same signing is fine
    tbsParts[1] = integer(0x012c);
    const ok = sequence(...tbsParts);
    const good = sequence(
      ok,
      alg,
      tlv(0x03, Uint8Array.of(0), signBytes('ecdsa-with-SHA256', ok, ca.privateKey)),
    );
    expect(parseCertificate(good).serialNumber).toBe('012c');
  });

  it('rejects a signature BIT STRING with unused bits', () => {
    const der = resign(ee.der, ca.privateKey, 'ecdsa-with-SHA256', { unusedBits: 3 });
    expect(codeOf(() => parseCertificate(der))).toBe('CERTIFICATE_MALFORMED');
    expect(parseCertificate(resign(ee.der, ca.privateKey, 'ecdsa-with-SHA256')).serialNumber).toBe(
      ee.cert.serialNumber,
    );
  });

  it('the outer signatureAlgorithm must equal the signed one byte for byte (§4.1.1.2)', () => {
    // RSA PKCS #1 v1.5: NULL parameters inside, absent outside — same OID, different bytes
    const der = resign(rsaEe.der, rsaCa.privateKey, 'sha256WithRSAEncryption', {
      outerAlg: sequence(oid(OID.sha256WithRSAEncryption)),
    });
    expect(codeOf(() => parseCertificate(der))).toBe('CERTIFICATE_MALFORMED');
  });

  it('RSASSA-PSS: verification uses the signed parameters, never the unsigned outer ones', () => {
    // Signed with salt 20 while the signed TBS says salt 32: the outer copy says 20 and would verify.
    const signedSays32 = algorithmIdentifier('RSASSA-PSS-SHA256', 32);
    const outerSays20 = sequence(oid(OID.rsassaPss), pssParams('sha256', 20));
    const der = resign(rsaEe.der, rsaCa.privateKey, 'RSASSA-PSS-SHA256', {
      saltLength: 20,
      innerAlg: signedSays32,
      outerAlg: outerSays20,
    });
    expect(codeOf(() => parseCertificate(der))).toBe('CERTIFICATE_MALFORMED');
    // Consistent identifiers saying salt 32 over a salt-20 signature: parsed, and the signature fails.
    const consistent = parseCertificate(
      resign(rsaEe.der, rsaCa.privateKey, 'RSASSA-PSS-SHA256', { saltLength: 20, innerAlg: signedSays32 }),
    );
    const r = validateCertificatePath({ leaf: consistent, trustAnchors: [rsaCa.cert], now: NOW });
    expect(r.failure?.code).toBe('PATH_SIGNATURE');
    // and salt 32 as signed and stated verifies
    const good = parseCertificate(
      resign(rsaEe.der, rsaCa.privateKey, 'RSASSA-PSS-SHA256', { saltLength: 32 }),
    );
    expect(validateCertificatePath({ leaf: good, trustAnchors: [rsaCa.cert], now: NOW }).ok).toBe(true);
  });

  it('rejects a BOOLEAN other than 00 / FF (X.690 §11.1)', () => {
    const der = new Uint8Array(ee.der);
    // basicConstraints is critical: 01 01 ff → 01 01 01
    const at = Buffer.from(der).indexOf(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff]));
    expect(at).toBeGreaterThan(0);
    der[at + 7] = 0x01;
    expect(codeOf(() => parseCertificate(der))).toBe('CERTIFICATE_MALFORMED');
  });
});

describe('CRLs (RFC 5280 §5.1: DER)', () => {
  const crl = createCrl({
    issuer: { certificate: ca.cert, privateKey: ca.privateKey },
    thisUpdate: new Date('2025-05-01T00:00:00Z'),
    nextUpdate: new Date('2025-07-01T00:00:00Z'),
    crlNumber: 1,
    entries: [{ serialNumber: '05', revocationDate: new Date('2025-04-01T00:00:00Z') }],
  });

  it('rejects BER lengths and unused signature bits', () => {
    expect(parseCrl(crl).entries).toHaveLength(1);
    expect(codeOf(() => parseCrl(longLength(crl)))).toBe('CRL_MALFORMED');
    expect(codeOf(() => parseCrl(indefinite(crl)))).toBe('CRL_MALFORMED');
    expect(codeOf(() => parseCrl(resign(crl, ca.privateKey, 'ecdsa-with-SHA256', { unusedBits: 1 })))).toBe(
      'CRL_MALFORMED',
    );
  });

  it('the outer signatureAlgorithm must equal the signed one byte for byte (§5.1.1.2)', () => {
    const rsaCrl = createCrl({
      issuer: { certificate: rsaCa.cert, privateKey: rsaCa.privateKey },
      thisUpdate: new Date('2025-05-01T00:00:00Z'),
      nextUpdate: new Date('2025-07-01T00:00:00Z'),
      crlNumber: 1,
      entries: [],
    });
    const der = resign(rsaCrl, rsaCa.privateKey, 'sha256WithRSAEncryption', {
      outerAlg: sequence(oid(OID.sha256WithRSAEncryption)),
    });
    expect(codeOf(() => parseCrl(der))).toBe('CRL_MALFORMED');
  });
});

describe('OCSP responses (RFC 6960 §4.2.1: DER)', () => {
  const holder = leaf('CN=Encoding OCSP Holder', ca, { serialNumber: '0d01' });
  const T = new Date('2025-06-01T00:00:00Z');
  const der = goodOcspResponse(holder, ca, T);
  const opts = { certificate: holder.cert, issuerCertificate: ca.cert, now: NOW };

  it('rejects BER lengths outside and inside the BasicOCSPResponse, and unused signature bits', () => {
    expect(verifyOcspResponse(der, opts).status).toBe('good');
    expect(codeOf(() => parseOcspResponse(longLength(der)))).toBe('OCSP_MALFORMED');
    expect(codeOf(() => parseOcspResponse(indefinite(der)))).toBe('OCSP_MALFORMED');
    const unused = resignOcsp(der, ca.privateKey, 'ecdsa-with-SHA256', { unusedBits: 2 });
    expect(codeOf(() => parseOcspResponse(unused))).toBe('OCSP_MALFORMED');
    const v = verifyOcspResponse(unused, opts);
    expect(v.status).toBe('unusable');
    expect(v.checks.find((c) => c.id === 'ocsp.decode')?.status).toBe('failed');
  });
});

describe('CMS (read as DER; BER only when asked for)', () => {
  const signer = leaf('CN=Encoding CMS Signer', ca, {
    extensions: [{ type: 'keyUsage', usages: ['digitalSignature'] }],
  });
  ossl.write('signer.pem', signer.pem);
  ossl.write('signer.key', signer.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  ossl.write('content.txt', 'streamed');

  it('a streamed (indefinite-length) SignedData is rejected by default, read with allowBer', () => {
    ossl.ok([
      'cms',
      '-sign',
      '-binary',
      '-nodetach',
      '-stream',
      '-in',
      'content.txt',
      '-signer',
      'signer.pem',
      '-inkey',
      'signer.key',
      '-md',
      'sha256',
      '-outform',
      'DER',
      '-out',
      'stream.der',
    ]);
    const der = new Uint8Array(fs.readFileSync(ossl.path('stream.der')));
    expect(der[1]).toBe(0x80);
    expect(codeOf(() => parseCms(der))).toBe('CMS_MALFORMED');
    const v = verifyCmsSignature(der, { trustAnchors: [ca.cert], now: NOW });
    expect(v.checks.find((c) => c.id === 'cms.decode')?.status).toBe('failed');
    expect(v.checks.find((c) => c.id === 'cms.decode')?.detail).toContain('DER');
    const ber = verifyCmsSignature(der, { trustAnchors: [ca.cert], now: NOW, allowBer: true });
    expect(ber.verdict, JSON.stringify(ber.checks)).toBe('valid');
  });

  it('CMSAlgorithmProtection (RFC 6211) must name the SignerInfo algorithms', () => {
    // RFC 6211 §3: the algorithms the SignerInfo names outside the signature must be those signed here.
    const rsaSigner = leaf('CN=Encoding CMS RSA Signer', rsaCa, {
      keys: keysFor('encoding-cms-rsa', 'RSA-2048'),
      extensions: [{ type: 'keyUsage', usages: ['digitalSignature'] }],
    });
    const content = new TextEncoder().encode('protected');
    const der = signCms({
      content,
      detached: false,
      signer: { certificate: rsaSigner.cert, privateKey: rsaSigner.privateKey },
      signingTime: new Date('2025-06-01T00:00:00Z'),
      algorithmProtection: true,
    });
    const si = parseCms(der).signers[0]!;
    expect(si.signedAttributes.some((a) => a.type === '1.2.840.113549.1.9.52')).toBe(true);
    expect(verifyCmsSignature(der, { trustAnchors: [rsaCa.cert], now: NOW }).verdict).toBe('valid');
    // rsaEncryption → sha256WithRSAEncryption in the (unsigned) SignerInfo: the same signature would
    // verify, but the signed attribute names rsaEncryption
    const rsaEnc = sequence(oid(OID.rsaEncryption), nullValue());
    const at = Buffer.from(der).lastIndexOf(Buffer.from(rsaEnc));
    expect(at).toBeGreaterThan(0);
    const swapped = new Uint8Array(der);
    swapped.set(sequence(oid(OID.sha256WithRSAEncryption), nullValue()), at);
    const v = verifyCmsSignature(swapped, { trustAnchors: [rsaCa.cert], now: NOW });
    expect(v.verdict).toBe('invalid');
    expect(v.checks.find((c) => c.id === 'cms.signature')?.detail).toContain('CMSAlgorithmProtection');
  });
});
