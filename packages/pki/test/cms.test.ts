import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Certificate,
  OID,
  parseCertificate,
  parseCms,
  keyObjectSigner,
  type SignCmsOptions,
  signCms,
  signCmsWithSigner,
  verifyCmsSignature,
} from '../src/index.js';
import { issue, keysFor, leaf, NOW, root } from './helpers/chain.js';
import { OpensslDir } from './helpers/openssl.js';

const ossl = new OpensslDir();
afterAll(() => ossl.cleanup());

const ca = root('C=JP, O=JPKI, OU=JPKI for digital signature', { keys: keysFor('cms-ca', 'RSA-2048') });
const signer = leaf('C=JP, L=Tokyo, CN=SIGNER00000000000000001', ca, {
  keys: keysFor('cms-signer', 'RSA-2048'),
  extensions: [
    { type: 'keyUsage', usages: ['digitalSignature', 'nonRepudiation'] },
    { type: 'certificatePolicies', policies: ['1.2.392.200149.8.5.1.1.20'], critical: true },
  ],
});
const ecCa = root('C=JP, O=EC CA', { keys: keysFor('cms-ec-ca', 'P-384') });
const ecSigner = leaf('C=JP, CN=EC Signer', ecCa, { keys: keysFor('cms-ec-signer', 'P-256') });

const caFile = ossl.write('ca.pem', ca.pem + ecCa.pem);
const content = new TextEncoder().encode('申込書: 口座開設\n番号　花子\n');
const SIGNING_TIME = new Date('2026-11-20T10:00:00Z');

function sign(
  o: Partial<SignCmsOptions> = {},
  who: { cert: Certificate; privateKey: import('node:crypto').KeyObject } = signer,
) {
  return signCms({
    content,
    detached: false,
    signer: { certificate: who.cert, privateKey: who.privateKey },
    signingTime: SIGNING_TIME,
    ...o,
  });
}

/** `openssl cms -verify -binary` (purpose any: the test signers are not S/MIME certificates). */
function opensslVerify(
  der: Uint8Array,
  detachedContent?: Uint8Array,
): { ok: boolean; out: Buffer; err: string } {
  const args = [
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    ossl.write('sig.der', der),
    '-CAfile',
    caFile,
    '-purpose',
    'any',
    '-attime',
    String(Math.floor(NOW.getTime() / 1000)),
    '-out',
    ossl.path('out.bin'),
  ];
  if (detachedContent) args.push('-content', ossl.write('content.bin', detachedContent));
  const r = ossl.run(args);
  return {
    ok: r.status === 0,
    out: fs.existsSync(ossl.path('out.bin')) ? fs.readFileSync(ossl.path('out.bin')) : Buffer.alloc(0),
    err: r.stderr,
  };
}

const statusOf = (checks: readonly { id: string; status: string }[], id: string) =>
  checks.find((c) => c.id === id)?.status;

describe('signCms — openssl cms -verify accepts what we write', () => {
  for (const detached of [false, true]) {
    for (const signerIdentifier of ['issuerAndSerialNumber', 'subjectKeyIdentifier'] as const) {
      it(`RSA PKCS#1 v1.5 (JPKI), ${detached ? 'detached' : 'attached'}, ${signerIdentifier}`, () => {
        const der = sign({ detached, signerIdentifier });
        const r = opensslVerify(der, detached ? content : undefined);
        expect(r.ok, r.err).toBe(true);
        expect(r.err).toContain('Verification successful');
        expect(Buffer.compare(r.out, Buffer.from(content))).toBe(0);
        const v = verifyCmsSignature(der, detached ? { content } : {});
        expect(v.verdict, JSON.stringify(v.checks)).toBe('valid');
        expect(v.signingTime?.toISOString()).toBe(SIGNING_TIME.toISOString());
        expect(v.signerCertificate?.fingerprint256).toBe(signer.cert.fingerprint256);
        expect(v.detached).toBe(detached);
      });
    }
  }

  it('ECDSA P-256 with SHA-256 and SHA-384, attached and detached', () => {
    for (const digest of ['SHA-256', 'SHA-384'] as const) {
      for (const detached of [false, true]) {
        const der = sign({ detached, digest }, ecSigner);
        const r = opensslVerify(der, detached ? content : undefined);
        expect(r.ok, r.err).toBe(true);
        expect(verifyCmsSignature(der, detached ? { content } : {}).verdict).toBe('valid');
      }
    }
  });

  it('OpenSSL prints the signed attributes we write (contentType, signingTime, messageDigest)', () => {
    const text = ossl.ok([
      'cms',
      '-cmsout',
      '-print',
      '-inform',
      'DER',
      '-in',
      ossl.write('p.der', sign()),
    ]).stdout;
    expect(text).toContain('contentType');
    expect(text).toContain('signingTime');
    expect(text).toContain('messageDigest');
    expect(text).toContain('Nov 20 10:00:00 2026 GMT');
  });
});

describe('verifyCmsSignature — reaches OpenSSL’s verdict on what OpenSSL writes', () => {
  const d = ossl;
  d.write('signer.pem', signer.pem);
  d.write('signer.key', signer.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  d.write('content.txt', content);

  const cases: [string, string[]][] = [
    ['attached', ['-nodetach']],
    ['detached', []],
    ['attached, subjectKeyIdentifier', ['-nodetach', '-keyid']],
    ['attached, streamed BER (indefinite lengths)', ['-nodetach', '-stream']],
    ['detached, no certificates (-nocerts)', ['-nocerts']],
  ];
  for (const [name, flags] of cases) {
    it(name, () => {
      d.ok([
        'cms',
        '-sign',
        '-binary',
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
        'os.der',
        ...flags,
      ]);
      const der = new Uint8Array(fs.readFileSync(d.path('os.der')));
      const detached = !flags.includes('-nodetach');
      const noCerts = flags.includes('-nocerts');
      const v = verifyCmsSignature(der, {
        ...(detached ? { content } : {}),
        ...(noCerts ? { extraCertificates: [signer.cert] } : {}),
        // streamed CMS is BER: read only when asked for (signed-encoding.test.ts: rejected by default)
        ...(flags.includes('-stream') ? { allowBer: true } : {}),
        trustAnchors: [ca.cert],
        now: NOW,
      });
      expect(v.verdict, JSON.stringify(v.checks)).toBe('valid');
      expect(v.content && Buffer.from(v.content).equals(Buffer.from(content))).toBe(true);
      if (flags.includes('-stream')) expect(der[1]).toBe(0x80); // BER indefinite length really was used
      if (noCerts) {
        const missing = verifyCmsSignature(der, { content });
        expect(statusOf(missing.checks, 'cms.signer')).toBe('failed');
        expect(missing.verdict).toBe('invalid');
      }
    });
  }
});

describe('verifyCmsSignature — negative cases', () => {
  it('tampered content: attached (eContent changed) and detached (other content)', () => {
    const der = sign();
    const i = Buffer.from(der).indexOf(Buffer.from(content));
    const tampered = new Uint8Array(der);
    tampered[i + 2]! ^= 0x01;
    const v = verifyCmsSignature(tampered);
    expect(statusOf(v.checks, 'cms.message_digest')).toBe('failed');
    expect(v.verdict).toBe('invalid');
    expect(opensslVerify(tampered).ok).toBe(false);

    const det = sign({ detached: true });
    const other = new TextEncoder().encode('something else');
    expect(statusOf(verifyCmsSignature(det, { content: other }).checks, 'cms.message_digest')).toBe('failed');
    expect(opensslVerify(det, other).ok).toBe(false);
    // detached without content: cannot be verified
    expect(statusOf(verifyCmsSignature(det).checks, 'cms.content')).toBe('failed');
  });

  it('bad signature value', () => {
    const der = sign();
    const cms = parseCms(der);
    const sig = cms.signers[0]!.signature;
    const at = Buffer.from(der).indexOf(Buffer.from(sig));
    const bad = new Uint8Array(der);
    bad[at + 10]! ^= 0xff;
    const v = verifyCmsSignature(bad);
    expect(statusOf(v.checks, 'cms.signature')).toBe('failed');
    expect(statusOf(v.checks, 'cms.message_digest')).toBe('passed');
    expect(opensslVerify(bad).ok).toBe(false);
  });

  it('expired signer and untrusted CA fail the signer path', () => {
    const der = sign();
    const expired = verifyCmsSignature(der, {
      trustAnchors: [ca.cert],
      now: new Date('2031-01-01T00:00:00Z'),
    });
    expect(statusOf(expired.checks, 'cms.signer_path')).toBe('failed');
    expect(expired.signerPath?.failure?.code).toBe('PATH_EXPIRED');
    expect(statusOf(expired.checks, 'cms.signature')).toBe('passed');
    const untrusted = verifyCmsSignature(der, { trustAnchors: [ecCa.cert], now: NOW });
    expect(untrusted.signerPath?.failure?.code).toBe('PATH_NO_ANCHOR');
    expect(untrusted.verdict).toBe('invalid');
    // OpenSSL agrees on both
    const r1 = ossl.run([
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      ossl.write('e.der', der),
      '-CAfile',
      ossl.write('ec.pem', ecCa.pem),
      '-purpose',
      'any',
      '-attime',
      String(Math.floor(NOW.getTime() / 1000)),
      '-out',
      ossl.path('o2.bin'),
    ]);
    expect(r1.status).not.toBe(0);
    const r2 = ossl.run([
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      ossl.path('e.der'),
      '-CAfile',
      caFile,
      '-purpose',
      'any',
      '-attime',
      String(Math.floor(new Date('2031-01-01T00:00:00Z').getTime() / 1000)),
      '-out',
      ossl.path('o3.bin'),
    ]);
    expect(r2.status).not.toBe(0);
  });

  it('wrong key usage (keyEncipherment only) fails cms.signer_key_usage', () => {
    const encOnly = issue({
      subject: 'C=JP, CN=Encryption Only',
      issuer: ca,
      keys: keysFor('cms-enc-only', 'RSA-2048'),
      extensions: [{ type: 'keyUsage', usages: ['keyEncipherment'] }],
    });
    const der = sign({}, encOnly);
    const v = verifyCmsSignature(der);
    expect(statusOf(v.checks, 'cms.signature')).toBe('passed');
    expect(statusOf(v.checks, 'cms.signer_key_usage')).toBe('failed');
    // OpenSSL's S/MIME signing purpose refuses it too
    const r = ossl.run([
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      ossl.write('ku.der', der),
      '-CAfile',
      caFile,
      '-purpose',
      'smimesign',
      '-attime',
      String(Math.floor(NOW.getTime() / 1000)),
      '-out',
      ossl.path('o4.bin'),
    ]);
    expect(r.status).not.toBe(0);
  });

  it('signer certificate not included and not given; found when given', () => {
    const der = sign({ includeSignerCertificate: false });
    const v = verifyCmsSignature(der);
    expect(statusOf(v.checks, 'cms.signer')).toBe('failed');
    expect(v.checks.find((c) => c.id === 'cms.signer')?.detail).toContain('neither included nor given');
    expect(v.signerCertificate).toBeUndefined();
    expect(verifyCmsSignature(der, { extraCertificates: [signer.cert] }).verdict).toBe('valid');
    // another certificate with the same issuer but another serial does not stand in
    const other = leaf('C=JP, CN=Someone Else', ca, { keys: keysFor('cms-other', 'RSA-2048') });
    expect(statusOf(verifyCmsSignature(der, { extraCertificates: [other.cert] }).checks, 'cms.signer')).toBe(
      'failed',
    );
  });

  it('garbage and non-SignedData fail cms.decode', () => {
    expect(verifyCmsSignature(Uint8Array.of(1, 2, 3)).checks[0]).toMatchObject({
      id: 'cms.decode',
      status: 'failed',
    });
    const notSigned = parseCertificate(ca.der).der;
    expect(verifyCmsSignature(notSigned).checks[0]).toMatchObject({ id: 'cms.decode', status: 'failed' });
  });

  it('parseCms exposes the structure', () => {
    const cms = parseCms(sign({ signerIdentifier: 'subjectKeyIdentifier', certificates: [ca.cert] }));
    expect(cms.version).toBe(3);
    expect(cms.contentType).toBe(OID.data);
    expect(cms.certificates).toHaveLength(2);
    expect(cms.signers[0]?.sid).toEqual({ subjectKeyIdentifier: signer.cert.subjectKeyIdentifier });
    expect(cms.signers[0]?.signatureAlgorithm.name).toBe('rsaEncryption');
    expect(parseCms(sign()).version).toBe(1);
  });
});

describe('a JPKI-style signature whose signer is revoked', () => {
  it('the signature verifies, and both the CRL and OCSP say revoked', async () => {
    const { checkCertificateAgainstCrl, createCrl, createOcspResponse, verifyOcspResponse } = await import(
      '../src/index.js'
    );
    const der = sign({ detached: true });
    const v = verifyCmsSignature(der, { content, trustAnchors: [ca.cert], now: NOW });
    expect(v.verdict).toBe('valid');
    const signerCert = v.signerCertificate!;
    const thisUpdate = new Date(NOW.getTime() - 3_600_000);
    const nextUpdate = new Date(NOW.getTime() + 86_400_000);
    const crl = createCrl({
      issuer: { certificate: ca.cert, privateKey: ca.privateKey },
      thisUpdate,
      nextUpdate,
      crlNumber: 7,
      entries: [
        { serialNumber: signerCert.serialNumber, revocationDate: thisUpdate, reason: 'affiliationChanged' },
      ],
    });
    expect(
      checkCertificateAgainstCrl(crl, { certificate: signerCert, issuerCertificate: ca.cert, now: NOW }),
    ).toMatchObject({
      status: 'revoked',
      reason: 'affiliationChanged',
    });
    const ocsp = createOcspResponse({
      responder: { certificate: ca.cert, privateKey: ca.privateKey },
      producedAt: thisUpdate,
      responses: [
        {
          certificate: signerCert,
          issuerCertificate: ca.cert,
          status: 'revoked',
          revocationTime: thisUpdate,
          reason: 'affiliationChanged',
          thisUpdate,
          nextUpdate,
        },
      ],
    });
    expect(
      verifyOcspResponse(ocsp, { certificate: signerCert, issuerCertificate: ca.cert, now: NOW }),
    ).toMatchObject({
      status: 'revoked',
      reason: 'affiliationChanged',
    });
  });
});

describe('signCmsWithSigner — the same SignedData, signed by a key held elsewhere', () => {
  it('writes byte for byte what signCms writes for the same RSA key (PKCS #1 v1.5 is deterministic)', async () => {
    const viaSigner = await signCmsWithSigner({
      content,
      detached: true,
      signer: { certificate: signer.cert, signer: keyObjectSigner(signer.privateKey) },
      signingTime: SIGNING_TIME,
    });
    expect(Buffer.from(viaSigner).equals(Buffer.from(sign({ detached: true })))).toBe(true);
    expect(opensslVerify(viaSigner, content).ok).toBe(true);
  });

  it('signs with an EC key through its signer, and OpenSSL and our verifier accept it', async () => {
    const der = await signCmsWithSigner({
      content,
      detached: false,
      signer: { certificate: ecSigner.cert, signer: keyObjectSigner(ecSigner.privateKey) },
      signingTime: SIGNING_TIME,
    });
    expect(opensslVerify(der).ok).toBe(true);
    expect(verifyCmsSignature(der, {}).verdict).toBe('valid');
  });

  it('refuses a signer that answers with another key, before anything is returned', async () => {
    const other = keysFor('cms-other-signer', 'RSA-2048');
    await expect(
      signCmsWithSigner({
        content,
        detached: true,
        signer: { certificate: signer.cert, signer: keyObjectSigner(other.privateKey) },
        signingTime: SIGNING_TIME,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      signCmsWithSigner({
        content,
        detached: true,
        signer: {
          certificate: signer.cert,
          signer: { algorithm: 'RSASSA-PSS-SHA256', sign: async () => new Uint8Array(256) },
        },
        signingTime: SIGNING_TIME,
      }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_KEY' });
  });
});
