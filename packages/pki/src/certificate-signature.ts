/**
 * Checks a certificate's signature (RFC 5280 §6.1.3 (a)(1)) under its issuer's key.
 *
 * Results are remembered with the certificate's view, per issuer fingerprint: the same document-signer
 * certificate under the same IACA is met in every mdoc, and a signature check costs far more than the
 * lookup. A view stands for its exact bytes (parseCertificate caches views by SHA-256 fingerprint) and
 * the issuer is named by its fingerprint, so a remembered answer can never be reused for different
 * bytes. The memory lives as long as the view, and each view remembers a bounded number of issuers.
 *
 * The signature policy (SHA-1 refused unless allowed) is applied before the memory is consulted, so an
 * answer remembered under a more permissive policy never leaks into a stricter one.
 */
import { refusedSignature, type SignaturePolicy, verifySignature } from './algorithm.js';
import { type Certificate, checkedSignature, rememberSignature } from './certificate.js';
import { PkiError } from './errors.js';

export interface SignatureCheck {
  readonly valid: boolean;
  /** Why it could not be checked (unsupported algorithm or key, or refused by the policy). */
  readonly unsupported?: string;
  /** Set when the policy refused the algorithm (SHA-1). */
  readonly weak?: true;
}

export function checkCertificateSignature(
  cert: Certificate,
  issuer: Certificate,
  policy?: SignaturePolicy,
): SignatureCheck {
  if (policy?.allowSha1 !== true) {
    const refused = refusedSignature(cert.signatureAlgorithm, undefined, policy);
    if (refused !== undefined) return { valid: false, unsupported: refused, weak: true };
  }
  const known = checkedSignature(cert, issuer.fingerprint256);
  if (known !== undefined) return known ? VALID : INVALID;
  let valid: boolean;
  try {
    valid = verifySignature(
      cert.signatureAlgorithm,
      cert.tbsDer,
      cert.signatureValue,
      issuer.publicKey,
      undefined,
      {
        allowSha1: true,
      },
    );
  } catch (e) {
    if (e instanceof PkiError) return { valid: false, unsupported: e.message };
    throw e;
  }
  rememberSignature(cert, issuer.fingerprint256, valid);
  return valid ? VALID : INVALID;
}

const VALID: SignatureCheck = Object.freeze({ valid: true });
const INVALID: SignatureCheck = Object.freeze({ valid: false });

/** True when `cert` is signed by `issuer`'s key (SHA-1 signatures only with `allowSha1`). */
export function isSignedBy(cert: Certificate, issuer: Certificate, policy?: SignaturePolicy): boolean {
  return checkCertificateSignature(cert, issuer, policy).valid;
}
