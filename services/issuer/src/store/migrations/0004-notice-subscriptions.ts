import type { Kysely } from 'kysely';

/**
 * What the notices stream and the statistics need:
 * - `notice_subscriptions`: the short-lived bearer tokens of notice streams (GET /notices), kept only as
 *   SHA-256 like the other bearer secrets (hashed-token-table.ts). A table of their own: a subscription token
 *   must never pass for an installation token or an OpenID4VCI access token, and one installation may hold
 *   several at once (a phone reconnecting before its previous token expired);
 * - indexes for the statistics' day ranges: completions by `completed_at`, revocations by `revoked_at`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notice_subscriptions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('installation_id', 'text', (c) => c.notNull().references('installations.id'))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('notice_subscriptions_expiry')
    .on('notice_subscriptions')
    .column('expires_at')
    .execute();
  await db.schema.createIndex('installations_completed').on('installations').column('completed_at').execute();
  await db.schema.createIndex('credentials_revoked').on('credentials').column('revoked_at').execute();
}
