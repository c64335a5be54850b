import type { Kysely } from 'kysely';
import { HashedTokenTable } from './hashed-token-table.js';
import type { IssuerDatabase } from './schema.js';
import { PreparedQuery } from './store-support.js';

const deleteFor = new PreparedQuery<[installationId: string], never>((db, slot) =>
  db.deleteFrom('installation_tokens').where('installation_id', '=', slot(0)),
);

/**
 * The bearer secrets of pending installations (RFC 6750 bearer tokens), stored only as SHA-256: after the
 * card step the phone holds one, and it is what lets that phone — and no other — send the certificate
 * signing requests of its installation. Random tokens of ≥ 128 bits need no slow hash.
 */
export class InstallationTokenRepository {
  readonly #tokens: HashedTokenTable;

  constructor(private readonly db: Kysely<IssuerDatabase>) {
    this.#tokens = new HashedTokenTable(
      db,
      'installation_tokens',
      'this token or installation has a token already',
    );
  }

  /** Stores the token of an installation (one per installation). ISSUER_DUPLICATE when either is taken. */
  create(input: { token: string; installationId: string; expiresAt: number }, now: number): Promise<void> {
    return this.#tokens.create(input, now);
  }

  /**
   * The installation an unexpired token belongs to, or undefined (unknown, expired and malformed alike,
   * RFC 6750 §3.1 `invalid_token`).
   */
  async find(token: string, now: number): Promise<string | undefined> {
    return (await this.#tokens.find(token, now))?.installationId;
  }

  /** Deletes the installation's token (it has served: the installation completed or failed). */
  async deleteForInstallation(installationId: string): Promise<void> {
    await deleteFor.run(this.db, installationId);
  }

  /** Deletes tokens that expired before `before`; returns how many. */
  purgeExpired(before: number): Promise<number> {
    return this.#tokens.purgeExpired(before);
  }
}
