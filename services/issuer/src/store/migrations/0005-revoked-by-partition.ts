import { type Kysely, sql } from 'kysely';

/**
 * Re-signing a status-list partition reads only its revoked and suspended records
 * (StatusListRepository.revokedEntries): a partial index over the revoked rows keeps that read at the size
 * of the answer (≈ 1 % of a partition's 2^20 records a year, DOMAIN.md §4 scale) instead of a scan of the
 * partition's million active rows. Partial indexes exist on both SQLite (3.8.0+) and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('credentials_revoked_by_partition')
    .on('credentials')
    .columns(['status_list_partition', 'status_list_index'])
    .where(sql.ref('state'), '=', 'revoked')
    .execute();
}
