import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Passkeys bound to the verified person (passkeys/*): the relying party's accounts, their WebAuthn
 * credentials, the single-use challenges of the ceremonies, and the verifications already spent on a
 * passkey or a step-up. No personal data: an account is an opaque random id bound to the verification
 * record that proved it and to a keyed hash of the person's identity (passkeys/identity-binding.ts), never
 * the facts themselves. Self-contained: its own tables and indexes, nothing else.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = postgres ? 'bytea' : 'blob';

  await db.schema
    .createTable('passkey_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('relying_party_id', 'text', (c) => c.notNull().references('relying_parties.id'))
    // HMAC-SHA256 (hex) of the person's name and birth date under the identity-binding key.
    .addColumn('identity_hmac', 'text', (c) => c.notNull())
    // Which key version made identity_hmac (the key can be rotated by re-binding at a step-up).
    .addColumn('identity_key_id', 'text', (c) => c.notNull())
    // The verification record (and session) that proved the person; later the latest step-up's.
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('verified_at', 'bigint', (c) => c.notNull())
    // Set when the relying party asks for a fresh card verification; cleared by a matching one.
    .addColumn('step_up_requested_at', 'bigint')
    .execute();

  await db.schema
    .createTable('passkey_credentials')
    // The credential id (base64url), as the authenticator made it.
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('relying_party_id', 'text', (c) => c.notNull().references('relying_parties.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('passkey_accounts.id'))
    .addColumn('rp_id', 'text', (c) => c.notNull())
    // The COSE_Key of the credential (WebAuthn L3 §6.5.1.1).
    .addColumn('public_key', bytes, (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull())
    // JSON array of AuthenticatorTransport strings.
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('backed_up', 'integer', (c) => c.notNull().check(sql`backed_up in (0, 1)`))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addPrimaryKeyConstraint('passkey_credentials_pk', ['relying_party_id', 'id'])
    .execute();
  await db.schema
    .createIndex('passkey_credentials_by_account')
    .on('passkey_credentials')
    .column('account_id')
    .execute();

  await db.schema
    .createTable('passkey_challenges')
    // The challenge itself (base64url of 32 random bytes): the browser echoes it in clientDataJSON.
    .addColumn('challenge', 'text', (c) => c.primaryKey())
    .addColumn('relying_party_id', 'text', (c) => c.notNull().references('relying_parties.id'))
    .addColumn('ceremony', 'text', (c) =>
      c.notNull().check(sql`ceremony in ('registration', 'authentication')`),
    )
    .addColumn('rp_id', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    // Registration: the account to create (its user handle), the session and record that proved the
    // person, and the identity's keyed hash; authentication: the account asked for, if one was.
    .addColumn('account_id', 'text')
    .addColumn('session_id', 'text')
    .addColumn('record_id', 'text')
    .addColumn('identity_hmac', 'text')
    .addColumn('identity_key_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'used')`))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('passkey_challenges_expiry')
    .on('passkey_challenges')
    .column('expires_at')
    .execute();

  // A verification binds one passkey account or completes one step-up, once: the primary key is the
  // compare-and-set of that single use.
  await db.schema
    .createTable('passkey_session_uses')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('relying_party_id', 'text', (c) => c.notNull().references('relying_parties.id'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('registration', 'step-up')`))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
}
