import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { openVerifierStore } from '../src/store/index.js';
import { defineJpkiLinkResultStoreCases } from './jpki-link-result-store.cases.js';

let drop: (() => Promise<void>) | undefined;
// Two instances (two pools) on one database: the reads of the sealed identity race across connections.
defineJpkiLinkResultStoreCases(
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
