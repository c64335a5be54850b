import { sign as nodeSign } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CertificateSigner,
  createCertificate,
  createCertificateWithSigner,
  derToPem,
  type ExtensionInput,
  generateKeyPair,
  keyObjectSigner,
  PkiError,
  parseCertificate,
  validateCertificatePath,
} from '../src/index.js';
import { epochSeconds, OpensslDir } from './helpers/openssl.js';

// A certificate signed through a CertificateSigner (a key held by a KMS, an HSM or an encrypted store)
// must be the certificate createCertificate writes with the key in hand: one TBSCertificate builder.

const ossl = new OpensslDir();
afterAll(() => ossl.cleanup());

const NOT_BEFORE = new Date('2025-01-01T00:00:00Z');
const NOT_AFTER = new Date('2035-01-01T00:00:00Z');
const NOW = new Date('2026-01-01T00:00:00Z');
const caExtensions: ExtensionInput[] = [
  { type: 'basicConstraints', ca: true },
  { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
];
const leafExtensions: ExtensionInput[] = [
  { type: 'basicConstraints', ca: false },
  { type: 'keyUsage', usages: ['digitalSignature'] },
];

/** A signer that only exposes an asynchronous sign(), as a remote key service would. */
function remote(inner: CertificateSigner): CertificateSigner & { calls: number } {
  const s = {
    algorithm: inner.algorithm,
    calls: 0,
    async sign(tbs: Uint8Array) {
      s.calls++;
      await new Promise((r) => setTimeout(r, 1));
      return inner.sign(tbs);
    },
  };
  return s;
}

const rsaRoot = generateKeyPair('RSA-2048');
const ecRoot = generateKeyPair('P-256');
const leafKeys = generateKeyPair('P-256');

function opensslVerify(anchor: Uint8Array, leaf: Uint8Array): { ok: boolean; out: string } {
  const r = ossl.run([
    'verify',
    '-attime',
    epochSeconds(NOW),
    '-CAfile',
    ossl.write(`anchor-${Math.random()}.pem`, derToPem(anchor)),
    ossl.write(`leaf-${Math.random()}.pem`, derToPem(leaf)),
  ]);
  return { ok: r.status === 0 && r.stdout.includes(': OK'), out: r.stdout + r.stderr };
}

describe('createCertificateWithSigner', () => {
  it('writes byte for byte what createCertificate writes (RSA PKCS #1 v1.5 is deterministic)', async () => {
    const common = {
      subject: 'CN=Signer Root, O=mynakit, C=JP',
      publicKey: rsaRoot.publicKey,
      serialNumber: '1234',
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      extensions: caExtensions,
    };
    const withKey = createCertificate({ ...common, privateKey: rsaRoot.privateKey });
    const signer = remote(keyObjectSigner(rsaRoot.privateKey));
    const withSigner = await createCertificateWithSigner({ ...common, signer });
    expect(signer.calls).toBe(1);
    expect(Buffer.from(withSigner).equals(Buffer.from(withKey))).toBe(true);
  });

  it('issues an ECDSA chain that OpenSSL and our path validation accept, with the same TBS as the key path', async () => {
    const rootSigner = remote(keyObjectSigner(ecRoot.privateKey));
    const root = await createCertificateWithSigner({
      subject: 'CN=EC Signer Root, O=mynakit, C=JP',
      publicKey: ecRoot.publicKey,
      signer: rootSigner,
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      extensions: caExtensions,
    });
    const common = {
      subject: 'CN=Leaf, C=JP',
      publicKey: leafKeys.publicKey,
      serialNumber: '0abc',
      notBefore: NOT_BEFORE,
      notAfter: new Date('2027-01-01T00:00:00Z'),
      extensions: leafExtensions,
    };
    const leaf = await createCertificateWithSigner({
      ...common,
      issuer: { certificate: root, signer: rootSigner },
    });
    const sameWithKey = createCertificate({
      ...common,
      issuer: { certificate: root, privateKey: ecRoot.privateKey },
    });
    const a = parseCertificate(leaf);
    const b = parseCertificate(sameWithKey);
    expect(Buffer.from(a.tbsDer).equals(Buffer.from(b.tbsDer))).toBe(true);
    expect(a.signatureAlgorithm.name).toBe('ecdsa-with-SHA256');

    const path = validateCertificatePath({
      leaf: a,
      trustAnchors: [parseCertificate(root)],
      now: NOW,
    });
    expect(path.ok, JSON.stringify(path.checks)).toBe(true);
    const v = opensslVerify(root, leaf);
    expect(v.ok, v.out).toBe(true);
  });

  it('refuses an ECDSA signature in IEEE P1363 form (r‖s) instead of DER', async () => {
    const p1363: CertificateSigner = {
      algorithm: 'ecdsa-with-SHA256',
      sign: async (tbs) =>
        new Uint8Array(nodeSign('sha256', tbs, { key: ecRoot.privateKey, dsaEncoding: 'ieee-p1363' })),
    };
    const err = await createCertificateWithSigner({
      subject: 'CN=P1363, C=JP',
      publicKey: ecRoot.publicKey,
      signer: p1363,
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PkiError);
    expect((err as PkiError).code).toBe('INVALID_ARGUMENT');
  });

  it("refuses a signature by a key other than the issuer's", async () => {
    const root = createCertificate({
      subject: 'CN=Root, C=JP',
      publicKey: ecRoot.publicKey,
      privateKey: ecRoot.privateKey,
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      extensions: caExtensions,
    });
    const err = await createCertificateWithSigner({
      subject: 'CN=Leaf, C=JP',
      publicKey: leafKeys.publicKey,
      issuer: { certificate: root, signer: keyObjectSigner(leafKeys.privateKey) },
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
    }).catch((e: unknown) => e);
    expect((err as PkiError).code).toBe('INVALID_ARGUMENT');
  });

  it('needs a signer for a self-signed certificate, and a key that fits the algorithm', async () => {
    const none = await createCertificateWithSigner({
      subject: 'CN=Nobody, C=JP',
      publicKey: ecRoot.publicKey,
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
    }).catch((e: unknown) => e);
    expect((none as PkiError).code).toBe('INVALID_ARGUMENT');
    const mismatch = await keyObjectSigner(ecRoot.privateKey, 'sha256WithRSAEncryption')
      .sign(new Uint8Array(1))
      .catch((e: unknown) => e);
    expect((mismatch as PkiError).code).toBe('UNSUPPORTED_KEY');
  });
});
