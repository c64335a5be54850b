/**
 * store/relaxed-durability.ts: a session's opening and claim skip the fsync, and nothing else does — the
 * connection is FULL again before anyone else uses it, even when the write fails, and inside a transaction
 * the callback runs in that transaction unchanged.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRelaxedDurability } from '../src/store/relaxed-durability.js';
import type { VerifierDatabase, VerifierStore } from '../src/store/index.js';
import { verifierStore } from './helpers/verifier-fixture.js';

let store: VerifierStore;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ store, remove } = await verifierStore());
});
afterAll(async () => remove?.());

const synchronous = async (db = store.db) =>
  Number((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]?.synchronous);

describe('withRelaxedDurability on SQLite', () => {
  it('runs the write with synchronous NORMAL and gives the connection back FULL', async () => {
    expect(await synchronous()).toBe(2);
    const inside = await withRelaxedDurability(store.db, (db) => synchronous(db));
    expect(inside).toBe(1);
    expect(await synchronous()).toBe(2);
  });

  it('restores FULL when the write fails', async () => {
    await expect(
      withRelaxedDurability(store.db, async (db) => {
        await sql`INSERT INTO no_such_table VALUES (1)`.execute(db);
      }),
    ).rejects.toThrow();
    expect(await synchronous()).toBe(2);
  });

  it('inside a transaction, runs in it without touching the setting', async () => {
    const seen = await store.db
      .transaction()
      .execute((trx) => withRelaxedDurability<VerifierDatabase, number>(trx, (db) => synchronous(db)));
    expect(seen).toBe(2);
  });
});
