/**
 * Token Status List positions: the keyed Feistel permutation is a bijection of each index space (and its
 * inverse undoes it), another key gives another order; the store's cases (status-list-store.cases.ts) on
 * SQLite.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexPermutation } from '../src/status-lists/index-permutation.js';
import { openIssuerStore } from '../src/store/index.js';
import { isStatusListCapacity } from '../src/store/status-list-repository.js';
import { type TempDataDir, tempDataDir } from './helpers/sandbox-ca.js';
import { defineStatusListStoreCases } from './status-list-store.cases.js';

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

const dir: TempDataDir = tempDataDir();
defineStatusListStoreCases(
  'SQLite',
  // Two instances share one file, as two processes would.
  (capacity) =>
    openIssuerStore({ url: `sqlite:${join(dir.path, 'issuer.sqlite')}`, statusListCapacity: capacity }),
  async () => dir.remove(),
);

describe('the store option', () => {
  it('refuses a capacity that is not a power of two, before opening anything', async () => {
    const other = tempDataDir();
    await expect(
      openIssuerStore({
        url: `sqlite:${join(other.path, 'issuer.sqlite')}`,
        statusListCapacity: 1000,
      }),
    ).rejects.toMatchObject({ code: 'ISSUER_INVALID_INPUT' });
    other.remove();
  });
});
