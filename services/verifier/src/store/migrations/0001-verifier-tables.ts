import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The verifier's first tables: relying parties and their API keys, the verification records in their hash
 * chains (one chain per relying party and writer instance, so instances never contend for one head), the
 * signed checkpoints of chain heads, and the append-only access log of record reads and exports.
 * Shipped migrations are never edited: a change is a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = postgres ? 'bytea' : 'blob';

  await db.schema
    .createTable('relying_parties')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('rp_credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('relying_party_id', 'text', (c) => c.notNull().references('relying_parties.id'))
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('rp', 'auditor')`))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();

  await db.schema
    .createTable('verification_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('chain_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('relying_party_id', 'text', (c) => c.notNull().references('relying_parties.id'))
    .addColumn('writer_id', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('content', 'text')
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .addColumn('retain_until', 'bigint', (c) => c.notNull())
    .addColumn('tombstoned_at', 'bigint')
    .addColumn('legal_hold', 'integer', (c) => c.notNull().defaultTo(0).check(sql`legal_hold in (0, 1)`))
    // The compare-and-set of an append: two writers that read the same head cannot both insert its successor.
    .addUniqueConstraint('verification_records_chain_seq', ['chain_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('verification_records_by_party_time')
    .on('verification_records')
    .columns(['relying_party_id', 'recorded_at', 'id'])
    .execute();
  // The operator's export over every relying party reads by time alone.
  await db.schema
    .createIndex('verification_records_by_time')
    .on('verification_records')
    .columns(['recorded_at', 'id'])
    .execute();
  await db.schema
    .createIndex('verification_records_purgeable')
    .on('verification_records')
    .column('retain_until')
    .where(sql.ref('tombstoned_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('chain_checkpoints')
    .addColumn('chain_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .addColumn('signed', bytes, (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('chain_checkpoints_pk', ['chain_id', 'seq'])
    .execute();

  await db.schema
    .createTable('record_access_log')
    .addColumn('id', postgres ? 'bigserial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('relying_party_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('list', 'read', 'export')`))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('record_count', 'integer', (c) => c.notNull())
    .addColumn('record_ids', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();

  // The access log is append-only in the database itself: an UPDATE or DELETE fails whoever runs it.
  if (postgres) {
    await sql`CREATE FUNCTION record_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'record_access_log is append-only'; END $$`.execute(db);
    await sql`CREATE TRIGGER record_access_log_append_only BEFORE UPDATE OR DELETE ON record_access_log
      FOR EACH ROW EXECUTE FUNCTION record_access_log_append_only()`.execute(db);
  } else {
    await sql`CREATE TRIGGER record_access_log_no_update BEFORE UPDATE ON record_access_log
      BEGIN SELECT RAISE(ABORT, 'record_access_log is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER record_access_log_no_delete BEFORE DELETE ON record_access_log
      BEGIN SELECT RAISE(ABORT, 'record_access_log is append-only'); END`.execute(db);
  }
}
