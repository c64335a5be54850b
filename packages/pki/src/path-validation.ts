/**
 * Certification path validation (RFC 5280 §6), with an explicit `now`.
 *
 * Path building: starting at the leaf, candidates for each issuer are the configured trust anchors and
 * the intermediates the caller passes (typically what a message carried). A candidate's subject must
 * match the certificate's issuer (§7.1 name comparison); AKI/SKI only orders the candidates. Every
 * complete path is evaluated and the first that validates wins, so anchors or intermediates that are
 * not on a good path never change the outcome. A certificate carried by a message is never trusted:
 * only a configured anchor ends a path.
 *
 * Trust anchors (§6.1.1 (d)): an anchor stands for its subject name and public key. It may be a
 * self-signed root, an intermediate, or the end certificate itself; a certificate on the path whose
 * name and key equal an anchor's ends the path there. Choices:
 *  - The anchor's own validity period does not affect the result (a warning check reports it),
 *    except when the anchor IS the end certificate: then the end certificate's validity is checked
 *    like any other. With `policy: 'strict'` an anchor outside its validity fails the path.
 *  - Constraints the anchor states about itself are honoured (RFC 5937 style): an anchor that issues a
 *    certificate must not say cA=FALSE, must have keyCertSign when it has keyUsage, and its
 *    pathLenConstraint and nameConstraints apply to the path below it. An anchor without
 *    basicConstraints (v1 roots) is accepted as an issuer.
 *  - Intermediates must be CA certificates (basicConstraints cA=TRUE); v1/v2 intermediates are not.
 *
 * Per certificate below the anchor: signature under the issuer's key; notBefore ≤ now ≤ notAfter;
 * critical extensions understood; name constraints of every CA above it. Per issuing certificate:
 * cA, pathLenConstraint (§6.1.4 (l)–(m), self-issued certificates do not count), keyUsage keyCertSign.
 * For the end certificate: `requiredEku` among its extended key usages (or anyExtendedKeyUsage); a
 * certificate without the extension is unrestricted — a warning, or a failure under `strict`.
 *
 * Understood critical extensions: basicConstraints, keyUsage, extKeyUsage (the mdoc document signer EKU
 * 1.0.18013.5.1.2 included), certificatePolicies (policy OIDs are recorded, not processed: no policy
 * tree), subjectAltName, nameConstraints, subjectKeyIdentifier/authorityKeyIdentifier, plus what the
 * caller lists. Anything else critical fails with `PATH_UNKNOWN_CRITICAL_EXTENSION`.
 */
import { type Check, check } from '@mynakit/report';
import type { Certificate } from './certificate.js';
import { checkCertificateSignature } from './certificate-signature.js';
import { bytesEqual } from './der-reader.js';
import { isoTime } from './iso-time.js';
import { namesEqual } from './name.js';
import { nameConstraintViolation } from './name-constraints.js';
import { OID } from './oids.js';

export type PathFailureCode =
  | 'PATH_NO_ANCHOR'
  | 'PATH_SIGNATURE'
  | 'PATH_EXPIRED'
  | 'PATH_NOT_YET_VALID'
  | 'PATH_NOT_CA'
  | 'PATH_LENGTH'
  | 'PATH_KEY_USAGE'
  | 'PATH_UNKNOWN_CRITICAL_EXTENSION'
  | 'PATH_NAME_CONSTRAINTS'
  | 'PATH_EKU';

export type ValidationPolicy = 'lenient' | 'strict';

export interface ValidateCertificatePathOptions {
  readonly leaf: Certificate;
  /** Path candidates only (e.g. an x5chain): never trusted by themselves. */
  readonly intermediates?: readonly Certificate[];
  readonly trustAnchors: readonly Certificate[];
  readonly now: Date;
  /** A KeyPurposeId the end certificate must allow. */
  readonly requiredEku?: string;
  /** Extra critical extension OIDs the caller processes itself. */
  readonly understoodCriticalExtensions?: readonly string[];
  /** Default `lenient`. */
  readonly policy?: ValidationPolicy;
}

export interface PathValidationResult {
  readonly ok: boolean;
  /** Leaf first; ends with the anchor certificate (just the leaf when the leaf is the anchor). */
  readonly path: readonly Certificate[];
  readonly anchor?: Certificate;
  readonly checks: readonly Check[];
  readonly failure?: { readonly code: PathFailureCode; readonly detail: string };
}

const BUILTIN_UNDERSTOOD = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.certificatePolicies,
  OID.subjectAltName,
  OID.nameConstraints,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
]);

const MAX_DEPTH = 10;
const MAX_PATHS = 32;

interface CandidatePath {
  /** Leaf first, the certificates below the trust point. Empty when the leaf is the anchor. */
  readonly certs: readonly Certificate[];
  readonly anchor: Certificate;
}

function sameKeyAndName(a: Certificate, b: Certificate): boolean {
  return bytesEqual(a.spkiDer, b.spkiDer) && namesEqual(a.subjectDer, b.subjectDer);
}

function anchorFor(c: Certificate, anchors: readonly Certificate[]): Certificate | undefined {
  for (const a of anchors) if (a === c || a.fingerprint256 === c.fingerprint256) return a;
  for (const a of anchors) if (sameKeyAndName(a, c)) return a;
  return undefined;
}

/** AKI/SKI agreement: 0 match, 1 unknown, 2 mismatch (tried last, still tried). */
function kidRank(child: Certificate, issuer: Certificate): number {
  if (child.authorityKeyIdentifier === undefined || issuer.subjectKeyIdentifier === undefined) return 1;
  return child.authorityKeyIdentifier === issuer.subjectKeyIdentifier ? 0 : 2;
}

function inChain(chain: readonly Certificate[], c: Certificate): boolean {
  for (const x of chain) if (x === c || x.fingerprint256 === c.fingerprint256) return true;
  return false;
}

/** Issuer candidates for the last certificate of `chain`: distinct, not on the chain, name-chained. */
function issuerCandidates(chain: readonly Certificate[], pool: readonly Certificate[]): Certificate[] {
  const cur = chain[chain.length - 1]!;
  const candidates: Certificate[] = [];
  for (const c of pool) {
    if (inChain(chain, c) || inChain(candidates, c)) continue;
    if (namesEqual(c.subjectDer, cur.issuerDer)) candidates.push(c);
  }
  if (candidates.length > 1) candidates.sort((a, b) => kidRank(cur, a) - kidRank(cur, b));
  return candidates;
}

function extendPaths(
  chain: Certificate[],
  pool: readonly Certificate[],
  anchors: readonly Certificate[],
  paths: CandidatePath[],
): void {
  if (paths.length >= MAX_PATHS || chain.length > MAX_DEPTH) return;
  for (const c of issuerCandidates(chain, pool)) {
    if (paths.length >= MAX_PATHS) return;
    const anchor = anchorFor(c, anchors);
    if (anchor) paths.push({ certs: chain, anchor });
    else extendPaths([...chain, c], pool, anchors, paths);
  }
}

function buildPaths(
  leaf: Certificate,
  intermediates: readonly Certificate[],
  anchors: readonly Certificate[],
): CandidatePath[] {
  const paths: CandidatePath[] = [];
  // The end certificate is an anchor only as the exact certificate configured: a carried copy with the
  // anchor's name and key but other bytes (e.g. edited validity dates) must chain like any other.
  const leafAnchor = anchors.find((a) => a === leaf || a.fingerprint256 === leaf.fingerprint256);
  if (leafAnchor) paths.push({ certs: [], anchor: leafAnchor });
  const pool = intermediates.length === 0 ? anchors : [...anchors, ...intermediates];
  extendPaths([leaf], pool, anchors, paths);
  return paths;
}

const iso = isoTime;

interface Evaluation {
  readonly result: PathValidationResult;
  readonly signaturesOk: boolean;
}

interface IssuerOnPath {
  readonly cert: Certificate;
  readonly isAnchor: boolean;
  /** Position on the path (the leaf is 0). */
  readonly index: number;
}

function certLabel(c: Certificate, i: number): string {
  return i === 0 ? 'the end certificate' : `CA certificate "${c.subject}"`;
}

function issuerLabel(x: IssuerOnPath): string {
  return `${x.isAnchor ? 'trust anchor' : 'CA certificate'} "${x.cert.subject}"`;
}

function issuerLabels(xs: readonly IssuerOnPath[]): string {
  let out = '';
  for (const x of xs) out += out === '' ? issuerLabel(x) : `; ${issuerLabel(x)}`;
  return out;
}

/** Collects the checks of one candidate path and its first failure. */
class PathChecks {
  readonly checks: Check[] = [];
  failure: { code: PathFailureCode; detail: string } | undefined;

  pass(id: string, detail: string): void {
    this.checks.push(check(id, 'passed', detail));
  }

  fail(id: string, code: PathFailureCode, detail: string): void {
    this.checks.push(check(id, 'failed', detail));
    this.failure ??= { code, detail };
  }
}

function evaluate(p: CandidatePath, leaf: Certificate, opts: ValidateCertificatePathOptions): Evaluation {
  const { now } = opts;
  const t = now.getTime();
  const strict = opts.policy === 'strict';
  const anchorIsLeaf = p.certs.length === 0;
  const certs = anchorIsLeaf ? [leaf] : p.certs;
  const anchor = p.anchor;
  const path = anchorIsLeaf ? [leaf] : [...certs, anchor];
  const r = new PathChecks();

  r.pass(
    'path.build',
    anchorIsLeaf
      ? 'the end certificate is a configured trust anchor'
      : `path of ${certs.length} certificate(s) to trust anchor "${anchor.subject}"`,
  );

  // (a)(1) signatures
  let signaturesOk = true;
  if (anchorIsLeaf) {
    r.pass('path.signature', 'nothing to verify: the end certificate is trusted directly');
  } else {
    let bad: string[] | undefined;
    for (let i = 0; i < certs.length; i++) {
      const c = certs[i]!;
      const sig = checkCertificateSignature(c, certs[i + 1] ?? anchor);
      if (!sig.valid) {
        bad ??= [];
        bad.push(`${certLabel(c, i)}${sig.unsupported ? ` (${sig.unsupported})` : ''}`);
      }
    }
    if (bad === undefined) r.pass('path.signature', `${certs.length} signature(s) verified`);
    else {
      signaturesOk = false;
      r.fail(
        'path.signature',
        'PATH_SIGNATURE',
        `signature does not verify under its issuer's key: ${bad.join('; ')}`,
      );
    }
  }

  // (a)(2) validity at `now`
  {
    let failed = false;
    for (let i = 0; i < certs.length && !failed; i++) {
      const c = certs[i]!;
      if (t < c.notBefore.getTime()) {
        failed = true;
        r.fail(
          'path.validity',
          'PATH_NOT_YET_VALID',
          `${certLabel(c, i)} is not valid before ${iso(c.notBefore)} (now ${iso(now)})`,
        );
      } else if (t > c.notAfter.getTime()) {
        failed = true;
        r.fail(
          'path.validity',
          'PATH_EXPIRED',
          `${certLabel(c, i)} expired at ${iso(c.notAfter)} (now ${iso(now)})`,
        );
      }
    }
    if (!failed) r.pass('path.validity', `every certificate is valid at ${iso(now)}`);
    if (!anchorIsLeaf) {
      const outside =
        t < anchor.notBefore.getTime()
          ? 'not yet valid'
          : t > anchor.notAfter.getTime()
            ? 'expired'
            : undefined;
      if (outside !== undefined) {
        const detail = `trust anchor "${anchor.subject}" is ${outside} (${iso(anchor.notBefore)} – ${iso(anchor.notAfter)})`;
        if (strict)
          r.fail(
            'path.anchor_validity',
            outside === 'expired' ? 'PATH_EXPIRED' : 'PATH_NOT_YET_VALID',
            detail,
          );
        else
          r.checks.push(
            check('path.anchor_validity', 'warning', `${detail}; an anchor is trusted as configured`),
          );
      }
    }
  }

  // issuing certificates: the intermediates, and the anchor when it issues
  const issuers: IssuerOnPath[] = [];
  if (!anchorIsLeaf) {
    for (let i = 1; i < certs.length; i++) issuers.push({ cert: certs[i]!, isAnchor: false, index: i });
    issuers.push({ cert: anchor, isAnchor: true, index: certs.length });
  }

  // (k) basicConstraints cA
  {
    const notCa = issuers.filter(({ cert, isAnchor }) =>
      isAnchor
        ? cert.basicConstraints !== undefined && !cert.basicConstraints.ca
        : cert.basicConstraints?.ca !== true,
    );
    if (notCa.length === 0)
      r.pass('path.basic_constraints', issuers.length ? 'every issuer is a CA' : 'no issuing certificate');
    else
      r.fail(
        'path.basic_constraints',
        'PATH_NOT_CA',
        `${issuerLabels(notCa)} is not a CA (basicConstraints cA)`,
      );
  }

  // (l)–(m) pathLenConstraint, processed from the anchor down
  {
    let max = Number.POSITIVE_INFINITY;
    let violation: string | undefined;
    for (let k = issuers.length - 1; k >= 0; k--) {
      const { cert, isAnchor } = issuers[k]!;
      if (!isAnchor && !cert.isSelfIssued) {
        if (max <= 0) {
          violation ??= `${issuerLabel(issuers[k]!)} exceeds the path length allowed above it`;
        }
        max--;
      }
      const pl = cert.basicConstraints?.pathLength;
      if (pl !== undefined && pl < max) max = pl;
    }
    if (violation) r.fail('path.path_length', 'PATH_LENGTH', violation);
    else r.pass('path.path_length', 'path length constraints satisfied');
  }

  // (n) keyUsage keyCertSign
  {
    const bad = issuers.filter(
      ({ cert }) => cert.keyUsage !== undefined && !cert.keyUsage.includes('keyCertSign'),
    );
    if (bad.length === 0) r.pass('path.key_usage', 'issuers may sign certificates');
    else r.fail('path.key_usage', 'PATH_KEY_USAGE', `${issuerLabels(bad)} lacks keyUsage keyCertSign`);
  }

  // (o) critical extensions
  {
    const extra = opts.understoodCriticalExtensions;
    let bad: string[] | undefined;
    for (let i = 0; i < certs.length; i++) {
      const c = certs[i]!;
      for (const e of c.extensions) {
        if (e.critical && !BUILTIN_UNDERSTOOD.has(e.oid) && !extra?.includes(e.oid)) {
          bad ??= [];
          bad.push(`${certLabel(c, i)}: ${e.oid}`);
        }
      }
    }
    if (bad === undefined) r.pass('path.critical_extensions', 'every critical extension is understood');
    else
      r.fail(
        'path.critical_extensions',
        'PATH_UNKNOWN_CRITICAL_EXTENSION',
        `unrecognised critical extension: ${bad.join('; ')}`,
      );
  }

  // (b)–(c), (g) name constraints of every issuer apply to the certificates below it
  {
    let violation: string | undefined;
    for (const iss of issuers) {
      const nc = iss.cert.nameConstraints;
      if (nc === undefined) continue;
      for (let j = 0; j < iss.index && violation === undefined; j++) {
        const c = certs[j]!;
        if (j > 0 && c.isSelfIssued) continue; // §6.1.3 (b): self-issued intermediates are exempt
        const why = nameConstraintViolation(c, nc);
        if (why)
          violation = `${certLabel(c, j)} violates the name constraints of ${issuerLabel(iss)}: ${why}`;
      }
    }
    if (violation) r.fail('path.name_constraints', 'PATH_NAME_CONSTRAINTS', violation);
    else r.pass('path.name_constraints', 'name constraints satisfied');
  }

  // extended key usage of the end certificate
  if (opts.requiredEku !== undefined) {
    const eku = leaf.extKeyUsage;
    if (eku === undefined) {
      const detail = `the end certificate has no extendedKeyUsage; ${opts.requiredEku} required`;
      if (strict) r.fail('path.eku', 'PATH_EKU', detail);
      else r.checks.push(check('path.eku', 'warning', `${detail} (accepted: unrestricted)`));
    } else if (eku.includes(opts.requiredEku) || eku.includes(OID.anyExtendedKeyUsage)) {
      r.pass('path.eku', `extendedKeyUsage allows ${opts.requiredEku}`);
    } else {
      r.fail('path.eku', 'PATH_EKU', `extendedKeyUsage does not allow ${opts.requiredEku}`);
    }
  }

  const failure = r.failure;
  return {
    signaturesOk,
    result: failure
      ? { ok: false, path, anchor, checks: r.checks, failure }
      : { ok: true, path, anchor, checks: r.checks },
  };
}

/** Validates a certification path from a configured trust anchor to `leaf` (see the module comment). */
export function validateCertificatePath(opts: ValidateCertificatePathOptions): PathValidationResult {
  const { leaf } = opts;
  const paths = buildPaths(leaf, opts.intermediates ?? [], opts.trustAnchors);
  if (paths.length === 0) {
    const detail =
      opts.trustAnchors.length === 0
        ? 'no trust anchor is configured'
        : 'no path from a configured trust anchor to the end certificate (issuer not found)';
    return {
      ok: false,
      path: [leaf],
      checks: [check('path.build', 'failed', detail)],
      failure: { code: 'PATH_NO_ANCHOR', detail },
    };
  }
  const evaluations: Evaluation[] = [];
  for (const p of paths) {
    const e = evaluate(p, leaf, opts);
    if (e.result.ok) return e.result;
    evaluations.push(e);
  }
  // Report the most telling failure: a path whose signatures hold (so the issuer is right) first.
  return (evaluations.find((e) => e.signaturesOk) ?? evaluations[0]!).result;
}
