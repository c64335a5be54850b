import { type Kysely, PostgresAdapter } from 'kysely';

/**
 * What revocation publishing needs (DOMAIN.md §3–4):
 * - `credentials` / `staged_credentials` gain where each credential is published: the record's Token Status
 *   List partition (its index already has a column), the JPKI certificate's CRL partition (the holder's
 *   municipality code at issuance: the CRL distribution point baked into the certificate never moves) and
 *   the issuing certificate's name in the hierarchy (`jpki-sign-ca-g0`, the DS for a record) — a CRL and an
 *   OCSP answer are per issuing CA generation;
 * - `status_list_partitions`: one row per Token Status List partition — allocation counter, the secret of the
 *   index permutation, a version bumped in every transaction that changes a status in it, and the last
 *   signed token (shared by every instance, so a CDN sees one ETag);
 * - `life_events`: the append-only log of life events and what each revoked;
 * - `notices`: what each installation (phone) must hear, numbered per installation for SSE Last-Event-ID;
 * - `rp_clients`: relying parties' client credentials (inquiry, platform status, insurance), secret as SHA-256;
 * - `insurance_qualifications`: the sandbox's insurer registry (online qualification confirmation).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';

  for (const table of ['credentials', 'staged_credentials']) {
    await db.schema.alterTable(table).addColumn('status_list_partition', 'integer').execute();
    await db.schema.alterTable(table).addColumn('crl_partition', 'text').execute();
    await db.schema.alterTable(table).addColumn('issuer_certificate', 'text').execute();
  }
  await db.schema.alterTable('staged_credentials').addColumn('status_list_index', 'bigint').execute();
  // NULLs are distinct in a unique index on both dialects: records without a status reference coexist.
  await db.schema
    .createIndex('credentials_status_position')
    .unique()
    .on('credentials')
    .columns(['status_list_partition', 'status_list_index'])
    .execute();
  await db.schema
    .createIndex('credentials_crl')
    .on('credentials')
    .columns(['issuer_certificate', 'crl_partition', 'state'])
    .execute();

  await db.schema
    .createTable('status_list_partitions')
    .addColumn('partition', 'integer', (c) => c.primaryKey())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('allocated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('permutation_key', bytes, (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('signed_version', 'bigint')
    .addColumn('token', bytes)
    .addColumn('etag', 'text')
    .addColumn('signed_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('life_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('life_events_resident')
    .on('life_events')
    .columns(['resident_id', 'recorded_at'])
    .execute();
  await db.schema.createIndex('life_events_recorded').on('life_events').column('recorded_at').execute();

  await db.schema
    .createTable('notices')
    .addColumn('installation_id', 'text', (c) => c.notNull().references('installations.id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('notices_pk', ['installation_id', 'seq'])
    .execute();

  await db.schema
    .createTable('rp_clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('disabled_at', 'bigint')
    .execute();

  await db.schema
    .createTable('insurance_qualifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('insurer_number', 'text', (c) => c.notNull())
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('branch', 'text')
    .addColumn('copayment_percent', 'integer', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('insurance_qualifications_resident')
    .on('insurance_qualifications')
    .column('resident_id')
    .execute();
}
