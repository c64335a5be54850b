/**
 * The context @owf/mdoc 0.6.0 needs to verify an IssuerSigned, built on node:crypto alone — so the oracle
 * shares no COSE or X.509 code with what it checks: X509Certificate for names, keys and the one-step chain
 * from the IACA to the document signer, createPublicKey + verify (IEEE P1363 signatures) for COSE_Sign1.
 * It only verifies; anything that would sign or derive keys throws.
 */
import { createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { CoseKey, type MdocContext } from '@owf/mdoc';

const refuse = (): never => {
  throw new Error('the oracle context only verifies');
};

function fieldsOf(distinguishedName: string, field: string): string[] {
  const out: string[] = [];
  for (const line of distinguishedName.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0 && line.slice(0, at) === field) out.push(line.slice(at + 1));
  }
  return out;
}

/** An MdocContext for @owf/mdoc's Holder.verifyIssuerSigned. */
export const owfOracle: MdocContext = {
  crypto: {
    random: (length) => globalThis.crypto.getRandomValues(new Uint8Array(length)),
    digest: ({ digestAlgorithm, bytes }) =>
      new Uint8Array(createHash(digestAlgorithm.replace('-', '').toLowerCase()).update(bytes).digest()),
    calculateEphemeralMacKey: refuse,
  },
  cose: {
    sign1: {
      sign: refuse,
      verify: ({ sign1, key }) => {
        const publicKey = createPublicKey({ key: key.jwk as never, format: 'jwk' });
        const hash = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' }[
          sign1.signatureAlgorithmName as 'ES256'
        ];
        if (hash === undefined) return false;
        return verify(hash, sign1.toBeSigned, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sign1.signature);
      },
    },
    mac0: { sign: refuse, verify: refuse },
  },
  x509: {
    getIssuerNameField: ({ certificate, field }) => fieldsOf(new X509Certificate(certificate).issuer, field),
    getPublicKey: ({ certificate }) =>
      CoseKey.fromJwk(
        new X509Certificate(certificate).publicKey.export({ format: 'jwk' }) as Record<string, unknown>,
      ),
    verifyCertificateChain: ({ trustedCertificates, x5chain, now }) => {
      const at = now ?? new Date();
      const leaf = new X509Certificate(x5chain[0] as Uint8Array);
      if (!(new Date(leaf.validFrom) <= at && at <= new Date(leaf.validTo)))
        throw new Error('the document signer is outside its validity');
      for (const trusted of trustedCertificates) {
        const anchor = new X509Certificate(trusted);
        if (leaf.checkIssued(anchor) && leaf.verify(anchor.publicKey)) return;
      }
      throw new Error('the document signer does not chain to a trusted certificate');
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
