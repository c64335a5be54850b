import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isUniqueViolation, migrateToLatest, openDatabase } from '../src/index.js';

describe('openDatabase', () => {
  it('refuses URLs of databases it does not speak', () => {
    expect(() => openDatabase({ url: 'mysql://localhost/x' })).toThrow(
      expect.objectContaining({ code: 'DB_URL_UNSUPPORTED' }),
    );
  });
  it('opens SQLite in memory', async () => {
    const o = openDatabase({ url: ':memory:' });
    expect(o.dialect).toBe('sqlite');
    await o.close();
  });
  it('keeps SQLite statements: the same query runs again with other values, past the cache size', async () => {
    const o = openDatabase<{ things: { id: string; n: number } }>({ url: ':memory:' });
    await o.db.schema
      .createTable('things')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('n', 'integer')
      .execute();
    for (let i = 0; i < 300; i++)
      await o.db
        .insertInto('things')
        .values({ id: `t${i}`, n: i })
        .execute();
    for (let i = 0; i < 300; i += 37)
      expect(
        await o.db.selectFrom('things').select('n').where('id', '=', `t${i}`).executeTakeFirst(),
      ).toEqual({
        n: i,
      });
    for (let k = 0; k < 300; k++) {
      const { rows } = await sql<{
        k: number;
      }>`select n + ${sql.lit(k)} as k from things where id = 't1'`.execute(o.db);
      expect(rows).toEqual([{ k: 1 + k }]);
    }
    const row = (id: string) => o.db.selectFrom('things').selectAll().where('id', '=', id).executeTakeFirst();
    expect(await row('t2')).toEqual({ id: 't2', n: 2 });
    await o.db.schema.alterTable('things').addColumn('m', 'integer').execute();
    expect(await row('t2')).toEqual({ id: 't2', n: 2, m: null });
    await o.close();
  });
});

describe('openDatabase options', () => {
  it('refuses schema names that would need quoting or are reserved', () => {
    for (const schema of ['Issuer', 'a-b', 'pg_issuer', '', 'x'.repeat(64), 'a;drop']) {
      expect(() => openDatabase({ url: 'postgres://localhost/x', schema })).toThrow(
        expect.objectContaining({ code: 'DB_INVALID_OPTION' }),
      );
    }
  });
  it('ignores a schema on SQLite (each service has its own file)', async () => {
    const o = openDatabase({ url: ':memory:', schema: 'issuer' });
    expect(o.schema).toBeUndefined();
    expect(await migrateToLatest(o.db)).toEqual(['0001-nonces']);
    await o.close();
  });
});

describe('migrateToLatest with a migration list of its own', () => {
  const own = {
    '0001-things': {
      up: async (db: Kysely<unknown>) => {
        await db.schema
          .createTable('things')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .execute();
      },
    },
  };
  it('needs a bookkeeping table of its own', async () => {
    const o = openDatabase({ url: ':memory:' });
    await expect(migrateToLatest(o.db, own)).rejects.toMatchObject({ code: 'DB_INVALID_OPTION' });
    await expect(migrateToLatest(o.db, own, { tableName: 'Bad-Name' })).rejects.toMatchObject({
      code: 'DB_INVALID_OPTION',
    });
    await o.close();
  });
  it('runs beside the nonce migrations, each list in its own table', async () => {
    const o = openDatabase<{ things: { id: string } }>({ url: ':memory:' });
    expect(await migrateToLatest(o.db, own, { tableName: 'things_migrations' })).toEqual(['0001-things']);
    expect(await migrateToLatest(o.db)).toEqual(['0001-nonces']);
    expect(await migrateToLatest(o.db, own, { tableName: 'things_migrations' })).toEqual([]);
    await o.db.insertInto('things').values({ id: 'a' }).execute();
    const dup = await o.db
      .insertInto('things')
      .values({ id: 'a' })
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(dup)).toBe(true);
    expect(isUniqueViolation(new Error('x'))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
    await o.close();
  });
});
