import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The wallet's first tables (schema.ts): devices, installations, documents, JPKI certificates, secrets
 * with their try counters, presentation history. Shipped migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = pg ? 'bytea' : 'blob';

  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family', 'text', (c) => c.notNull().check(sql`family in ('iphone', 'android')`))
    .addColumn('model', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('installations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('credential_issuer', 'text', (c) => c.notNull())
    .addColumn('family', 'text', (c) => c.notNull().check(sql`family in ('iphone', 'android')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'active')`))
    .addColumn('needs', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('installation_id', 'text', (c) => c.references('installations.id'))
    .addColumn('doc_type', 'text', (c) => c.notNull())
    .addColumn('issuer_signed', bytes, (c) => c.notNull())
    .addColumn('device_key_alias', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('active', 'invalidated')`))
    .addColumn('credential_issuer', 'text', (c) => c.notNull())
    .addColumn('credential_id', 'text')
    .addColumn('notification_id', 'text')
    .addColumn('valid_until', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('invalidated_at', 'bigint')
    .addColumn('invalidation_reason', 'text')
    .execute();
  await db.schema
    .createIndex('documents_by_device')
    .on('documents')
    .columns(['device_id', 'doc_type'])
    .execute();

  await db.schema
    .createTable('jpki_certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('installation_id', 'text', (c) => c.notNull().references('installations.id'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('sign', 'auth')`))
    .addColumn('certificate', bytes, (c) => c.notNull())
    .addColumn('issuer_certificate', bytes, (c) => c.notNull())
    .addColumn('serial_number', 'text', (c) => c.notNull())
    .addColumn('not_after', 'bigint', (c) => c.notNull())
    .addColumn('key_alias', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('active', 'invalidated')`))
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('jpki_certificates_by_device')
    .on('jpki_certificates')
    .columns(['device_id', 'purpose'])
    .execute();

  await db.schema
    .createTable('secrets')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('authPin', 'signaturePassword')`))
    .addColumn('verifier', 'text', (c) => c.notNull())
    .addColumn('remaining', 'integer', (c) => c.notNull().check(sql`remaining >= 0`))
    .addColumn('max_tries', 'integer', (c) => c.notNull())
    .addColumn('locked', 'integer', (c) => c.notNull().check(sql`locked in (0, 1)`))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('secrets_pk', ['device_id', 'kind'])
    .execute();

  await db.schema
    .createTable('presentations')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('document_id', 'text', (c) => c.references('documents.id'))
    .addColumn('relying_party', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('elements', 'text', (c) => c.notNull())
    .addColumn('shared_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('presentations_by_device')
    .on('presentations')
    .columns(['device_id', 'shared_at'])
    .execute();
}
