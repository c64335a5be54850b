import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * What the installation steps need besides the first tables:
 * - `cards.sign_serial` / `cards.auth_serial`: the card that signed an installation request is found by
 *   its certificate's serial (each JPKI kind has its own CA, so a serial is unique per column);
 * - `installation_tokens`: the bearer secret a pending installation's phone presents, as SHA-256 only;
 * - `staged_credentials`: certificates issued to a pending installation and held until it completes (the
 *   iPhone family receives the record and both certificates together, DOMAIN.md §1).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';

  // SQLite adds one column per ALTER TABLE.
  await db.schema.alterTable('cards').addColumn('sign_serial', 'text').execute();
  await db.schema.alterTable('cards').addColumn('auth_serial', 'text').execute();
  await db.schema.createIndex('cards_sign_serial').unique().on('cards').column('sign_serial').execute();
  await db.schema.createIndex('cards_auth_serial').unique().on('cards').column('auth_serial').execute();

  await db.schema
    .createTable('installation_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('installation_id', 'text', (c) => c.notNull().unique().references('installations.id'))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('staged_credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('installation_id', 'text', (c) => c.notNull().references('installations.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('mdoc', 'jpki-sign', 'jpki-auth')`))
    .addColumn('serial', 'text')
    .addColumn('mso_digest', 'text')
    .addColumn('not_after', 'bigint', (c) => c.notNull())
    .addColumn('bytes', bytes, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // One staged credential of each kind per installation: a second request for the same step collides.
  await db.schema
    .createIndex('staged_credentials_installation_kind')
    .unique()
    .on('staged_credentials')
    .columns(['installation_id', 'kind'])
    .execute();
}
