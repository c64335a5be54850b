import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import {
  type Database,
  isUniqueViolation,
  migrateToLatest,
  NonceStore,
  type OpenedDatabase,
  openDatabase,
} from '../src/index.js';

// Two services sharing one PostgreSQL database, each bound to its own schema (openDatabase({ schema })).
describe('openDatabase with a schema on PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  const opened: OpenedDatabase<unknown>[] = [];
  const open = <DB = Database>(schema?: string, at = url) => {
    const o = openDatabase<DB>(
      schema === undefined ? { url: at, poolSize: 2 } : { url: at, schema, poolSize: 2 },
    );
    opened.push(o as OpenedDatabase<unknown>);
    return o;
  };
  const tablesIn = async (db: Kysely<unknown>, schema: string) =>
    (
      await sql<{
        tablename: string;
      }>`SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = ${schema} ORDER BY tablename`.execute(
        db,
      )
    ).rows.map((r) => r.tablename);

  beforeAll(async () => {
    ({ url, drop } = await createTestDatabase());
  });
  afterAll(async () => {
    for (const o of opened) await o.close();
    await drop?.();
  });

  it('keeps two schemas of one database apart, each with its own migration bookkeeping', async () => {
    const a = open('svc_a');
    const b = open('svc_b');
    expect(a.schema).toBe('svc_a');
    // The same default migrations in both: Kysely must not mistake svc_a's bookkeeping table for svc_b's.
    expect(await migrateToLatest(a.db)).toEqual(['0001-nonces']);
    expect(await migrateToLatest(b.db)).toEqual(['0001-nonces']);
    expect(await migrateToLatest(b.db)).toEqual([]);

    await new NonceStore(a.db).issue({ nonce: 'n-a', purpose: 'p', now: new Date(0), ttlSeconds: 60 });
    expect(await new NonceStore(b.db).consume({ nonce: 'n-a', purpose: 'p', now: new Date(1) })).toBe(
      'unknown',
    );
    expect(await new NonceStore(a.db).consume({ nonce: 'n-a', purpose: 'p', now: new Date(1) })).toBe(
      'consumed',
    );

    const plain = open<unknown>();
    expect(await tablesIn(plain.db, 'svc_a')).toEqual([
      'mynakit_migrations',
      'mynakit_migrations_lock',
      'nonces',
    ]);
    expect(await tablesIn(plain.db, 'svc_b')).toEqual([
      'mynakit_migrations',
      'mynakit_migrations_lock',
      'nonces',
    ]);
    expect(await tablesIn(plain.db, 'public')).toEqual([]);
  });

  it('runs a migration list of its own, invisible from the other schema', async () => {
    const a = open<{ only_a: { id: string } }>('svc_a');
    const b = open<{ only_a: { id: string } }>('svc_b');
    const own = {
      '0001-only-a': {
        up: async (db: Kysely<unknown>) => {
          await db.schema
            .createTable('only_a')
            .addColumn('id', 'text', (c) => c.primaryKey())
            .execute();
        },
      },
    };
    expect(await migrateToLatest(a.db, own, { tableName: 'own_migrations' })).toEqual(['0001-only-a']);
    await a.db.insertInto('only_a').values({ id: 'x' }).execute();
    expect(await a.db.selectFrom('only_a').selectAll().execute()).toEqual([{ id: 'x' }]);
    await expect(b.db.selectFrom('only_a').selectAll().execute()).rejects.toMatchObject({ code: '42P01' });
  });

  it('creates a missing schema once when many pools race for it', async () => {
    const racers = Array.from({ length: 6 }, () => open('svc_race'));
    const shown = await Promise.all(
      racers.map(async (o) => (await sql<{ search_path: string }>`SHOW search_path`.execute(o.db)).rows[0]),
    );
    expect(shown).toEqual(Array.from({ length: 6 }, () => ({ search_path: 'svc_race' })));
  });

  it("keeps the URL's own startup options beside the schema binding", async () => {
    const withOptions = new URL(url);
    withOptions.searchParams.set('options', '-c statement_timeout=12345');
    const o = open('svc_opts', withOptions.toString());
    const timeout = await sql<{ statement_timeout: string }>`SHOW statement_timeout`.execute(o.db);
    const path = await sql<{ search_path: string }>`SHOW search_path`.execute(o.db);
    expect(timeout.rows[0]?.statement_timeout).toBe('12345ms');
    expect(path.rows[0]?.search_path).toBe('svc_opts');
  });

  it('says a duplicate key is a unique violation (23505) and nothing else is', async () => {
    const a = open<{ only_a: { id: string } }>('svc_a');
    const dup = await a.db
      .insertInto('only_a')
      .values({ id: 'x' })
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(dup)).toBe(true);
    const missing = await a.db
      .selectFrom('only_a as t')
      .select(sql`no_such_column`.as('c'))
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(missing)).toBe(false);
  });
});
