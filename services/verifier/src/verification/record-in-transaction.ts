/**
 * The verification record and the end of its session in one transaction: either both happen or neither —
 * a session is never done without its record, and no record exists for a session still open.
 *
 * The requests of this instance that append to one chain are queued (chain-append-queue.ts), so they do not
 * race for its next seq. Should a compare-and-set inside appendVerificationRecord still be lost on PostgreSQL
 * (two instances sharing a writer id), it aborts the whole transaction (SQLSTATE 25P02 on the next statement),
 * so the transaction is retried as a whole; on SQLite transactions run one at a time on the one connection.
 */
import { DbError, isUniqueViolation } from '@mynakit/db';
import type { Kysely } from 'kysely';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import type { JsonValue } from '../records/canonical-json.js';
import { appendVerificationRecord, chainIdOf, type VerificationRecord } from '../records/record-chains.js';
import { SessionRepository } from '../sessions/session-repository.js';
import { withRelaxedDurability } from '../store/relaxed-durability.js';
import { type RelyingParty, RelyingPartyRepository } from '../store/relying-party-repository.js';
import type { VerifierDatabase } from '../store/schema.js';
import { chainAppendQueueOf } from './chain-append-queue.js';

/** Attempts of the whole transaction before VERIFIER_RECORD_CONFLICT. */
const MAX_ATTEMPTS = 8;

/** What one record-and-complete takes. */
export interface RecordAndCompleteInput {
  readonly relyingPartyId: string;
  /** That relying party as this request read it, when it did (appendVerificationRecord then reads it no more). */
  readonly relyingParty?: RelyingParty;
  readonly sessionId: string;
  readonly verdict: string;
  readonly content: { readonly [key: string]: JsonValue };
  readonly now: number;
  /**
   * Marks the session done inside the transaction (false: it was not claimed); default the Annex C
   * session of `sessionId` (SessionRepository.complete). Other session kinds (JPKI) pass their own.
   */
  readonly complete?: (trx: Kysely<VerifierDatabase>, recordId: string) => Promise<boolean>;
}

function isRetryable(e: unknown): boolean {
  if (isUniqueViolation(e)) return true;
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '25P02';
}

/** Appends the record and marks the claimed session done (see the file comment). */
export async function recordInTransaction(
  deps: Pick<VerifierDeps, 'store' | 'writerId'>,
  input: RecordAndCompleteInput,
): Promise<VerificationRecord> {
  const writerId = deps.writerId ?? 'default';
  const record = await chainAppendQueueOf(deps.store).run(chainIdOf(input.relyingPartyId, writerId), () =>
    recordAndComplete(deps.store, writerId, input),
  );
  // Group commit (SQLite): the transaction committed without its own fsync; nobody learns of the record
  // before the shared fsync that makes it durable — one for every record committed meanwhile, run off the
  // event loop, and the next append of the chain does not wait for it.
  if (deps.store.durability !== undefined) {
    try {
      await deps.store.durability.flush();
    } catch (e) {
      if (e instanceof DbError && e.code === 'DB_DURABILITY_LOST')
        throw new VerifierError('VERIFIER_RECORD_NOT_DURABLE', 'the record could not be made durable', {
          cause: e,
        });
      throw e;
    }
  }
  return record;
}

/** One transaction, committed without waiting for the disk when the store has a group commit to wait on. */
function transact<T>(
  store: VerifierDeps['store'],
  fn: (trx: Kysely<VerifierDatabase>) => Promise<T>,
): Promise<T> {
  if (store.durability === undefined) return store.db.transaction().execute(fn);
  return withRelaxedDurability(store.db, (connection) => connection.transaction().execute(fn));
}

async function recordAndComplete(
  store: VerifierDeps['store'],
  writerId: string,
  input: RecordAndCompleteInput,
): Promise<VerificationRecord> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      return await transact(store, async (trx) => {
        const record = await appendVerificationRecord(
          {
            ...store,
            db: trx,
            relyingParties: new RelyingPartyRepository(trx),
            sessions: new SessionRepository(trx),
          },
          {
            relyingPartyId: input.relyingPartyId,
            ...(input.relyingParty === undefined ? {} : { relyingParty: input.relyingParty }),
            writerId,
            content: input.content,
            now: input.now,
          },
        );
        const done =
          input.complete !== undefined
            ? await input.complete(trx, record.id)
            : await new SessionRepository(trx).complete(input.sessionId, {
                verdict: input.verdict,
                recordId: record.id,
                now: input.now,
              });
        if (!done)
          throw new VerifierError('VERIFIER_SESSION_USED', 'the session was already used: open a new one');
        return record;
      });
    } catch (e) {
      if (!isRetryable(e)) throw e;
    }
  }
  throw new VerifierError('VERIFIER_RECORD_CONFLICT', 'the record chain kept moving; retry');
}
