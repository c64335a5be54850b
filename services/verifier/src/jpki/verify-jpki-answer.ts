/**
 * POST /sessions/:id/jpki-authentication and /sessions/:id/jpki-signature — one JPKI answer verified end to
 * end (DOMAIN.md §3 and §5; ARCHITECTURE.md data flow):
 *
 * 1. claim the session once (compare-and-set; a replay is VERIFIER_SESSION_USED, a late answer
 *    VERIFIER_SESSION_EXPIRED, a session of the other channel or another relying party VERIFIER_NOT_FOUND);
 * 2. @mynakit/jpki: for user authentication verifyAuthResponse — the RSA PKCS#1 v1.5 signature over
 *    DigestInfo(SHA-256, this session's challenge), profile `jpki-auth` (keyUsage digitalSignature, EKU
 *    clientAuth, the user-authentication policy); for a signature verifyJpkiSignature — the CMS SignedData
 *    over exactly this session's document (attached or detached), profile `jpki-sign` (digitalSignature +
 *    nonRepudiation, the signature policy, the basic four). Both: the path to the relying party's trust
 *    anchors (every current CA generation it configured), validity, and one `status.revocation` check over
 *    the configured issuers' OCSP and CRLs (jpki-status.ts) — or, for a relying party whose `jpkiStatusVia`
 *    is `platform-operator`, the configured platform operator's status interface (platform-operator-status.ts);
 * 3. the relying party's revocation policy (revocation/revocation-policy.ts);
 * 4. the KYC method on that JST date (@mynakit/kyc kycMethodFor): a signature gives カ / 新ヌ (犯収法) or ト
 *    (携帯法) only for a signature verifier (署名検証者) — otherwise null with KYC_NOT_A_SIGNATURE_VERIFIER;
 *    user authentication is no identity-verification method (KYC_EVIDENCE_NOT_A_METHOD);
 * 5. in one transaction: the verification record appended and the session marked done.
 *
 * Check ids are @mynakit/jpki's (`cert.decode`, `auth.signature`, `cms.*`, `cert.path`, `cert.validity`,
 * `cert.key_usage`, `cert.policy`, `jpki.basic_four`, `status.revocation`) and the verifier's
 * (`revocation.policy`, `kyc.method`). Problems and check details never carry the basic four.
 */
import {
  type AuthVerificationReport,
  type BasicFour,
  type CertificateIdentity,
  DEFAULT_JPKI_POLICY_CONFIG,
  formatCalendarDate,
  parseJpkiBirthDate,
  type RevocationSource,
  type SignatureVerificationReport,
  verifyAuthResponse,
  verifyJpkiSignature,
} from '@mynakit/jpki';
import { type KycMethodResult, kycMethodFor } from '@mynakit/kyc';
import { type Certificate, parseCertificate, parseCms } from '@mynakit/pki';
import { type Check, type Verdict, verdictOf } from '@mynakit/report';
import type { Kysely } from 'kysely';
import type { VerifierDeps } from '../context.js';
import { VerifierError, type VerifierErrorCode } from '../errors.js';
import {
  decideRevocation,
  REVOCATION_POLICY_CHECK,
  REVOCATION_UNDETERMINED_FLAG,
  type RevocationDecision,
} from '../revocation/revocation-policy.js';
import type { RelyingParty, RpCaller } from '../store/relying-party-repository.js';
import type { VerifierDatabase } from '../store/schema.js';
import { recordInTransaction } from '../verification/record-in-transaction.js';
import { jpkiRecordContent } from './jpki-record-content.js';
import { type JpkiSession, JpkiSessionRepository } from './jpki-session-repository.js';
import { type JpkiStatusConsultation, jpkiStatusSource } from './jpki-status.js';
import { platformOperatorStatusSource } from './platform-operator-status.js';

/** A user-authentication answer: the auth certificate and the signature over the challenge (DER bytes). */
export interface JpkiAuthenticationAnswer {
  readonly certificate: Uint8Array;
  readonly signature: Uint8Array;
}

/** A signature answer: the CMS SignedData (DER), attached or detached. */
export interface JpkiSignatureAnswer {
  readonly cms: Uint8Array;
}

/** The certificate facts an answer names (no personal data: serial, issuer, the opaque subject id). */
export interface JpkiCertificateSummary {
  readonly serialNumber: string;
  readonly issuer: string;
  /** The subject's CN: the holder's opaque id (user authentication: what an account binds to). */
  readonly subjectCommonName: string | null;
  readonly fingerprint256: string;
  /** ISO 8601. */
  readonly notAfter: string;
}

/** The basic four of a signature certificate as the answer and the record give them. */
export interface JpkiIdentity {
  /** Surname, U+3000, given name, as written in the certificate. */
  readonly name: string;
  readonly address: string;
  /** `YYYY-MM-DD` (Gregorian), or the certificate's `EYYYYMMDD` when the date is not a full date. */
  readonly birthDate: string;
  readonly sex: 'male' | 'female' | 'unknown';
}

/** Why a JPKI verification is not valid (a stable code on the answer). */
export type JpkiVerificationErrorCode = Extract<
  VerifierErrorCode,
  | 'VERIFIER_JPKI_MALFORMED'
  | 'VERIFIER_JPKI_SIGNATURE_INVALID'
  | 'VERIFIER_JPKI_PROFILE_MISMATCH'
  | 'VERIFIER_JPKI_CERTIFICATE_INVALID'
  | 'VERIFIER_REVOKED'
  | 'VERIFIER_REVOCATION_UNDETERMINED'
>;

/** The answer of POST /sessions/:id/jpki-authentication and /sessions/:id/jpki-signature. */
export interface JpkiVerification {
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  /** The KYC method that applies, or null (see methodReasons). */
  readonly method: { id: string; law: string; letter: string; name_ja: string; name_en: string } | null;
  /** Why no method applies (stable @mynakit/kyc codes); empty when a method applies. */
  readonly methodReasons: readonly string[];
  /** The certificate presented, when it could be read. */
  readonly certificate?: JpkiCertificateSummary;
  /** Signatures, when valid: the basic four from the signature certificate. */
  readonly identity?: JpkiIdentity;
  /** Signatures: the signingTime attribute (ISO 8601), when present. */
  readonly signingTime?: string;
  /** The verification record written. */
  readonly recordId: string;
  /** `revocation-undetermined` when accepted without a determined status. */
  readonly flags: readonly string[];
  /** The first decisive failure, when not valid. */
  readonly errorCode?: JpkiVerificationErrorCode;
}

/** Failed check id → the answer's errorCode, most specific first. */
const FAILURE_CODES: readonly (readonly [readonly string[], JpkiVerificationErrorCode])[] = [
  [['cert.decode', 'cms.decode'], 'VERIFIER_JPKI_MALFORMED'],
  [
    [
      'auth.signature',
      'cms.content',
      'cms.signer',
      'cms.content_type',
      'cms.message_digest',
      'cms.signature',
    ],
    'VERIFIER_JPKI_SIGNATURE_INVALID',
  ],
  [
    ['cert.key_usage', 'cert.policy', 'jpki.basic_four', 'cms.signer_key_usage'],
    'VERIFIER_JPKI_PROFILE_MISMATCH',
  ],
];

function failureCode(checks: readonly Check[]): JpkiVerificationErrorCode {
  const failed = new Set(checks.filter((c) => c.status === 'failed').map((c) => c.id));
  for (const [ids, code] of FAILURE_CODES) if (ids.some((id) => failed.has(id))) return code;
  return 'VERIFIER_JPKI_CERTIFICATE_INVALID';
}

const SEX: ReadonlyMap<string, JpkiIdentity['sex']> = new Map<string, JpkiIdentity['sex']>([
  ['1', 'male'],
  ['2', 'female'],
  ['3', 'unknown'],
]);

/** The basic four as the answer and the record give them. */
export function jpkiIdentityOf(b: BasicFour): JpkiIdentity {
  let birthDate = b.birthDate;
  try {
    const parsed = parseJpkiBirthDate(b.birthDate);
    if (parsed.date !== undefined) birthDate = formatCalendarDate(parsed.date);
  } catch {
    // Kept as written: @mynakit/jpki already checked it when it decoded the basic four.
  }
  return { name: b.name, address: b.address, birthDate, sex: SEX.get(b.sex) ?? 'unknown' };
}

function summaryOf(identity: CertificateIdentity): JpkiCertificateSummary {
  return {
    serialNumber: identity.serialNumber,
    issuer: identity.issuer,
    subjectCommonName: identity.subjectCommonName ?? null,
    fingerprint256: identity.fingerprint256,
    notAfter: identity.notAfter.toISOString(),
  };
}

/** The relying party's trust anchors that parse (the store validated them on the way in). */
function trustAnchorsOf(party: RelyingParty): Certificate[] {
  const out: Certificate[] = [];
  for (const b64 of party.config.trustAnchors) {
    try {
      out.push(parseCertificate(Buffer.from(b64, 'base64')));
    } catch {
      // Not a certificate: it cannot anchor anything.
    }
  }
  return out;
}

/** The policy's check in JPKI words (the policy module speaks of records). */
function jpkiPolicyCheck(decision: RevocationDecision): Check {
  if (decision.result === 'passed')
    return { id: REVOCATION_POLICY_CHECK, status: 'passed', detail: 'the certificate is not revoked' };
  if (decision.result === 'failed')
    return { id: REVOCATION_POLICY_CHECK, status: 'failed', detail: 'the certificate is revoked: refused' };
  return decision.check;
}

/** Verifies the answer to JPKI session `sessionId` of channel `kind` (see the file comment). */
export async function verifyJpkiAnswer(
  deps: VerifierDeps,
  caller: RpCaller,
  sessionId: string,
  answer:
    | { readonly kind: 'authentication'; readonly answer: JpkiAuthenticationAnswer }
    | { readonly kind: 'signature'; readonly answer: JpkiSignatureAnswer },
  /**
   * Writes what else belongs to the verification (the result a session answered by link keeps for its
   * relying party) in the record's own transaction: either both are stored or neither.
   */
  alsoInTransaction?: AlsoInTransaction,
): Promise<JpkiVerification> {
  const sessions = new JpkiSessionRepository(deps.store.db);
  const now = deps.clock();
  const claim = await sessions.claim(sessionId, caller.relyingPartyId, answer.kind, now.getTime());
  if (claim === 'unknown') throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
  if (claim === 'used')
    throw new VerifierError('VERIFIER_SESSION_USED', 'the session was already used: open a new one');
  if (claim === 'expired') throw new VerifierError('VERIFIER_SESSION_EXPIRED', 'the session has expired');
  try {
    return await verifyClaimed(deps, caller, sessionId, answer, now, alsoInTransaction);
  } catch (e) {
    // Whatever stopped the verification before its record (the retry policy, a store fault) gives the
    // session back, so the same answer can be submitted again while the session lives.
    await sessions.release(sessionId).catch(() => false);
    throw e;
  }
}

/** What a caller writes in the record's transaction, given the verification as it will be answered. */
export type AlsoInTransaction = (
  trx: Kysely<VerifierDatabase>,
  verification: JpkiVerification,
  session: JpkiSession,
) => Promise<void>;

async function verifyClaimed(
  deps: VerifierDeps,
  caller: RpCaller,
  sessionId: string,
  answer: Parameters<typeof verifyJpkiAnswer>[3],
  now: Date,
  alsoInTransaction: AlsoInTransaction | undefined,
): Promise<JpkiVerification> {
  const session = (await new JpkiSessionRepository(deps.store.db).get(
    sessionId,
    caller.relyingPartyId,
  )) as JpkiSession;
  const party = await deps.store.relyingParties.get(caller.relyingPartyId);
  if (party === undefined || session.content === null)
    throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
  const trustAnchors = trustAnchorsOf(party);
  const policies = deps.config.jpkiPolicies ?? DEFAULT_JPKI_POLICY_CONFIG;
  const consultations: JpkiStatusConsultation[] = [];
  const observe = (c: JpkiStatusConsultation) => consultations.push(c);
  // A relying party that gets revocation data through a platform operator asks it alone (DOMAIN.md §3
  // "Status"); the others ask the configured issuers. Either way one `status.revocation` check.
  const revocation: RevocationSource[] =
    party.config.jpkiStatusVia === 'platform-operator'
      ? [
          platformOperatorStatusSource(
            deps.jpkiStatus?.platformOperator,
            {
              ...(deps.jpkiStatus?.fetch === undefined ? {} : { fetch: deps.jpkiStatus.fetch }),
              ...(deps.jpkiStatus?.timeoutMs === undefined ? {} : { timeoutMs: deps.jpkiStatus.timeoutMs }),
            },
            observe,
          ),
        ]
      : deps.jpkiStatus === undefined
        ? []
        : [jpkiStatusSource(deps.jpkiStatus, observe)];

  let report: AuthVerificationReport | SignatureVerificationReport;
  if (answer.kind === 'authentication')
    report = await verifyAuthResponse({
      challenge: session.content,
      signature: answer.answer.signature,
      certificate: answer.answer.certificate,
      trustAnchors,
      revocation,
      now,
      profile: 'jpki-auth',
      policies,
    });
  else
    report = await verifyJpkiSignature({
      signature: answer.answer.cms,
      content: session.content,
      trustAnchors,
      revocation,
      now,
      profile: 'jpki-sign',
      policies,
    });

  const checks: Check[] = [...report.checks];
  const statusCheck = checks.find((c) => c.id === 'status.revocation');
  const decoded = !checks.some(
    (c) => (c.id === 'cert.decode' || c.id === 'cms.decode') && c.status === 'failed',
  );
  const decision = decideRevocation(statusCheck, party.config.revocation);
  if (decoded) checks.push(jpkiPolicyCheck(decision));
  const cryptoOk =
    decoded &&
    verdictOf(checks.filter((c) => c.id !== 'status.revocation' && c.id !== REVOCATION_POLICY_CHECK)) ===
      'valid';
  if (cryptoOk && decision.action === 'retry')
    throw new VerifierError(
      'VERIFIER_REVOCATION_UNAVAILABLE',
      'the revocation status could not be determined; submit the same answer again shortly',
    );
  // The status check is judged by the policy (revocation.policy), not by itself.
  const verdict = verdictOf(checks.filter((c) => c.id !== 'status.revocation'));
  const errorCode: JpkiVerificationErrorCode | undefined = !cryptoOk
    ? failureCode(checks)
    : decision.result === 'failed'
      ? 'VERIFIER_REVOKED'
      : decision.action === 'reject'
        ? 'VERIFIER_REVOCATION_UNDETERMINED'
        : undefined;

  const basicFour =
    answer.kind === 'signature' ? (report as SignatureVerificationReport).basicFour : undefined;
  const identity = verdict === 'valid' && basicFour !== undefined ? jpkiIdentityOf(basicFour) : undefined;
  let kyc: KycMethodResult | undefined;
  if (verdict === 'valid') {
    kyc = kycMethodFor({
      evidence:
        answer.kind === 'signature'
          ? // The signature covers exactly the document this session was opened with: the transaction's data.
            { kind: 'jpki-signature', signedData: true }
          : { kind: 'jpki-user-authentication' },
      relyingParty: {
        law: party.config.law,
        isSignatureVerifier: party.config.isSignatureVerifier,
        programCertified: party.config.verificationProgram.certified,
      },
      date: now,
    });
    const reasons = kyc.method === null ? kyc.reasons.map((r) => r.code).join(', ') : '';
    checks.push(
      kyc.method !== null
        ? {
            id: 'kyc.method',
            status: 'passed',
            detail: `${kyc.method.id} (${kyc.method.letter}) on ${kyc.date}`,
          }
        : answer.kind === 'authentication'
          ? {
              id: 'kyc.method',
              status: 'skipped',
              detail: `user authentication identifies an account, no KYC method: ${reasons}`,
            }
          : {
              id: 'kyc.method',
              status: 'warning',
              detail: `no KYC method applies on ${kyc.date}: ${reasons}`,
            },
    );
  }
  const flags =
    verdict === 'valid' && decision.action === 'accept-flagged' ? [REVOCATION_UNDETERMINED_FLAG] : [];
  const signer: CertificateIdentity | undefined =
    answer.kind === 'authentication'
      ? (report as AuthVerificationReport).identity
      : (report as SignatureVerificationReport).signer;
  const signingTime =
    answer.kind === 'signature' ? (report as SignatureVerificationReport).signingTime : undefined;

  const content = jpkiRecordContent({
    party,
    session,
    kind: answer.kind,
    credentialId: caller.credentialId,
    writerId: deps.writerId ?? 'default',
    now: now.getTime(),
    verdict,
    checks,
    kyc,
    signer,
    identity,
    signature:
      answer.kind === 'signature'
        ? {
            cms: answer.answer.cms,
            detached: (report as SignatureVerificationReport).detached === true,
            content: session.content,
            signerDer: signerDer(answer.answer.cms, report as SignatureVerificationReport),
            signingTime,
          }
        : undefined,
    decision,
    consultation: consultations[0],
    flags,
  });
  const method = kyc?.method ?? null;
  const verificationWith = (recordId: string): JpkiVerification => ({
    verdict,
    checks,
    method:
      method === null
        ? null
        : {
            id: method.id,
            law: method.law,
            letter: method.letter,
            name_ja: method.name_ja,
            name_en: method.name_en,
          },
    methodReasons: kyc !== undefined && kyc.method === null ? kyc.reasons.map((r) => r.code) : [],
    ...(signer === undefined ? {} : { certificate: summaryOf(signer) }),
    ...(identity === undefined ? {} : { identity }),
    ...(signingTime === undefined ? {} : { signingTime: signingTime.toISOString() }),
    recordId,
    flags,
    ...(verdict !== 'valid' && errorCode !== undefined ? { errorCode } : {}),
  });
  const record = await recordInTransaction(deps, {
    relyingPartyId: party.id,
    sessionId: session.id,
    verdict,
    content,
    now: now.getTime(),
    complete: async (trx, recordId) => {
      const completed = await new JpkiSessionRepository(trx).complete(session.id, {
        verdict,
        recordId,
        now: now.getTime(),
      });
      if (completed && alsoInTransaction !== undefined)
        await alsoInTransaction(trx, verificationWith(recordId), session);
      return completed;
    },
  });
  return verificationWith(record.id);
}

/** The signer's certificate DER: the one the report named, found among the CMS's certificates. */
function signerDer(cms: Uint8Array, report: SignatureVerificationReport): Uint8Array | undefined {
  if (report.signer === undefined) return undefined;
  return signerCertificateIn(cms, report.signer.fingerprint256);
}

/** The certificate with that SHA-256 fingerprint among a SignedData's certificates. */
function signerCertificateIn(cms: Uint8Array, fingerprint256: string): Uint8Array | undefined {
  try {
    for (const der of parseCms(cms).certificates.slice(0, 16)) {
      const c = parseCertificate(der);
      if (c.fingerprint256 === fingerprint256) return c.der;
    }
  } catch {
    // Not reached for a CMS that verified.
  }
  return undefined;
}
