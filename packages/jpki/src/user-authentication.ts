import { type Certificate, parseCertificate, subjectAttributesOf } from '@mynakit/pki';
import { type Check, check, type Report, verdictOf } from '@mynakit/report';
import { verifyAuthChallengeSignature } from './auth-challenge.js';
import { checkCertificate, type VerificationProfile } from './certificate-checks.js';
import type { JpkiPolicyConfig } from './profiles.js';
import type { RevocationAnswer, RevocationSource } from './revocation-source.js';

/**
 * Server side of JPKI user authentication (DOMAIN.md §3): verify the holder's signature over the challenge
 * we issued (auth-challenge.ts), the certificate path, its validity, the jpki-auth profile and its
 * revocation status; report the certificate's stable identity for account binding.
 *
 * Checks: `cert.decode`, `auth.signature`, then the certificate checks of certificate-checks.ts
 * (`cert.path`, `cert.validity`, `cert.key_usage`, `cert.policy`, `status.revocation`).
 */
export interface VerifyAuthResponseOptions {
  /** The challenge this server issued (never one the client sends back). */
  readonly challenge: Uint8Array;
  readonly signature: Uint8Array;
  readonly certificate: Certificate | Uint8Array | string;
  readonly intermediates?: readonly Certificate[];
  readonly trustAnchors: readonly Certificate[];
  readonly revocation?: readonly RevocationSource[];
  readonly now: Date;
  /** Default `jpki-auth`. */
  readonly profile?: VerificationProfile;
  readonly policies?: JpkiPolicyConfig;
  /** Accept SHA-1 certificate signatures on the path (default false). */
  readonly allowSha1?: boolean;
}

/** What an account is bound to: the issuer and serial identify the certificate; the CN is the holder's opaque id. */
export interface CertificateIdentity {
  readonly issuer: string;
  readonly serialNumber: string;
  readonly subject: string;
  readonly subjectCommonName?: string;
  readonly fingerprint256: string;
  readonly notAfter: Date;
}

export interface AuthVerificationReport extends Report {
  readonly profile: VerificationProfile;
  readonly identity?: CertificateIdentity;
  readonly revocation: readonly RevocationAnswer[];
}

const CN_OID = '2.5.4.3';

export function certificateIdentity(cert: Certificate): CertificateIdentity {
  let cn: string | undefined;
  for (const rdn of subjectAttributesOf(cert))
    for (const a of rdn) if (a.type === CN_OID && a.value !== undefined) cn = a.value;
  return {
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    subject: cert.subject,
    ...(cn !== undefined ? { subjectCommonName: cn } : {}),
    fingerprint256: cert.fingerprint256,
    notAfter: cert.notAfter,
  };
}

/** A certificate from a parsed view, DER bytes, PEM bytes or PEM text. */
export function certificateFrom(input: Certificate | Uint8Array | string): Certificate {
  if (typeof input === 'string') return parseCertificate(input);
  if (input instanceof Uint8Array) {
    const head = new TextDecoder().decode(input.subarray(0, 64));
    return /^\s*-----BEGIN /.test(head)
      ? parseCertificate(new TextDecoder().decode(input))
      : parseCertificate(input);
  }
  return input;
}

export async function verifyAuthResponse(o: VerifyAuthResponseOptions): Promise<AuthVerificationReport> {
  const profile = o.profile ?? 'jpki-auth';
  const checks: Check[] = [];
  let cert: Certificate;
  try {
    cert = certificateFrom(o.certificate);
  } catch (e) {
    checks.push(
      check(
        'cert.decode',
        'failed',
        `the certificate cannot be read: ${e instanceof Error ? e.message : 'malformed'}`,
      ),
    );
    return { verdict: verdictOf(checks), checks, profile, revocation: [] };
  }
  checks.push(check('cert.decode', 'passed', 'certificate decoded'));

  let ok = false;
  try {
    ok = verifyAuthChallengeSignature(o.challenge, o.signature, cert.publicKey);
  } catch (e) {
    checks.push(
      check('auth.signature', 'failed', `cannot verify: ${e instanceof Error ? e.message : 'error'}`),
    );
  }
  if (checks.length === 1) {
    checks.push(
      ok
        ? check(
            'auth.signature',
            'passed',
            'RSA PKCS#1 v1.5 signature over DigestInfo(SHA-256, challenge) verified',
          )
        : check(
            'auth.signature',
            'failed',
            'the signature does not verify over the challenge with the certificate key',
          ),
    );
  }

  const c = await checkCertificate({
    certificate: cert,
    intermediates: o.intermediates ?? [],
    trustAnchors: o.trustAnchors,
    revocation: o.revocation ?? [],
    now: o.now,
    profile,
    ...(o.policies !== undefined ? { policies: o.policies } : {}),
    ...(o.allowSha1 === true ? { allowSha1: true } : {}),
  });
  checks.push(...c.checks);
  return {
    verdict: verdictOf(checks),
    checks,
    profile,
    identity: certificateIdentity(cert),
    revocation: c.revocation,
  };
}
