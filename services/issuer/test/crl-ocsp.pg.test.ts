/** CRL and OCSP publishing on PostgreSQL (crl-ocsp.cases.ts), the issuer's tables in schema `issuer`. */
import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { defineCrlOcspCases } from './crl-ocsp.cases.js';
import { testIssuer } from './helpers/installation-fixtures.js';
import { FLOW_NOW } from './installations-flow.cases.js';

defineCrlOcspCases('PostgreSQL', async () => {
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
