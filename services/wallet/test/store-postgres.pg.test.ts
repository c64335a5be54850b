import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { openWalletStore } from '../src/index.js';
import { defineWalletStoreCases } from './store.cases.js';

let database: { url: string; drop: () => Promise<void> } | undefined;
defineWalletStoreCases(
  'PostgreSQL',
  async () => {
    database ??= await createTestDatabase();
    return openWalletStore({ url: database.url, poolSize: 4 });
  },
  async () => database?.drop(),
);
