import type { Kysely } from 'kysely';

/** One-time nonces: OpenID4VP / Annex C requests and JPKI authentication challenges. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('nonces')
    .addColumn('nonce', 'varchar(256)', (c) => c.primaryKey())
    .addColumn('purpose', 'varchar(64)', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('consumed_at', 'bigint')
    .execute();
  await db.schema.createIndex('nonces_expires_at').on('nonces').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('nonces').execute();
}
