import { type Kysely, PostgresAdapter } from 'kysely';

/**
 * The results of JPKI sessions answered by link or QR code (jpki/jpki-link-result-repository.ts): the phone
 * posts without the relying party's page, so the relying party reads the verification afterwards — the
 * report without the identity facts (no personal data), and the identity facts of a signature certificate
 * sealed apart, erased at their first read. `expires_at` lets the row go with its session.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = postgres ? 'bytea' : 'blob';
  await db.schema
    .createTable('jpki_link_results')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('relying_party_id', 'text', (c) => c.notNull().references('relying_parties.id'))
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('sealed_identity', bytes)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('jpki_link_results_expiry')
    .on('jpki_link_results')
    .column('expires_at')
    .execute();
}
