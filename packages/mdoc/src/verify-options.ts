/**
 * The relying party's configuration of an issuer data verification. Anything missing or unusable in
 * it throws a typed MdocError naming the option, so that a mistake in the set-up is never reported as
 * a verdict about the credential.
 */
import type { DocumentSignerEkuTable, ValidationPolicy } from '@mynakit/pki';
import type { StatusChecker, StatusInquiry } from './checks/status.js';
import { normaliseAnchors, type TrustAnchorInput } from './checks/trust-anchors.js';
import { MdocError } from './errors.js';
import type { VerificationCache } from './verification-cache.js';

export interface VerifyIssuerOptions {
  /**
   * Configured trust anchors (IACA roots, or a DS trusted directly). Treated as immutable: the parsed
   * form is kept per array, so pass a new array to change the set.
   */
  readonly trustAnchors: readonly TrustAnchorInput[];
  /** The verification time. Required: libraries never read the clock. */
  readonly now: Date;
  readonly statusChecker?: StatusChecker;
  /**
   * The issuer's per-record inquiry, consulted after the status list (checks/status.ts): its answer and
   * the list's are the one `status.revocation` check.
   */
  readonly statusInquiry?: StatusInquiry;
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

const ISSUER_REQUIRED_OPTIONS: readonly string[] = ['now', 'trustAnchors'];

/**
 * The options are the relying party's configuration: anything missing or unusable there throws a typed
 * MdocError naming the option (`required` lists what the calling verifier needs), so that a mistake in
 * the set-up is never reported as a verdict about the credential. Cheap on the hot path: the anchors
 * are parsed once per array (normaliseAnchors).
 */
export function requireOptions(
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
