/**
 * An MdocContext for @owf/mdoc 0.6.0 (test oracle only) built on node:crypto — independent of our
 * COSE and X.509 code: node's X509Certificate for chains, createPublicKey(JWK) + verify for ECDSA,
 * createECDH + hkdfSync for EMacKey.
 */
import {
  createECDH,
  createHash,
  createHmac,
  createPublicKey,
  hkdfSync,
  timingSafeEqual,
  verify,
  X509Certificate,
} from 'node:crypto';
import { CoseKey, type MdocContext } from '@owf/mdoc';

function nameFields(dn: string, field: string): string[] {
  return dn
    .split('\n')
    .map((l) => l.split('='))
    .filter(([k]) => k === field)
    .map(([, ...v]) => v.join('='));
}

const hashName = (alg: string) => alg.replace('-', '').toLowerCase();

export const owfContext: MdocContext = {
  crypto: {
    random: (length) => globalThis.crypto.getRandomValues(new Uint8Array(length)),
    digest: ({ digestAlgorithm, bytes }) =>
      new Uint8Array(createHash(hashName(digestAlgorithm)).update(bytes).digest()),
    calculateEphemeralMacKey: ({ privateKey, publicKey, sessionTranscriptBytes, info }) => {
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(privateKey);
      const shared = ecdh.computeSecret(publicKey);
      const salt = createHash('sha256').update(sessionTranscriptBytes).digest();
      const k = new Uint8Array(hkdfSync('sha256', shared, salt, info, 32));
      return CoseKey.create({ keyType: 4 as never, k });
    },
  },
  cose: {
    sign1: {
      sign: () => {
        throw new Error('the oracle only verifies');
      },
      verify: ({ sign1, key }) => {
        const pub = createPublicKey({ key: key.jwk as never, format: 'jwk' });
        const alg = sign1.signatureAlgorithmName;
        const hash =
          alg === 'ES384' ? 'sha384' : alg === 'ES512' ? 'sha512' : alg === 'EdDSA' ? null : 'sha256';
        return hash === null
          ? verify(null, sign1.toBeSigned, pub, sign1.signature)
          : verify(hash, sign1.toBeSigned, { key: pub, dsaEncoding: 'ieee-p1363' }, sign1.signature);
      },
    },
    mac0: {
      sign: () => {
        throw new Error('the oracle only verifies');
      },
      verify: ({ mac0, key }) => {
        const tag = createHmac('sha256', key.privateKey).update(mac0.toBeAuthenticated).digest();
        return tag.length === mac0.tag.length && timingSafeEqual(tag, mac0.tag);
      },
    },
  },
  x509: {
    getIssuerNameField: ({ certificate, field }) =>
      nameFields(new X509Certificate(certificate).issuer, field),
    getPublicKey: ({ certificate }) =>
      CoseKey.fromJwk(
        new X509Certificate(certificate).publicKey.export({ format: 'jwk' }) as Record<string, unknown>,
      ),
    verifyCertificateChain: ({ trustedCertificates, x5chain, now }) => {
      const at = now ?? new Date();
      const leaf = new X509Certificate(x5chain[0] as Uint8Array);
      const inValidity = (c: X509Certificate) => new Date(c.validFrom) <= at && at <= new Date(c.validTo);
      for (const t of trustedCertificates) {
        const anchor = new X509Certificate(t);
        if (anchor.raw.equals(leaf.raw)) {
          if (!inValidity(leaf)) throw new Error('certificate not valid at the verification time');
          return;
        }
        if (leaf.checkIssued(anchor) && leaf.verify(anchor.publicKey)) {
          if (!inValidity(leaf)) throw new Error('certificate not valid at the verification time');
          return;
        }
      }
      throw new Error('no trusted issuer');
    },
    getCertificateData: ({ certificate }) => {
      const c = new X509Certificate(certificate);
      return {
        issuerName: c.issuer.split('\n').join(', '),
        subjectName: c.subject.split('\n').join(', '),
        serialNumber: c.serialNumber,
        thumbprint: c.fingerprint256.replaceAll(':', '').toLowerCase(),
        notBefore: new Date(c.validFrom),
        notAfter: new Date(c.validTo),
        pem: c.toString(),
      };
    },
  },
};
