/**
 * The results of JPKI sessions answered by link (store/migrations/0010-jpki-link-results.ts), shared by
 * every instance: the phone posts to the verifier, the relying party reads the verification afterwards with
 * GET /sessions/{id}/jpki-result. As the cross-device results (sessions/cross-device-repository.ts, whose
 * sealing this uses): the report without the identity facts — checks, method, certificate summary, record id,
 * flags: no personal data (ARCHITECTURE.md rule 5) — and the identity facts of a signature certificate (the
 * basic four) sealed apart under the session key-encryption key, the session id as additional data, given to
 * the relying party once: the read that takes them erases them by compare-and-set.
 */
import type { Kysely } from 'kysely';
import { openResultElements, sealResultElements } from '../sessions/cross-device-repository.js';
import type { VerifierDatabase } from '../store/schema.js';
import { checkInstant, fromDriverBytes, toDriverBytes } from '../store/store-support.js';

export interface JpkiLinkResultTable {
  session_id: string;
  relying_party_id: string;
  /** The JpkiVerification without `identity`, JSON. */
  report: string;
  /** The identity facts, sealed; null when none, and after their first read. */
  sealed_identity: Uint8Array | null;
  created_at: number;
  expires_at: number;
}

/** The table (a type alias: Kysely's `withTables` needs an index-compatible type). */
export type JpkiLinkResultTables = { jpki_link_results: JpkiLinkResultTable };

export { openResultElements as openLinkIdentity, sealResultElements as sealLinkIdentity };

/** The jpki_link_results table (see the file comment). */
export class JpkiLinkResultRepository {
  readonly #db: Kysely<VerifierDatabase & JpkiLinkResultTables>;

  /** @param db the verifier's database, or a transaction on it */
  constructor(db: Kysely<VerifierDatabase>) {
    this.#db = db.withTables<JpkiLinkResultTables>();
  }

  /** Keeps the result of an answered session once; false when one is kept already. */
  async keep(result: {
    readonly sessionId: string;
    readonly relyingPartyId: string;
    readonly report: Record<string, unknown>;
    readonly sealedIdentity: Uint8Array | null;
    readonly createdAt: number;
    readonly expiresAt: number;
  }): Promise<boolean> {
    checkInstant(result.createdAt, 'createdAt');
    checkInstant(result.expiresAt, 'expiresAt');
    const r = await this.#db
      .insertInto('jpki_link_results')
      .values({
        session_id: result.sessionId,
        relying_party_id: result.relyingPartyId,
        report: JSON.stringify(result.report),
        sealed_identity: result.sealedIdentity === null ? null : toDriverBytes(result.sealedIdentity),
        created_at: result.createdAt,
        expires_at: result.expiresAt,
      })
      .onConflict((oc) => oc.column('session_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /**
   * The kept result of the relying party's session, or undefined (none yet, or another party's). The
   * sealed identity comes with the first read only.
   */
  async take(
    sessionId: string,
    relyingPartyId: string,
  ): Promise<
    { readonly report: Record<string, unknown>; readonly sealedIdentity: Uint8Array | null } | undefined
  > {
    const row = await this.#db
      .selectFrom('jpki_link_results')
      .select(['report', 'sealed_identity'])
      .where('session_id', '=', sessionId)
      .where('relying_party_id', '=', relyingPartyId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const report = JSON.parse(row.report) as Record<string, unknown>;
    if (row.sealed_identity === null) return { report, sealedIdentity: null };
    const taken = await this.#db
      .updateTable('jpki_link_results')
      .set({ sealed_identity: null })
      .where('session_id', '=', sessionId)
      .where('sealed_identity', 'is not', null)
      .executeTakeFirst();
    return {
      report,
      sealedIdentity: taken.numUpdatedRows === 1n ? fromDriverBytes(row.sealed_identity) : null,
    };
  }

  /** Deletes results whose session expired before `before` (epoch ms); returns how many. */
  async purgeExpired(before: number): Promise<number> {
    checkInstant(before, 'before');
    const r = await this.#db
      .deleteFrom('jpki_link_results')
      .where('expires_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
