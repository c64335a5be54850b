/**
 * Certification path validation (RFC 5280 §6), with an explicit `now`.
 *
 * Path building: starting at the leaf, candidates for each issuer are the configured trust anchors and
 * the intermediates the caller passes (typically what a message carried), each distinct certificate
 * (DER) once. A candidate's subject must match the certificate's issuer (§7.1 name comparison); AKI/SKI
 * only orders the candidates. An edge is followed only when the certificate's signature verifies under
 * the candidate's key, so certificates that did not sign are dropped at the cost of one signature check
 * and never searched through. Every path that reaches an anchor is evaluated and the first that
 * validates wins, so anchors or intermediates that are not on a good path never change the outcome. A
 * certificate carried by a message is never trusted: only a configured anchor ends a path.
 *
 * The search is bounded by a work budget (`PATH_BUILDING_BUDGET`, overridable per call): candidate
 * edges considered and signature checks made, both counted and returned as `work`. Candidates are
 * supplied by whoever sent the message, and without a bound N same-named certificates that chain among
 * themselves make the search factorial in N. When the budget runs out before a valid path is found,
 * validation fails with `PATH_BUDGET_EXHAUSTED` (check `path.build`).
 *
 * Trust anchors (§6.1.1 (d)): an anchor stands for its subject name and public key, taken from
 * configuration — its own (self-)signature is never verified, so a SHA-1 root stays usable. It may be a
 * self-signed root, an intermediate, or the end certificate itself; a certificate on the path whose
 * name and key equal an anchor's ends the path there. Choices:
 *  - An anchor outside its validity period fails the path (`path.anchor_validity`) unless the caller
 *    sets `ignoreTrustAnchorValidity` (then a warning, and still a failure under `policy: 'strict'`).
 *    When the anchor IS the end certificate, its validity is checked like the end certificate's.
 *  - Constraints the anchor states about itself are honoured (RFC 5937 style): an anchor that issues a
 *    certificate must be a CA — cA=TRUE, or a v1/v2 certificate, which cannot say (a v3 anchor without
 *    basicConstraints is not a CA, §4.2.1.9) — must have keyCertSign when it has keyUsage, must not
 *    carry a critical extension we do not understand (§6.1.4 (o)), and its pathLenConstraint and
 *    nameConstraints apply to the path below it.
 *  - Intermediates must be CA certificates (basicConstraints cA=TRUE); v1/v2 intermediates are not.
 *
 * Per certificate below the anchor: signature under the issuer's key (SHA-1 refused unless
 * `allowSha1`: `PATH_WEAK_ALGORITHM`); notBefore ≤ now ≤ notAfter; critical extensions understood; name
 * constraints of every CA above it. Per issuing certificate: cA, pathLenConstraint (§6.1.4 (l)–(m),
 * self-issued certificates do not count), keyUsage keyCertSign. Every certificate on the path: a
 * non-empty issuer name (§4.1.2.4), a non-empty subject for a CA (§4.1.2.6), a critical subjectAltName
 * when the subject is empty (§4.2.1.6), keyCertSign only with cA (§4.2.1.3), nameConstraints only in a
 * CA (§4.2.1.10). For the end certificate: `requiredEku` among its extended key usages (or
 * anyExtendedKeyUsage); a certificate without the extension is unrestricted — a warning, or a failure
 * under `strict`.
 *
 * Understood critical extensions: basicConstraints, keyUsage, extKeyUsage (the mdoc document signer EKU
 * 1.0.18013.5.1.2 included), certificatePolicies (policy OIDs are recorded, not processed: no policy
 * tree), subjectAltName, nameConstraints, subjectKeyIdentifier/authorityKeyIdentifier, plus what the
 * caller lists. Anything else critical fails with `PATH_UNKNOWN_CRITICAL_EXTENSION`.
 */
import { type Check, check } from '@mynakit/report';
import type { Certificate } from './certificate.js';
import { checkCertificateSignature, type SignatureCheck } from './certificate-signature.js';
import { bytesEqual } from './der-reader.js';
import { isoTime } from './iso-time.js';
import { namesEqual } from './name.js';
import { nameConstraintViolation } from './name-constraints.js';
import { OID } from './oids.js';

export type PathFailureCode =
  | 'PATH_NO_ANCHOR'
  | 'PATH_BUDGET_EXHAUSTED'
  | 'PATH_SIGNATURE'
  | 'PATH_WEAK_ALGORITHM'
  | 'PATH_EXPIRED'
  | 'PATH_NOT_YET_VALID'
  | 'PATH_NOT_CA'
  | 'PATH_LENGTH'
  | 'PATH_KEY_USAGE'
  | 'PATH_UNKNOWN_CRITICAL_EXTENSION'
  | 'PATH_NAME_CONSTRAINTS'
  | 'PATH_INVALID_NAME'
  | 'PATH_EKU';

export type ValidationPolicy = 'lenient' | 'strict';

/** The work path building may do for one validation. */
export interface PathBuildingBudget {
  /** Issuer candidates considered (name-matched certificates tried as the next link, loops included). */
  readonly maxCandidateEdges: number;
  /** Certificate signatures checked (remembered results count too, so the count is deterministic). */
  readonly maxSignatureChecks: number;
}

/**
 * The default budget. A real path has one to four links (mdoc: document signer → IACA; JPKI: holder →
 * CA; web PKI: leaf → intermediate → root), and at a link a few same-named certificates may compete: key
 * rollover (JPKI keeps three generations of CAs with one name), cross-certificates. Eight candidates at
 * each of four links is 32 signature checks — far above any real case, and at 0.03–1 ms a check (RSA-2048
 * to P-521) a bounded cost. Edges are counted before the signature is checked and include candidates
 * skipped because they are already on the path (a loop), so they get twice that.
 */
export const PATH_BUILDING_BUDGET: PathBuildingBudget = Object.freeze({
  maxCandidateEdges: 64,
  maxSignatureChecks: 32,
});

/** The work path building did. */
export interface PathBuildingWork {
  readonly candidateEdges: number;
  readonly signatureChecks: number;
}

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
  /** Overrides parts of `PATH_BUILDING_BUDGET`. */
  readonly budget?: Partial<PathBuildingBudget>;
  /** Accept SHA-1 certificate signatures (default false). */
  readonly allowSha1?: boolean;
  /** An anchor outside its validity period is then a warning instead of a failure (not under strict). */
  readonly ignoreTrustAnchorValidity?: boolean;
}

export interface PathValidationResult {
  readonly ok: boolean;
  /** Leaf first; ends with the anchor certificate (just the leaf when the leaf is the anchor). */
  readonly path: readonly Certificate[];
  readonly anchor?: Certificate;
  readonly checks: readonly Check[];
  readonly failure?: { readonly code: PathFailureCode; readonly detail: string };
  /** What path building did (within `budget`). */
  readonly work: PathBuildingWork;
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

/** Certificates below the anchor on one path, the leaf included. */
const MAX_DEPTH = 10;
/**
 * Carried certificates considered (after removing duplicates). Each search step scans the candidates
 * by name, so this bounds that scan; an x5chain or a CMS certificate set holds a handful.
 */
const MAX_INTERMEDIATES = 256;

function sameKeyAndName(a: Certificate, b: Certificate): boolean {
  return bytesEqual(a.spkiDer, b.spkiDer) && namesEqual(a.subjectDer, b.subjectDer);
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

/**
 * The candidates: the anchors first (`anchorCount` of them), then each carried certificate once — not
 * again when it repeats another's bytes or an anchor's name and key (it stands for that anchor).
 */
function candidatePool(
  anchors: readonly Certificate[],
  intermediates: readonly Certificate[],
): readonly Certificate[] {
  if (intermediates.length === 0) return anchors;
  const pool: Certificate[] = [...anchors];
  const seen = intermediates.length > 8 ? new Set<string>() : undefined;
  if (seen) for (const a of anchors) seen.add(a.fingerprint256);
  let added = 0;
  for (const c of intermediates) {
    if (added >= MAX_INTERMEDIATES) break;
    if (seen ? seen.has(c.fingerprint256) : inChain(pool, c)) continue;
    let standsForAnchor = false;
    for (const a of anchors)
      if (sameKeyAndName(a, c)) {
        standsForAnchor = true;
        break;
      }
    if (standsForAnchor) continue;
    seen?.add(c.fingerprint256);
    pool.push(c);
    added++;
  }
  return pool;
}

const iso = isoTime;

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

/** `path` position → label, the anchor last. */
function pathLabel(path: readonly Certificate[], i: number, anchorIsLeaf: boolean): string {
  if (i === path.length - 1 && !anchorIsLeaf) return `trust anchor "${path[i]!.subject}"`;
  return certLabel(path[i]!, i);
}

/** An empty Name: `SEQUENCE {}` (RFC 5280 §4.1.2.4, §4.1.2.6). */
function isEmptyName(der: Uint8Array): boolean {
  return der.length === 2;
}

function isCa(c: Certificate): boolean {
  return c.basicConstraints?.ca === true;
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

/**
 * Evaluates one path whose signatures the builder has verified: `certs` leaf first, below `anchor`
 * (empty when the leaf is the anchor).
 */
function evaluate(
  certsBelow: readonly Certificate[],
  anchor: Certificate,
  opts: ValidateCertificatePathOptions,
  work: PathBuildingWork,
): PathValidationResult {
  const { now, leaf } = opts;
  const t = now.getTime();
  const strict = opts.policy === 'strict';
  const anchorIsLeaf = certsBelow.length === 0;
  const certs = anchorIsLeaf ? [leaf] : certsBelow;
  const path = anchorIsLeaf ? [leaf] : [...certs, anchor];
  const r = new PathChecks();

  r.pass(
    'path.build',
    anchorIsLeaf
      ? 'the end certificate is a configured trust anchor'
      : `path of ${certs.length} certificate(s) to trust anchor "${anchor.subject}"`,
  );

  // (a)(1) signatures: verified while building; the anchor's own is never checked (§6.1.1 (d))
  r.pass(
    'path.signature',
    anchorIsLeaf
      ? 'nothing to verify: the end certificate is trusted directly'
      : `${certs.length} signature(s) verified`,
  );

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
        if (strict || opts.ignoreTrustAnchorValidity !== true)
          r.fail(
            'path.anchor_validity',
            outside === 'expired' ? 'PATH_EXPIRED' : 'PATH_NOT_YET_VALID',
            detail,
          );
        else
          r.checks.push(
            check(
              'path.anchor_validity',
              'warning',
              `${detail}; trusted as configured (ignoreTrustAnchorValidity)`,
            ),
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

  // (k) basicConstraints cA; an anchor may be a v1/v2 certificate, which has no extensions to say it
  {
    const notCa = issuers.filter(({ cert, isAnchor }) =>
      isAnchor && cert.version < 3 ? false : !isCa(cert),
    );
    if (notCa.length === 0)
      r.pass('path.basic_constraints', issuers.length ? 'every issuer is a CA' : 'no issuing certificate');
    else
      r.fail(
        'path.basic_constraints',
        'PATH_NOT_CA',
        `${issuerLabels(notCa)} is not a CA (basicConstraints cA${notCa.some((x) => x.cert.basicConstraints === undefined) ? ' absent' : ''})`,
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

  // (n) keyUsage keyCertSign for issuers; §4.2.1.3: keyCertSign only with cA
  {
    const bad = issuers.filter(
      ({ cert }) => cert.keyUsage !== undefined && !cert.keyUsage.includes('keyCertSign'),
    );
    let claims: string | undefined;
    for (let i = 0; i < path.length && claims === undefined; i++) {
      const c = path[i]!;
      if (c.keyUsage?.includes('keyCertSign') === true && !isCa(c))
        claims = `${pathLabel(path, i, anchorIsLeaf)} asserts keyCertSign without basicConstraints cA (§4.2.1.3)`;
    }
    if (bad.length > 0)
      r.fail('path.key_usage', 'PATH_KEY_USAGE', `${issuerLabels(bad)} lacks keyUsage keyCertSign`);
    else if (claims !== undefined) r.fail('path.key_usage', 'PATH_KEY_USAGE', claims);
    else r.pass('path.key_usage', 'issuers may sign certificates');
  }

  // (o) critical extensions, the anchor's included when it issues
  {
    const extra = opts.understoodCriticalExtensions;
    let bad: string | undefined;
    for (let i = 0; i < path.length; i++) {
      const c = path[i]!;
      for (const e of c.extensions) {
        if (e.critical && !BUILTIN_UNDERSTOOD.has(e.oid) && !extra?.includes(e.oid)) {
          const item = `${pathLabel(path, i, anchorIsLeaf)}: ${e.oid}`;
          bad = bad === undefined ? item : `${bad}; ${item}`;
        }
      }
    }
    if (bad === undefined) r.pass('path.critical_extensions', 'every critical extension is understood');
    else
      r.fail(
        'path.critical_extensions',
        'PATH_UNKNOWN_CRITICAL_EXTENSION',
        `unrecognised critical extension: ${bad}`,
      );
  }

  // names every certificate must have (§4.1.2.4, §4.1.2.6, §4.2.1.6)
  {
    let why: string | undefined;
    for (let i = 0; i < path.length && why === undefined; i++) {
      const c = path[i]!;
      const label = pathLabel(path, i, anchorIsLeaf);
      if (isEmptyName(c.issuerDer)) why = `${label} has an empty issuer name (§4.1.2.4)`;
      else if (isEmptyName(c.subjectDer)) {
        if (i > 0) why = `${label} issues certificates but has an empty subject name (§4.1.2.6)`;
        else {
          let san: boolean | undefined;
          for (const e of c.extensions) if (e.oid === OID.subjectAltName) san = e.critical;
          if (san !== true)
            why = `${label} has an empty subject and ${san === undefined ? 'no' : 'a non-critical'} subjectAltName (§4.2.1.6)`;
        }
      }
    }
    if (why === undefined) r.pass('path.names', 'issuer and subject names are present');
    else r.fail('path.names', 'PATH_INVALID_NAME', why);
  }

  // (b)–(c), (g) name constraints of every issuer apply to the certificates below it
  {
    let violation: string | undefined;
    for (let i = 0; i < path.length && violation === undefined; i++) {
      const c = path[i]!;
      const nc = c.nameConstraints;
      if (nc === undefined) continue;
      // §4.2.1.10: "MUST be used only in a CA certificate", and one of the subtrees MUST be present
      if (!isCa(c))
        violation = `${pathLabel(path, i, anchorIsLeaf)} is not a CA but carries name constraints (§4.2.1.10)`;
      else if (nc.permitted.length === 0 && nc.excluded.length === 0)
        violation = `${pathLabel(path, i, anchorIsLeaf)} has name constraints without subtrees (§4.2.1.10)`;
    }
    for (const iss of issuers) {
      if (violation !== undefined) break;
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
  return failure
    ? { ok: false, path, anchor, checks: r.checks, failure, work }
    : { ok: true, path, anchor, checks: r.checks, work };
}

/** A depth-first search for a valid path, counting its work against the budget. */
class PathSearch {
  edges = 0;
  signatures = 0;
  exhausted = false;
  /** The first evaluated path that failed (its signatures held). */
  failedPath: PathValidationResult | undefined;
  /** The first signature that did not verify (a refused SHA-1 signature preferred: it says what to do). */
  badSignature: { readonly detail: string; readonly weak: boolean } | undefined;
  private readonly maxEdges: number;
  private readonly maxSignatures: number;
  private readonly policy: { readonly allowSha1: boolean };

  constructor(
    private readonly opts: ValidateCertificatePathOptions,
    private readonly pool: readonly Certificate[],
    private readonly anchorCount: number,
  ) {
    this.maxEdges = opts.budget?.maxCandidateEdges ?? PATH_BUILDING_BUDGET.maxCandidateEdges;
    this.maxSignatures = opts.budget?.maxSignatureChecks ?? PATH_BUILDING_BUDGET.maxSignatureChecks;
    this.policy = { allowSha1: opts.allowSha1 === true };
  }

  get work(): PathBuildingWork {
    return { candidateEdges: this.edges, signatureChecks: this.signatures };
  }

  /** Pool positions of the issuer candidates of `cur`, AKI/SKI agreement first. */
  private issuersOf(cur: Certificate): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.pool.length; i++)
      if (namesEqual(this.pool[i]!.subjectDer, cur.issuerDer)) out.push(i);
    if (out.length > 1)
      out.sort((a, b) => kidRank(cur, this.pool[a]!) - kidRank(cur, this.pool[b]!) || a - b);
    return out;
  }

  /** Extends `chain` (leaf first) towards an anchor; returns the first valid path. */
  extend(chain: Certificate[]): PathValidationResult | undefined {
    const cur = chain[chain.length - 1]!;
    for (const i of this.issuersOf(cur)) {
      if (this.edges >= this.maxEdges) {
        this.exhausted = true;
        return undefined;
      }
      this.edges++;
      const c = this.pool[i]!;
      if (inChain(chain, c)) continue;
      if (this.signatures >= this.maxSignatures) {
        this.exhausted = true;
        return undefined;
      }
      this.signatures++;
      const sig = checkCertificateSignature(cur, c, this.policy);
      if (!sig.valid) {
        this.noteBadSignature(cur, chain.length - 1, c, i < this.anchorCount, sig);
        continue;
      }
      if (i < this.anchorCount) {
        const r = evaluate([...chain], c, this.opts, this.work);
        if (r.ok) return r;
        this.failedPath ??= r;
        continue;
      }
      if (chain.length >= MAX_DEPTH) continue;
      chain.push(c);
      const r = this.extend(chain);
      chain.pop();
      if (r !== undefined || this.exhausted) return r;
    }
    return undefined;
  }

  private noteBadSignature(
    cert: Certificate,
    index: number,
    issuer: Certificate,
    issuerIsAnchor: boolean,
    sig: SignatureCheck,
  ): void {
    if (this.badSignature !== undefined && (this.badSignature.weak || sig.weak !== true)) return;
    const who = `${certLabel(cert, index)} under ${issuerIsAnchor ? 'trust anchor' : 'CA certificate'} "${issuer.subject}"`;
    this.badSignature = {
      weak: sig.weak === true,
      detail:
        sig.weak === true
          ? `${who}: ${sig.unsupported}`
          : `signature does not verify under its issuer's key: ${who}${sig.unsupported ? ` (${sig.unsupported})` : ''}`,
    };
  }
}

function failed(
  leaf: Certificate,
  id: string,
  code: PathFailureCode,
  detail: string,
  work: PathBuildingWork,
): PathValidationResult {
  return { ok: false, path: [leaf], checks: [check(id, 'failed', detail)], failure: { code, detail }, work };
}

/** Validates a certification path from a configured trust anchor to `leaf` (see the module comment). */
export function validateCertificatePath(opts: ValidateCertificatePathOptions): PathValidationResult {
  const { leaf, trustAnchors } = opts;
  if (trustAnchors.length === 0)
    return failed(leaf, 'path.build', 'PATH_NO_ANCHOR', 'no trust anchor is configured', {
      candidateEdges: 0,
      signatureChecks: 0,
    });
  const pool = candidatePool(trustAnchors, opts.intermediates ?? []);
  const search = new PathSearch(opts, pool, trustAnchors.length);
  // The end certificate is an anchor only as the exact certificate configured: a carried copy with the
  // anchor's name and key but other bytes (e.g. edited validity dates) must chain like any other.
  for (const a of trustAnchors) {
    if (a !== leaf && a.fingerprint256 !== leaf.fingerprint256) continue;
    const r = evaluate([], a, opts, search.work);
    if (r.ok) return r;
    search.failedPath = r;
    break;
  }
  const found = search.extend([leaf]);
  if (found !== undefined) return found;
  const work = search.work;
  if (search.exhausted) {
    const detail = `path building stopped at its work budget (${work.candidateEdges} candidate edges, ${work.signatureChecks} signature checks; limits ${opts.budget?.maxCandidateEdges ?? PATH_BUILDING_BUDGET.maxCandidateEdges} and ${opts.budget?.maxSignatureChecks ?? PATH_BUILDING_BUDGET.maxSignatureChecks}) before a valid path was found`;
    return failed(leaf, 'path.build', 'PATH_BUDGET_EXHAUSTED', detail, work);
  }
  if (search.failedPath !== undefined) return { ...search.failedPath, work };
  const bad = search.badSignature;
  if (bad !== undefined)
    return failed(
      leaf,
      'path.signature',
      bad.weak ? 'PATH_WEAK_ALGORITHM' : 'PATH_SIGNATURE',
      bad.detail,
      work,
    );
  return failed(
    leaf,
    'path.build',
    'PATH_NO_ANCHOR',
    'no path from a configured trust anchor to the end certificate (issuer not found)',
    work,
  );
}
