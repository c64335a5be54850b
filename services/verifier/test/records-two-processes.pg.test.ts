/**
 * Two verifier processes writing records at the same time to one PostgreSQL leave every chain valid
 * (records/record-chains.ts): each process appends to its own chain and both to one shared chain, signing
 * checkpoints as they go; afterwards `verifyRecordChains` finds every chain gap-free, linked and matching its
 * signed checkpoints. Separate processes, not two pools in one: nothing in memory is shared.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { chainIdOf } from '../src/records/record-chains.js';
import { verifyRecordChains } from '../src/records/verify-chains.js';
import { openVerifierStore, type VerifierStore } from '../src/store/index.js';
import { rpConfig, T0 } from './store.cases.js';

const ROUNDS = 30;
const worker = fileURLToPath(new URL('./helpers/append-records-worker.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function runWorker(url: string, relyingPartyId: string, writerId: string, keyPem: string): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', tsx, worker, url, relyingPartyId, writerId, String(ROUNDS), keyPem],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    child.on('close', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`worker ${writerId} exited ${code}:\n${err}`)),
    );
  });
}

describe('verification records from two verifier processes on one PostgreSQL', () => {
  let drop: () => Promise<void>;
  let url: string;
  let store: VerifierStore;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  beforeAll(async () => {
    const t = await createTestDatabase();
    drop = t.drop;
    url = t.url;
    store = await openVerifierStore({ url, poolSize: 2 });
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('leaves every chain gap-free, linked and matching its signed checkpoints', async () => {
    const { relyingParty: rp } = await store.relyingParties.create(rpConfig(), T0);
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const done = await Promise.all([
      runWorker(url, rp.id, 'instance-a', pem),
      runWorker(url, rp.id, 'instance-b', pem),
    ]);
    expect(done).toEqual([`done ${ROUNDS}`, `done ${ROUNDS}`]);
    for (const [writer, n] of [
      ['instance-a', ROUNDS],
      ['instance-b', ROUNDS],
      ['shared', 2 * ROUNDS],
    ] as const) {
      const rows = await store.db
        .selectFrom('verification_records')
        .select('seq')
        .where('chain_id', '=', chainIdOf(rp.id, writer))
        .orderBy('seq')
        .execute();
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    }
    const report = await verifyRecordChains(store, { checkpointPublicKey: publicKey });
    expect(report.checks.filter((c) => c.status !== 'passed')).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(report.counts).toMatchObject({ chains: 3, records: 4 * ROUNDS });
    expect(report.counts.checkpoints).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
