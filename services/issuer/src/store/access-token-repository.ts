import { isUniqueViolation } from '@mynakit/db';
import type { Kysely } from 'kysely';
import { IssuerError } from '../errors.js';
import type { IssuerDatabase } from './schema.js';
import { check, checkInstant, PreparedQuery, sha256Hex } from './store-support.js';

/** What an access token grants: the installation whose credentials it may fetch, until when. */
export interface AccessTokenGrant {
  installationId: string;
  expiresAt: number;
}

const MAX_TOKEN_CHARS = 512;

const Q = {
  insert: new PreparedQuery<
    [tokenHash: string, installationId: string, expiresAt: number, createdAt: number],
    never
  >((db, slot) =>
    db.insertInto('oid4vci_access_tokens').values({
      token_hash: slot(0),
      installation_id: slot(1),
      expires_at: slot(2),
      created_at: slot(3),
    }),
  ),
  find: new PreparedQuery<[tokenHash: string, now: number], { installation_id: string; expires_at: number }>(
    (db, slot) =>
      db
        .selectFrom('oid4vci_access_tokens')
        .select(['installation_id', 'expires_at'])
        .where('token_hash', '=', slot(0))
        .where('expires_at', '>', slot(1)),
  ),
};

/**
 * OpenID4VCI access tokens (RFC 6749 §1.4, bearer per RFC 6750), stored only as SHA-256 so a leaked
 * database holds no usable token. Opaque random tokens need no slow hash: they carry ≥ 128 bits.
 */
export class AccessTokenRepository {
  constructor(private readonly db: Kysely<IssuerDatabase>) {}

  /** Stores a token for an installation. ISSUER_DUPLICATE when the same token was stored before. */
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
        throw new IssuerError('ISSUER_DUPLICATE', 'this token was stored before', { cause: e });
      throw e;
    }
  }

  /** The grant of an unexpired token, or undefined (unknown or expired alike: RFC 6750 §3.1 invalid_token). */
  async find(token: string, now: number): Promise<AccessTokenGrant | undefined> {
    checkInstant(now, 'now');
    if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return undefined;
    const row = await Q.find.first(this.db, sha256Hex(token), now);
    return row && { installationId: row.installation_id, expiresAt: Number(row.expires_at) };
  }

  /** Deletes tokens that expired before `before`; returns how many. */
  async purgeExpired(before: number): Promise<number> {
    checkInstant(before, 'before');
    const res = await this.db
      .deleteFrom('oid4vci_access_tokens')
      .where('expires_at', '<', before)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
