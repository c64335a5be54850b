import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * JPKI sessions (jpki/jpki-session-repository.ts): a user-authentication challenge (DOMAIN.md §3, 32 random
 * bytes the holder's auth key signs) or the exact document a signature must cover (KYC methods カ / 新ヌ
 * under 犯収法, ト under 携帯法), kept until one answer is submitted. `state` moves open → verifying → done by
 * compare-and-set, as the Annex C sessions' (0002); the challenge or document is erased when the session is
 * done (the record keeps what the law asks for). Self-contained: its own table and index, nothing else.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = postgres ? 'bytea' : 'blob';
  await db.schema
    .createTable('jpki_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('relying_party_id', 'text', (c) => c.notNull().references('relying_parties.id'))
    .addColumn('credential_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('authentication', 'signature')`))
    .addColumn('purpose', 'text', (c) => c.notNull())
    // The challenge (authentication) or the document to sign (signature); null once done.
    .addColumn('content', bytes)
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'verifying', 'done')`))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    .addColumn('verdict', 'text')
    .addColumn('record_id', 'text')
    .execute();
  await db.schema.createIndex('jpki_sessions_expiry').on('jpki_sessions').column('expires_at').execute();
}
