/**
 * The content of the verification record (確認記録, DOMAIN.md §5; @mynakit/kyc requiredRecordFields) one
 * Annex C verification leaves: who verified (the relying party and its API key) and who recorded (this
 * verifier instance), when, the method with its letter on that JST date or the reasons none applies, the
 * transaction's type and date, what the customer declared — the purpose of the transaction and the
 * occupation, which 取引時確認 under 犯収法 records (sessions/customer-declaration.ts; null when none) — the
 * identity facts (name, address, birth date, and sex when it was asked
 * for — never My Number; the portrait only as SHA-256), the record's identifier (SHA-256 of
 * MobileSecurityObjectBytes), the revocation result with its time and source — every source consulted in
 * `attempts`, with the issuer's signed answer when its inquiry was asked — and the verification program's
 * name, version and certification.
 *
 * A rejected verification is recorded too (without identity facts): the failed check ids and why.
 */
import { jstCalendarDate, type KycMethodResult } from '@mynakit/kyc';
import type { Check, Verdict } from '@mynakit/report';
import type { JsonValue } from '../records/canonical-json.js';
import type { RevocationDecision } from '../revocation/revocation-policy.js';
import type { StatusConsultation } from '../revocation/status-checker.js';
import { declarationRecordContent } from '../sessions/customer-declaration.js';
import type { VerificationSession } from '../sessions/session-repository.js';
import type { RelyingParty } from '../store/relying-party-repository.js';
import type { IdentityFacts } from './disclosed-elements.js';

/** The channel name written into records. */
export const ANNEX_C_RECORD_CHANNEL = 'dc-api-org-iso-mdoc';

/** The channel name of an answer in OpenID4VP 1.0 over the DC API (signed request, dc_api.jwt). */
export const OPENID4VP_RECORD_CHANNEL = 'dc-api-openid4vp-v1-signed';

/** What a record is made from. */
export interface RecordFacts {
  readonly party: RelyingParty;
  readonly session: VerificationSession;
  readonly credentialId: string;
  readonly writerId: string;
  readonly now: number;
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  readonly kyc: KycMethodResult | undefined;
  readonly identity: IdentityFacts | undefined;
  readonly msoDigest: string | undefined;
  readonly disclosed: readonly string[];
  readonly revocation: RevocationDecision;
  /** What was consulted for the record's status, in order (the status list, then the issuer's inquiry). */
  readonly consultations: readonly StatusConsultation[];
  readonly flags: readonly string[];
  /** The channel the answer came in (default ANNEX_C_RECORD_CHANNEL). */
  readonly channel?: string;
}

const REVOKED_OUTCOMES: ReadonlySet<string> = new Set(['invalid', 'suspended']);

/**
 * The consultation the result rests on, for the record's time and source: for a revoked record the source
 * that said so, for a valid one the source that said valid, else the first consulted (or none).
 */
function decidingConsultation(
  consultations: readonly StatusConsultation[],
  result: RevocationDecision['result'],
): StatusConsultation | undefined {
  const decided =
    result === 'failed'
      ? consultations.find((x) => REVOKED_OUTCOMES.has(x.outcome))
      : result === 'passed'
        ? consultations.find((x) => x.outcome === 'valid')
        : undefined;
  return decided ?? consultations[0];
}

/** One consultation as the record keeps it (the inquiry's signed answer with it). */
function consultationJson(x: StatusConsultation): { [key: string]: JsonValue } {
  return {
    kind: x.kind,
    source: x.source,
    via: x.via,
    checkedAt: new Date(x.checkedAt).toISOString(),
    ...(x.fetchedAt === undefined ? {} : { fetchedAt: new Date(x.fetchedAt).toISOString() }),
    ...(x.answeredAt === undefined ? {} : { answeredAt: new Date(x.answeredAt).toISOString() }),
    outcome: x.outcome,
    ...(x.evidence === undefined ? {} : { evidence: x.evidence }),
  };
}

/** The record content (canonical-JSON-ready, checked by records/content-guard.ts on append). */
export function verificationRecordContent(f: RecordFacts): { [key: string]: JsonValue } {
  const program = f.party.config.verificationProgram;
  const method =
    f.kyc?.method != null
      ? {
          id: f.kyc.method.id,
          law: f.kyc.method.law,
          letter: f.kyc.method.letter,
          name_ja: f.kyc.method.name_ja,
        }
      : null;
  const reasons = f.kyc !== undefined && f.kyc.method === null ? f.kyc.reasons.map((r) => r.code) : [];
  const c = decidingConsultation(f.consultations, f.revocation.result);
  return {
    outcome: f.verdict === 'valid' ? 'verified' : 'rejected',
    verdict: f.verdict,
    channel: f.channel ?? ANNEX_C_RECORD_CHANNEL,
    sessionId: f.session.id,
    origin: f.session.origin,
    verifiedBy: { relyingPartyId: f.party.id, name: f.party.name, apiKeyId: f.credentialId },
    recordedBy: `mynakit verifier ${f.writerId}`,
    verifiedAt: new Date(f.now).toISOString(),
    law: f.party.config.law,
    method,
    methodDate: f.kyc?.date ?? jstCalendarDate(new Date(f.now)),
    methodReasons: reasons,
    transactionType: f.session.purpose,
    transactionDate: jstCalendarDate(new Date(f.now)),
    ...declarationRecordContent(f.session.declaration),
    msoDigest: f.msoDigest ?? null,
    elements: [...f.disclosed],
    ...(f.verdict === 'valid' && f.identity !== undefined
      ? {
          name: f.identity.name ?? null,
          address: f.identity.address ?? null,
          birthDate: f.identity.birthDate ?? null,
          portraitSha256: f.identity.portraitSha256 ?? null,
          // Only when asked for and disclosed (a cross-check with a JPKI signature compares it).
          ...(f.identity.sex === undefined ? {} : { sex: f.identity.sex }),
        }
      : {}),
    revocationCheck: {
      result: f.revocation.result,
      action: f.revocation.action,
      checkedAt: new Date(c?.checkedAt ?? f.now).toISOString(),
      kind: c?.kind ?? null,
      source: c?.source ?? null,
      via: c?.via ?? null,
      ...(c?.fetchedAt === undefined ? {} : { fetchedAt: new Date(c.fetchedAt).toISOString() }),
      outcome: c?.outcome ?? null,
      attempts: f.consultations.map(consultationJson),
    },
    program: { name: program.name, version: program.version, certified: program.certified },
    flags: [...f.flags],
    failedChecks: f.checks.filter((x) => x.status === 'failed').map((x) => x.id),
  };
}
