/** The installation flows on PostgreSQL (installations-flow.cases.ts), the issuer's tables in schema `issuer`. */
import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { testIssuer } from './helpers/installation-fixtures.js';
import { defineInstallationFlowCases, FLOW_NOW } from './installations-flow.cases.js';

defineInstallationFlowCases('PostgreSQL', async () => {
  const database = await createTestDatabase();
  const t = await testIssuer({ now: FLOW_NOW, databaseUrl: database.url });
  return {
    ...t,
    close: async () => {
      await t.close();
      await database.drop();
    },
  };
});
