/** GET /statistics on PostgreSQL (statistics.cases.ts), the issuer's tables in schema `issuer`. */
import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { testIssuer } from './helpers/installation-fixtures.js';
import { defineStatisticsCases, STATISTICS_NOW } from './statistics.cases.js';

defineStatisticsCases('PostgreSQL', async () => {
  const database = await createTestDatabase();
  const t = await testIssuer({ now: STATISTICS_NOW, databaseUrl: database.url });
  return {
    ...t,
    close: async () => {
      await t.close();
      await database.drop();
    },
  };
});
