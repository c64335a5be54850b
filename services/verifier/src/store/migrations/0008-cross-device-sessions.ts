import { type Kysely, PostgresAdapter } from 'kysely';

/**
 * Cross-device OpenID4VP sessions (sessions/cross-device-repository.ts): beside the session's row in
 * `verification_sessions` (its request as JSON, its sealed response-encryption key, its state), what the
 * cross-device channel adds — the signed request object the wallet fetches at `request_uri` (served as
 * stored, so repeated fetches within the session's life answer the same bytes), and the result the relying
 * party reads once the wallet has posted: the report without the disclosed values (no personal data), and
 * the disclosed values sealed apart, erased at their first read. `expires_at` lets the row go with its
 * session.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = postgres ? 'bytea' : 'blob';
  await db.schema
    .createTable('cross_device_sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('relying_party_id', 'text', (c) => c.notNull().references('relying_parties.id'))
    .addColumn('request_object', 'text', (c) => c.notNull())
    .addColumn('report', 'text')
    .addColumn('sealed_elements', bytes)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('cross_device_sessions_expiry')
    .on('cross_device_sessions')
    .column('expires_at')
    .execute();
}
