/**
 * Checks a certificate's signature (RFC 5280 §6.1.3 (a)(1)) under its issuer's key.
 *
 * Results are remembered in a bounded LRU keyed by both fingerprints: the same document-signer
 * certificate under the same IACA is met in every mdoc, and a signature check costs far more than the
 * lookup. Both certificates are identified by the SHA-256 of their exact bytes, so a cached answer can
 * never be reused for different bytes.
 */
import { verifySignature } from './algorithm.js';
import type { Certificate } from './certificate.js';
import { PkiError } from './errors.js';
import { LruCache } from './lru.js';

const cache = new LruCache<string, boolean>(8192);

export interface SignatureCheck {
  readonly valid: boolean;
  /** Why it could not be checked (unsupported algorithm or key), when that is the reason. */
  readonly unsupported?: string;
}

export function checkCertificateSignature(cert: Certificate, issuer: Certificate): SignatureCheck {
  const key = `${cert.fingerprint256}:${issuer.fingerprint256}`;
  const hit = cache.get(key);
  if (hit !== undefined) return { valid: hit };
  let valid: boolean;
  try {
    valid = verifySignature(cert.signatureAlgorithm, cert.tbsDer, cert.signatureValue, issuer.publicKey);
  } catch (e) {
    if (e instanceof PkiError) return { valid: false, unsupported: e.message };
    throw e;
  }
  cache.set(key, valid);
  return { valid };
}

/** True when `cert` is signed by `issuer`'s key. */
export function isSignedBy(cert: Certificate, issuer: Certificate): boolean {
  return checkCertificateSignature(cert, issuer).valid;
}
