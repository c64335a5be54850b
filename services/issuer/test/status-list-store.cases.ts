/**
 * StatusListRepository on either database: allocations — concurrent, across full partitions, from two
 * store instances — never collide and fill each partition exactly; the signed token is kept by
 * compare-and-set (an older version or an earlier signing never overwrites a newer one); the partition's
 * non-VALID entries are what revocations made them.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuerStore, StatusListAllocation } from '../src/store/index.js';

const T0 = Date.UTC(2026, 4, 1);

/** Opens a store whose new partitions have `capacity` indexes (a second call: a second instance). */
export type OpenStore = (capacity: number) => Promise<IssuerStore>;

function expectExactFill(got: readonly StatusListAllocation[], capacity: number): Map<number, number[]> {
  expect(new Set(got.map((a) => `${a.partition}:${a.index}`)).size).toBe(got.length);
  const byPartition = new Map<number, number[]>();
  for (const a of got) byPartition.set(a.partition, [...(byPartition.get(a.partition) ?? []), a.index]);
  for (const indexes of byPartition.values()) {
    expect(indexes.every((i) => Number.isInteger(i) && i >= 0 && i < capacity)).toBe(true);
  }
  return byPartition;
}

/** Registers the cases for one database. */
export function defineStatusListStoreCases(
  name: string,
  open: OpenStore,
  cleanup: () => Promise<void>,
): void {
  describe(`StatusListRepository on ${name}`, () => {
    let a: IssuerStore;
    let b: IssuerStore;
    beforeAll(async () => {
      a = await open(16);
      b = await open(16);
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await cleanup();
    });

    it('concurrent allocations from two instances never collide, fill each partition, then open the next', async () => {
      const got = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).statusLists.allocate(T0)),
      );
      const byPartition = expectExactFill(got, 16);
      expect([...byPartition.keys()].sort()).toEqual([0, 1, 2]);
      const all16 = Array.from({ length: 16 }, (_, i) => i);
      expect([...(byPartition.get(0) ?? [])].sort((x, y) => x - y)).toEqual(all16);
      expect([...(byPartition.get(1) ?? [])].sort((x, y) => x - y)).toEqual(all16);
      expect(byPartition.get(2)?.length).toBe(8);
      const listed = await a.statusLists.list();
      expect(listed.map((p) => [p.partition, p.capacity, p.allocated])).toEqual([
        [0, 16, 16],
        [1, 16, 16],
        [2, 16, 8],
      ]);
      const keys = await a.db.selectFrom('status_list_partitions').select('permutation_key').execute();
      expect(new Set(keys.map((k) => Buffer.from(k.permutation_key).toString('hex'))).size).toBe(3);
    });

    it('keeps the newest signed token: a newer version or a later signing replaces it, nothing older does', async () => {
      const { partition } = await a.statusLists.allocate(T0);
      const token = (n: number) => ({
        token: new Uint8Array(randomBytes(8)),
        etag: `"t${n}"`,
        expiresAt: T0 + 86_400_000,
      });
      expect(await a.statusLists.storeSigned(partition, { version: 0, signedAt: T0, ...token(1) })).toBe(
        true,
      );
      expect(await b.statusLists.storeSigned(partition, { version: 0, signedAt: T0, ...token(2) })).toBe(
        false,
      );
      expect(
        await b.statusLists.storeSigned(partition, { version: 0, signedAt: T0 + 1000, ...token(3) }),
      ).toBe(true);
      expect(await a.statusLists.storeSigned(partition, { version: 2, signedAt: T0, ...token(4) })).toBe(
        true,
      );
      expect(
        await a.statusLists.storeSigned(partition, { version: 1, signedAt: T0 + 9000, ...token(5) }),
      ).toBe(false);
      const row = await b.statusLists.get(partition);
      expect(row).toMatchObject({ signedVersion: 2, etag: '"t4"', signedAt: T0, expiresAt: T0 + 86_400_000 });
      expect(row?.token).toBeInstanceOf(Uint8Array);
      expect(await a.statusLists.get(10_000)).toBeUndefined();
    });
  });
}
