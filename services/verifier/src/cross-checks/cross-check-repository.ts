/**
 * The identity cross-checks (store/migrations/0007-identity-cross-checks.ts) in the verifier's database,
 * shared by every instance. A session takes part in one cross-check: the insert is the compare-and-set
 * (`ON CONFLICT DO NOTHING` on the unique session columns), made in the same transaction as the
 * cross-check's verification record, so of two cross-checks of one session at once — on one instance or
 * two — exactly one is recorded.
 */
import type { Kysely } from 'kysely';
import type { VerifierDatabase } from '../store/schema.js';
import { checkInstant } from '../store/store-support.js';
import type { CrossCheckTables, IdentityCrossCheckTable } from './cross-check-tables.js';

/** A cross-check as stored. */
export interface IdentityCrossCheck {
  readonly id: string;
  readonly relyingPartyId: string;
  readonly recordSessionId: string;
  readonly signatureSessionId: string;
  readonly recordId: string;
  readonly verdict: IdentityCrossCheckTable['verdict'];
  readonly at: number;
}

function toCrossCheck(row: IdentityCrossCheckTable): IdentityCrossCheck {
  return {
    id: row.id,
    relyingPartyId: row.relying_party_id,
    recordSessionId: row.record_session_id,
    signatureSessionId: row.signature_session_id,
    recordId: row.record_id,
    verdict: row.verdict,
    at: Number(row.at),
  };
}

/** The cross-check table (see the file comment). */
export class CrossCheckRepository {
  readonly #db: Kysely<VerifierDatabase & CrossCheckTables>;

  /** @param db the verifier's database, or a transaction on it */
  constructor(db: Kysely<VerifierDatabase>) {
    this.#db = db.withTables<CrossCheckTables>();
  }

  /** Whether either session already took part in a cross-check. */
  async used(recordSessionId: string, signatureSessionId: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('identity_cross_checks')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('record_session_id', '=', recordSessionId),
          eb('signature_session_id', '=', signatureSessionId),
        ]),
      )
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Records the cross-check unless either session already took part in one (compare-and-set): true for
   * the one winner, false otherwise.
   */
  async insert(c: IdentityCrossCheck): Promise<boolean> {
    checkInstant(c.at, 'at');
    const r = await this.#db
      .insertInto('identity_cross_checks')
      .values({
        id: c.id,
        relying_party_id: c.relyingPartyId,
        record_session_id: c.recordSessionId,
        signature_session_id: c.signatureSessionId,
        record_id: c.recordId,
        verdict: c.verdict,
        at: c.at,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return r.numInsertedOrUpdatedRows === 1n;
  }

  /** The cross-check of a session (either side), or undefined. */
  async ofSession(sessionId: string, relyingPartyId: string): Promise<IdentityCrossCheck | undefined> {
    const row = await this.#db
      .selectFrom('identity_cross_checks')
      .selectAll()
      .where('relying_party_id', '=', relyingPartyId)
      .where((eb) =>
        eb.or([eb('record_session_id', '=', sessionId), eb('signature_session_id', '=', sessionId)]),
      )
      .executeTakeFirst();
    return row === undefined ? undefined : toCrossCheck(row);
  }
}
