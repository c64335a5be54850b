/** StatusListRepository on PostgreSQL: the cases of status-list-store.cases.ts (two pools = two instances). */
import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { openIssuerStore } from '../src/store/index.js';
import { defineStatusListStoreCases } from './status-list-store.cases.js';

let database: Promise<{ url: string; drop: () => Promise<void> }> | undefined;
defineStatusListStoreCases(
  'PostgreSQL',
  async (capacity) => {
    database ??= createTestDatabase();
    return openIssuerStore({ url: (await database).url, poolSize: 8, statusListCapacity: capacity });
  },
  async () => (await database)?.drop(),
);
