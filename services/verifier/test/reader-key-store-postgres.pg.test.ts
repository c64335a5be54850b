import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { openVerifierStore } from '../src/store/index.js';
import { defineReaderKeyStoreCases } from './reader-key-store.cases.js';

let drop: (() => Promise<void>) | undefined;
defineReaderKeyStoreCases(
  'PostgreSQL',
  async () => {
    const t = await createTestDatabase();
    drop = t.drop;
    return openVerifierStore({ url: t.url, poolSize: 2 });
  },
  async () => drop?.(),
);
