import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The issuer's first tables (issuer design, "Database"): residents, cards, installations, the device slots of
 * the one-device rule, credentials, OpenID4VCI offers / access tokens / nonces, and the event log.
 * Instants are bigint epoch milliseconds; bytes are `bytea` on PostgreSQL and `blob` on SQLite.
 * Shipped migrations are never edited: a change is a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';

  await db.schema
    .createTable('residents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('full_name_kana', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('sex', 'integer', (c) => c.notNull().check(sql`sex in (1, 2, 3, 9)`))
    .addColumn('municipality_code', 'text', (c) => c.notNull())
    .addColumn('municipality_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('card_number', 'text', (c) => c.notNull().unique())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('active', 'revoked')`))
    .addColumn('sign_cert', bytes)
    .addColumn('auth_cert', bytes, (c) => c.notNull())
    .addColumn('sign_password_verifier', 'text')
    .addColumn('auth_pin_verifier', 'text', (c) => c.notNull())
    .addColumn('support_pin_verifier', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  // One card in force per resident: a re-issued card revokes the old one first.
  await db.schema
    .createIndex('cards_one_active_per_resident')
    .unique()
    .on('cards')
    .column('resident_id')
    .where(sql<boolean>`state = 'active'`)
    .execute();

  await db.schema
    .createTable('installations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('family', 'text', (c) => c.notNull().check(sql`family in ('iphone', 'android')`))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('pending', 'active', 'superseded', 'failed')`),
    )
    .addColumn('base_generation', 'integer', (c) => c.notNull())
    .addColumn('card_id', 'text', (c) => c.references('cards.id'))
    .addColumn('device_info', 'text')
    .addColumn('key_attestation', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .execute();
  await db.schema.createIndex('installations_resident').on('installations').column('resident_id').execute();

  // The one-device rule: completing an installation inserts (resident_id, base_generation + 1); a second
  // completion from the same base violates the primary key.
  await db.schema
    .createTable('device_slots')
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('installation_id', 'text', (c) => c.notNull().unique().references('installations.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('device_slots_pk', ['resident_id', 'generation'])
    .execute();

  await db.schema
    .createTable('credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('installation_id', 'text', (c) => c.notNull().references('installations.id'))
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('mdoc', 'jpki-sign', 'jpki-auth')`))
    .addColumn('serial', 'text')
    .addColumn('mso_digest', 'text')
    .addColumn('not_after', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('active', 'revoked')`))
    .addColumn('revoked_at', 'bigint')
    .addColumn('revocation_reason', 'text')
    .addColumn('bytes', bytes, (c) => c.notNull())
    .addColumn('status_list_index', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // A certificate serial is unique per issuing CA, and each JPKI kind has its own CA.
  await db.schema
    .createIndex('credentials_kind_serial')
    .unique()
    .on('credentials')
    .columns(['kind', 'serial'])
    .execute();
  await db.schema
    .createIndex('credentials_mso_digest')
    .unique()
    .on('credentials')
    .column('mso_digest')
    .execute();
  await db.schema
    .createIndex('credentials_installation')
    .on('credentials')
    .column('installation_id')
    .execute();
  await db.schema
    .createIndex('credentials_resident_state')
    .on('credentials')
    .columns(['resident_id', 'state'])
    .execute();

  await db.schema
    .createTable('oid4vci_offers')
    .addColumn('pre_authorized_code_hash', 'text', (c) => c.primaryKey())
    .addColumn('installation_id', 'text', (c) => c.notNull().references('installations.id'))
    .addColumn('tx_code_verifier', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('used_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('oid4vci_access_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('installation_id', 'text', (c) => c.notNull().references('installations.id'))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // The same shape as @mynakit/db's `nonces`, so its NonceStore serves the OpenID4VCI c_nonces.
  await db.schema
    .createTable('nonces')
    .addColumn('nonce', 'varchar(256)', (c) => c.primaryKey())
    .addColumn('purpose', 'varchar(64)', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('consumed_at', 'bigint')
    .execute();
  await db.schema.createIndex('nonces_expires_at').on('nonces').column('expires_at').execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resident_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_resident_at').on('events').columns(['resident_id', 'at']).execute();
}
