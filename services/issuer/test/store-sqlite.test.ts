import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { type IssuerDatabase, openIssuerStore } from '../src/store/index.js';
import { durably, inTransaction } from '../src/store/store-support.js';
import { defineIssuerStoreCases } from './store.cases.js';

const dir = mkdtempSync(join(tmpdir(), 'mynakit-issuer-store-'));
// A file, not :memory:, as the service uses (<dataDir>/issuer/issuer.sqlite): WAL and the busy timeout apply.
defineIssuerStoreCases(
  'SQLite',
  () => openIssuerStore({ url: `sqlite:${join(dir, 'issuer.sqlite')}` }),
  async () => rmSync(dir, { recursive: true, force: true }),
);

describe('SQLite durability', () => {
  const syncDir = mkdtempSync(join(tmpdir(), 'mynakit-issuer-sync-'));
  afterAll(() => rmSync(syncDir, { recursive: true, force: true }));
  const synchronous = async (db: Kysely<IssuerDatabase>) =>
    (await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]?.synchronous;

  it('runs WAL with synchronous NORMAL, and FULL for the commits of a durable transaction', async () => {
    const store = await openIssuerStore({ url: `sqlite:${join(syncDir, 'issuer.sqlite')}` });
    try {
      const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(store.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      expect(await synchronous(store.db)).toBe(1);
      expect(await inTransaction(store.db, synchronous, { durable: true })).toBe(2);
      expect(await durably(store.db, synchronous)).toBe(2);
      await expect(
        inTransaction(
          store.db,
          async () => {
            throw new Error('rolled back');
          },
          { durable: true },
        ),
      ).rejects.toThrow('rolled back');
      expect(await synchronous(store.db)).toBe(1);
      expect(await inTransaction(store.db, synchronous)).toBe(1);
    } finally {
      await store.close();
    }
  });
});
