import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { walGroupCommit } from '@mynakit/db';
import { afterAll, describe, expect, it } from 'vitest';
import { openVerifierStore, type VerifierStore } from '../src/store/index.js';
import { recordInTransaction } from '../src/verification/record-in-transaction.js';
import { defineVerifierStoreCases, recordContent, rpConfig, T0 } from './store.cases.js';

const dir = mkdtempSync(join(tmpdir(), 'mynakit-verifier-store-'));
defineVerifierStoreCases(
  'SQLite',
  () => openVerifierStore({ url: `sqlite:${join(dir, 'verifier.sqlite')}` }),
  async () => rmSync(dir, { recursive: true, force: true }),
);

describe('verification records on a SQLite file: group commit', () => {
  const here = mkdtempSync(join(tmpdir(), 'mynakit-verifier-group-'));
  const opened: VerifierStore[] = [];
  afterAll(async () => {
    for (const s of opened) await s.close();
    rmSync(here, { recursive: true, force: true });
  });
  const open = async (name: string) => {
    const store = await openVerifierStore({ url: `sqlite:${join(here, name)}` });
    opened.push(store);
    return store;
  };
  const record = (store: VerifierStore, relyingPartyId: string, n: number) =>
    recordInTransaction(
      { store, writerId: 'w-group' },
      {
        relyingPartyId,
        sessionId: `s-${n}`,
        verdict: 'valid',
        content: recordContent(n) as never,
        now: T0 + n,
        complete: async () => true,
      },
    );

  it('has a group commit on a file and none in memory', async () => {
    expect((await open('a.sqlite')).durability).toBeDefined();
    const memory = await openVerifierStore({ url: ':memory:' });
    expect(memory.durability).toBeUndefined();
    await memory.close();
  });

  it('reports no record before the fsync that covers it, and one fsync serves the records committed meanwhile', async () => {
    const store = await open('b.sqlite');
    const { relyingParty } = await store.relyingParties.create(rpConfig(), T0);
    // The real barrier's disk sync, held until the test lets it go.
    const releases: (() => void)[] = [];
    let syncs = 0;
    const held: VerifierStore = {
      ...store,
      durability: walGroupCommit(async () => {
        syncs++;
        await new Promise<void>((resolve) => releases.push(resolve));
      }),
    };
    const made: number[] = [];
    const all = Array.from({ length: 12 }, (_, n) =>
      record(held, relyingParty.id, n).then((r) => made.push(r.seq)),
    );
    for (let i = 0; i < 50 && releases.length === 0; i++) await new Promise((r) => setImmediate(r));
    expect(releases).toHaveLength(1);
    expect(made).toEqual([]);
    // Every record is committed (readable) while the fsync is still running; none was reported.
    for (let i = 0; i < 200; i++) {
      const { count } = (await store.db
        .selectFrom('verification_records')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('relying_party_id', '=', relyingParty.id)
        .executeTakeFirstOrThrow()) as { count: number };
      if (Number(count) === 12) break;
      await new Promise((r) => setImmediate(r));
    }
    expect(made).toEqual([]);
    releases.shift()?.();
    for (let i = 0; i < 50 && releases.length === 0; i++) await new Promise((r) => setImmediate(r));
    // The first fsync started before most commits: they wait for a second one, shared by all of them.
    if (releases.length > 0) releases.shift()?.();
    await Promise.all(all);
    expect(made.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(syncs).toBeLessThanOrEqual(2);
  });

  it('withholds a record the disk did not confirm, with VERIFIER_RECORD_NOT_DURABLE', async () => {
    const store = await open('c.sqlite');
    const { relyingParty } = await store.relyingParties.create(rpConfig(), T0);
    const failing: VerifierStore = {
      ...store,
      durability: walGroupCommit(async () => {
        throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      }),
    };
    await expect(record(failing, relyingParty.id, 1)).rejects.toMatchObject({
      code: 'VERIFIER_RECORD_NOT_DURABLE',
    });
    await expect(record(failing, relyingParty.id, 2)).rejects.toMatchObject({
      code: 'VERIFIER_RECORD_NOT_DURABLE',
    });
  });

  it('makes records durable with the real fsync of the write-ahead log', async () => {
    const store = await open('d.sqlite');
    const { relyingParty } = await store.relyingParties.create(rpConfig(), T0);
    const before = store.durability?.syncs ?? 0;
    const records = await Promise.all(
      Array.from({ length: 10 }, (_, n) => record(store, relyingParty.id, n)),
    );
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    const syncs = (store.durability?.syncs ?? 0) - before;
    expect(syncs).toBeGreaterThanOrEqual(1);
    expect(syncs).toBeLessThanOrEqual(10);
  });
});
