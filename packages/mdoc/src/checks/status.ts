/**
 * `status.revocation` — the one status check of a document, whatever sources it consulted
 * (draft-ietf-oauth-status-list §6.3 for the MSO `status` reference; ISO/IEC 18013-5 2nd edition
 * §12.3.6.2): `skipped` without a reference or a checker, what the caller's checker finds otherwise,
 * `undetermined` when the check cannot be made — never "revoked" and never "valid" on a failure.
 *
 * A second source may be given: the issuer's per-record inquiry (DOMAIN.md §4, keyed by the SHA-256 of the
 * MobileSecurityObjectBytes), consulted after the list with the list's result in hand — so the caller decides
 * whether to ask always or only when the list could not answer. The two are one check (`combineStatus`): a
 * source that finds the record revoked or suspended makes it failed; else one that finds it valid makes it
 * passed; else it is undetermined (or skipped when neither was consulted). Each source's answer counts only
 * when its signer may speak for the document (the status-list signer rule below).
 */
import { type Certificate, parseCertificate, statusListSignerAuthority } from '@mynakit/pki';
import type { Check, CheckStatus } from '@mynakit/report';
import type { StatusListReference } from '../mobile-security-object.js';
import type { VerifyIssuerOptions } from '../verify-options.js';
import type { IssuerPartOutcome } from './issuer-data-authentication.js';

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

/**
 * Asks the issuer about this very record (its per-record inquiry, keyed by `context.msoDigest`), after the
 * status list was consulted — `listCheck` is the list's result (`skipped` when the MSO carries no
 * reference). Answers `undefined` when it chooses not to ask (e.g. the list already answered). An answer
 * whose evidence was verified under a certificate names it (`signerCertificate`): it then counts only when
 * that signer may speak for the document, as for a Status List Token. A rejection is `undetermined`.
 */
export type StatusInquiry = (
  context: StatusCheckContext,
  listCheck: Check,
) => Promise<StatusCheckResult | undefined>;

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
  const list = checkStatusList(outcome, docType, options);
  const inquiry = options.statusInquiry;
  if (inquiry === undefined || !outcome.issuerSignatureValid) return list;
  return list instanceof Promise
    ? list.then((l) => consultStatusInquiry(inquiry, l, outcome, docType, options))
    : consultStatusInquiry(inquiry, list, outcome, docType, options);
}

/** The status list's part: the MSO `status` reference through the caller's checker. */
function checkStatusList(
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

function contextOf(outcome: IssuerPartOutcome, docType: string, now: Date): StatusCheckContext {
  return {
    now,
    docType,
    msoDigest: outcome.msoSummary.digestBytes,
    ...(outcome.documentSigner ? { documentSigner: outcome.documentSigner } : {}),
    ...(outcome.iaca ? { iaca: outcome.iaca } : {}),
  };
}

/** The inquiry's part, then both as the one check. */
async function consultStatusInquiry(
  inquiry: StatusInquiry,
  listCheck: Check,
  outcome: IssuerPartOutcome,
  docType: string,
  options: VerifyIssuerOptions,
): Promise<Check> {
  let answer: Check | undefined;
  try {
    const r = await inquiry(contextOf(outcome, docType, options.now), listCheck);
    if (r !== undefined) {
      const status: CheckStatus = CHECK_STATUSES.has(r.status) ? r.status : 'undetermined';
      answer = { id: 'status.revocation', status, detail: r.detail };
      // As for a list checker: a signer named either way (or a token with none) is held to the rule.
      const signed = r.token !== undefined || r.signerCertificate !== undefined;
      if ((status === 'passed' || status === 'failed') && signed) {
        const authority = statusSignerAuthority(
          r.signerCertificate ?? r.token?.signerCertificate,
          outcome,
          options,
        );
        if (!authority.authorised)
          answer = {
            id: 'status.revocation',
            status: 'undetermined',
            detail: `${r.detail} — not relied on: ${authority.detail}, so the answer does not speak for this document; status unknown`,
          };
      }
    }
  } catch (e) {
    answer = {
      id: 'status.revocation',
      status: 'undetermined',
      detail: `the issuer's inquiry could not be made (${e instanceof Error ? e.name : 'error'}); status unknown`,
    };
  }
  return answer === undefined ? listCheck : combineStatus(listCheck, answer);
}

/**
 * The one `status.revocation` of two sources (see the file comment): revoked or suspended by either →
 * failed; else valid by either → passed; else undetermined; skipped only when both were.
 */
export function combineStatus(listCheck: Check, inquiryCheck: Check): Check {
  const detail = `${listCheck.detail}; inquiry: ${inquiryCheck.detail}`;
  const either = (s: CheckStatus) => listCheck.status === s || inquiryCheck.status === s;
  const status: CheckStatus = either('failed')
    ? 'failed'
    : either('passed')
      ? 'passed'
      : listCheck.status === 'skipped' && inquiryCheck.status === 'skipped'
        ? 'skipped'
        : 'undetermined';
  return { id: 'status.revocation', status, detail };
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
    const r = await checker(ref, contextOf(outcome, docType, now));
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

/**
 * Whether the certificate that verified a status answer (a Status List Token, an inquiry's evidence) may
 * speak for the document of `context`: the document signer's key, or a status-list signer of its IACA
 * (`statusListSignerAuthority` of @mynakit/pki, see `checkStatus`). Exported for a status source that
 * wants to know before it reports (the answer is judged here again all the same).
 */
export function statusSignerMaySpeakFor(
  signerDer: Uint8Array | undefined,
  context: Pick<StatusCheckContext, 'now' | 'documentSigner' | 'iaca'>,
  statusListEku?: string,
): { readonly authorised: boolean; readonly detail: string } {
  if (signerDer === undefined)
    return {
      authorised: false,
      detail: 'the status list signer is not known (the token was not verified under a certificate)',
    };
  const ds = context.documentSigner;
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
    ...(context.iaca ? { iaca: context.iaca } : {}),
    now: context.now,
    ...(statusListEku ? { statusListEku } : {}),
  });
}

function statusSignerAuthority(
  signerDer: Uint8Array | undefined,
  outcome: IssuerPartOutcome,
  options: VerifyIssuerOptions,
): { readonly authorised: boolean; readonly detail: string } {
  return statusSignerMaySpeakFor(
    signerDer,
    {
      now: options.now,
      ...(outcome.documentSigner ? { documentSigner: outcome.documentSigner } : {}),
      ...(outcome.iaca ? { iaca: outcome.iaca } : {}),
    },
    options.statusListSignerEku,
  );
}
