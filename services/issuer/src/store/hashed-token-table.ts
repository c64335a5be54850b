import { isUniqueViolation } from '@mynakit/db';
import type { Kysely } from 'kysely';
import { IssuerError } from '../errors.js';
import type { IssuerDatabase } from './schema.js';
import { check, checkInstant, PreparedQuery, sha256Hex } from './store-support.js';

/** The tables of bearer secrets: the same columns (token_hash, installation_id, expires_at, created_at). */
export type HashedTokenTableName = 'oid4vci_access_tokens' | 'installation_tokens' | 'notice_subscriptions';

const MAX_TOKEN_CHARS = 512;

type InsertToken = PreparedQuery<
  [tokenHash: string, installationId: string, expiresAt: number, createdAt: number],
  never
>;
type FindToken = PreparedQuery<
  [tokenHash: string, now: number],
  { installation_id: string; expires_at: number }
>;

/**
 * The two statements of each table, made once per table: a PreparedQuery keeps its compilation, and the
 * store makes new repositories for every transaction.
 */
const statements = new Map<HashedTokenTableName, { insert: InsertToken; find: FindToken }>();

function statementsOf(table: HashedTokenTableName): { insert: InsertToken; find: FindToken } {
  let made = statements.get(table);
  if (made === undefined) {
    // The tables have the same columns; the queries are typed against one of them.
    const t = table as 'installation_tokens';
    made = {
      insert: new PreparedQuery<
        [tokenHash: string, installationId: string, expiresAt: number, createdAt: number],
        never
      >((q, slot) =>
        q.insertInto(t).values({
          token_hash: slot(0),
          installation_id: slot(1),
          expires_at: slot(2),
          created_at: slot(3),
        }),
      ),
      find: new PreparedQuery<
        [tokenHash: string, now: number],
        { installation_id: string; expires_at: number }
      >((q, slot) =>
        q
          .selectFrom(t)
          .select(['installation_id', 'expires_at'])
          .where('token_hash', '=', slot(0))
          .where('expires_at', '>', slot(1)),
      ),
    };
    statements.set(table, made);
  }
  return made;
}

/**
 * Bearer tokens (RFC 6750) stored only as SHA-256, so a leaked database holds no usable token; random
 * tokens of ≥ 128 bits need no slow hash. One implementation for every table of them.
 */
export class HashedTokenTable {
  readonly #insert: InsertToken;
  readonly #find: FindToken;

  constructor(
    private readonly db: Kysely<IssuerDatabase>,
    private readonly table: HashedTokenTableName,
    private readonly duplicateMessage: string,
  ) {
    const { insert, find } = statementsOf(table);
    this.#insert = insert;
    this.#find = find;
  }

  /** Stores a token's hash. ISSUER_DUPLICATE when the token (or the table's other unique key) is taken. */
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
      await this.#insert.run(this.db, sha256Hex(input.token), input.installationId, input.expiresAt, now);
    } catch (e) {
      if (isUniqueViolation(e))
        throw new IssuerError('ISSUER_DUPLICATE', this.duplicateMessage, { cause: e });
      throw e;
    }
  }

  /** The row of an unexpired token, or undefined (unknown, expired and malformed alike). */
  async find(token: string, now: number): Promise<{ installationId: string; expiresAt: number } | undefined> {
    checkInstant(now, 'now');
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_CHARS) return undefined;
    const row = await this.#find.first(this.db, sha256Hex(token), now);
    return row && { installationId: row.installation_id, expiresAt: Number(row.expires_at) };
  }

  /** Deletes tokens that expired before `before`; returns how many. */
  async purgeExpired(before: number): Promise<number> {
    checkInstant(before, 'before');
    const res = await this.db
      .deleteFrom(this.table as 'installation_tokens')
      .where('expires_at', '<', before)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
