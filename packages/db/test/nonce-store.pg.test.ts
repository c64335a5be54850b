import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { openDatabase } from '../src/index.js';
import { defineNonceStoreCases } from './nonce-store.cases.js';

let drop: (() => Promise<void>) | undefined;
defineNonceStoreCases(
  'PostgreSQL',
  async () => {
    const t = await createTestDatabase();
    drop = t.drop;
    return openDatabase({ url: t.url, poolSize: 4 });
  },
  async () => drop?.(),
);
