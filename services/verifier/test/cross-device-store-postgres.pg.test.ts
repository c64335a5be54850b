import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { openVerifierStore } from '../src/store/index.js';
import { defineCrossDeviceStoreCases } from './cross-device-store.cases.js';

let drop: (() => Promise<void>) | undefined;
// Two instances (two pools) on one database: the reads of the sealed values race across connections.
defineCrossDeviceStoreCases(
  'PostgreSQL',
  async () => {
    const t = await createTestDatabase();
    drop = t.drop;
    const [a, b] = await Promise.all([
      openVerifierStore({ url: t.url, poolSize: 5 }),
      openVerifierStore({ url: t.url, poolSize: 5 }),
    ]);
    return { a, b };
  },
  async () => drop?.(),
);
