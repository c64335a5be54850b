import {
  type Certificate,
  isoTime,
  isSignedBy,
  type ValidateCertificatePathOptions,
  validateCertificatePath,
} from '@mynakit/pki';
import type { Check } from '@mynakit/report';
import { check } from '@mynakit/report';
import { type BasicFour, basicFourOfCertificate } from './basic-four.js';
import { JpkiError } from './errors.js';
import { DEFAULT_JPKI_POLICY_CONFIG, type JpkiPolicyConfig, X509_OID } from './profiles.js';
import {
  combineRevocationAnswers,
  consultRevocationSources,
  type RevocationAnswer,
  type RevocationSource,
} from './revocation-source.js';

/**
 * The certificate half of a JPKI verification, shared by document signatures (verify-signature.ts) and
 * user authentication (user-authentication.ts). Check ids are stable:
 *
 *   cert.path          RFC 5280 §6 path from a configured trust anchor (signatures, CA constraints,
 *                      critical extensions) — everything except time, which is cert.validity
 *   cert.validity      every certificate on the path, the trust anchor included, is valid at `now`
 *   cert.key_usage     the profile's keyUsage (and, for jpki-auth, extKeyUsage clientAuth)
 *   cert.policy        the profile's certificate policy, in a critical extension
 *   jpki.basic_four    (jpki-sign, or any certificate carrying them) the basic four decode
 *   status.revocation  one check over every revocation source consulted
 *
 * Profiles:
 *   x509       RFC 5280 only: keyUsage, when present, allows digitalSignature or nonRepudiation; no policy
 *   jpki-sign  keyUsage digitalSignature + nonRepudiation, critical certificatePolicies with a configured
 *              signature policy OID, the basic four present in SubjectAltName
 *   jpki-auth  keyUsage digitalSignature, extKeyUsage clientAuth, critical certificatePolicies with a
 *              configured user-authentication policy OID
 */
export type VerificationProfile = 'x509' | 'jpki-sign' | 'jpki-auth';
export const VERIFICATION_PROFILES: readonly VerificationProfile[] = ['x509', 'jpki-sign', 'jpki-auth'];

export interface CertificateCheckInput {
  readonly certificate: Certificate;
  /** Untrusted path candidates (e.g. carried by the CMS). */
  readonly intermediates: readonly Certificate[];
  readonly trustAnchors: readonly Certificate[];
  readonly revocation: readonly RevocationSource[];
  readonly now: Date;
  readonly profile: VerificationProfile;
  readonly policies?: JpkiPolicyConfig;
  /** Accept SHA-1 certificate signatures on the path (default false, PATH_WEAK_ALGORITHM). */
  readonly allowSha1?: boolean;
}

export interface CertificateCheckResult {
  readonly checks: Check[];
  /** Leaf first, ending with the anchor, when a path was found. */
  readonly path: readonly Certificate[];
  readonly issuer?: Certificate;
  readonly revocation: readonly RevocationAnswer[];
  readonly basicFour?: BasicFour;
}

const CRITICAL_POLICY_OID = X509_OID.certificatePolicies;
const TIME_CHECKS = new Set(['path.validity', 'path.anchor_validity']);
/**
 * The stable failure code of @mynakit/pki for each path check, quoted in `cert.path` details. pki's own
 * `failure.code` wins for the check it describes: one check id can fail for several reasons (`path.build`
 * with no anchor, or with the path-building work budget spent; `path.signature` with a bad or a weak
 * signature).
 */
const PATH_CODES: ReadonlyMap<string, string> = new Map([
  ['path.build', 'PATH_NO_ANCHOR'],
  ['path.signature', 'PATH_SIGNATURE'],
  ['path.basic_constraints', 'PATH_NOT_CA'],
  ['path.path_length', 'PATH_LENGTH'],
  ['path.key_usage', 'PATH_KEY_USAGE'],
  ['path.critical_extensions', 'PATH_UNKNOWN_CRITICAL_EXTENSION'],
  ['path.name_constraints', 'PATH_NAME_CONSTRAINTS'],
  ['path.eku', 'PATH_EKU'],
]);

function pathCode(c: Check, failure: { readonly code: string; readonly detail: string } | undefined): string {
  if (failure !== undefined && failure.detail === c.detail) return failure.code;
  return PATH_CODES.get(c.id) ?? c.id;
}

export async function checkCertificate(input: CertificateCheckInput): Promise<CertificateCheckResult> {
  // Everything but the revocation sources runs in a synchronous helper: an async function keeps its frame
  // in an object allocated on every call, so it is kept small.
  const r = checksBeforeRevocation(input);
  if (r.issuer === undefined) return r;
  const revocation = await consultRevocationSources(input.revocation, input.certificate, r.issuer, input.now);
  r.checks.push(combineRevocationAnswers(revocation));
  r.revocation = revocation;
  return r;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Path, validity, key usage, policy and basic four; then either the issuer to ask the revocation sources
 * about (`issuer` set, `status.revocation` still to come) or the `status.revocation` check saying why
 * they are not asked.
 */
function checksBeforeRevocation(input: CertificateCheckInput): Mutable<CertificateCheckResult> {
  if (!VERIFICATION_PROFILES.includes(input.profile)) {
    throw new JpkiError('INVALID_ARGUMENT', `unknown verification profile ${String(input.profile)}`);
  }
  const { certificate: leaf, now, profile } = input;
  const policies = input.policies ?? DEFAULT_JPKI_POLICY_CONFIG;
  const checks: Check[] = [];

  // cert.path — RFC 5280 path validation; time validity is reported separately as cert.validity.
  const pathOptions: {
    -readonly [K in keyof ValidateCertificatePathOptions]: ValidateCertificatePathOptions[K];
  } = { leaf, intermediates: input.intermediates, trustAnchors: input.trustAnchors, now };
  if (input.allowSha1 === true) pathOptions.allowSha1 = true;
  const path = validateCertificatePath(pathOptions);
  const structural = path.checks.filter((c) => c.status === 'failed' && !TIME_CHECKS.has(c.id));
  if (structural.length > 0) {
    const codes = [...new Set(structural.map((c) => pathCode(c, path.failure)))].join(', ');
    checks.push(check('cert.path', 'failed', `${codes}: ${structural.map((c) => c.detail).join('; ')}`));
  } else {
    let build: string | undefined;
    let extra = '';
    for (const c of path.checks) {
      if (c.id === 'path.build') build ??= c.detail;
      if (c.status === 'warning') extra = extra === '' ? c.detail : `${extra}; ${c.detail}`;
    }
    if (extra !== '') extra = ` (${extra})`;
    checks.push(
      check(
        'cert.path',
        'passed',
        `${build ?? 'path built'}; signatures and CA constraints verified${extra}`,
      ),
    );
  }

  // cert.validity — every certificate on the path, the trust anchor included: an expired CA generation
  // no longer vouches for what it issued (DOMAIN.md §3 "trust all that are current"), as @mynakit/pki
  // fails an anchor outside its validity (path.anchor_validity). Without a path: the leaf alone.
  const onPath = path.path.length > 0 ? path.path : [leaf];
  const anchor = path.path.length > 1 ? path.path[path.path.length - 1] : undefined;
  const outside = onPath.find((c) => now < c.notBefore || now > c.notAfter);
  if (outside === undefined) {
    checks.push(
      check('cert.validity', 'passed', `valid at ${isoTime(now)} (signer until ${isoTime(leaf.notAfter)})`),
    );
  } else {
    const who =
      outside === leaf
        ? 'the signer certificate'
        : outside === anchor
          ? `trust anchor "${outside.subject}"`
          : `CA certificate "${outside.subject}"`;
    const why =
      now < outside.notBefore
        ? `is not valid before ${outside.notBefore.toISOString()}`
        : `expired at ${outside.notAfter.toISOString()}`;
    checks.push(check('cert.validity', 'failed', `${who} ${why} (now ${now.toISOString()})`));
  }

  checks.push(keyUsageCheck(leaf, profile));
  checks.push(policyCheck(leaf, profile, policies));

  // jpki.basic_four
  let basicFour: BasicFour | undefined;
  let basicFourProblem: string | undefined;
  try {
    basicFour = basicFourOfCertificate(leaf);
  } catch (e) {
    basicFourProblem = e instanceof JpkiError ? `${e.code}: ${e.message}` : 'undecodable';
  }
  if (profile === 'jpki-sign') {
    if (basicFour !== undefined)
      checks.push(
        check('jpki.basic_four', 'passed', 'name, sex, birth date and address present in SubjectAltName'),
      );
    else
      checks.push(
        check(
          'jpki.basic_four',
          'failed',
          basicFourProblem ?? 'the basic four otherNames are missing from SubjectAltName',
        ),
      );
  } else if (basicFourProblem !== undefined) {
    checks.push(check('jpki.basic_four', 'warning', basicFourProblem));
  }

  // status.revocation — needs the issuer, the certificate above the leaf on the path.
  // The certificate above the leaf is its issuer when path validation verified the leaf's signature
  // under it; otherwise (a failed path) ask directly.
  const candidate = path.path[1];
  const issuer =
    candidate !== undefined &&
    (path.checks.some((c) => c.id === 'path.signature' && c.status === 'passed') ||
      isSignedBy(leaf, candidate, { allowSha1: input.allowSha1 === true }))
      ? candidate
      : undefined;
  if (issuer === undefined) {
    const why =
      path.path.length === 1 && path.ok
        ? 'the signer certificate is itself the trust anchor: no issuer to ask about it'
        : 'no verified issuer: revocation not checked';
    checks.push(check('status.revocation', path.ok ? 'undetermined' : 'skipped', why));
  }
  // Members in the interface's order; `issuer`, `revocation` and `basicFour` as they apply.
  const r = { checks, path: path.path } as Partial<Mutable<CertificateCheckResult>>;
  if (issuer !== undefined) r.issuer = issuer;
  r.revocation = [];
  if (basicFour !== undefined) r.basicFour = basicFour;
  return r as Mutable<CertificateCheckResult>;
}

/** `xs.join(', ')` by concatenation: a keyUsage has a handful of names, and join is a builtin call. */
function joined(xs: readonly string[]): string {
  let out = '';
  for (let i = 0; i < xs.length; i++) out = i === 0 ? xs[i]! : `${out}, ${xs[i]}`;
  return out;
}

function keyUsageCheck(leaf: Certificate, profile: VerificationProfile): Check {
  const ku = leaf.keyUsage;
  const digitalSignature = ku?.includes('digitalSignature') === true;
  const nonRepudiation = ku?.includes('nonRepudiation') === true;
  const list = ku === undefined ? 'none' : joined(ku);
  switch (profile) {
    case 'x509':
      if (ku === undefined)
        return check('cert.key_usage', 'passed', 'no keyUsage extension: unrestricted (RFC 5280)');
      return digitalSignature || nonRepudiation
        ? check('cert.key_usage', 'passed', `keyUsage ${list} allows signing`)
        : check(
            'cert.key_usage',
            'failed',
            `keyUsage ${list} allows neither digitalSignature nor nonRepudiation`,
          );
    case 'jpki-sign':
      return digitalSignature && nonRepudiation
        ? check('cert.key_usage', 'passed', `keyUsage ${list}`)
        : check(
            'cert.key_usage',
            'failed',
            `a JPKI signature certificate needs keyUsage digitalSignature and nonRepudiation; has ${list}`,
          );
    case 'jpki-auth': {
      if (!digitalSignature) {
        return check(
          'cert.key_usage',
          'failed',
          `a JPKI user-authentication certificate needs keyUsage digitalSignature; has ${list}`,
        );
      }
      const eku = leaf.extKeyUsage ?? [];
      return eku.includes(X509_OID.clientAuth)
        ? check('cert.key_usage', 'passed', `keyUsage ${list}; extKeyUsage clientAuth`)
        : check(
            'cert.key_usage',
            'failed',
            `a JPKI user-authentication certificate needs extKeyUsage clientAuth (${X509_OID.clientAuth})`,
          );
    }
  }
}

function policyCheck(leaf: Certificate, profile: VerificationProfile, policies: JpkiPolicyConfig): Check {
  if (profile === 'x509')
    return check('cert.policy', 'skipped', 'the x509 profile requires no certificate policy');
  const accepted =
    profile === 'jpki-sign' ? policies.signaturePolicyOids : policies.userAuthenticationPolicyOids;
  const what = profile === 'jpki-sign' ? 'signature' : 'user-authentication';
  const ext = leaf.extensions.find((e) => e.oid === CRITICAL_POLICY_OID);
  if (ext === undefined) {
    return check(
      'cert.policy',
      'failed',
      `no certificatePolicies extension: the JPKI ${what} policy (${accepted.join(' or ')}) is required`,
    );
  }
  const found = leaf.certificatePolicies.find((p) => accepted.includes(p));
  if (found === undefined) {
    return check(
      'cert.policy',
      'failed',
      `certificatePolicies ${leaf.certificatePolicies.join(', ') || '(empty)'} include no accepted ${what} policy (${accepted.join(' or ')})`,
    );
  }
  if (!ext.critical)
    return check(
      'cert.policy',
      'failed',
      `policy ${found} present but certificatePolicies is not critical as the JPKI profile requires`,
    );
  return check('cert.policy', 'passed', `critical certificatePolicies include ${found}`);
}
