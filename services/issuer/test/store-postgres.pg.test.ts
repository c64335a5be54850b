import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import type { IssuerError } from '../src/errors.js';
import { type IssuerStore, openIssuerStore } from '../src/store/index.js';
import { credentialsFor, defineIssuerStoreCases, residentInput } from './store.cases.js';

let dropShared: (() => Promise<void>) | undefined;
defineIssuerStoreCases(
  'PostgreSQL',
  async () => {
    const t = await createTestDatabase();
    dropShared = t.drop;
    return openIssuerStore({ url: t.url, poolSize: 10 });
  },
  async () => dropShared?.(),
);

const T0 = Date.UTC(2026, 10, 26);

describe('IssuerStore on PostgreSQL across pools and processes', () => {
  let url: string;
  let drop: () => Promise<void>;
  let a: IssuerStore;
  let b: IssuerStore;

  beforeAll(async () => {
    ({ url, drop } = await createTestDatabase());
    // Two instances starting at once: both migrate, the migration lock serialises them.
    [a, b] = await Promise.all([
      openIssuerStore({ url, poolSize: 8 }),
      openIssuerStore({ url, poolSize: 8 }),
    ]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  it('keeps its tables in the schema `issuer`, none in public', async () => {
    const tables = await sql<{ schemaname: string; tablename: string }>`
      SELECT schemaname, tablename FROM pg_catalog.pg_tables
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY tablename`.execute(a.db);
    expect(new Set(tables.rows.map((r) => r.schemaname))).toEqual(new Set(['issuer']));
    expect(tables.rows.map((r) => r.tablename)).toContain('device_slots');
  });

  it('lets one of 50 completions split over two instances win', async () => {
    const r = await a.residents.create(residentInput(), T0);
    const racers = [];
    for (let i = 0; i < 50; i++)
      racers.push(await a.installations.begin({ residentId: r.id, family: 'iphone' }, T0));
    const outcomes = await Promise.allSettled(
      racers.map((x, i) =>
        (i % 2 === 0 ? a : b).installations.complete(
          x.id,
          credentialsFor(['mdoc', 'jpki-sign', 'jpki-auth']),
          {
            now: T0 + 1,
          },
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(lost.map((o) => (o.reason as IssuerError).code)).toEqual(
      Array(49).fill('ISSUER_INSTALLATION_CONFLICT'),
    );
    const creds = await b.db
      .selectFrom('credentials')
      .select('installation_id')
      .where('resident_id', '=', r.id)
      .execute();
    expect(new Set(creds.map((c) => c.installation_id)).size).toBe(1);
    expect(creds).toHaveLength(3);
  });

  it('lets one completion win when a second node process races on the same database', async () => {
    const r = await a.residents.create(residentInput(), T0);
    const racers = [];
    for (let i = 0; i < 40; i++)
      racers.push(await a.installations.begin({ residentId: r.id, family: 'iphone' }, T0));
    const theirs = racers.slice(0, 20).map((x) => x.id);
    const ours = racers.slice(20);

    const worker = fileURLToPath(new URL('./store-race-worker.ts', import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', tsx, worker, url, theirs.join(',')],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('ready\n')) resolve();
      });
      child.on('close', () => reject(new Error(`worker ended early: ${err}`)));
    });
    child.stdin.write('go\n');
    const mine = await Promise.allSettled(
      ours.map((x) =>
        a.installations.complete(x.id, credentialsFor(['mdoc', 'jpki-sign', 'jpki-auth']), { now: T0 + 1 }),
      ),
    );
    expect(await exited, err).toBe(0);
    const theirOutcomes = JSON.parse(out.split('\n').filter(Boolean).at(-1) as string) as string[];
    const all = [
      ...mine.map((o) => (o.status === 'fulfilled' ? 'won' : (o.reason as IssuerError).code)),
      ...theirOutcomes,
    ];
    expect(all.filter((x) => x === 'won')).toHaveLength(1);
    expect(all.filter((x) => x === 'ISSUER_INSTALLATION_CONFLICT')).toHaveLength(39);
    const creds = await a.db
      .selectFrom('credentials')
      .select('installation_id')
      .where('resident_id', '=', r.id)
      .execute();
    expect(new Set(creds.map((c) => c.installation_id)).size).toBe(1);
    expect(await a.installations.currentGeneration(r.id)).toBe(1);
  }, 60_000);

  it('revokes a record added concurrently with the supersession (row lock on the installation)', async () => {
    const r = await a.residents.create(residentInput(), T0);
    const old = await a.installations.begin({ residentId: r.id, family: 'android' }, T0);
    await a.installations.complete(old.id, credentialsFor(['jpki-sign', 'jpki-auth']), { now: T0 + 1 });
    const next = await b.installations.begin({ residentId: r.id, family: 'iphone' }, T0 + 2);
    const [added, completed] = await Promise.allSettled([
      a.installations.addCredentials(old.id, credentialsFor(['mdoc']), T0 + 3),
      b.installations.complete(next.id, credentialsFor(['mdoc', 'jpki-sign', 'jpki-auth']), { now: T0 + 3 }),
    ]);
    expect(completed.status).toBe('fulfilled');
    // Either order is fine; what must never be is an active credential left on the superseded installation.
    if (added.status === 'rejected')
      expect((added.reason as IssuerError).code).toBe('ISSUER_INSTALLATION_STATE');
    const active = await a.credentials.listActiveForResident(r.id);
    expect(new Set(active.map((c) => c.installationId))).toEqual(new Set([next.id]));
  });
});
