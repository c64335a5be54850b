/**
 * The signer's key in CMS verification (RFC 5652 §5.6): a certificate read for the first time lends its
 * RSA key as RSAPublicKey bytes for one check, later checks use the certificate's KeyObject. Both ways must
 * reach the same verdicts and the same reasons, whichever comes first.
 */
import { describe, expect, it } from 'vitest';
import { sequence } from '../src/der-writer.js';
import {
  clearCertificateCache,
  createCertificate,
  parseCertificate,
  parseCms,
  signCms,
  verifyCmsSignature,
} from '../src/index.js';
import { keysFor, NOT_AFTER, NOT_BEFORE, root } from './helpers/chain.js';

const ca = root('C=JP, O=CMS key test CA', { keys: keysFor('cms-key-ca', 'RSA-2048') });
const signerKeys = keysFor('cms-key-signer', 'RSA-2048');
const content = new TextEncoder().encode('申込書 1: 口座開設に同意します。');

function signerCertificate(publicKey: Uint8Array | import('node:crypto').KeyObject): Uint8Array {
  return createCertificate({
    subject: 'C=JP, CN=CMS key test signer',
    issuer: { certificate: ca.cert, privateKey: ca.privateKey },
    publicKey,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    extensions: [{ type: 'keyUsage', usages: ['digitalSignature', 'nonRepudiation'] }],
  });
}

const certDer = signerCertificate(signerKeys.publicKey);

function signature(der: Uint8Array): Uint8Array {
  return signCms({
    content,
    detached: false,
    signer: { certificate: parseCertificate(der), privateKey: signerKeys.privateKey },
    signingTime: new Date('2026-06-01T02:00:00Z'),
  });
}

/** The same SignedData with one octet of the signature value flipped. */
function tampered(cms: Uint8Array): Uint8Array {
  const sig = parseCms(cms).signers[0]!.signature;
  const at = Buffer.from(cms).indexOf(Buffer.from(sig));
  const out = new Uint8Array(cms);
  out[at + 17]! ^= 0x40;
  return out;
}

const signatureCheck = (cms: Uint8Array) =>
  verifyCmsSignature(cms).checks.find((c) => c.id === 'cms.signature');

describe('the signer key of a certificate read for the first time', () => {
  const good = signature(certDer);
  const bad = tampered(good);

  it('a good signature verifies on the first reading and again on later ones', () => {
    clearCertificateCache();
    expect(signatureCheck(good)?.status).toBe('passed');
    expect(signatureCheck(good)?.status).toBe('passed');
    expect(signatureCheck(bad)?.status).toBe('failed');
  });

  it('a bad signature fails on the first reading, and the good one still verifies after it', () => {
    clearCertificateCache();
    const first = signatureCheck(bad);
    expect(first?.status).toBe('failed');
    expect(first?.detail).toBe("the signature does not verify under the signer's key");
    expect(signatureCheck(good)?.status).toBe('passed');
    expect(signatureCheck(bad)).toEqual(first);
  });

  it('a signer key that is not an RSAPublicKey gives the same reason on every reading', () => {
    // rsaEncryption with NULL parameters around a BIT STRING holding no RSAPublicKey.
    const spki = Uint8Array.from([
      ...sequence(
        Uint8Array.from([
          0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
        ]),
        Uint8Array.from([0x03, 0x05, 0x00, 0x30, 0x03, 0x02, 0x01, 0x00]),
      ),
    ]);
    const cms = signature(signerCertificate(spki));
    clearCertificateCache();
    const first = signatureCheck(cms);
    expect(first?.status).toBe('failed');
    expect(first?.detail).toBe('the certificate public key is not supported');
    expect(signatureCheck(cms)).toEqual(first);
  });
});
