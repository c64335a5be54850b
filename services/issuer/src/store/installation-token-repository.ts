import { isUniqueViolation } from '@mynakit/db';
import type { Kysely } from 'kysely';
import { IssuerError } from '../errors.js';
import type { IssuerDatabase } from './schema.js';
import { check, checkInstant, PreparedQuery, sha256Hex } from './store-support.js';

const MAX_TOKEN_CHARS = 512;

const Q = {
  insert: new PreparedQuery<
    [tokenHash: string, installationId: string, expiresAt: number, createdAt: number],
    never
  >((db, slot) =>
    db.insertInto('installation_tokens').values({
      token_hash: slot(0),
      installation_id: slot(1),
      expires_at: slot(2),
      created_at: slot(3),
    }),
  ),
  find: new PreparedQuery<[tokenHash: string, now: number], { installation_id: string }>((db, slot) =>
    db
      .selectFrom('installation_tokens')
      .select('installation_id')
      .where('token_hash', '=', slot(0))
      .where('expires_at', '>', slot(1)),
  ),
  deleteFor: new PreparedQuery<[installationId: string], never>((db, slot) =>
    db.deleteFrom('installation_tokens').where('installation_id', '=', slot(0)),
  ),
};

/**
 * The bearer secrets of pending installations (RFC 6750 bearer tokens), stored only as SHA-256: after the
 * card step the phone holds one, and it is what lets that phone — and no other — send the certificate
 * signing requests of its installation. Random tokens of ≥ 128 bits need no slow hash.
 */
export class InstallationTokenRepository {
  constructor(private readonly db: Kysely<IssuerDatabase>) {}

  /** Stores the token of an installation (one per installation). ISSUER_DUPLICATE when either is taken. */
  async create(
    input: { token: string; installationId: string; expiresAt: number },
    now: number,
  ): Promise<void> {
    checkInstant(now, 'now');
    checkInstant(input.expiresAt, 'expiresAt');
    check(
      typeof input.token === 'string' && input.token.length >= 16 && input.token.length <= MAX_TOKEN_CHARS,
      'token must be 16..512 characters',
    );
    try {
      await Q.insert.run(this.db, sha256Hex(input.token), input.installationId, input.expiresAt, now);
    } catch (e) {
      if (isUniqueViolation(e))
        throw new IssuerError('ISSUER_DUPLICATE', 'this token or installation has a token already', {
          cause: e,
        });
      throw e;
    }
  }

  /**
   * The installation an unexpired token belongs to, or undefined (unknown, expired and malformed alike,
   * RFC 6750 §3.1 `invalid_token`).
   */
  async find(token: string, now: number): Promise<string | undefined> {
    checkInstant(now, 'now');
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_CHARS) return undefined;
    const row = await Q.find.first(this.db, sha256Hex(token), now);
    return row?.installation_id;
  }

  /** Deletes the installation's token (it has served: the installation completed or failed). */
  async deleteForInstallation(installationId: string): Promise<void> {
    await Q.deleteFor.run(this.db, installationId);
  }

  /** Deletes tokens that expired before `before`; returns how many. */
  async purgeExpired(before: number): Promise<number> {
    checkInstant(before, 'before');
    const res = await this.db
      .deleteFrom('installation_tokens')
      .where('expires_at', '<', before)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
