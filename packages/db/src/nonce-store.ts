import type { Kysely } from 'kysely';
import { DbError } from './errors.js';
import { reusableQuery } from './reusable-query.js';
import type { Database } from './schema.js';

export type ConsumeResult = 'consumed' | 'unknown' | 'replayed' | 'expired' | 'wrong_purpose';

/**
 * One-time nonces shared by every instance of a service through its database.
 * `consume` is a single conditional UPDATE, so two instances racing on the same nonce cannot both win.
 */
/** The two statements every nonce runs, compiled once per dialect (reusable-query.ts). */
const insertNonce = reusableQuery(
  (db: Kysely<Database>, nonce: string, purpose: string, issuedAt: number, expiresAt: number) =>
    db
      .insertInto('nonces')
      .values({ nonce, purpose, issued_at: issuedAt, expires_at: expiresAt, consumed_at: null }),
);
const consumeNonce = reusableQuery((db: Kysely<Database>, nonce: string, purpose: string, now: number) =>
  db
    .updateTable('nonces')
    .set({ consumed_at: now })
    .where('nonce', '=', nonce)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('nonce'),
);

export class NonceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async issue(input: { nonce: string; purpose: string; now: Date; ttlSeconds: number }): Promise<void> {
    const issuedAt = input.now.getTime();
    try {
      await insertNonce(this.db, input.nonce, input.purpose, issuedAt, issuedAt + input.ttlSeconds * 1000);
    } catch (e) {
      throw new DbError('DB_CONFLICT', 'nonce already issued', { cause: e });
    }
  }

  async consume(input: { nonce: string; purpose: string; now: Date }): Promise<ConsumeResult> {
    const now = input.now.getTime();
    const won = await consumeNonce(this.db, input.nonce, input.purpose, now);
    if (won.rows.length > 0) return 'consumed';
    // Lost: say why, so the caller can answer with a precise error code.
    const row = await this.db
      .selectFrom('nonces')
      .select(['purpose', 'expires_at', 'consumed_at'])
      .where('nonce', '=', input.nonce)
      .executeTakeFirst();
    if (!row) return 'unknown';
    if (row.purpose !== input.purpose) return 'wrong_purpose';
    if (row.consumed_at !== null) return 'replayed';
    return 'expired';
  }

  /** Deletes nonces that expired before `before`; returns how many. */
  async purgeExpired(before: Date): Promise<number> {
    const res = await this.db
      .deleteFrom('nonces')
      .where('expires_at', '<', before.getTime())
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
