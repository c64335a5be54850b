import type { Kysely } from 'kysely';
import { DbError } from './errors.js';
import type { Database } from './schema.js';

export type ConsumeResult = 'consumed' | 'unknown' | 'replayed' | 'expired' | 'wrong_purpose';

/**
 * One-time nonces shared by every instance of a service through its database.
 * `consume` is a single conditional UPDATE, so two instances racing on the same nonce cannot both win.
 */
export class NonceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async issue(input: { nonce: string; purpose: string; now: Date; ttlSeconds: number }): Promise<void> {
    const issuedAt = input.now.getTime();
    try {
      await this.db
        .insertInto('nonces')
        .values({
          nonce: input.nonce,
          purpose: input.purpose,
          issued_at: issuedAt,
          expires_at: issuedAt + input.ttlSeconds * 1000,
          consumed_at: null,
        })
        .execute();
    } catch (e) {
      throw new DbError('DB_CONFLICT', 'nonce already issued', { cause: e });
    }
  }

  async consume(input: { nonce: string; purpose: string; now: Date }): Promise<ConsumeResult> {
    const now = input.now.getTime();
    const won = await this.db
      .updateTable('nonces')
      .set({ consumed_at: now })
      .where('nonce', '=', input.nonce)
      .where('purpose', '=', input.purpose)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('nonce')
      .executeTakeFirst();
    if (won) return 'consumed';
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
