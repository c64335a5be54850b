import { CamelCasePlugin, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedDatabase, reusableQuery } from '../src/index.js';

interface Things {
  things: { id: string; n: number; note: string | null };
}

/** reusableQuery on one database (SQLite or PostgreSQL). */
export function defineReusableQueryCases(
  name: string,
  open: () => Promise<OpenedDatabase<Things>>,
  cleanup: () => Promise<void> = async () => undefined,
): void {
  describe(`reusableQuery (${name})`, () => {
    let o: OpenedDatabase<Things>;
    beforeAll(async () => {
      o = await open();
      await o.db.schema.dropTable('things').ifExists().execute();
      await o.db.schema
        .createTable('things')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addColumn('note', 'text')
        .execute();
    });
    afterAll(async () => {
      await o.close();
      await cleanup();
    });

    it('builds once, then runs with each call’s values — on the database and inside a transaction', async () => {
      let built = 0;
      const insert = reusableQuery((db: Kysely<Things>, id: string, n: number, note: string | null) => {
        built++;
        return db.insertInto('things').values({ id, n, note });
      });
      const byRange = reusableQuery((db: Kysely<Things>, low: number, high: number) =>
        db.selectFrom('things').select(['id', 'n']).where('n', '>=', low).where('n', '<', high).orderBy('n'),
      );
      for (let i = 0; i < 10; i++) await insert(o.db, `t${i}`, i, i % 2 === 0 ? null : `odd ${i}`);
      await o.db.transaction().execute(async (trx) => {
        await insert(trx, 't10', 10, 'in a transaction');
      });
      expect(built).toBe(1);
      // Plugins transform the query as it is compiled: a database with plugins gets its own compilation.
      await insert(o.db.withPlugin(new CamelCasePlugin()), 't11', 11, null);
      expect(built).toBe(2);
      await insert(o.db, 't12', 12, null);
      expect(built).toBe(2);
      expect((await byRange(o.db, 3, 6)).rows).toEqual([
        { id: 't3', n: 3 },
        { id: 't4', n: 4 },
        { id: 't5', n: 5 },
      ]);
      expect((await byRange(o.db, 9, 100)).rows.map((r) => r.id)).toEqual(['t9', 't10', 't11', 't12']);
      expect(
        await o.db
          .selectFrom('things')
          .select('note')
          .where('id', 'in', ['t4', 't5'])
          .orderBy('id')
          .execute(),
      ).toEqual([{ note: null }, { note: 'odd 5' }]);
    });

    it('reports affected rows of an update, and a transaction that fails leaves nothing', async () => {
      const renote = reusableQuery((db: Kysely<Things>, id: string, note: string) =>
        db.updateTable('things').set({ note }).where('id', '=', id),
      );
      expect((await renote(o.db, 't1', 'changed')).numAffectedRows).toBe(1n);
      expect((await renote(o.db, 'nothing', 'changed')).numAffectedRows).toBe(0n);
      await expect(
        o.db.transaction().execute(async (trx) => {
          await renote(trx, 't2', 'rolled back');
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(
        await o.db.selectFrom('things').select('note').where('id', '=', 't2').executeTakeFirst(),
      ).toEqual({
        note: null,
      });
    });

    it('takes a row to insert, with the same columns on every call', async () => {
      const insertRow = reusableQuery((db: Kysely<Things>, row: Things['things']) =>
        db.insertInto('things').values(row),
      );
      await insertRow(o.db, { id: 'r1', n: 101, note: null });
      await insertRow(o.db, { id: 'r2', n: 102, note: 'second' });
      expect(await o.db.selectFrom('things').selectAll().where('n', '>', 100).orderBy('n').execute()).toEqual(
        [
          { id: 'r1', n: 101, note: null },
          { id: 'r2', n: 102, note: 'second' },
        ],
      );
      const other = { id: 'r3', n: 103 } as unknown as Things['things'];
      await expect(insertRow(o.db, other)).rejects.toMatchObject({ code: 'DB_INVALID_OPTION' });
      await expect(
        insertRow(o.db, { id: 'r3', n: 103, note: undefined } as unknown as Things['things']),
      ).rejects.toMatchObject({ code: 'DB_INVALID_OPTION' });
      expect(await o.db.selectFrom('things').select('id').where('id', '=', 'r3').execute()).toEqual([]);
    });

    it('refuses an argument that is not one of the query’s values', async () => {
      const misuse = reusableQuery((db: Kysely<Things>, id: string, _unused: string) =>
        db.selectFrom('things').select('n').where('id', '=', id),
      );
      await expect(misuse(o.db, 't1', 'x')).rejects.toMatchObject({ code: 'DB_INVALID_OPTION' });
    });
  });
}
