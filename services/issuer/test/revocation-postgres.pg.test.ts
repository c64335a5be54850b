import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { openIssuerStore } from '../src/store/index.js';
import { defineRevocationCases } from './revocation.cases.js';

let drop: (() => Promise<void>) | undefined;
defineRevocationCases(
  'PostgreSQL',
  async () => {
    const t = await createTestDatabase();
    drop = t.drop;
    return openIssuerStore({ url: t.url, poolSize: 10 });
  },
  async () => drop?.(),
);
