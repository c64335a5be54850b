import { afterAll, describe, expect, it } from 'vitest';
import {
  type CertificateSigner,
  createCsr,
  createCsrWithSigner,
  derToPem,
  generateKeyPair,
  keyObjectSigner,
  PkiError,
  parseCsr,
  spkiOf,
} from '../src/index.js';
import { OpensslDir } from './helpers/openssl.js';

// A request signed through a CertificateSigner (a phone's secure area, an HSM) is the request createCsr
// writes with the key in hand — one CertificationRequestInfo builder — and OpenSSL verifies it.

const ossl = new OpensslDir();
afterAll(() => ossl.cleanup());

describe('createCsrWithSigner', () => {
  const rsa = generateKeyPair('RSA-2048');
  const ec = generateKeyPair('P-256');
  const extensions = [{ type: 'keyUsage' as const, usages: ['digitalSignature' as const] }];

  it('writes the bytes createCsr writes for an RSA key (PKCS #1 v1.5 is deterministic)', async () => {
    const withKey = createCsr({ subject: 'CN=phone key', privateKey: rsa.privateKey, extensions });
    const withSigner = await createCsrWithSigner({
      subject: 'CN=phone key',
      publicKey: spkiOf(rsa.publicKey),
      extensions,
      signer: keyObjectSigner(rsa.privateKey),
    });
    expect(Buffer.from(withSigner).equals(Buffer.from(withKey))).toBe(true);
  });

  it('produces requests OpenSSL verifies, for RSA and ECDSA keys', async () => {
    for (const [name, pair] of [
      ['rsa', rsa],
      ['ec', ec],
    ] as const) {
      const der = await createCsrWithSigner({
        subject: `CN=${name}`,
        publicKey: pair.publicKey,
        signer: keyObjectSigner(pair.privateKey),
      });
      expect(parseCsr(der).signatureValid).toBe(true);
      ossl.write(`${name}.csr`, derToPem(der, 'CERTIFICATE REQUEST'));
      const r = ossl.run(['req', '-in', `${name}.csr`, '-verify', '-noout']);
      expect(r.stderr + r.stdout).toMatch(/verify OK|Certificate request self-signature verify OK/);
    }
  });

  it('refuses a signer answering with another key, or with r||s for ECDSA (INVALID_ARGUMENT)', async () => {
    const other = generateKeyPair('RSA-2048');
    const p1363: CertificateSigner = {
      algorithm: 'ecdsa-with-SHA256',
      sign: async (data) => {
        const { sign } = await import('node:crypto');
        return new Uint8Array(sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }));
      },
    };
    for (const [publicKey, signer] of [
      [rsa.publicKey, keyObjectSigner(other.privateKey)],
      [ec.publicKey, p1363],
    ] as const) {
      const attempt = createCsrWithSigner({ subject: 'CN=x', publicKey, signer });
      await expect(attempt).rejects.toBeInstanceOf(PkiError);
      await expect(attempt).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });
});
