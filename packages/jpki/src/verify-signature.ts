import { createHash } from 'node:crypto';
import { type Certificate, type CmsVerification, parseCms, verifyCmsSignature } from '@mynakit/pki';
import { type Check, check, type Report, verdictOf } from '@mynakit/report';
import type { BasicFour } from './basic-four.js';
import {
  type CertificateCheckInput,
  type CertificateCheckResult,
  checkCertificate,
  VERIFICATION_PROFILES,
  type VerificationProfile,
} from './certificate-checks.js';
import { JpkiError } from './errors.js';
import type { JpkiPolicyConfig } from './profiles.js';
import type { RevocationAnswer, RevocationSource } from './revocation-source.js';
import { type CertificateIdentity, certificateIdentity } from './user-authentication.js';

/**
 * Verification of a JPKI-signed document: a CMS SignedData (RFC 5652) with signed attributes contentType,
 * messageDigest and signingTime, RSA PKCS#1 v1.5, attached or detached (DOMAIN.md §3).
 *
 * The report has the CMS checks of @mynakit/pki (`cms.decode`, `cms.content`, `cms.signer`,
 * `cms.content_type`, `cms.message_digest`, `cms.signature`, `cms.signer_key_usage`) followed by the
 * certificate checks of certificate-checks.ts (`cert.path`, `cert.validity`, `cert.key_usage`,
 * `cert.policy`, `jpki.basic_four`, `status.revocation`). `cms.decode`, `cms.signature` and
 * `cms.message_digest` are always present (skipped when not reached). When the signer holds a JPKI
 * signature certificate, the decoded basic four are attached to the report (they are the point of the
 * signature method of KYC; details never contain them).
 */
export interface VerifyJpkiSignatureOptions {
  /** CMS SignedData, DER. */
  readonly signature: Uint8Array;
  /** The signed content of a detached signature, as raw bytes. */
  readonly content?: Uint8Array;
  readonly trustAnchors: readonly Certificate[];
  /** Extra certificates (untrusted): signer and path candidates besides those the CMS carries. */
  readonly certificates?: readonly Certificate[];
  /** Revocation sources consulted for the signer certificate. None → `status.revocation` undetermined. */
  readonly revocation?: readonly RevocationSource[];
  readonly now: Date;
  /** Default `x509`. */
  readonly profile?: VerificationProfile;
  readonly policies?: JpkiPolicyConfig;
  /**
   * Accept SHA-1 in the CMS signature and on the certificate path (default false: SHA-1 is refused, as
   * by @mynakit/pki). JPKI itself signs with SHA-256; only old documents need this. Revocation sources
   * take their own `allowSha1`.
   */
  readonly allowSha1?: boolean;
}

export interface SignatureVerificationReport extends Report {
  readonly profile: VerificationProfile;
  readonly signer?: CertificateIdentity;
  readonly signingTime?: Date;
  readonly detached?: boolean;
  readonly contentType?: string;
  readonly basicFour?: BasicFour;
  readonly revocation: readonly RevocationAnswer[];
}

/** Digest OIDs as received in a SignerInfo → node:crypto names: a Map, so no received text reaches a prototype. */
const DIGESTS: ReadonlyMap<string, string> = new Map([
  ['2.16.840.1.101.3.4.2.1', 'sha256'],
  ['2.16.840.1.101.3.4.2.2', 'sha384'],
  ['2.16.840.1.101.3.4.2.3', 'sha512'],
]);

const SHA1: ReadonlyMap<string, string> = new Map([['1.3.14.3.2.26', 'sha1']]);

const ALWAYS = ['cms.decode', 'cms.message_digest', 'cms.signature'] as const;
const CERT_IDS = [
  'cert.path',
  'cert.validity',
  'cert.key_usage',
  'cert.policy',
  'status.revocation',
] as const;

/**
 * Verifies a CMS signature. Never throws for a bad signature (a failed `cms.decode` check instead);
 * throws JpkiError('INVALID_ARGUMENT') naming the option when the options themselves are missing or of
 * the wrong type — the relying party's configuration, never a verdict about the signature.
 */
export async function verifyJpkiSignature(
  o: VerifyJpkiSignatureOptions,
): Promise<SignatureVerificationReport> {
  // The work before and after the one await lives in synchronous helpers: an async function keeps its
  // frame in an object allocated on every call, so it is kept small.
  const { cms, checks } = cmsChecks(o);
  const signer = cms.signerCertificate;
  if (signer === undefined) {
    for (const id of CERT_IDS) checks.push(check(id, 'skipped', 'no signer certificate'));
    return signatureReport(o, cms, checks, undefined);
  }
  return signatureReport(o, cms, checks, await checkCertificate(certificateCheckInput(o, cms, signer)));
}

/** The CMS half: the checks of @mynakit/pki, completed so that the always-present ones are there. */
function cmsChecks(o: VerifyJpkiSignatureOptions): { cms: CmsVerification; checks: Check[] } {
  requireOptions(o);
  const allowSha1 = o.allowSha1 === true;
  const opts: { content?: Uint8Array; extraCertificates?: readonly Certificate[]; allowSha1?: boolean } = {};
  if (o.content !== undefined) opts.content = o.content;
  if (o.certificates !== undefined) opts.extraCertificates = o.certificates;
  if (allowSha1) opts.allowSha1 = allowSha1;
  const cms = verifyCmsSignature(o.signature, opts);
  const checks: Check[] = cms.checks.slice();

  const decoded = !checks.some((c) => c.id === 'cms.decode' && c.status === 'failed');
  if (decoded && !hasCheck(checks, 'cms.message_digest'))
    checks.push(messageDigestWithoutSigner(o.signature, cms.content, allowSha1));
  if (!hasCheck(checks, 'cms.signature')) {
    checks.push(
      decoded
        ? check(
            'cms.signature',
            'failed',
            'the signature cannot be verified: no signer certificate (neither included nor given)',
          )
        : check('cms.signature', 'skipped', 'not reached: the CMS could not be decoded'),
    );
  }
  for (const id of ALWAYS) if (!hasCheck(checks, id)) checks.push(check(id, 'skipped', 'not reached'));
  return { cms, checks };
}

/** What certificate-checks.ts needs: the signer, and the other certificates as path candidates. */
function certificateCheckInput(
  o: VerifyJpkiSignatureOptions,
  cms: CmsVerification,
  signer: Certificate,
): CertificateCheckInput {
  const intermediates: Certificate[] = [];
  for (const x of cms.certificates) if (x.fingerprint256 !== signer.fingerprint256) intermediates.push(x);
  for (const x of o.certificates ?? []) if (x.fingerprint256 !== signer.fingerprint256) intermediates.push(x);
  const input: { -readonly [K in keyof CertificateCheckInput]: CertificateCheckInput[K] } = {
    certificate: signer,
    intermediates,
    trustAnchors: o.trustAnchors,
    revocation: o.revocation ?? [],
    now: o.now,
    profile: o.profile ?? 'x509',
  };
  if (o.policies !== undefined) input.policies = o.policies;
  if (o.allowSha1 === true) input.allowSha1 = true;
  return input;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The report. Optional members are set one by one in the interface's order, `revocation` last (no
 * spreads of conditional objects: each is a builtin call on every verification).
 */
function signatureReport(
  o: VerifyJpkiSignatureOptions,
  cms: CmsVerification,
  checks: Check[],
  cert: CertificateCheckResult | undefined,
): SignatureVerificationReport {
  if (cert !== undefined) for (const c of cert.checks) checks.push(c);
  const signer = cms.signerCertificate;
  const report = {
    verdict: verdictOf(checks),
    checks,
    profile: o.profile ?? 'x509',
  } as Partial<Mutable<SignatureVerificationReport>>;
  if (signer !== undefined) report.signer = certificateIdentity(signer);
  if (cms.signingTime !== undefined) report.signingTime = cms.signingTime;
  if (cms.detached !== undefined) report.detached = cms.detached;
  if (cms.contentType !== undefined) report.contentType = cms.contentType;
  if (cert?.basicFour !== undefined) report.basicFour = cert.basicFour;
  report.revocation = cert?.revocation ?? [];
  return report as SignatureVerificationReport;
}

function invalid(message: string): JpkiError {
  return new JpkiError('INVALID_ARGUMENT', message);
}

/** A parsed certificate (parseCertificate of @mynakit/pki): the fields path validation relies on. */
function isCertificate(c: unknown): c is Certificate {
  if (typeof c !== 'object' || c === null) return false;
  const x = c as Partial<Certificate>;
  return (
    x.der instanceof Uint8Array && typeof x.fingerprint256 === 'string' && x.spkiDer instanceof Uint8Array
  );
}

/** Every element of a configured certificate list is a parsed Certificate (the list is the caller's). */
function requireCertificates(list: unknown, name: string): void {
  if (!Array.isArray(list)) throw invalid(`options.${name} must be an array of Certificate`);
  for (let i = 0; i < list.length; i++) {
    if (!isCertificate(list[i]))
      throw invalid(
        `options.${name}[${i}] is not a Certificate: parse it first (parseCertificate of @mynakit/pki takes DER or PEM)`,
      );
  }
}

function requireOptions(o: VerifyJpkiSignatureOptions): void {
  if (typeof o !== 'object' || o === null)
    throw invalid(
      'options are missing: give {signature, trustAnchors, now} (the CMS SignedData DER, the trust anchor Certificates, the verification time)',
    );
  if (o.signature === undefined)
    throw invalid('options.signature is missing: give the CMS SignedData as DER bytes');
  if (!(o.signature instanceof Uint8Array))
    throw invalid('options.signature must be DER bytes (a Uint8Array); decode PEM first');
  if (o.trustAnchors === undefined)
    throw invalid('options.trustAnchors is missing: give the trust anchor Certificates');
  requireCertificates(o.trustAnchors, 'trustAnchors');
  if (o.now === undefined)
    throw invalid(
      'options.now is missing: give the verification time as a Date (libraries never read the clock)',
    );
  if (!(o.now instanceof Date) || Number.isNaN(o.now.getTime()))
    throw invalid('options.now must be a valid Date');
  if (o.content !== undefined && !(o.content instanceof Uint8Array))
    throw invalid('options.content must be the signed content as bytes (a Uint8Array)');
  if (o.certificates !== undefined) requireCertificates(o.certificates, 'certificates');
  if (o.revocation !== undefined && !Array.isArray(o.revocation))
    throw invalid('options.revocation must be an array of RevocationSource');
  if (o.profile !== undefined && !VERIFICATION_PROFILES.includes(o.profile))
    throw invalid(`options.profile must be one of ${VERIFICATION_PROFILES.join(', ')}`);
}

function hasCheck(checks: readonly Check[], id: string): boolean {
  for (const c of checks) if (c.id === id) return true;
  return false;
}

/** The messageDigest attribute against the content when the signer is unknown (still worth reporting). */
function messageDigestWithoutSigner(
  der: Uint8Array,
  content: Uint8Array | undefined,
  allowSha1: boolean,
): Check {
  try {
    const si = parseCms(der).signers[0];
    if (si?.messageDigest === undefined)
      return check('cms.message_digest', 'failed', 'no messageDigest attribute');
    if (content === undefined) return check('cms.message_digest', 'undetermined', 'no content to digest');
    const alg =
      DIGESTS.get(si.digestAlgorithm.oid) ?? (allowSha1 ? SHA1.get(si.digestAlgorithm.oid) : undefined);
    if (alg === undefined)
      return check('cms.message_digest', 'failed', `unsupported digest algorithm ${si.digestAlgorithm.oid}`);
    const d = createHash(alg).update(content).digest();
    return Buffer.compare(d, Buffer.from(si.messageDigest)) === 0
      ? check('cms.message_digest', 'passed', 'messageDigest matches the content')
      : check('cms.message_digest', 'failed', 'messageDigest does not match the content');
  } catch {
    return check('cms.message_digest', 'skipped', 'not reached');
  }
}
