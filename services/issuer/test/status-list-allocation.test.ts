/**
 * Token Status List positions: the keyed Feistel permutation is a bijection of each index space (and its
 * inverse undoes it), another key gives another order, and the store's allocations — concurrent, across
 * full partitions — never collide and fill each partition exactly.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexPermutation } from '../src/status-lists/index-permutation.js';
import { type IssuerStore, openIssuerStore } from '../src/store/index.js';
import { isStatusListCapacity } from '../src/store/status-list-repository.js';
import { type TempDataDir, tempDataDir } from './helpers/sandbox-ca.js';

describe('IndexPermutation', () => {
  it('is a bijection of [0, 2^bits) whose inverse undoes it (seeded, small capacities)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (bits, key) => {
          const p = new IndexPermutation(key, bits);
          const seen = new Uint8Array(p.size);
          for (let position = 0; position < p.size; position++) {
            const index = p.forward(position);
            expect(index).toBeGreaterThanOrEqual(0);
            expect(index).toBeLessThan(p.size);
            expect(seen[index]).toBe(0);
            seen[index] = 1;
            expect(p.inverse(index)).toBe(position);
          }
        },
      ),
      { seed: 20261202, numRuns: 60 },
    );
  });

  it('at 2^20 the first positions are neither sequential nor shared between keys', () => {
    const a = new IndexPermutation(randomBytes(32), 20);
    const b = new IndexPermutation(randomBytes(32), 20);
    const first = Array.from({ length: 64 }, (_, i) => a.forward(i));
    expect(new Set(first).size).toBe(64);
    // Sequential positions would give at most 63 ascending steps of 1; a PRP gives almost none.
    expect(first.filter((v, i) => i > 0 && v === (first[i - 1] as number) + 1).length).toBeLessThan(4);
    const other = Array.from({ length: 64 }, (_, i) => b.forward(i));
    expect(other.filter((v, i) => v === first[i]).length).toBeLessThan(4);
    expect(a.inverse(a.forward(1_048_575))).toBe(1_048_575);
  });

  it('refuses positions outside the space, short keys and unsupported sizes', () => {
    const p = new IndexPermutation(randomBytes(32), 4);
    expect(() => p.forward(16)).toThrow(RangeError);
    expect(() => p.forward(-1)).toThrow(RangeError);
    expect(() => p.inverse(1.5)).toThrow(RangeError);
    expect(() => new IndexPermutation(randomBytes(8), 4)).toThrow(RangeError);
    expect(() => new IndexPermutation(randomBytes(32), 1)).toThrow(RangeError);
    expect(() => new IndexPermutation(randomBytes(32), 31)).toThrow(RangeError);
    expect([16, 2 ** 20].every(isStatusListCapacity)).toBe(true);
    expect([0, 2, 3, 1000, 2 ** 31].some(isStatusListCapacity)).toBe(false);
  });
});

describe('StatusListRepository.allocate', () => {
  let dir: TempDataDir;
  let store: IssuerStore;
  beforeAll(async () => {
    dir = tempDataDir();
    store = await openIssuerStore({
      url: `sqlite:${join(dir.path, 'issuer.sqlite')}`,
      statusListCapacity: 16,
    });
  });
  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  it('never hands out one position twice, fills each partition exactly, then opens the next', async () => {
    const now = Date.UTC(2026, 4, 1);
    const got = await Promise.all(Array.from({ length: 40 }, () => store.statusLists.allocate(now)));
    const keys = new Set(got.map((a) => `${a.partition}:${a.index}`));
    expect(keys.size).toBe(40);
    const byPartition = new Map<number, number[]>();
    for (const a of got) byPartition.set(a.partition, [...(byPartition.get(a.partition) ?? []), a.index]);
    expect([...byPartition.keys()].sort()).toEqual([0, 1, 2]);
    expect([...(byPartition.get(0) ?? [])].sort((x, y) => x - y)).toEqual(
      Array.from({ length: 16 }, (_, i) => i),
    );
    expect([...(byPartition.get(1) ?? [])].sort((x, y) => x - y)).toEqual(
      Array.from({ length: 16 }, (_, i) => i),
    );
    expect(byPartition.get(2)?.length).toBe(8);
    const listed = await store.statusLists.list();
    expect(listed.map((p) => [p.partition, p.capacity, p.allocated])).toEqual([
      [0, 16, 16],
      [1, 16, 16],
      [2, 16, 8],
    ]);
    // Each partition has its own secret order.
    const keysOf = await store.db.selectFrom('status_list_partitions').select('permutation_key').execute();
    expect(new Set(keysOf.map((k) => Buffer.from(k.permutation_key).toString('hex'))).size).toBe(3);
  });

  it('refuses a capacity that is not a power of two', async () => {
    await expect(
      openIssuerStore({ url: `sqlite:${join(dir.path, 'other.sqlite')}`, statusListCapacity: 1000 }),
    ).rejects.toMatchObject({ code: 'ISSUER_INVALID_INPUT' });
  });
});
