import type { Kysely } from 'kysely';

/**
 * The customer's declaration at 取引時確認 under 犯収法 — the purpose of the transaction and the occupation
 * (sessions/customer-declaration.ts) — kept with a session from its opening until its verification record
 * is written, then erased with the session's keys: JSON text, null when none was declared.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('verification_sessions').addColumn('declaration', 'text').execute();
  await db.schema.alterTable('jpki_sessions').addColumn('declaration', 'text').execute();
}
