/**
 * Where the issuer's signing keys live. Every CA, document signer, status-list signer and OCSP responder
 * key of the service is named, created and used through this interface, and never leaves it: the service
 * asks for signatures and public keys only (ARCHITECTURE.md rule 7 — one key-source abstraction shared by
 * every instance). The sandbox keeps keys in encrypted files (encrypted-file-key-source.ts); a deployment
 * implements the same three calls over an HSM or a cloud KMS (README.md, "Signing keys").
 */
import type { KeyObject } from 'node:crypto';
import type { CertificateSigner, SigningAlgorithm } from '@mynakit/pki';
import { IssuerError } from '../errors.js';

/** The kinds of key the issuer uses: P-256 for mdoc (ISO/IEC 18013-5 §9.1.5), RSA-2048 for JPKI. */
export type IssuerKeySpec = { readonly kind: 'ec-p256' } | { readonly kind: 'rsa-2048' };

/** A store of named private keys that signs with them and never hands them out. */
export interface KeySource {
  /**
   * Creates the named key if it does not exist yet (idempotent, safe when two instances race: both end
   * with the one key the winner stored); returns its public key. An existing key of another spec is
   * ISSUER_KEY_SPEC_MISMATCH.
   */
  ensureKey(name: string, spec: IssuerKeySpec): Promise<KeyObject>;
  /** The public key, or undefined when no such key exists. */
  publicKey(name: string): Promise<KeyObject | undefined>;
  /**
   * Signs `data` (the whole message; the key source hashes it) with the named key under `algorithm`.
   * ECDSA signatures are DER Ecdsa-Sig-Value (the X.509 / CMS form, RFC 5758 §3.2): a COSE user converts
   * them to IEEE P1363 r‖s itself. ISSUER_KEY_NOT_FOUND for an unknown name,
   * ISSUER_KEY_ALGORITHM_MISMATCH when the key cannot sign with `algorithm`.
   */
  sign(name: string, data: Uint8Array, algorithm: SigningAlgorithm): Promise<Uint8Array>;
}

/** Key names: short, lowercase, safe as a file name and as a KMS alias. */
export const KEY_NAME_PATTERN = /^[a-z0-9-]{1,64}$/;

/** Throws ISSUER_KEY_INVALID_NAME unless `name` matches KEY_NAME_PATTERN. */
export function assertKeyName(name: string): void {
  if (typeof name !== 'string' || !KEY_NAME_PATTERN.test(name))
    throw new IssuerError('ISSUER_KEY_INVALID_NAME', 'key names are 1 to 64 characters of a-z, 0-9 and -');
}

/** The signature algorithm the issuer uses with each kind of key (SHA-256 for both). */
export function signingAlgorithmFor(spec: IssuerKeySpec): SigningAlgorithm {
  return spec.kind === 'ec-p256' ? 'ecdsa-with-SHA256' : 'sha256WithRSAEncryption';
}

/**
 * A @mynakit/pki CertificateSigner (certificates, and anything else signed as DER) over one named key of
 * a KeySource.
 */
export function keySourceSigner(
  keys: KeySource,
  name: string,
  algorithm: SigningAlgorithm,
): CertificateSigner {
  assertKeyName(name);
  return { algorithm, sign: (data) => keys.sign(name, data, algorithm) };
}
