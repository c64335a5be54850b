import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { openVerifierStore } from '../src/store/index.js';
import { defineJpkiSessionStoreCases } from './jpki-session-store.cases.js';

let drop: (() => Promise<void>) | undefined;
// Two instances (two pools) on one database: claims race across connections.
defineJpkiSessionStoreCases(
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
