/**
 * The document signer (DS) of issuerAuth (ISO/IEC 18013-5 §9.1.2.4, §9.3.1; RFC 5280 path
 * validation): its certificate from the x5chain header (RFC 9360 §2, taken by @mynakit/cose from the
 * protected header first), validated to a configured trust anchor at `now` — never to a root the
 * message carries — with the certificates the x5chain carries as the only path candidates. The result
 * does not depend on the document's docType, so it is what the verification cache keeps; the docType's
 * extended key usage rule is applied on top of it (issuer-certificate-path.ts).
 */

import type { KeyObject } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import { bytesEqual } from '@mynakit/cbor';
import type { CoseMessage } from '@mynakit/cose';
import {
  type Certificate,
  checkDocumentSignerProfile,
  documentSignerKeyUsageProblem,
  isSignedBy,
  namesEqual,
  parseCertificate,
  type ValidationPolicy,
  validateCertificatePath,
} from '@mynakit/pki';
import type { Check } from '@mynakit/report';
import { x5chainOf } from '../internal/shape.js';
import { defaultVerificationCache, type VerificationCache } from '../verification-cache.js';
import { type DocumentSignerSummary, signerSummary } from '../verified-document.js';
import type { VerifyIssuerOptions } from '../verify-options.js';
import { normaliseAnchors } from './trust-anchors.js';

/**
 * What validating a DS x5chain yields, independent of the document's docType (so it is what the path
 * cache keeps): the docType's extended key usage rule and the profile are applied on top of it by
 * `signerChecks`.
 */
export interface SignerResult {
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

/** A validated path worth caching: its certificates and the validation's own checks. */
interface Validated {
  readonly path: readonly Certificate[];
  readonly checks: readonly Check[];
}

export function pathFailed(detail: string): Check {
  return { id: 'issuer.certificate_path', status: 'failed', detail };
}

export function profileSkipped(detail: string): Check {
  return { id: 'issuer.certificate_profile', status: 'skipped', detail };
}

function describeAnchor(ds: Certificate, anchor: Certificate | undefined): string {
  return anchor
    ? anchor.fingerprint256 === ds.fingerprint256
      ? 'is itself a trust anchor'
      : `chains to trust anchor ${anchor.subject}`
    : 'validated';
}

/** The signer result of an issuerAuth whose x5chain cannot be taken (RFC 9052 §3, RFC 9360 §2). */
export function unusableX5chain(problem: string): SignerResult {
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
export function validateSigner(x5chain: readonly Uint8Array[], options: VerifyIssuerOptions): SignerResult {
  try {
    return validateSignerUnguarded(x5chain, options);
  } catch (e) {
    return {
      pathFailure: pathFailed(`document signer certificate unusable: ${(e as Error).message}`),
      profile: profileSkipped('document signer certificate unusable'),
    };
  }
}

/** The docType-independent result for the DS certificate `dsDer`, from the cache or validated now. */
function validateSignerUnguarded(x5chain: readonly Uint8Array[], options: VerifyIssuerOptions): SignerResult {
  const dsDer = x5chain[0];
  if (!dsDer) {
    return {
      pathFailure: pathFailed('issuerAuth carries no x5chain (document signer certificate)'),
      profile: profileSkipped('no document signer certificate'),
    };
  }
  const policy = options.policy ?? 'lenient';
  const anchors = normaliseAnchors(options.trustAnchors);
  const cache = options.cache === false ? undefined : (options.cache ?? defaultVerificationCache);
  // A hit is the same x5chain byte for byte, under the same anchors and policy, inside the window;
  // the result is immutable and depends only on what the key covers: shared as it is.
  const context = cache?.contextKey(anchors, policy);
  const hit = cache && context !== undefined ? cache.lookup(x5chain, context, options.now) : undefined;
  if (hit) return hit.summary as SignerResult;
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
  const validated = validatePath(ds, intermediates, anchors, options.now, policy);
  if (cache && context !== undefined && validated.cacheable)
    storeSigner(cache, context, x5chain, validated.result, validated.cacheable, policy);
  return validated.result;
}

/**
 * RFC 5280 path validation of the DS (its extended key usage depends on the docType and is decided by
 * `signerChecks`, not here), then the two safeguards of `signerCertificateProblem` and the DS key
 * usage. `cacheable` is given when the result may be cached (validated, with a usable key).
 */
function validatePath(
  ds: Certificate,
  intermediates: readonly Certificate[],
  anchors: readonly Certificate[],
  now: Date,
  policy: ValidationPolicy,
): { readonly result: SignerResult; readonly cacheable?: Validated } {
  const result = validateCertificatePath({ leaf: ds, intermediates, trustAnchors: anchors, now, policy });
  const publicKey = publicKeyOf(ds);
  const problem = result.ok
    ? (signerCertificateProblem(ds, result.path, anchors) ?? documentSignerKeyUsageProblem(ds))
    : undefined;
  const failure = !result.ok
    ? pathFailed(
        `document signer ${ds.subject}: ${result.failure ? `${result.failure.code}: ${result.failure.detail}` : 'no valid path'}`,
      )
    : problem
      ? pathFailed(`document signer ${ds.subject}: ${problem}`)
      : undefined;
  const notes = result.checks.filter((c) => c.status === 'warning').map((c) => c.detail);
  const dsSummary = signerSummary(ds, result.anchor);
  const issuerCertificate = result.ok && result.path.length > 1 ? result.path[1] : undefined;
  const signer: SignerResult = {
    certificate: ds,
    ...(dsSummary ? { summary: dsSummary } : {}),
    ...(publicKey ? { publicKey } : {}),
    ...(failure
      ? { pathFailure: failure }
      : { pathTo: describeAnchor(ds, result.anchor), ...(notes.length ? { pathNotes: notes } : {}) }),
    ...(result.anchor ? { anchor: result.anchor } : {}),
    ...(issuerCertificate ? { issuerCertificate } : {}),
  };
  return !failure && publicKey && result.ok
    ? { result: signer, cacheable: { path: result.path, checks: result.checks } }
    : { result: signer };
}

/** Keeps a validated DS for the window in which every certificate of its path is valid. */
function storeSigner(
  cache: VerificationCache,
  context: string,
  x5chain: readonly Uint8Array[],
  signer: SignerResult,
  validated: Validated,
  policy: ValidationPolicy,
): void {
  const ds = signer.certificate as Certificate;
  let start = Number.NEGATIVE_INFINITY;
  let end = Number.POSITIVE_INFINITY;
  for (const c of validated.path) {
    start = Math.max(start, c.notBefore.getTime());
    end = Math.min(end, c.notAfter.getTime());
  }
  cache.store(x5chain, {
    chain: x5chain.map((c) => c.slice()),
    context,
    certificate: ds,
    publicKey: signer.publicKey as KeyObject,
    pathChecks: validated.checks,
    // The docType-independent profile rules (the EKU rule depends on the docType).
    profileChecks: checkDocumentSignerProfile(ds, policy).filter((c) => c.id !== 'profile.ds.eku'),
    path: validated.path,
    windowStart: start,
    windowEnd: end,
    summary: signer,
  });
}

const NO_CHAIN: readonly Uint8Array[] = Object.freeze([]);

/**
 * The document signer of issuerAuth: its x5chain taken by @mynakit/cose's rules (RFC 9052 §3: from
 * the protected header first; two different chains refuse the message — `x5chainProblem` says why,
 * and the path fails), then validated (`validateSigner`).
 */
export function documentSignerOf(
  issuerAuth: CoseMessage,
  options: VerifyIssuerOptions,
): { readonly signer: SignerResult; readonly x5chainProblem?: string } {
  let x5chain: readonly Uint8Array[] = NO_CHAIN;
  try {
    x5chain = x5chainOf(issuerAuth);
  } catch (e) {
    const x5chainProblem = (e as Error).message;
    return { signer: unusableX5chain(x5chainProblem), x5chainProblem };
  }
  return { signer: validateSigner(x5chain, options) };
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
