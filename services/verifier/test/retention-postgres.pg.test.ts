import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { openVerifierStore } from '../src/store/index.js';
import { defineRetentionCases } from './retention.cases.js';

let drop: (() => Promise<void>) | undefined;
defineRetentionCases(
  'PostgreSQL',
  async () => {
    const t = await createTestDatabase();
    drop = t.drop;
    return openVerifierStore({ url: t.url, poolSize: 4 });
  },
  async () => drop?.(),
);
