import type { Kysely } from 'kysely';

/**
 * What hearing the issuer's notices needs: the last notice applied per installation (the SSE
 * `Last-Event-ID` a reconnect sends, so a phone that was offline hears exactly what it missed), and the
 * moment and reason a JPKI certificate stopped being usable (documents had them from the start) — a
 * suspension (`certificateHold`) is the one reason that can be lifted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notice_cursors')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('installation_id', 'text', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_cursors_pk', ['device_id', 'installation_id'])
    .execute();
  await db.schema.alterTable('jpki_certificates').addColumn('invalidated_at', 'bigint').execute();
  await db.schema.alterTable('jpki_certificates').addColumn('invalidation_reason', 'text').execute();
}
