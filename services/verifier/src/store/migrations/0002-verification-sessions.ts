import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Verification sessions (sessions/session-repository.ts): what the verifier sent to one page (the
 * DeviceRequest, the EncryptionInfo string, the origin) and the HPKE private key that opens the answer,
 * kept until the answer is submitted once. `state` moves open → verifying → done by compare-and-set; the
 * key column is erased when the session is done.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = postgres ? 'bytea' : 'blob';
  await db.schema
    .createTable('verification_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('relying_party_id', 'text', (c) => c.notNull().references('relying_parties.id'))
    .addColumn('credential_id', 'text', (c) => c.notNull())
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('elements', 'text', (c) => c.notNull())
    .addColumn('device_request', 'text', (c) => c.notNull())
    .addColumn('encryption_info', 'text', (c) => c.notNull())
    .addColumn('recipient_key', bytes)
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'verifying', 'done')`))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    .addColumn('verdict', 'text')
    .addColumn('record_id', 'text')
    .execute();
  await db.schema
    .createIndex('verification_sessions_expiry')
    .on('verification_sessions')
    .column('expires_at')
    .execute();
}
