/**
 * The platform's key attestation (OpenID4VCI 1.0 Appendix D.1): on a real phone the OS vouches for a key
 * (an Android key attestation certificate chain to Google's roots, an iOS App Attest statement), and a
 * wallet provider turns that into a key attestation JWT. In the sandbox the environment hands the secure
 * area an attestation signer certified by the sandbox's platform attestation CA (issuer
 * `hierarchy.attestation.ca`), and the issuer trusts its roots.
 *
 * Appendix D.2 levels: the issuer requires `key_storage` and `user_authentication` of at least
 * `iso_18045_moderate` (services/issuer: REQUIRED_KEY_STORAGE, KEY_ATTESTATIONS_REQUIRED). What the
 * sandbox claims is configuration [I]: a software store claims what the sandbox platform is set to claim,
 * in a sandbox that certifies nothing outside itself.
 */
import type { KeyObject } from 'node:crypto';
import { createCertificateWithSigner, type CertificateSigner, type Certificate } from '@mynakit/pki';
import { generateKeyPairSync } from 'node:crypto';
import type { JwsSigner } from '@mynakit/oid4vci';

/** Appendix D.2 level the sandbox platform claims by default for key storage and user authentication. */
export const SANDBOX_ATTESTATION_LEVEL = 'iso_18045_moderate';

/** The platform's attestation signer, given by the environment. */
export interface PlatformAttestation {
  /** The attester's private key (certificate `x5c[0]`), or a signer holding it. */
  readonly key: KeyObject | JwsSigner;
  /** The attester's chain, leaf first (DER). */
  readonly x5c: readonly Uint8Array[];
  /** `key_storage` values (default [SANDBOX_ATTESTATION_LEVEL]). */
  readonly keyStorage?: readonly string[];
  /** `user_authentication` values for keys with a policy (default [SANDBOX_ATTESTATION_LEVEL]). */
  readonly userAuthentication?: readonly string[];
}

/** The attestation CA the sandbox attester is certified by (issuer `hierarchy.attestation.ca`). */
export interface AttestationCa {
  readonly certificate: Certificate;
  readonly der: Uint8Array;
  readonly signer: CertificateSigner;
}

/**
 * A sandbox platform attester: a fresh P-256 key certified by the sandbox attestation CA for the CA's own
 * validity, its chain `[leaf, CA]`. The sandbox environment makes one per phone platform.
 */
export async function sandboxPlatformAttestation(ca: AttestationCa): Promise<PlatformAttestation> {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const leaf = await createCertificateWithSigner({
    subject: 'C=JP, O=mynakit sandbox, CN=Sandbox phone platform key attester',
    issuer: { certificate: ca.certificate, signer: ca.signer },
    publicKey: pair.publicKey,
    notBefore: ca.certificate.notBefore,
    notAfter: ca.certificate.notAfter,
    extensions: [
      { type: 'basicConstraints', ca: false, critical: true },
      { type: 'keyUsage', usages: ['digitalSignature'], critical: true },
    ],
  });
  return { key: pair.privateKey, x5c: [leaf, ca.der] };
}
