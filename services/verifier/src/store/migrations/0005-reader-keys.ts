import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Reader-authentication keys of relying parties (relying-parties/reader-key.ts; ISO/IEC 18013-5 §9.1.4):
 * the P-256 private key sealed under the verifier's reader key-encryption key (never PKCS #8 in the clear),
 * its public key, and — once the reader CA has issued it — the certificate chain that signs requests as
 * `x5chain`. `pending` awaits its certificate; `active` signs. A relying party has at most one of each: a
 * new pending key replaces the old pending one, and activating a key deletes the key it replaces.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = postgres ? 'bytea' : 'blob';
  await db.schema
    .createTable('reader_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('relying_party_id', 'text', (c) => c.notNull().references('relying_parties.id'))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'active')`))
    .addColumn('public_key', bytes, (c) => c.notNull())
    .addColumn('sealed_private_key', bytes, (c) => c.notNull())
    .addColumn('certificate_chain', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('activated_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('reader_keys_party_state')
    .on('reader_keys')
    .columns(['relying_party_id', 'state'])
    .unique()
    .execute();
}
