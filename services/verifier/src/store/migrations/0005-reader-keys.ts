import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Reader-authentication keys of relying parties (relying-parties/reader-key.ts; ISO/IEC 18013-5 §9.1.4):
 * the P-256 private key sealed under the verifier's reader key-encryption key (never PKCS #8 in the clear),
 * its public key, and — once the reader CA has issued it — the certificate chain that signs requests as
 * `x5chain`. `pending` awaits its certificate; `active` signs. A relying party has at most one of each: a
 * new pending key replaces the old pending one, and activating a key deletes the key it replaces.
 *
 * And, on verification sessions, the second request a session may carry when its relying party has a reader
 * key — OpenID4VP 1.0 over the DC API (`openid4vp-v1-signed`, response mode `dc_api.jwt`): the request as
 * signed (JSON) and the sealed private key its encrypted response is for; both null otherwise, and the key
 * erased when the session is done.
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
  await db.schema.alterTable('verification_sessions').addColumn('openid4vp_request', 'text').execute();
  await db.schema.alterTable('verification_sessions').addColumn('openid4vp_key', bytes).execute();
}
