/**
 * One identity cross-check, for a person who presented both halves to one relying party: a DC API session
 * that verified the card-substitute record (`/sessions`) and a JPKI signature session (`/sessions/
 * jpki-signature`). Both must be this relying party's (else VERIFIER_NOT_FOUND, as for any session of
 * another party), done with verdict `valid` (VERIFIER_CROSS_CHECK_SESSION_NOT_VALID), verified within the
 * window (VerifierConfig.crossCheckWindowSeconds, default 30 minutes; VERIFIER_CROSS_CHECK_EXPIRED), and
 * not cross-checked before (VERIFIER_CROSS_CHECK_USED). The basic four of their verification records are
 * compared (identity-cross-check.ts) and the outcome is itself a verification record in the relying party's
 * hash chains (records/record-chains.ts), written with the single use in one transaction
 * (verification/record-in-transaction.ts): it links the two records by id and names the fields that
 * matched or differed — no value of either, so it holds no personal data the two records do not already
 * hold.
 *
 * Expired sessions are deleted by the maintenance (maintenance.ts), which may come sooner than the window
 * ends: a cross-check is meant to follow the two verifications at once.
 */
import { jstCalendarDate } from '@mynakit/kyc';
import type { Check, Verdict } from '@mynakit/report';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import { JpkiSessionRepository } from '../jpki/jpki-session-repository.js';
import type { JsonValue } from '../records/canonical-json.js';
import { getRecord } from '../records/record-chains.js';
import type { RpCaller } from '../store/relying-party-repository.js';
import { newId } from '../store/store-support.js';
import { recordInTransaction } from '../verification/record-in-transaction.js';
import { CrossCheckRepository } from './cross-check-repository.js';
import {
  type CrossCheckField,
  crossCheckIdentity,
  recordIdentityFacts,
  signatureIdentityFacts,
} from './identity-cross-check.js';

/** Default window after a verification in which it may be cross-checked: 30 minutes. */
export const DEFAULT_CROSS_CHECK_WINDOW_SECONDS = 30 * 60;

/** The channel name written into cross-check records. */
export const CROSS_CHECK_RECORD_CHANNEL = 'identity-cross-check';

/** What a cross-check takes. */
export interface CrossCheckRequest {
  /** The DC API session that verified the card-substitute record. */
  readonly recordSessionId: string;
  /** The JPKI signature session. */
  readonly signatureSessionId: string;
}

/** The answer of POST /sessions/cross-checks. */
export interface CrossCheckAnswer {
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  /** The cross-check's verification record. */
  readonly recordId: string;
  /** Which fields fell where (names only, never values). */
  readonly fields: {
    readonly matched: readonly CrossCheckField[];
    readonly mismatched: readonly CrossCheckField[];
    readonly undetermined: readonly CrossCheckField[];
    readonly notCompared: readonly CrossCheckField[];
  };
}

/** A session as the cross-check needs it: done, its verdict, record and completion. */
interface DoneSession {
  readonly state: string;
  readonly verdict: string | null;
  readonly recordId: string | null;
  readonly completedAt: number | null;
  readonly purpose: string;
}

function validRecordOf(session: DoneSession, which: string, now: number, windowMs: number): string {
  if (
    session.state !== 'done' ||
    session.verdict !== 'valid' ||
    session.recordId === null ||
    session.completedAt === null
  )
    throw new VerifierError(
      'VERIFIER_CROSS_CHECK_SESSION_NOT_VALID',
      `the ${which} session did not end in a valid verification`,
    );
  // A completion slightly in this instance's future (another instance's clock) is still recent.
  if (now - session.completedAt > windowMs)
    throw new VerifierError(
      'VERIFIER_CROSS_CHECK_EXPIRED',
      `the ${which} verification is too old to cross-check: verify again`,
    );
  return session.recordId;
}

/** A member of a record's content (own property), or null. */
function memberOf(
  content: { readonly [key: string]: JsonValue } | null | undefined,
  name: string,
): JsonValue {
  return content != null && Object.hasOwn(content, name) ? (content[name] ?? null) : null;
}

/** Runs one cross-check (see the file comment). */
export async function runCrossCheck(
  deps: VerifierDeps,
  caller: RpCaller,
  request: CrossCheckRequest,
): Promise<CrossCheckAnswer> {
  const now = deps.clock().getTime();
  const windowMs = (deps.config.crossCheckWindowSeconds ?? DEFAULT_CROSS_CHECK_WINDOW_SECONDS) * 1000;
  const rpId = caller.relyingPartyId;
  const recordSession = await deps.store.sessions.get(request.recordSessionId, rpId);
  if (recordSession === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such record session');
  const signatureSession = await new JpkiSessionRepository(deps.store.db).get(
    request.signatureSessionId,
    rpId,
    'signature',
  );
  if (signatureSession === undefined)
    throw new VerifierError('VERIFIER_NOT_FOUND', 'no such JPKI signature session');
  const recordRecordId = validRecordOf(recordSession, 'record', now, windowMs);
  const signatureRecordId = validRecordOf(signatureSession, 'signature', now, windowMs);
  const crossChecks = new CrossCheckRepository(deps.store.db);
  if (await crossChecks.used(recordSession.id, signatureSession.id))
    throw new VerifierError('VERIFIER_CROSS_CHECK_USED', 'a session was already cross-checked');

  const recordContent = (await getRecord(deps.store, recordRecordId, { relyingPartyId: rpId }))?.content;
  const signatureContent = (await getRecord(deps.store, signatureRecordId, { relyingPartyId: rpId }))
    ?.content;
  const recordFacts = recordContent == null ? undefined : recordIdentityFacts(recordContent);
  const certificateFacts = signatureContent == null ? undefined : signatureIdentityFacts(signatureContent);
  if (recordFacts === undefined || certificateFacts === undefined)
    throw new VerifierError(
      'VERIFIER_CROSS_CHECK_IDENTITY_UNAVAILABLE',
      `the ${recordFacts === undefined ? 'record' : 'signature'} verification record holds no identity facts (request them) or was purged`,
    );
  const outcome = crossCheckIdentity(recordFacts, certificateFacts);

  const party = await deps.store.relyingParties.get(rpId);
  if (party === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
  const program = party.config.verificationProgram;
  const fields = {
    matched: [...outcome.matched],
    mismatched: [...outcome.mismatched],
    undetermined: [...outcome.undetermined],
    notCompared: [...outcome.notCompared],
  };
  const content: { [key: string]: JsonValue } = {
    outcome:
      outcome.verdict === 'valid'
        ? 'consistent'
        : outcome.verdict === 'invalid'
          ? 'inconsistent'
          : 'undetermined',
    verdict: outcome.verdict,
    channel: CROSS_CHECK_RECORD_CHANNEL,
    verifiedBy: { relyingPartyId: party.id, name: party.name, apiKeyId: caller.credentialId },
    recordedBy: `mynakit verifier ${deps.writerId ?? 'default'}`,
    verifiedAt: new Date(now).toISOString(),
    law: party.config.law,
    transactionType: recordSession.purpose,
    transactionDate: jstCalendarDate(new Date(now)),
    // What the customer declared, as the card-substitute record's verification record keeps it.
    transactionPurpose: memberOf(recordContent, 'transactionPurpose'),
    occupation: memberOf(recordContent, 'occupation'),
    // The two verifications compared, by their sessions and their own records.
    recordSessionId: recordSession.id,
    signatureSessionId: signatureSession.id,
    cardSubstituteRecordId: recordRecordId,
    jpkiSignatureRecordId: signatureRecordId,
    fields,
    checks: outcome.checks.map((c) => ({ id: c.id, status: c.status })),
    program: { name: program.name, version: program.version, certified: program.certified },
    failedChecks: outcome.checks.filter((c) => c.status === 'failed').map((c) => c.id),
  };
  const id = newId();
  const record = await recordInTransaction(deps, {
    relyingPartyId: rpId,
    sessionId: recordSession.id,
    verdict: outcome.verdict,
    content,
    now,
    complete: async (trx, recordId) => {
      const won = await new CrossCheckRepository(trx).insert({
        id,
        relyingPartyId: rpId,
        recordSessionId: recordSession.id,
        signatureSessionId: signatureSession.id,
        recordId,
        verdict: outcome.verdict,
        at: now,
      });
      // Lost to a concurrent cross-check of one of the sessions: nothing of this one is kept.
      if (!won) throw new VerifierError('VERIFIER_CROSS_CHECK_USED', 'a session was already cross-checked');
      return true;
    },
  });
  return { verdict: outcome.verdict, checks: outcome.checks, recordId: record.id, fields };
}
