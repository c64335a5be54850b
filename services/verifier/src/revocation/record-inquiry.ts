/**
 * The issuer's per-record status inquiry, asked by the verifier (DOMAIN.md §1 "Revocation is a double
 * measure" and §4): "because an offline phone may still present before it hears, the recipient can ask
 * online whether a received record is invalidated". The mynakit issuer offers it as
 *
 *   POST <issuer URL>/inquiry        HTTP Basic (RFC 7617) client id and secret of the role `inquiry`
 *     {"msoDigest": "<64 hex>"}       (the issuer's `/rp-clients`; services/issuer/src/inquiry/routes.ts)
 *   → 200 {status, checkedAt, answer: base64url of the signed evidence}
 *
 * keyed by SHA-256 of the MobileSecurityObjectBytes (the MSO has no identifier of its own). Only the signed
 * evidence counts, never the JSON beside it: @mynakit/status-list verifyInquiryEvidence checks its
 * signature to the relying party's trust anchors (the record IACAs), that it is about this record
 * (`mso_digest`), for this verifier (`aud` = the client id), from the issuer asked (`iss`), and current
 * (`iat` within MAX_INQUIRY_ANSWER_AGE_SECONDS), and relied on only when its signer may speak for the
 * document — the status-list signer rule of ISO/IEC 18013-5 2nd edition §12.3.6.2, as for a Status List
 * Token (checked here, so that the record never keeps an answer that was not relied on as if it were, and by
 * @mynakit/mdoc again). The evidence is kept in the verification record.
 *
 * When it is asked is the relying party's choice (RevocationPolicy.inquiry): `when-undetermined` (the
 * default) only when the status list gave no answer — no reference in the MSO, the list unreachable or not
 * to be relied on — because an inquiry tells the issuer which record this relying party is verifying, and a
 * status list does not (its herd privacy); `always` at every verification, for the freshest answer (a list
 * may be cached for its ttl); `never`. The issuer is the one the deployment configured (ARCHITECTURE.md
 * rule 9), with this verifier's client credentials there — never a URL the record names, never a relying
 * party's input.
 *
 * Fail closed (DOMAIN.md §4): an unreachable issuer, a redirect, any non-200 (401 wrong credentials, 403
 * a client without the role), a timeout, an oversized or malformed answer, evidence that does not verify,
 * and `unknown` (the issuer has no such record: no statement is not revocation) are all undetermined, and
 * the relying party's revocation policy decides. `valid` is passed; `invalid` and `suspended` are failed.
 * Neither the credentials nor anything of the record but its digest leave the verifier; log lines and the
 * record name the URL asked and what it gave.
 */
import { JP_MNC_DOCTYPE, type StatusInquiry, statusSignerMaySpeakFor } from '@mynakit/mdoc';
import type { Check } from '@mynakit/report';
import { verifyInquiryEvidence } from '@mynakit/status-list';
import { VerifierError } from '../errors.js';
import { checkClientCredentials, postWithClientCredentials } from '../http/client-credentials.js';
import type { StatusConsultation } from './status-checker.js';

/** The path of the inquiry under the issuer's URL (the mynakit issuer's). */
export const RECORD_INQUIRY_PATH = '/inquiry';
/** Largest answer read, bytes (three members; the evidence carries one certificate). */
export const MAX_RECORD_INQUIRY_RESPONSE_BYTES = 32 * 1024;
/** Default time allowed for one inquiry, ms. */
export const DEFAULT_RECORD_INQUIRY_TIMEOUT_MS = 5_000;
/**
 * How old an answer may be when it arrives, seconds: the issuer answers from its register at the time of
 * the request, so anything older came from a cache in between (or a clock far off) and is not the status now.
 */
export const MAX_INQUIRY_ANSWER_AGE_SECONDS = 300;

/** The issuer this deployment asks (VerifierDeps.recordInquiry). */
export interface RecordInquiryConfig {
  /**
   * The issuer's URL — its credential issuer identifier, e.g. `https://issuer.example`: the evidence's `iss`
   * must be exactly this, and `POST <issuerUrl>/inquiry` is the only URL ever asked.
   */
  readonly issuerUrl: string;
  /** The client id the issuer gave this verifier (role `inquiry`). */
  readonly clientId: string;
  /** Its secret. Never logged, never written into a record. */
  readonly clientSecret: string;
  /**
   * The docTypes of the records this issuer answers for (default the card-substitute record's,
   * `org.iso.23220.1.jp.mnc`): a document of another docType in the same answer (an mDL from elsewhere) is
   * never asked about — its digest would tell this issuer of a record it did not issue.
   */
  readonly docTypes?: readonly string[];
}

/** The inquiry with its transport (VerifierDeps.recordInquiry). */
export interface RecordInquiryDeps {
  readonly config: RecordInquiryConfig;
  /** The fetch to use (default the global one); the sandbox and tests hand in the issuer app's. */
  readonly fetch?: (request: Request) => Promise<Response>;
  /** Time allowed per inquiry, ms (default DEFAULT_RECORD_INQUIRY_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/** When a relying party asks the issuer's inquiry (RevocationPolicy.inquiry). */
export type InquiryUse = 'never' | 'when-undetermined' | 'always';

/**
 * The configuration, checked: an http(s) URL without query or fragment (a trailing `/` dropped), and
 * credentials that fit an HTTP Basic header. VERIFIER_INVALID_INPUT otherwise, naming what is wrong but never
 * the secret.
 */
export function checkRecordInquiryConfig(config: RecordInquiryConfig): RecordInquiryConfig {
  let url: URL;
  try {
    url = new URL(config.issuerUrl);
  } catch (e) {
    throw new VerifierError('VERIFIER_INVALID_INPUT', 'the record inquiry issuer URL is not a URL', {
      cause: e,
    });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '')
    throw new VerifierError(
      'VERIFIER_INVALID_INPUT',
      'the record inquiry issuer URL must be http(s)://host[:port][/path], without query or fragment',
    );
  checkClientCredentials('the record inquiry', config.clientId, config.clientSecret);
  if (
    config.docTypes !== undefined &&
    (!Array.isArray(config.docTypes) ||
      config.docTypes.length === 0 ||
      config.docTypes.length > 16 ||
      !config.docTypes.every((d) => typeof d === 'string' && d.length > 0 && d.length <= 128))
  )
    throw new VerifierError(
      'VERIFIER_INVALID_INPUT',
      'the record inquiry docTypes must be 1..16 docType names',
    );
  return {
    issuerUrl: config.issuerUrl.replace(/\/+$/, ''),
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    ...(config.docTypes === undefined ? {} : { docTypes: [...config.docTypes] }),
  };
}

/** What createStatusInquiry needs. */
export interface StatusInquiryInput {
  /** The deployment's inquiry; absent: none is configured. */
  readonly inquiry: RecordInquiryDeps | undefined;
  /** The relying party's choice. */
  readonly use: InquiryUse;
  /** The relying party's trust anchors (DER): the IACAs the evidence's signer must chain to. */
  readonly trustAnchors: readonly Uint8Array[];
  /** Receives what was asked (one call per inquiry made). */
  readonly observe: (consultation: StatusConsultation) => void;
}

/** Whether the status list already answered (then `when-undetermined` does not ask). */
function listAnswered(listCheck: Check): boolean {
  return listCheck.status === 'passed' || listCheck.status === 'failed';
}

/**
 * A StatusInquiry for @mynakit/mdoc (see the file comment); undefined when the relying party never asks.
 */
export function createStatusInquiry(input: StatusInquiryInput): StatusInquiry | undefined {
  if (input.use === 'never') return undefined;
  const inquiry = input.inquiry;
  const docTypes: ReadonlySet<string> = new Set(inquiry?.config.docTypes ?? [JP_MNC_DOCTYPE]);
  return async (context, listCheck) => {
    if (!docTypes.has(context.docType)) return undefined;
    if (input.use === 'when-undetermined' && listAnswered(listCheck)) return undefined;
    const now = context.now;
    const checkedAt = now.getTime();
    if (inquiry === undefined) {
      // Asked for at every verification but not configured: no answer, which the policy judges; when only
      // wanted as a fallback, the list's own result stands.
      if (input.use === 'when-undetermined') return undefined;
      input.observe({
        kind: 'inquiry',
        source: '',
        checkedAt,
        via: 'failed',
        outcome: 'not configured',
      });
      return {
        status: 'undetermined',
        detail: 'no record inquiry is configured for this verifier; status unknown',
      };
    }
    const config = inquiry.config;
    const url = `${config.issuerUrl}${RECORD_INQUIRY_PATH}`;
    const failed = (outcome: string, detail: string) => {
      input.observe({ kind: 'inquiry', source: url, checkedAt, via: 'failed', outcome });
      return { status: 'undetermined' as const, detail: `${url}: ${detail}; status unknown` };
    };
    const posted = await postWithClientCredentials(
      url,
      { msoDigest: Buffer.from(context.msoDigest).toString('hex') },
      config,
      {
        ...(inquiry.fetch === undefined ? {} : { fetch: inquiry.fetch }),
        timeoutMs: inquiry.timeoutMs ?? DEFAULT_RECORD_INQUIRY_TIMEOUT_MS,
        maxBytes: MAX_RECORD_INQUIRY_RESPONSE_BYTES,
      },
    );
    if (!posted.ok) return failed(posted.outcome, `no answer (${posted.outcome})`);
    const body = posted.body;

    let answer: string;
    try {
      const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
      const value =
        typeof parsed === 'object' && parsed !== null && Object.hasOwn(parsed, 'answer')
          ? (parsed as { answer: unknown }).answer
          : undefined;
      if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) throw new Error('no answer');
      answer = value;
    } catch {
      return failed('malformed answer', 'the answer carries no signed evidence');
    }
    const evidence = new Uint8Array(Buffer.from(answer, 'base64url'));
    const verified = await verifyInquiryEvidence(evidence, {
      now,
      trustAnchors: input.trustAnchors,
      msoDigest: context.msoDigest,
      audience: config.clientId,
      issuer: config.issuerUrl,
      maxAgeSeconds: MAX_INQUIRY_ANSWER_AGE_SECONDS,
    });
    if (!verified.ok || verified.status === undefined) {
      const first = verified.report.checks.find((c) => c.status === 'failed' || c.status === 'undetermined');
      const why = first === undefined ? 'the evidence does not verify' : `${first.id}: ${first.detail}`;
      return failed('evidence not verified', `the answer's evidence is not relied on (${why})`);
    }
    // The signer must be one that may speak for this record (the DS itself, or a status-list signer of the
    // DS's IACA): @mynakit/mdoc applies the same rule again to what is returned, but the record must not keep
    // an answer it does not rely on as if it did.
    const authority = statusSignerMaySpeakFor(verified.signerCertificate, context);
    if (!authority.authorised)
      return failed(
        'signer not authorised',
        `the answer's signer may not speak for this record (${authority.detail})`,
      );
    const status = verified.status;
    input.observe({
      kind: 'inquiry',
      source: url,
      checkedAt,
      via: 'network',
      outcome: status,
      ...(verified.checkedAt === undefined ? {} : { answeredAt: verified.checkedAt.getTime() }),
      evidence: answer,
    });
    const asOf = verified.checkedAt?.toISOString() ?? new Date(checkedAt).toISOString();
    const signer =
      verified.signerCertificate === undefined ? {} : { signerCertificate: verified.signerCertificate };
    if (status === 'valid') return { status: 'passed', detail: `${url}: valid as of ${asOf}`, ...signer };
    if (status === 'invalid' || status === 'suspended')
      return { status: 'failed', detail: `${url}: ${status} as of ${asOf}`, ...signer };
    return {
      status: 'undetermined',
      detail: `${url}: the issuer has no record with this digest (unknown); status unknown`,
    };
  };
}
