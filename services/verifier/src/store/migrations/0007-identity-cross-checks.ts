import { type Kysely, sql } from 'kysely';

/**
 * Identity cross-checks (cross-checks/*): a card-substitute record session and a JPKI signature session of
 * one relying party whose basic four were compared. Each session takes part in one cross-check only: the
 * unique columns are the compare-and-set of that single use, inserted in the same transaction as the
 * cross-check's verification record. No personal data: ids, the verdict and the instant.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('identity_cross_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('relying_party_id', 'text', (c) => c.notNull().references('relying_parties.id'))
    // The DC API (Annex C / OpenID4VP) session whose card-substitute record was verified.
    .addColumn('record_session_id', 'text', (c) => c.notNull().unique())
    // The JPKI signature session whose signature certificate was verified.
    .addColumn('signature_session_id', 'text', (c) => c.notNull().unique())
    // The verification record of the cross-check itself.
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) =>
      c.notNull().check(sql`verdict in ('valid', 'invalid', 'undetermined')`),
    )
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
}
