import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, syncSqliteWal, walGroupCommit } from '../src/index.js';

/** A sync whose completions the test decides, one per call, in order. */
function heldSync() {
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  let calls = 0;
  const sync = () => {
    calls++;
    return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return {
    sync,
    get calls() {
      return calls;
    },
    /** Completes the oldest sync still running. */
    finish(error?: Error) {
      const next = pending.shift();
      if (next === undefined) throw new Error('no sync is running');
      if (error) next.reject(error);
      else next.resolve();
    },
  };
}

const settled = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('walGroupCommit', () => {
  it('never answers a flush with an fsync that started before it; callers waiting together share one', async () => {
    const held = heldSync();
    const barrier = walGroupCommit(held.sync);
    const order: string[] = [];
    const first = barrier.flush().then(() => order.push('first'));
    expect(held.calls).toBe(1);
    // Three commits made while the first fsync runs: each needs the next fsync, which they share.
    const during = [1, 2, 3].map((n) => barrier.flush().then(() => order.push(`during-${n}`)));
    await settled();
    expect(held.calls).toBe(1);
    held.finish();
    await first;
    await settled();
    expect(order).toEqual(['first']);
    expect(held.calls).toBe(2);
    held.finish();
    await Promise.all(during);
    expect(order).toEqual(['first', 'during-1', 'during-2', 'during-3']);
    expect(barrier.syncs).toBe(2);
    // Idle again: the next flush starts its own fsync at once.
    const later = barrier.flush();
    expect(held.calls).toBe(3);
    held.finish();
    await later;
    expect(barrier.syncs).toBe(3);
  });

  it('breaks for good on a failed fsync: the callers waiting and every later flush get DB_DURABILITY_LOST', async () => {
    const held = heldSync();
    const barrier = walGroupCommit(held.sync);
    const first = barrier.flush();
    const waiting = barrier.flush();
    held.finish(new Error('EIO'));
    await expect(first).rejects.toMatchObject({ code: 'DB_DURABILITY_LOST' });
    await expect(waiting).rejects.toMatchObject({ code: 'DB_DURABILITY_LOST' });
    await expect(barrier.flush()).rejects.toMatchObject({ code: 'DB_DURABILITY_LOST' });
    // Nothing more was asked of the disk after the failure.
    expect(held.calls).toBe(1);
  });

  it('survives a sync that throws at once', async () => {
    const barrier = walGroupCommit(() => {
      throw new Error('EBADF');
    });
    await expect(barrier.flush()).rejects.toMatchObject({ code: 'DB_DURABILITY_LOST' });
  });

  describe('on a SQLite file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mynakit-wal-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('fsyncs the WAL that holds commits made with synchronous = NORMAL, and the file when no WAL is left', async () => {
      const path = join(dir, 'group.sqlite');
      const o = openDatabase<{ facts: { id: number } }>({ url: `sqlite:${path}` });
      await sql`PRAGMA synchronous = NORMAL`.execute(o.db);
      await o.db.schema
        .createTable('facts')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .execute();
      const walSync = syncSqliteWal(path);
      const barrier = walGroupCommit(walSync);
      await Promise.all(
        Array.from({ length: 20 }, async (_, id) => {
          await o.db.insertInto('facts').values({ id }).execute();
          await barrier.flush();
        }),
      );
      expect(barrier.syncs).toBeGreaterThanOrEqual(1);
      expect(barrier.syncs).toBeLessThanOrEqual(20);
      await o.close();
      // Closing the last connection checkpoints and removes the WAL: the database file is synced instead —
      // by the same sync, which held the removed WAL open.
      expect(existsSync(`${path}-wal`)).toBe(false);
      await barrier.flush();
      const again = openDatabase<{ facts: { id: number } }>({ url: `sqlite:${path}` });
      expect((await again.db.selectFrom('facts').selectAll().execute()).length).toBe(20);
      // A new WAL, made by the next commit: the held database file is left for it.
      await sql`PRAGMA synchronous = NORMAL`.execute(again.db);
      await again.db.insertInto('facts').values({ id: 20 }).execute();
      expect(existsSync(`${path}-wal`)).toBe(true);
      await barrier.flush();
      expect(barrier.syncs).toBeGreaterThanOrEqual(3);
      await walSync.close();
      // Closed: a later sync opens the file again.
      await barrier.flush();
      await walSync.close();
      await again.close();
    });

    it('reports a database that is not there as lost durability, not as success', async () => {
      await expect(walGroupCommit(syncSqliteWal(join(dir, 'missing.sqlite'))).flush()).rejects.toMatchObject({
        code: 'DB_DURABILITY_LOST',
      });
    });
  });
});
