/**
 * Checks a certificate's signature (RFC 5280 §6.1.3 (a)(1)) under its issuer's key.
 *
 * Results are remembered with the certificate's view, per issuer fingerprint: the same document-signer
 * certificate under the same IACA is met in every mdoc, and a signature check costs far more than the
 * lookup. A view stands for its exact bytes (parseCertificate caches views by SHA-256 fingerprint) and
 * the issuer is named by its fingerprint, so a remembered answer can never be reused for different
 * bytes. The memory lives as long as the view, and each view remembers a bounded number of issuers.
 */
import { verifySignature } from './algorithm.js';
import { type Certificate, checkedSignature, rememberSignature } from './certificate.js';
import { PkiError } from './errors.js';

export interface SignatureCheck {
  readonly valid: boolean;
  /** Why it could not be checked (unsupported algorithm or key), when that is the reason. */
  readonly unsupported?: string;
}

export function checkCertificateSignature(cert: Certificate, issuer: Certificate): SignatureCheck {
  const known = checkedSignature(cert, issuer.fingerprint256);
  if (known !== undefined) return known ? VALID : INVALID;
  let valid: boolean;
  try {
    valid = verifySignature(cert.signatureAlgorithm, cert.tbsDer, cert.signatureValue, issuer.publicKey);
  } catch (e) {
    if (e instanceof PkiError) return { valid: false, unsupported: e.message };
    throw e;
  }
  rememberSignature(cert, issuer.fingerprint256, valid);
  return valid ? VALID : INVALID;
}

const VALID: SignatureCheck = Object.freeze({ valid: true });
const INVALID: SignatureCheck = Object.freeze({ valid: false });

/** True when `cert` is signed by `issuer`'s key. */
export function isSignedBy(cert: Certificate, issuer: Certificate): boolean {
  return checkCertificateSignature(cert, issuer).valid;
}
