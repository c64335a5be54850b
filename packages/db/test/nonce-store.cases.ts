import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, NonceStore, type OpenedDatabase } from '../src/index.js';

/**
 * The nonce store's behaviour, written once and run on every dialect
 * (`nonce-store.test.ts` on SQLite, `nonce-store.pg.test.ts` on PostgreSQL).
 */
export function defineNonceStoreCases(
  name: string,
  open: () => Promise<OpenedDatabase>,
  cleanup?: () => Promise<void>,
) {
  describe(`NonceStore on ${name}`, () => {
    let opened: OpenedDatabase;
    let store: NonceStore;
    const t0 = new Date('2026-11-26T00:00:00Z');
    const later = (s: number) => new Date(t0.getTime() + s * 1000);

    beforeAll(async () => {
      opened = await open();
      const applied = await migrateToLatest(opened.db);
      expect(applied).toContain('0001-nonces');
      expect(await migrateToLatest(opened.db)).toEqual([]); // idempotent
      store = new NonceStore(opened.db);
    });
    afterAll(async () => {
      await opened?.close();
      await cleanup?.();
    });

    it('consumes a nonce exactly once', async () => {
      await store.issue({ nonce: 'n-once', purpose: 'oid4vp', now: t0, ttlSeconds: 300 });
      expect(await store.consume({ nonce: 'n-once', purpose: 'oid4vp', now: later(10) })).toBe('consumed');
      expect(await store.consume({ nonce: 'n-once', purpose: 'oid4vp', now: later(11) })).toBe('replayed');
    });

    it('says unknown, expired and wrong purpose apart', async () => {
      expect(await store.consume({ nonce: 'never-issued', purpose: 'oid4vp', now: t0 })).toBe('unknown');
      await store.issue({ nonce: 'n-exp', purpose: 'oid4vp', now: t0, ttlSeconds: 60 });
      expect(await store.consume({ nonce: 'n-exp', purpose: 'oid4vp', now: later(60) })).toBe('expired');
      await store.issue({ nonce: 'n-purpose', purpose: 'jpki-auth', now: t0, ttlSeconds: 60 });
      expect(await store.consume({ nonce: 'n-purpose', purpose: 'oid4vp', now: later(1) })).toBe(
        'wrong_purpose',
      );
      expect(await store.consume({ nonce: 'n-purpose', purpose: 'jpki-auth', now: later(1) })).toBe(
        'consumed',
      );
    });

    it('refuses to issue the same nonce twice', async () => {
      await store.issue({ nonce: 'n-dup', purpose: 'oid4vp', now: t0, ttlSeconds: 60 });
      await expect(
        store.issue({ nonce: 'n-dup', purpose: 'oid4vp', now: t0, ttlSeconds: 60 }),
      ).rejects.toMatchObject({
        code: 'DB_CONFLICT',
      });
    });

    it('lets exactly one of many concurrent consumers win', async () => {
      await store.issue({ nonce: 'n-race', purpose: 'oid4vp', now: t0, ttlSeconds: 300 });
      const results = await Promise.all(
        Array.from({ length: 8 }, () => store.consume({ nonce: 'n-race', purpose: 'oid4vp', now: later(5) })),
      );
      expect(results.filter((r) => r === 'consumed')).toHaveLength(1);
      expect(results.filter((r) => r === 'replayed')).toHaveLength(7);
    });

    it('purges only expired nonces', async () => {
      await store.issue({ nonce: 'n-old', purpose: 'p', now: t0, ttlSeconds: 1 });
      await store.issue({ nonce: 'n-new', purpose: 'p', now: later(1000), ttlSeconds: 1000 });
      const n = await store.purgeExpired(later(500));
      expect(n).toBeGreaterThanOrEqual(1);
      expect(await store.consume({ nonce: 'n-old', purpose: 'p', now: later(500) })).toBe('unknown');
      expect(await store.consume({ nonce: 'n-new', purpose: 'p', now: later(1001) })).toBe('consumed');
    });
  });
}
