import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Who put a verification record on legal hold, lifted it, or declared the end of the relationship its
 * retention counts from (records/retention-changes.ts) — append-only like the access log: the database
 * itself refuses UPDATE and DELETE on it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('record_retention_changes')
    .addColumn('id', postgres ? 'bigserial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('relying_party_id', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('change', 'text', (c) =>
      c.notNull().check(sql`change in ('hold', 'release', 'relationship-end')`),
    )
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('ended_on', 'text')
    .addColumn('retain_until_before', 'bigint', (c) => c.notNull())
    .addColumn('retain_until_after', 'bigint', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('record_retention_changes_record')
    .on('record_retention_changes')
    .column('record_id')
    .execute();
  if (postgres) {
    await sql`CREATE FUNCTION record_retention_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'record_retention_changes is append-only'; END $$`.execute(db);
    await sql`CREATE TRIGGER record_retention_changes_append_only BEFORE UPDATE OR DELETE ON record_retention_changes
      FOR EACH ROW EXECUTE FUNCTION record_retention_changes_append_only()`.execute(db);
  } else {
    await sql`CREATE TRIGGER record_retention_changes_no_update BEFORE UPDATE ON record_retention_changes
      BEGIN SELECT RAISE(ABORT, 'record_retention_changes is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER record_retention_changes_no_delete BEFORE DELETE ON record_retention_changes
      BEGIN SELECT RAISE(ABORT, 'record_retention_changes is append-only'); END`.execute(db);
  }
}
