/**
 * The JPKI builders sign through a CertificateSigner (an HSM, a KMS, an encrypted key store) with the
 * same extension lists as with a key in hand: RSA PKCS #1 v1.5 is deterministic, so the certificates must
 * be identical byte for byte.
 */
import { generateKeyPairSync } from 'node:crypto';
import { type CertificateSigner, keyObjectSigner, parseCertificate } from '@mynakit/pki';
import { describe, expect, it } from 'vitest';
import {
  composeName,
  createJpkiCaCertificate,
  createJpkiCaCertificateWithSigner,
  createSignatureCertificate,
  createSignatureCertificateWithSigner,
  createUserAuthenticationCertificate,
  createUserAuthenticationCertificateWithSigner,
  encodeBasicFour,
  JpkiError,
} from '../src/index.js';

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const caKey = rsa();
const leafKey = rsa();
const notBefore = new Date('2026-01-01T00:00:00Z');
const notAfter = new Date('2030-01-01T00:00:00Z');
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** Answers asynchronously, as a remote key service does. */
const remote = (inner: CertificateSigner): CertificateSigner => ({
  algorithm: inner.algorithm,
  sign: async (tbs) => {
    await new Promise((r) => setTimeout(r, 1));
    return inner.sign(tbs);
  },
});
const signer = remote(keyObjectSigner(caKey.privateKey));

const caOptions = {
  purpose: 'signature' as const,
  publicKey: caKey.publicKey,
  serialNumber: '01',
  notBefore,
  notAfter,
};
const ca = createJpkiCaCertificate({ ...caOptions, privateKey: caKey.privateKey });

describe('JPKI builders with a CertificateSigner', () => {
  it('write the same CA certificate', async () => {
    expect(same(await createJpkiCaCertificateWithSigner({ ...caOptions, signer }), ca)).toBe(true);
  });

  it('write the same signature certificate', async () => {
    const o = {
      publicKey: leafKey.publicKey,
      basicFour: encodeBasicFour({
        name: composeName('番号', '花子'),
        address: '東京都千代田区霞が関１－２－３',
        birthDate: { year: 1990, month: 1, day: 2 },
        sex: 'female',
      }),
      subject: [
        ['C', 'JP'],
        ['L', 'Chiyoda-ku'],
        ['CN', '0123456789ABCDEFGHIJKLM'],
      ] as const,
      serialNumber: '1001',
      notBefore,
      notAfter,
    };
    const withKey = createSignatureCertificate({
      ...o,
      issuer: { certificate: ca, privateKey: caKey.privateKey },
    });
    const withSigner = await createSignatureCertificateWithSigner({
      ...o,
      issuer: { certificate: ca, signer },
    });
    expect(same(withSigner, withKey)).toBe(true);
    expect(parseCertificate(withSigner).subject).toBe('C=JP, L=Chiyoda-ku, CN=0123456789ABCDEFGHIJKLM');
  });

  it('write the same user-authentication certificate', async () => {
    const o = {
      publicKey: leafKey.publicKey,
      userId: 'ABCDEFGHIJKLMNOPQRSTUVW',
      crlPartition: { prefecture: 'Tokyo-to', municipality: 'Chiyoda-ku' },
      serialNumber: '1002',
      notBefore,
      notAfter,
    };
    const withKey = createUserAuthenticationCertificate({
      ...o,
      issuer: { certificate: ca, privateKey: caKey.privateKey },
    });
    const withSigner = await createUserAuthenticationCertificateWithSigner({
      ...o,
      issuer: { certificate: ca, signer },
    });
    expect(same(withSigner, withKey)).toBe(true);
  });

  it('refuse a signer of another algorithm than sha256WithRSAEncryption (INVALID_ARGUMENT)', async () => {
    const pss: CertificateSigner = { algorithm: 'RSASSA-PSS-SHA256', sign: signer.sign };
    const err = await createJpkiCaCertificateWithSigner({ ...caOptions, signer: pss }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(JpkiError);
    expect((err as JpkiError).code).toBe('INVALID_ARGUMENT');
  });
});
