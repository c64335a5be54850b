import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { es256Signer, signCheckpoints } from '../src/records/checkpoints.js';
import { appendVerificationRecord, chainIdOf } from '../src/records/record-chains.js';
import { verifyRecordChains } from '../src/records/verify-chains.js';
import { openVerifierStore, type VerifierStore } from '../src/store/index.js';
import { defineVerifierStoreCases, recordContent, rpConfig, T0 } from './store.cases.js';

let dropShared: (() => Promise<void>) | undefined;
defineVerifierStoreCases(
  'PostgreSQL',
  async () => {
    const t = await createTestDatabase();
    dropShared = t.drop;
    return openVerifierStore({ url: t.url, poolSize: 5 });
  },
  async () => dropShared?.(),
);

describe('VerifierStore on PostgreSQL with two instances', () => {
  let drop: () => Promise<void>;
  let a: VerifierStore;
  let b: VerifierStore;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  beforeAll(async () => {
    const t = await createTestDatabase();
    drop = t.drop;
    // Two instances starting at once: both migrate, the migration lock serialises them.
    [a, b] = await Promise.all([
      openVerifierStore({ url: t.url, poolSize: 6 }),
      openVerifierStore({ url: t.url, poolSize: 6 }),
    ]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  it('keeps its tables in the schema `verifier`, none in public', async () => {
    const tables = await sql<{ schemaname: string; tablename: string }>`
      SELECT schemaname, tablename FROM pg_catalog.pg_tables
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY tablename`.execute(a.db);
    expect(new Set(tables.rows.map((r) => r.schemaname))).toEqual(new Set(['verifier']));
    expect(tables.rows.map((r) => r.tablename)).toEqual(
      expect.arrayContaining([
        'relying_parties',
        'verification_records',
        'chain_checkpoints',
        'record_access_log',
      ]),
    );
  });

  it('leaves every chain valid when two pools append concurrently, each to its own chain and both to one', async () => {
    const { relyingParty: rp } = await a.relyingParties.create(rpConfig(), T0);
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      // Each instance to its own chain (no contention) …
      writes.push(
        appendVerificationRecord(a, {
          relyingPartyId: rp.id,
          writerId: 'a',
          content: recordContent(i) as never,
          now: T0 + i,
        }),
        appendVerificationRecord(b, {
          relyingPartyId: rp.id,
          writerId: 'b',
          content: recordContent(i) as never,
          now: T0 + i,
        }),
      );
      // … and both to a shared writer id: the compare-and-set on (chain_id, seq) decides, the loser retries.
      writes.push(
        appendVerificationRecord(i % 2 === 0 ? a : b, {
          relyingPartyId: rp.id,
          writerId: 'shared',
          content: recordContent(i) as never,
          now: T0 + i,
        }),
      );
    }
    await Promise.all(writes);
    // Both instances sign checkpoints at once: one checkpoint per (chain, seq) survives.
    await Promise.all([
      signCheckpoints(a, es256Signer(privateKey), T0 + 100),
      signCheckpoints(b, es256Signer(privateKey), T0 + 100),
    ]);
    for (const writer of ['a', 'b', 'shared']) {
      const rows = await a.db
        .selectFrom('verification_records')
        .select('seq')
        .where('chain_id', '=', chainIdOf(rp.id, writer))
        .orderBy('seq')
        .execute();
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    }
    const checkpoints = await a.db.selectFrom('chain_checkpoints').select(['chain_id', 'seq']).execute();
    expect(checkpoints).toHaveLength(3);
    const report = await verifyRecordChains(b, { checkpointPublicKey: publicKey });
    expect(report.verdict).toBe('valid');
    expect(report.counts).toEqual({ chains: 3, records: 120, checkpoints: 3 });
  }, 60_000);
});
