/**
 * A received smartphone JPKI certificate is checked before the phone keeps it: it must certify the phone's
 * own secure-area key, and — when the phone is configured with the JPKI CAs it trusts — chain to one of
 * them and follow its profile (DOMAIN.md §3: the signature certificate's keyUsage digitalSignature +
 * nonRepudiation, its critical policy and the basic four; the user-authentication certificate's
 * digitalSignature, clientAuth and critical policy). A certificate from the wrong CA, with the other
 * purpose's profile or expired would fail every relying party later; the phone refuses it at once, with
 * the failed check ids (@mynakit/jpki checkCertificate) named. Revocation is not asked here: a certificate
 * issued a moment ago is not revoked, and the phone has no OCSP access of its own.
 */
import type { KeyObject } from 'node:crypto';
import { checkCertificate, type JpkiPolicyConfig } from '@mynakit/jpki';
import { type Certificate, parseCertificate } from '@mynakit/pki';
import { WalletError } from '../errors.js';

/** The JPKI CAs a phone trusts for its own certificates, and the policies it expects. */
export interface JpkiTrust {
  /** The signature and user-authentication CAs (every current generation), DER. */
  readonly trustAnchors: readonly Uint8Array[];
  /** Policy OIDs of the deployment (the sandbox's own, or J-LIS's); @mynakit/jpki's defaults otherwise. */
  readonly policies?: JpkiPolicyConfig;
}

/** What was checked: the parsed certificate. */
export interface ReceivedJpkiCertificate {
  readonly certificate: Certificate;
}

/**
 * Checks one received certificate (`purpose` sign or auth) against the phone's key and, with `trust`,
 * against the CAs and the profile. WALLET_ISSUER_RESPONSE names what failed; nothing is stored here.
 */
export async function verifyReceivedJpkiCertificate(input: {
  readonly der: Uint8Array;
  /** The issuing CA certificate the issuer sent beside it (a path candidate only, never trusted). */
  readonly issuerDer?: Uint8Array;
  readonly purpose: 'sign' | 'auth';
  readonly publicKey: KeyObject | undefined;
  readonly trust?: JpkiTrust;
  readonly now: Date;
}): Promise<ReceivedJpkiCertificate> {
  let certificate: Certificate;
  try {
    certificate = parseCertificate(input.der);
  } catch {
    throw new WalletError('WALLET_ISSUER_RESPONSE', `the ${input.purpose} certificate is unreadable`);
  }
  if (input.publicKey === undefined || !certificate.publicKey.equals(input.publicKey))
    throw new WalletError(
      'WALLET_ISSUER_RESPONSE',
      `the ${input.purpose} certificate does not certify the phone's key`,
    );
  if (input.trust === undefined) return { certificate };
  const intermediates: Certificate[] = [];
  if (input.issuerDer !== undefined) {
    try {
      intermediates.push(parseCertificate(input.issuerDer));
    } catch {
      // An unreadable companion is no path candidate; the path then fails on its own if it was needed.
    }
  }
  const trustAnchors = input.trust.trustAnchors.map((der) => parseCertificate(der));
  const result = await checkCertificate({
    certificate,
    intermediates,
    trustAnchors,
    revocation: [],
    now: input.now,
    profile: input.purpose === 'sign' ? 'jpki-sign' : 'jpki-auth',
    ...(input.trust.policies === undefined ? {} : { policies: input.trust.policies }),
  });
  const failed = result.checks.filter(
    (c) => c.id !== 'status.revocation' && c.status !== 'passed' && c.status !== 'warning',
  );
  if (failed.length > 0)
    throw new WalletError(
      'WALLET_ISSUER_RESPONSE',
      `the ${input.purpose} certificate does not verify (${failed.map((c) => c.id).join(', ')})`,
    );
  return { certificate };
}
