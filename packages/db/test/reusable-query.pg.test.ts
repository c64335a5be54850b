import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { openDatabase } from '../src/index.js';
import { defineReusableQueryCases } from './reusable-query.cases.js';

let drop: (() => Promise<void>) | undefined;
defineReusableQueryCases(
  'PostgreSQL',
  async () => {
    const t = await createTestDatabase();
    drop = t.drop;
    return openDatabase({ url: t.url, poolSize: 4 });
  },
  async () => drop?.(),
);
