/**
 * Issuer data authentication (ISO/IEC 18013-5:2021 §9.1.2, §9.3.1) of one document:
 *
 * 1. issuerAuth is a COSE_Sign1; its algorithm comes from the protected header; the document signer
 *    (DS) chain is its x5chain. The DS path is validated to a configured trust anchor at `now`
 *    (RFC 5280) — never to a root the message carries; Annex B profile deviations are warnings unless
 *    the policy is strict (deployed DS certificates deviate).
 * 2. The payload is MobileSecurityObjectBytes; MSO docType = the document's docType (a check @owf/mdoc
 *    omits); validFrom ≤ now ≤ validUntil; `signed` within the DS certificate's validity.
 * 3. Every disclosed IssuerSignedItemBytes hashes — exactly as received, tag 24 included — to
 *    valueDigests[namespace][digestID].
 * 4. The MSO status reference, when present, goes to the caller's status checker: one
 *    `status.revocation` check, `skipped` without a reference or a checker, `undetermined` when the
 *    check cannot be made — never "revoked" and never "valid" on a failure.
 *
 * Verifiers report, they do not throw: malformed input is a failed `decode` check.
 */

import type { KeyObject } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import type { CborValue } from '@mynakit/cbor';
import {
  criticalHeaderProblem,
  protectedAlgorithm,
  sigStructure1Of,
  UNDERSTOOD_HEADER_LABELS,
  verifySignature,
} from '@mynakit/cose';
import {
  acceptedDocumentSignerEkus,
  type Certificate,
  checkDocumentSignerProfile,
  DEFAULT_DOCUMENT_SIGNER_EKUS,
  type DocumentSignerEkuTable,
  documentSignerEku,
  documentSignerKeyUsageProblem,
  isSignedBy,
  namesEqual,
  parseCertificate,
  statusListSignerAuthority,
  toCertificate,
  type ValidationPolicy,
  validateCertificatePath,
} from '@mynakit/pki';
import { type Check, type CheckStatus, type Verdict, verdictOf } from '@mynakit/report';
import { MdocError } from './errors.js';
import { memoised, remember } from './internal/check-memo.js';
import { DeferredValue } from './internal/deferred-value.js';
import { readBytes, readDecoded } from './internal/lean-map.js';
import { getOwn, setOwn } from './internal/own.js';
import { x5chainOf } from './internal/shape.js';
import { mdocSignatureAlgorithm } from './internal/signing.js';
import { type ReceivedIssuerSigned, readIssuerSigned, repeatedIdentifiers } from './issuer-signed.js';
import type { ItemRead } from './issuer-signed-item.js';
import {
  digestAlgorithmHash,
  digestOf,
  hexDigestOf,
  type MobileSecurityObject,
  type StatusListReference,
} from './mobile-security-object.js';
import type { ValidityInfo } from './validity-info.js';
import { defaultVerificationCache, type VerificationCache } from './verification-cache.js';

/** ISO/IEC 18013-5 Annex B: extended key usage of a document signer (id-mdl-kp-mdlDS). */
export const MDOC_DS_EKU = '1.0.18013.5.1.2';

/**
 * What a status checker returns: a check (its id is forced to `status.revocation`). A checker that read
 * a Status List Token reports who signed it — `checkReferencedStatus` of @mynakit/status-list does, as
 * `token.signerCertificate` — and the verifier then decides whether that signer may speak for the
 * document (see `checkStatus`). A result without a token (e.g. an issuer's inquiry endpoint, reached
 * over an authenticated channel) is taken as the checker gives it.
 */
export type StatusCheckResult = Pick<Check, 'status' | 'detail'> &
  Partial<Check> & {
    /** DER of the certificate whose key verified the Status List Token. */
    readonly signerCertificate?: Uint8Array;
    /** The Status List Token verification (as @mynakit/status-list reports it). */
    readonly token?: { readonly signerCertificate?: Uint8Array };
  };

/** What a status checker is told about the document. */
export interface StatusCheckContext {
  readonly now: Date;
  readonly docType: string;
  readonly msoDigest: Uint8Array;
  /** The document signer, when its certificate could be read. */
  readonly documentSigner?: Certificate;
  /**
   * The DS's issuer on its validated path (its IACA): the anchor to verify a Status List Token's chain
   * against. Absent when the DS is itself the trust anchor or its path did not validate.
   */
  readonly iaca?: Certificate;
}

/**
 * Consults the status of a record (e.g. `checkReferencedStatus` of @mynakit/status-list with a fetched
 * Status List Token). A rejection is reported as `undetermined`.
 */
export type StatusChecker = (
  reference: StatusListReference,
  context: StatusCheckContext,
) => Promise<StatusCheckResult>;

export type TrustAnchorInput = Certificate | Uint8Array | string;

export interface VerifyIssuerOptions {
  /**
   * Configured trust anchors (IACA roots, or a DS trusted directly). Treated as immutable: the parsed
   * form is kept per array, so pass a new array to change the set.
   */
  readonly trustAnchors: readonly TrustAnchorInput[];
  /** The verification time. Required: libraries never read the clock. */
  readonly now: Date;
  readonly statusChecker?: StatusChecker;
  /** `lenient` (default): certificate profile deviations are warnings; `strict`: failures. */
  readonly policy?: ValidationPolicy;
  /** The docType the relying party expects; a document of another docType fails `mso.doctype`. */
  readonly docType?: string;
  /** DS path cache; `false` validates every time. Default: a shared bounded cache. */
  readonly cache?: VerificationCache | false;
  /**
   * The extended key usages a document signer may carry, per docType (default
   * DEFAULT_DOCUMENT_SIGNER_EKUS of @mynakit/pki: mDL → 1.0.18013.5.1.2; ISO/IEC 23220 docTypes and
   * docTypes not listed → that or 1.0.23220.4.1.2; EU PID → also 1.3.130.2.0.0.1.2). Build one with
   * `documentSignerEkuTable`; treated as immutable (results are memoised per table).
   */
  readonly documentSignerEkus?: DocumentSignerEkuTable;
  /**
   * The extended key usage a Status List Token signer other than the document signer must carry when
   * it has one (default STATUS_LIST_SIGNING_EKU of @mynakit/pki, a stand-in for the draft's
   * id-kp-oauthStatusSigning until IANA assigns it).
   */
  readonly statusListSignerEku?: string;
  /**
   * How far a validFrom or MSO `signed` time may lie after `now`, in seconds (default
   * DEFAULT_CLOCK_SKEW_SECONDS = 60): device clocks run ahead. validUntil, certificate notAfter and a
   * status list's exp get no grace. The `mso.validity` detail says when the tolerance was used.
   */
  readonly clockSkewSeconds?: number;
}

export interface MsoSummary {
  readonly version: string;
  readonly docType: string;
  readonly digestAlgorithm: string;
  readonly signed: Date;
  readonly validFrom: Date;
  readonly validUntil: Date;
  readonly expectedUpdate?: Date;
  /** The device public key as a JWK (public members only); undefined for unsupported key types. */
  readonly deviceKey: Record<string, string> | undefined;
  readonly keyAuthorizations?: MobileSecurityObject['deviceKeyInfo']['keyAuthorizations'];
  readonly status?: StatusListReference;
  /** SHA-256 of MobileSecurityObjectBytes (hex): the record's identifier for status inquiries. */
  readonly digest: string;
}

export interface DocumentSignerSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly fingerprint256: string;
  /** Subject of the trust anchor the path ended at. */
  readonly anchor?: string;
}

export type ElementValues = Record<string, Record<string, CborValue>>;

export interface VerifiedDocument {
  readonly docType: string;
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  /** Disclosed elements whose digest verified — nothing else is reported as present. */
  readonly elements: ElementValues;
  /** Elements the device signed itself (only when device authentication passed). */
  readonly deviceElements?: ElementValues;
  /** Elements the wallet reported as not returned: namespace → identifier → error code. */
  readonly notReturned?: Record<string, Record<string, number>>;
  readonly mso?: MsoSummary;
  readonly issuer?: DocumentSignerSummary;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export { DeferredValue, setOwn };

/** What verification needs of one IssuerSignedItem: its fields and the exact bytes to hash. */
export type ItemToVerify = ItemRead;

/** Items whose digest verified, in order, turned into element values on demand. */
export class VerifiedItems {
  readonly namespaces: string[] = [];
  readonly items: ItemToVerify[] = [];

  add(ns: string, item: ItemToVerify): void {
    this.namespaces.push(ns);
    this.items.push(item);
  }

  /** Namespaces and identifiers are received text: own properties only (see internal/own.ts). */
  toElements(): ElementValues {
    const out: ElementValues = {};
    for (let i = 0; i < this.items.length; i++) {
      const ns = this.namespaces[i] as string;
      const item = this.items[i] as ItemToVerify;
      let values = getOwn(out, ns);
      if (!values) {
        values = {};
        setOwn(out, ns, values);
      }
      const v = item.elementValue;
      setOwn(values, item.elementIdentifier, v instanceof DeferredValue ? v.decode() : v);
    }
    return out;
  }
}

/**
 * A verified document. `elements` is built from the verified items on first read (and kept); the
 * rest is plain data. `toJSON` includes `elements`.
 */
export class VerifiedDocumentView implements VerifiedDocument {
  readonly docType: string;
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  readonly deviceElements?: ElementValues;
  readonly notReturned?: Record<string, Record<string, number>>;
  readonly mso?: MsoSummary;
  readonly issuer?: DocumentSignerSummary;
  readonly #verified: VerifiedItems;
  #elements: ElementValues | undefined;

  constructor(fields: Omit<VerifiedDocument, 'elements' | 'verdict'>, verified: VerifiedItems) {
    this.docType = fields.docType;
    this.checks = fields.checks;
    this.verdict = verdictOf(fields.checks);
    if (fields.deviceElements) this.deviceElements = fields.deviceElements;
    if (fields.notReturned) this.notReturned = fields.notReturned;
    if (fields.mso) this.mso = fields.mso;
    if (fields.issuer) this.issuer = fields.issuer;
    this.#verified = verified;
  }

  get elements(): ElementValues {
    this.#elements ??= this.#verified.toElements();
    return this.#elements;
  }

  toJSON(): Record<string, unknown> {
    return { ...(this as object), elements: this.elements };
  }
}

/** Normalised trust anchors, memoised per input array. */
const anchorCache = new WeakMap<readonly TrustAnchorInput[], readonly Certificate[]>();
/**
 * The configured anchors as certificates. An anchor that is not one (unparsable PEM or DER, another kind
 * of object) is the relying party's configuration error: MdocError('MDOC_INVALID_TRUST_ANCHOR') naming
 * its index — never a failed path check, which would be a verdict about the credential.
 */
export function normaliseAnchors(input: readonly TrustAnchorInput[]): readonly Certificate[] {
  let out = anchorCache.get(input);
  if (!out) {
    // The configured list is the caller's, not received data: one pass over it, once per array.
    const certificates: Certificate[] = new Array(input.length);
    for (let i = 0; i < input.length; i++) certificates[i] = anchorAt(input[i], i);
    out = certificates;
    anchorCache.set(input, out);
  }
  return out;
}

function anchorAt(a: TrustAnchorInput | undefined, i: number): Certificate {
  const where = `options.trustAnchors[${i}]`;
  if (typeof a === 'string' || a instanceof Uint8Array) {
    try {
      return toCertificate(a);
    } catch (e) {
      throw new MdocError(
        'MDOC_INVALID_TRUST_ANCHOR',
        `${where} is not a certificate (${typeof a === 'string' ? 'PEM text' : 'DER bytes'} that cannot be parsed: ${(e as Error).message})`,
        { cause: e },
      );
    }
  }
  if (!isCertificate(a))
    throw new MdocError(
      'MDOC_INVALID_TRUST_ANCHOR',
      `${where} is not a certificate: give a Certificate (parseCertificate of @mynakit/pki), its DER bytes or its PEM text`,
    );
  return a;
}

/** A parsed certificate, as parseCertificate returns it (the fields the verifier relies on). */
function isCertificate(a: unknown): a is Certificate {
  if (typeof a !== 'object' || a === null) return false;
  const c = a as Partial<Certificate>;
  return (
    c.der instanceof Uint8Array && typeof c.fingerprint256 === 'string' && c.spkiDer instanceof Uint8Array
  );
}

/**
 * What validating a DS x5chain yields, independent of the document's docType (so it is what the path
 * cache keeps): the docType's extended key usage rule and the profile are applied on top of it by
 * `signerChecks`.
 */
interface SignerResult {
  readonly certificate?: Certificate;
  readonly publicKey?: KeyObject;
  /** `issuer.certificate_path` when it fails whatever the docType; absent when the path validated. */
  readonly pathFailure?: Check;
  /** For a validated path: "chains to trust anchor …" / "is itself a trust anchor". */
  readonly pathTo?: string;
  /** Warnings of the path validation (e.g. an anchor outside its validity). */
  readonly pathNotes?: readonly string[];
  /** `issuer.certificate_profile` when there is no certificate to judge. */
  readonly profile?: Check;
  readonly anchor?: Certificate;
  /** The DS's issuer on the validated path (its IACA); absent when the DS is itself the anchor. */
  readonly issuerCertificate?: Certificate;
  /** The DS summary reported with each document (immutable; shared by cache hits). */
  readonly summary?: DocumentSignerSummary;
}

function pathFailed(detail: string): Check {
  return { id: 'issuer.certificate_path', status: 'failed', detail };
}

function profileSkipped(detail: string): Check {
  return { id: 'issuer.certificate_profile', status: 'skipped', detail };
}

function describeAnchor(ds: Certificate, anchor: Certificate | undefined): string {
  return anchor
    ? anchor.fingerprint256 === ds.fingerprint256
      ? 'is itself a trust anchor'
      : `chains to trust anchor ${anchor.subject}`
    : 'validated';
}

interface SignerChecks {
  readonly path: Check;
  readonly profile: Check;
}

/** Per EKU table, per (cached) signer result, per docType: the two checks, built once. */
const signerChecksMemo = new WeakMap<
  DocumentSignerEkuTable,
  WeakMap<SignerResult, Map<string, SignerChecks>>
>();
/** docTypes come from the message: bound what one signer result remembers. */
const DOCTYPES_PER_SIGNER = 16;

/**
 * `issuer.certificate_path` and `issuer.certificate_profile` for a document of `docType`: the
 * docType-independent path result completed by the DS extended key usage the docType's rulebook asks
 * for (`documentSignerEkus`, default DEFAULT_DOCUMENT_SIGNER_EKUS). Three map lookups on a hit.
 */
function signerChecks(signer: SignerResult, docType: string, options: VerifyIssuerOptions): SignerChecks {
  const table = options.documentSignerEkus ?? DEFAULT_DOCUMENT_SIGNER_EKUS;
  let bySigner = signerChecksMemo.get(table);
  if (!bySigner) {
    bySigner = new WeakMap();
    signerChecksMemo.set(table, bySigner);
  }
  let byDocType = bySigner.get(signer);
  if (!byDocType) {
    byDocType = new Map();
    bySigner.set(signer, byDocType);
  }
  let c = byDocType.get(docType);
  if (!c) {
    if (byDocType.size >= DOCTYPES_PER_SIGNER) byDocType.clear();
    c = guardedSignerChecks(signer, docType, table, options.policy ?? 'lenient');
    byDocType.set(docType, c);
  }
  return c;
}

/**
 * A certificate's extensions are read on first use: one that turns out damaged (e.g. a flipped byte in
 * an extension) is a failed path, never an exception out of the verifier.
 */
function guardedSignerChecks(
  signer: SignerResult,
  docType: string,
  table: DocumentSignerEkuTable,
  policy: ValidationPolicy,
): SignerChecks {
  try {
    return computeSignerChecks(signer, docType, table, policy);
  } catch (e) {
    return {
      path: pathFailed(`document signer certificate unusable: ${(e as Error).message}`),
      profile: profileSkipped('document signer certificate unusable'),
    };
  }
}

function computeSignerChecks(
  signer: SignerResult,
  docType: string,
  table: DocumentSignerEkuTable,
  policy: ValidationPolicy,
): SignerChecks {
  const ds = signer.certificate;
  const accepted = acceptedDocumentSignerEkus(table, docType);
  const profile =
    signer.profile ??
    (ds
      ? summariseProfile(checkDocumentSignerProfile(ds, policy, accepted), policy)
      : profileSkipped('no document signer certificate'));
  if (signer.pathFailure || !ds)
    return { path: signer.pathFailure ?? pathFailed('no document signer certificate'), profile };
  return { path: ekuPath(ds, signer, docType, accepted, table, policy), profile };
}

/**
 * The DS extended key usage for `docType` (ISO/IEC 18013-5 Annex B Table B.3 for the mDL; each
 * docType's rulebook for the others), on a validated path. Another mdoc role's EKU fails the path
 * (PATH_EKU); no EKU keeps RFC 5280's "unrestricted" (a noted warning; PATH_EKU under strict); an EKU
 * outside the docType's table is a profile deviation (`profile.ds.eku`, warning or strict failure).
 */
function ekuPath(
  ds: Certificate,
  signer: SignerResult,
  docType: string,
  accepted: ReadonlySet<string>,
  table: DocumentSignerEkuTable,
  policy: ValidationPolicy,
): Check {
  const head = `document signer ${ds.subject}`;
  const wanted = [...accepted].join(' or ');
  const eku = documentSignerEku(ds, accepted, table.otherRoles);
  const notes = signer.pathNotes ? [...signer.pathNotes] : [];
  let ekuText: string;
  switch (eku.verdict) {
    case 'other-role':
      return pathFailed(
        `${head}: PATH_EKU: extendedKeyUsage names another mdoc role (${eku.roles.join(', ')}); a document signer for ${docType} carries ${wanted}`,
      );
    case 'absent': {
      const detail = `the end certificate has no extendedKeyUsage; ${wanted} expected for ${docType}`;
      if (policy === 'strict') return pathFailed(`${head}: PATH_EKU: ${detail}`);
      notes.push(`${detail} (accepted: unrestricted)`);
      ekuText = 'no extendedKeyUsage';
      break;
    }
    case 'outside':
      ekuText = `extendedKeyUsage ${eku.ekus.join(', ')} is not a document signer EKU for ${docType} (${wanted}): a profile deviation`;
      break;
    default:
      ekuText = `extendedKeyUsage ${eku.eku} accepted for ${docType}`;
  }
  return {
    id: 'issuer.certificate_path',
    status: 'passed',
    detail: `${head} ${signer.pathTo ?? 'validated'}; ${ekuText}${notes.length ? ` (notes: ${notes.join('; ')})` : ''}`,
  };
}

function summariseProfile(checks: readonly Check[], policy: ValidationPolicy): Check {
  const bad = checks.filter((c) => c.status === 'failed' || c.status === 'warning');
  if (bad.length === 0) {
    return {
      id: 'issuer.certificate_profile',
      status: 'passed',
      detail: 'document signer certificate follows ISO 18013-5 Annex B',
    };
  }
  const status: CheckStatus =
    policy === 'strict' && bad.some((c) => c.status === 'failed') ? 'failed' : 'warning';
  return {
    id: 'issuer.certificate_profile',
    status,
    detail: `document signer certificate deviates from ISO 18013-5 Annex B: ${bad.map((c) => c.detail).join('; ')}`,
  };
}

const NO_CHAIN: readonly Uint8Array[] = Object.freeze([]);
const NO_AAD = new Uint8Array(0);
/** The Sig_structure is handed to node at once and dropped: written into cose's shared buffer. */
const TRANSIENT = { transient: true } as const;

/** The signer result of an issuerAuth whose x5chain cannot be taken (RFC 9052 §3, RFC 9360 §2). */
function unusableX5chain(problem: string): SignerResult {
  return {
    pathFailure: pathFailed(`issuerAuth x5chain: ${problem}`),
    profile: profileSkipped('no usable document signer certificate'),
  };
}

/**
 * The DS path and profile checks (DS path validation with the cache: successes only, within their
 * validity window). Anything a certificate library throws on a damaged certificate
 * (e.g. an extension that does not parse) is a failed path, never an exception out of the verifier.
 */
function validateSigner(x5chain: readonly Uint8Array[], options: VerifyIssuerOptions): SignerResult {
  try {
    return validateSignerUnguarded(x5chain, options);
  } catch (e) {
    return {
      pathFailure: pathFailed(`document signer certificate unusable: ${(e as Error).message}`),
      profile: profileSkipped('document signer certificate unusable'),
    };
  }
}

function validateSignerUnguarded(x5chain: readonly Uint8Array[], options: VerifyIssuerOptions): SignerResult {
  const policy = options.policy ?? 'lenient';
  const dsDer = x5chain[0];
  if (!dsDer) {
    return {
      pathFailure: pathFailed('issuerAuth carries no x5chain (document signer certificate)'),
      profile: profileSkipped('no document signer certificate'),
    };
  }
  const anchors = normaliseAnchors(options.trustAnchors);
  const cache = options.cache === false ? undefined : (options.cache ?? defaultVerificationCache);
  let context: string | undefined;
  if (cache) {
    // A hit is the same x5chain byte for byte, under the same anchors and policy, inside the window.
    context = cache.contextKey(anchors, policy);
    const hit = cache.lookup(x5chain, context, options.now);
    // The result is immutable and depends only on what the key covers: shared as it is.
    if (hit) return hit.summary as SignerResult;
  }
  let ds: Certificate;
  try {
    ds = parseCertificate(dsDer);
  } catch (e) {
    return {
      pathFailure: pathFailed(`document signer certificate unreadable: ${(e as Error).message}`),
      profile: profileSkipped('document signer certificate unreadable'),
    };
  }
  const intermediates: Certificate[] = [];
  const chainProblem = carriedChainProblem(ds, x5chain, anchors, intermediates);
  if (chainProblem) {
    const key = publicKeyOf(ds);
    return {
      certificate: ds,
      ...(key ? { publicKey: key } : {}),
      pathFailure: pathFailed(`document signer ${ds.subject}: ${chainProblem}`),
    };
  }
  // The extended key usage depends on the docType and is decided by `signerChecks`, not here.
  const result = validateCertificatePath({
    leaf: ds,
    intermediates,
    trustAnchors: anchors,
    now: options.now,
    policy,
  });
  const publicKey = publicKeyOf(ds);
  const problem = result.ok
    ? (signerCertificateProblem(ds, result.path, anchors) ?? documentSignerKeyUsageProblem(ds))
    : undefined;
  const dsSummary = signerSummary(ds, result.anchor);
  const issuerCertificate = result.ok && result.path.length > 1 ? result.path[1] : undefined;
  const failure = !result.ok
    ? pathFailed(
        `document signer ${ds.subject}: ${result.failure ? `${result.failure.code}: ${result.failure.detail}` : 'no valid path'}`,
      )
    : problem
      ? pathFailed(`document signer ${ds.subject}: ${problem}`)
      : undefined;
  const notes = result.checks.filter((c) => c.status === 'warning').map((c) => c.detail);
  const summary: SignerResult = {
    certificate: ds,
    ...(dsSummary ? { summary: dsSummary } : {}),
    ...(publicKey ? { publicKey } : {}),
    ...(failure
      ? { pathFailure: failure }
      : { pathTo: describeAnchor(ds, result.anchor), ...(notes.length ? { pathNotes: notes } : {}) }),
    ...(result.anchor ? { anchor: result.anchor } : {}),
    ...(issuerCertificate ? { issuerCertificate } : {}),
  };
  if (cache && context && !failure && publicKey) {
    let start = Number.NEGATIVE_INFINITY;
    let end = Number.POSITIVE_INFINITY;
    for (const c of result.path) {
      start = Math.max(start, c.notBefore.getTime());
      end = Math.min(end, c.notAfter.getTime());
    }
    cache.store(x5chain, {
      chain: x5chain.map((c) => c.slice()),
      context,
      certificate: ds,
      publicKey,
      pathChecks: result.checks,
      // The docType-independent profile rules (the EKU rule depends on the docType).
      profileChecks: checkDocumentSignerProfile(ds, policy).filter((c) => c.id !== 'profile.ds.eku'),
      path: result.path,
      windowStart: start,
      windowEnd: end,
      summary,
    });
  }
  return summary;
}

function publicKeyOf(c: Certificate): KeyObject | undefined {
  try {
    return c.publicKey;
  } catch {
    return undefined;
  }
}

/**
 * The certificates an x5chain carries after the DS are only path candidates, but they are not covered
 * by any signature of the message, so they must at least be what RFC 9360 §2 says they are: readable,
 * ordered so that each one issued the one before it, and — when one is named like a configured trust
 * anchor — byte for byte that anchor. Otherwise a damaged or substituted certificate could ride along
 * unnoticed. Fills `out` with the parsed candidates.
 */
function carriedChainProblem(
  ds: Certificate,
  x5chain: readonly Uint8Array[],
  anchors: readonly Certificate[],
  out: Certificate[],
): string | undefined {
  let previous = ds;
  for (let i = 1; i < x5chain.length; i++) {
    let c: Certificate;
    try {
      c = parseCertificate(x5chain[i] as Uint8Array);
    } catch {
      return `x5chain certificate ${i} is unreadable`;
    }
    if (!namesEqual(previous.issuerDer, c.subjectDer) || !isSignedBy(previous, c)) {
      return `x5chain certificate ${i} did not issue certificate ${i - 1}`;
    }
    // A carried certificate named like a configured anchor must be that anchor, byte for byte.
    const named = anchors.filter((a) => namesEqual(a.subjectDer, c.subjectDer));
    if (named.length > 0 && !named.some((a) => bytesEqual(a.der, c.der))) {
      return `x5chain certificate ${i} is not the trust anchor ${c.subject} it is named after`;
    }
    out.push(c);
    previous = c;
  }
  return undefined;
}

/**
 * Two safeguards on the DS certificate itself, beyond the path validation:
 * - a DS that stands for a configured anchor (same name and key) must be that anchor byte for byte —
 *   otherwise its validity or extensions could be edited in the message while the key still matches;
 * - the signatures along the path are verified a second time, by OpenSSL through node's
 *   X509Certificate, which applies the strict DER rules of the signature encoding (e.g. no unused
 *   bits in signatureValue).
 * Both run only when a path is validated, not on cache hits.
 */
function signerCertificateProblem(
  ds: Certificate,
  path: readonly Certificate[],
  anchors: readonly Certificate[],
): string | undefined {
  const twin = anchors.find(
    (a) => namesEqual(a.subjectDer, ds.subjectDer) && bytesEqual(a.spkiDer, ds.spkiDer),
  );
  if (twin && !bytesEqual(twin.der, ds.der)) return `an altered copy of the trust anchor ${twin.subject}`;
  if (twin) return undefined;
  // Every certificate below the anchor, checked against its issuer on the validated path.
  for (let i = 0; i + 1 < path.length; i++) {
    const cert = path[i] as Certificate;
    const issuer = path[i + 1] as Certificate;
    try {
      if (!new nodeCrypto.X509Certificate(cert.der).verify(issuer.publicKey)) {
        return `the signature of ${cert.subject} does not verify`;
      }
    } catch {
      return `${cert.subject} is not strictly DER-encoded`;
    }
  }
  return undefined;
}

const iso = (d: Date) => d.toISOString();

/**
 * The default `clockSkewSeconds`: 60. Phones' clocks run ahead of servers' by seconds and an mdoc is
 * often minted moments before it is shown — a real Android capture carries a validFrom 2.2 s after
 * the instant it was presented — so a verifier with no tolerance calls fresh documents "not yet
 * valid". A minute covers that and no more; expiry gets no grace at all.
 */
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;

function seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}

/**
 * `mso.validity` (ISO/IEC 18013-5 §9.3.1: validFrom ≤ now ≤ validUntil), tolerating a validFrom or an
 * MSO `signed` time at most `skewSeconds` after `now` (a device clock ahead of ours) — reported in the
 * detail when used. validUntil is never stretched.
 */
function validityCheck(vi: ValidityInfo, now: Date, skewSeconds: number): Check {
  const t = now.getTime();
  const skewMs = skewSeconds * 1000;
  const from = vi.validFrom.getTime();
  const signedAt = vi.signed.getTime();
  if (from - t > skewMs)
    return {
      id: 'mso.validity',
      status: 'failed',
      detail: `not yet valid: validFrom ${iso(vi.validFrom)} is after ${iso(now)}${skewMs > 0 ? ` by more than the ${seconds(skewMs)} s clock skew allowed` : ''}`,
    };
  if (t > vi.validUntil.getTime())
    return {
      id: 'mso.validity',
      status: 'failed',
      detail: `expired: validUntil ${iso(vi.validUntil)} is before ${iso(now)}`,
    };
  if (signedAt - t > skewMs)
    return {
      id: 'mso.validity',
      status: 'failed',
      detail: `signed in the future: signed ${iso(vi.signed)} is after ${iso(now)}${skewMs > 0 ? ` by more than the ${seconds(skewMs)} s clock skew allowed` : ''}`,
    };
  if (from <= t && signedAt <= t) return validityPassed(vi.validFrom, vi.validUntil);
  const ahead: string[] = [];
  if (from > t) ahead.push(`validFrom is ${seconds(from - t)} s after the verification time`);
  if (signedAt > t) ahead.push(`signed ${seconds(signedAt - t)} s after the verification time`);
  return {
    id: 'mso.validity',
    status: 'passed',
    detail: `valid from ${iso(vi.validFrom)} until ${iso(vi.validUntil)}; ${ahead.join(', ')}, within the ${seconds(skewMs)} s clock skew allowed`,
  };
}

/** The passed `mso.validity` check for a validity window (memoised per window). */
const validityChecks = new Map<number, Map<number, Check>>();

function validityPassed(from: Date, until: Date): Check {
  const a = from.getTime();
  const b = until.getTime();
  let byUntil = validityChecks.get(a);
  const hit = byUntil?.get(b);
  if (hit) return hit;
  if (validityChecks.size >= 512) validityChecks.clear();
  if (!byUntil) {
    byUntil = new Map();
    validityChecks.set(a, byUntil);
  }
  const c: Check = Object.freeze({
    id: 'mso.validity',
    status: 'passed',
    detail: `valid from ${iso(from)} until ${iso(until)}`,
  });
  byUntil.set(b, c);
  return c;
}

function jwkOfCoseKey(key: ReadonlyMap<CborValue, CborValue>): Record<string, string> | undefined {
  const b64 = (v: CborValue) =>
    v instanceof Uint8Array
      ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64url')
      : undefined;
  const kty = key.get(1);
  const crv = key.get(-1);
  const x = b64(key.get(-2));
  if (kty === 2 && x) {
    const names: Record<number, string> = { 1: 'P-256', 2: 'P-384', 3: 'P-521' };
    const y = b64(key.get(-3));
    const name = typeof crv === 'number' ? names[crv] : undefined;
    return name && y ? { kty: 'EC', crv: name, x, y } : undefined;
  }
  if (kty === 1 && crv === 6 && x) return { kty: 'OKP', crv: 'Ed25519', x };
  return undefined;
}

/**
 * The MSO summary of a verified document. The device key as a JWK and the MSO digest are computed on
 * first read (most verifications never read them); `toJSON` includes them.
 */
export class MsoSummaryView implements MsoSummary {
  readonly version: string;
  readonly docType: string;
  readonly digestAlgorithm: string;
  readonly signed: Date;
  readonly validFrom: Date;
  readonly validUntil: Date;
  readonly expectedUpdate?: Date;
  readonly keyAuthorizations?: MobileSecurityObject['deviceKeyInfo']['keyAuthorizations'];
  readonly status?: StatusListReference;
  readonly #mso: MobileSecurityObject;
  readonly #msoBytes: Uint8Array;
  #digest: Uint8Array | undefined;
  #jwk: Record<string, string> | null | undefined;

  constructor(mso: MobileSecurityObject, msoBytes: Uint8Array) {
    const vi = mso.validityInfo;
    this.version = mso.version;
    this.docType = mso.docType;
    this.digestAlgorithm = mso.digestAlgorithm;
    this.signed = vi.signed;
    this.validFrom = vi.validFrom;
    this.validUntil = vi.validUntil;
    if (vi.expectedUpdate) this.expectedUpdate = vi.expectedUpdate;
    if (mso.deviceKeyInfo.keyAuthorizations) this.keyAuthorizations = mso.deviceKeyInfo.keyAuthorizations;
    if (mso.status) this.status = mso.status;
    this.#mso = mso;
    this.#msoBytes = msoBytes;
  }

  get deviceKey(): Record<string, string> | undefined {
    if (this.#jwk === undefined) this.#jwk = jwkOfCoseKey(this.#mso.deviceKeyInfo.deviceKey) ?? null;
    return this.#jwk ?? undefined;
  }

  /** SHA-256 of the MobileSecurityObjectBytes. */
  get digestBytes(): Uint8Array {
    this.#digest ??= digestOf('sha256', this.#msoBytes);
    return this.#digest;
  }

  get digest(): string {
    const d = this.digestBytes;
    return Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex');
  }

  toJSON(): Record<string, unknown> {
    return { ...(this as object), deviceKey: this.deviceKey, digest: this.digest };
  }
}

/** Everything the device part and the status check need from the issuer part. */
export interface IssuerPartOutcome {
  readonly checks: Check[];
  readonly verified: VerifiedItems;
  readonly mso: MobileSecurityObject;
  readonly msoSummary: MsoSummaryView;
  readonly issuer?: DocumentSignerSummary;
  readonly issuerSignatureValid: boolean;
  /** The document signer certificate and its IACA, for judging a Status List Token's signer. */
  readonly documentSigner?: Certificate;
  readonly iaca?: Certificate;
}

/**
 * Runs the issuer checks of one decoded document, in report order: issuer.certificate_path,
 * issuer.certificate_profile, issuer.signature, mso.doctype, mso.digest_algorithm, mso.validity,
 * mso.signed_in_certificate_validity, item.digest.
 */
export function checkIssuerPart(
  part: ReceivedIssuerSigned,
  documentDocType: string,
  options: VerifyIssuerOptions,
): IssuerPartOutcome {
  const checks: Check[] = [];
  const { issuerAuth, mso } = part;
  const now = options.now;

  // 0. The COSE general rules (RFC 9052 §3, §3.1): crit, and where x5chain is taken from.
  let headerProblem = criticalHeaderProblem(
    issuerAuth.protectedHeaders,
    UNDERSTOOD_HEADER_LABELS,
    issuerAuth.unprotectedHeaders,
  );
  let x5chain: readonly Uint8Array[] = NO_CHAIN;
  let x5chainProblem: string | undefined;
  try {
    x5chain = x5chainOf(issuerAuth);
  } catch (e) {
    x5chainProblem = (e as Error).message;
    headerProblem ??= x5chainProblem;
  }

  // 1. Document signer path and profile.
  const signer = x5chainProblem ? unusableX5chain(x5chainProblem) : validateSigner(x5chain, options);
  const signerCheck = signerChecks(signer, documentDocType, options);
  checks.push(signerCheck.path, signerCheck.profile);

  // 1b. issuerAuth signature, algorithm from the protected header.
  const algId = protectedAlgorithm(issuerAuth);
  const alg = mdocSignatureAlgorithm(algId);
  let issuerSignatureValid = false;
  if (headerProblem !== undefined) {
    checks.push({
      id: 'issuer.signature',
      status: 'failed',
      detail: `issuerAuth is refused: ${headerProblem}`,
    });
  } else if (alg === undefined) {
    checks.push({
      id: 'issuer.signature',
      status: 'failed',
      detail: `unsupported or missing algorithm in the protected header (${String(algId)})`,
    });
  } else if (!signer.publicKey) {
    checks.push({ id: 'issuer.signature', status: 'failed', detail: 'no usable document signer public key' });
  } else {
    issuerSignatureValid = verifySignature(
      alg,
      signer.publicKey,
      sigStructure1Of(issuerAuth.protectedBytes, NO_AAD, part.msoBytes, TRANSIENT),
      issuerAuth.signatureOrTag,
    );
    checks.push(
      issuerSignatureValid
        ? (memoised('issuer.signature', alg.id) ??
            remember('issuer.signature', alg.id, `${alg.name} signature of the document signer verifies`))
        : {
            id: 'issuer.signature',
            status: 'failed',
            detail: `${alg.name} signature does not verify under the document signer key`,
          },
    );
  }

  // 2. MSO.
  const docTypeOk =
    mso.docType === documentDocType && (options.docType === undefined || options.docType === documentDocType);
  checks.push(
    docTypeOk
      ? (memoised('mso.doctype', mso.docType) ??
          remember('mso.doctype', mso.docType, `MSO docType ${mso.docType} matches the document`))
      : {
          id: 'mso.doctype',
          status: 'failed',
          detail:
            mso.docType !== documentDocType
              ? `MSO docType ${mso.docType} differs from the document docType ${documentDocType}`
              : `document docType ${documentDocType} is not the expected ${options.docType}`,
        },
  );
  const hash = digestAlgorithmHash(mso.digestAlgorithm);
  checks.push(
    hash
      ? (memoised('mso.digest_algorithm', mso.digestAlgorithm) ??
          remember('mso.digest_algorithm', mso.digestAlgorithm, mso.digestAlgorithm))
      : {
          id: 'mso.digest_algorithm',
          status: 'failed',
          detail: `unsupported digest algorithm ${mso.digestAlgorithm}`,
        },
  );
  const vi = mso.validityInfo;
  checks.push(validityCheck(vi, now, options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS));
  const ds = signer.certificate;
  if (!ds) {
    checks.push({
      id: 'mso.signed_in_certificate_validity',
      status: 'failed',
      detail: 'no document signer certificate to compare with',
    });
  } else {
    const s = vi.signed.getTime();
    checks.push(
      s >= ds.notBefore.getTime() && s <= ds.notAfter.getTime()
        ? (memoised('mso.signed_in_certificate_validity', s) ??
            remember(
              'mso.signed_in_certificate_validity',
              s,
              `signed ${iso(vi.signed)} within the document signer validity`,
            ))
        : {
            id: 'mso.signed_in_certificate_validity',
            status: 'failed',
            detail: `signed ${iso(vi.signed)} outside the document signer validity ${iso(ds.notBefore)} – ${iso(ds.notAfter)}`,
          },
    );
  }

  // 3. Digests over the received IssuerSignedItemBytes.
  const verified = new VerifiedItems();
  if (!hash) {
    checks.push({
      id: 'item.digest',
      status: 'failed',
      detail: 'digests cannot be checked: unsupported digest algorithm',
    });
  } else {
    let total = 0;
    let bad: string[] | undefined;
    for (const [ns, items] of part.items) {
      // An element signed twice in a namespace is refused, not resolved (see firstRepeatedIdentifier).
      const twice = repeatedIdentifiers(items);
      for (const item of items) {
        total++;
        if (twice?.has(item.elementIdentifier)) {
          if (!bad) bad = [];
          bad.push(`${ns}/${item.elementIdentifier} (signed more than once in its namespace)`);
          continue;
        }
        const outcome = mso.digests.compare(ns, item.digestID, hexDigestOf(hash, item.raw));
        if (outcome !== 'match') {
          if (!bad) bad = [];
          bad.push(
            `${ns}/${item.elementIdentifier}${outcome === 'missing' ? ' (digestID not in the MSO)' : ''}`,
          );
          continue;
        }
        verified.add(ns, item);
      }
    }
    checks.push(
      bad === undefined
        ? (memoised('item.digest', total) ??
            remember('item.digest', total, `${total} of ${total} disclosed element digests match the MSO`))
        : {
            id: 'item.digest',
            status: 'failed',
            detail: `${bad.length} of ${total} digests do not match: ${bad.join(', ')}`,
          },
    );
  }

  const msoSummary = new MsoSummaryView(mso, part.msoBytes);
  const issuer: DocumentSignerSummary | undefined =
    signer.summary ?? (ds ? signerSummary(ds, signer.anchor) : undefined);
  return {
    checks,
    verified,
    mso,
    msoSummary,
    ...(issuer ? { issuer } : {}),
    issuerSignatureValid,
    ...(ds ? { documentSigner: ds } : {}),
    ...(signer.issuerCertificate ? { iaca: signer.issuerCertificate } : {}),
  };
}

function signerSummary(ds: Certificate, anchor: Certificate | undefined): DocumentSignerSummary | undefined {
  try {
    return {
      subject: ds.subject,
      issuer: ds.issuer,
      serialNumber: ds.serialNumber,
      notBefore: ds.notBefore,
      notAfter: ds.notAfter,
      fingerprint256: ds.fingerprint256,
      ...(anchor ? { anchor: anchor.subject } : {}),
    };
  } catch {
    return undefined;
  }
}

const NO_STATUS_REFERENCE: Check = Object.freeze({
  id: 'status.revocation',
  status: 'skipped',
  detail: 'the MSO carries no status reference',
});

/**
 * The one `status.revocation` check of a document (a promise only when a checker is consulted).
 *
 * A status read from a Status List Token counts only when the token's signer may speak for the
 * document: the document signer's key itself, or a certificate issued by the DS's IACA whose
 * extendedKeyUsage is absent or includes the status-list-signing EKU (ISO/IEC 18013-5 2nd edition
 * §12.3.6.2 and Table B.9; `statusListSignerAuthority` of @mynakit/pki). Any other signer leaves the
 * status `undetermined` — neither passed nor revoked (draft-ietf-oauth-status-list §8.3).
 */
export function checkStatus(
  outcome: IssuerPartOutcome,
  docType: string,
  options: VerifyIssuerOptions,
): Check | Promise<Check> {
  const ref = outcome.mso.status;
  if (!ref) return NO_STATUS_REFERENCE;
  if (!outcome.issuerSignatureValid) {
    return {
      id: 'status.revocation',
      status: 'skipped',
      detail: 'status reference not consulted: the MSO signature did not verify',
    };
  }
  if (!options.statusChecker) {
    return {
      id: 'status.revocation',
      status: 'skipped',
      detail: `status list ${ref.uri}: no status checker configured`,
    };
  }
  return consultStatusChecker(options.statusChecker, ref, outcome, docType, options);
}

const CHECK_STATUSES: ReadonlySet<string> = new Set([
  'passed',
  'failed',
  'undetermined',
  'warning',
  'skipped',
]);

async function consultStatusChecker(
  checker: StatusChecker,
  ref: StatusListReference,
  outcome: IssuerPartOutcome,
  docType: string,
  options: VerifyIssuerOptions,
): Promise<Check> {
  const now = options.now;
  try {
    const r = await checker(ref, {
      now,
      docType,
      msoDigest: outcome.msoSummary.digestBytes,
      ...(outcome.documentSigner ? { documentSigner: outcome.documentSigner } : {}),
      ...(outcome.iaca ? { iaca: outcome.iaca } : {}),
    });
    const status: CheckStatus = CHECK_STATUSES.has(r.status) ? r.status : 'undetermined';
    const fromToken = r.token !== undefined || r.signerCertificate !== undefined;
    if (fromToken && (status === 'passed' || status === 'failed')) {
      const authority = statusSignerAuthority(
        r.signerCertificate ?? r.token?.signerCertificate,
        outcome,
        options,
      );
      if (!authority.authorised) {
        return {
          id: 'status.revocation',
          status: 'undetermined',
          detail: `${r.detail} — not relied on: ${authority.detail}, so the list does not speak for this document; status unknown`,
        };
      }
    }
    return { id: 'status.revocation', status, detail: r.detail };
  } catch (e) {
    return {
      id: 'status.revocation',
      status: 'undetermined',
      detail: `status list ${ref.uri}: the status could not be determined (${e instanceof Error ? e.name : 'error'}); status unknown`,
    };
  }
}

function statusSignerAuthority(
  signerDer: Uint8Array | undefined,
  outcome: IssuerPartOutcome,
  options: VerifyIssuerOptions,
): { readonly authorised: boolean; readonly detail: string } {
  if (signerDer === undefined)
    return {
      authorised: false,
      detail: 'the status list signer is not known (the token was not verified under a certificate)',
    };
  const ds = outcome.documentSigner;
  if (!ds) return { authorised: false, detail: 'there is no document signer certificate to compare with' };
  let signer: Certificate;
  try {
    signer = parseCertificate(signerDer);
  } catch {
    return { authorised: false, detail: 'the status list signer certificate is unreadable' };
  }
  return statusListSignerAuthority({
    signer,
    documentSigner: ds,
    ...(outcome.iaca ? { iaca: outcome.iaca } : {}),
    now: options.now,
    ...(options.statusListSignerEku ? { statusListEku: options.statusListSignerEku } : {}),
  });
}

const ISSUER_REQUIRED_OPTIONS: readonly string[] = ['now', 'trustAnchors'];

/**
 * The options are the relying party's configuration: anything missing or unusable there throws a typed
 * MdocError naming the option (`required` lists what the calling verifier needs), so that a mistake in
 * the set-up is never reported as a verdict about the credential. Cheap on the hot path: the anchors
 * are parsed once per array (normaliseAnchors).
 */
function requireOptions(
  options: VerifyIssuerOptions,
  required: readonly string[] = ISSUER_REQUIRED_OPTIONS,
): void {
  if (typeof options !== 'object' || options === null) {
    throw new MdocError(
      'MDOC_INVALID_ARGUMENT',
      `options are missing: give {${required.join(', ')}} (now: the verification time as a Date; trustAnchors: the IACA certificates)`,
    );
  }
  if (options.now === undefined)
    throw new MdocError(
      'MDOC_INVALID_ARGUMENT',
      'options.now is missing: give the verification time as a Date (libraries never read the clock)',
    );
  if (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())) {
    throw new MdocError(
      'MDOC_INVALID_ARGUMENT',
      'options.now must be a valid Date (libraries never read the clock)',
    );
  }
  if (options.trustAnchors === undefined)
    throw new MdocError(
      'MDOC_INVALID_ARGUMENT',
      'options.trustAnchors is missing: give the trust anchor certificates (IACA roots) as an array',
    );
  if (!Array.isArray(options.trustAnchors))
    throw new MdocError('MDOC_INVALID_ARGUMENT', 'options.trustAnchors must be an array');
  normaliseAnchors(options.trustAnchors);
  const skew = options.clockSkewSeconds;
  if (skew !== undefined && !(typeof skew === 'number' && Number.isFinite(skew) && skew >= 0))
    throw new MdocError('MDOC_INVALID_ARGUMENT', 'options.clockSkewSeconds must be a finite number ≥ 0');
}

export { requireOptions as assertVerifyOptions };

export interface IssuerSignedVerification {
  /** The verdict on the issuer data alone — never on a presentation (see deviceAuthentication). */
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  readonly documents: readonly VerifiedDocument[];
  /**
   * Always `not-performed`: an IssuerSigned carries no device authentication, so nothing shows that
   * it was presented by the device holding the MSO's key — a copied record verifies the same.
   */
  readonly deviceAuthentication: 'not-performed';
}

/** The `device.signature` check of an issuer-data-only verification. */
export const DEVICE_AUTHENTICATION_NOT_PERFORMED: Check = Object.freeze({
  id: 'device.signature',
  status: 'skipped',
  detail:
    'device authentication was not performed: an IssuerSigned alone does not show that the device holding the MSO device key presented it (verify a DeviceResponse for that)',
});

/**
 * Verifies the issuer data of an IssuerSigned on its own (what an issuer hands a wallet): the issuer
 * checks, `device.signature` skipped, and the status check. This is not the verification of a
 * presentation — a DeviceResponse Document requires deviceSigned (ISO/IEC 18013-5 §8.3.2.1.2.2) and
 * goes through verifyDeviceResponse — and the result says so (`deviceAuthentication: 'not-performed'`).
 */
export async function verifyIssuerSigned(
  input: Uint8Array | CborValue,
  options: VerifyIssuerOptions & { readonly docType?: string },
): Promise<IssuerSignedVerification> {
  requireOptions(options);
  let part: ReceivedIssuerSigned;
  try {
    part =
      input instanceof Uint8Array
        ? readBytes(input, 'IssuerSigned', (r) => readIssuerSigned(r))
        : readDecoded(input, 'IssuerSigned', (r) => readIssuerSigned(r));
  } catch (e) {
    const c: Check = {
      id: 'decode',
      status: 'failed',
      detail: `IssuerSigned cannot be read: ${(e as Error).message}`,
    };
    return { verdict: 'invalid', checks: [c], documents: [], deviceAuthentication: 'not-performed' };
  }
  const docType = options.docType ?? part.mso.docType;
  const outcome = checkIssuerPart(part, docType, options);
  const checks: Check[] = [
    { id: 'decode', status: 'passed', detail: 'IssuerSigned decoded' },
    ...outcome.checks,
    DEVICE_AUTHENTICATION_NOT_PERFORMED,
    await checkStatus(outcome, docType, options),
  ];
  const doc = new VerifiedDocumentView(
    { docType, checks, mso: outcome.msoSummary, ...(outcome.issuer ? { issuer: outcome.issuer } : {}) },
    outcome.verified,
  );
  return { verdict: doc.verdict, checks, documents: [doc], deviceAuthentication: 'not-performed' };
}
