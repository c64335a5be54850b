import { type Kysely, sql } from 'kysely';

/**
 * The maintenance run looks for installations left pending for a day (maintenance/purge-expired.ts): a
 * partial index over the pending ones keeps that look at the size of its answer, whatever the number of
 * completed installations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('installations_pending_created')
    .on('installations')
    .column('created_at')
    .where(sql.ref('state'), '=', 'pending')
    .execute();
}
