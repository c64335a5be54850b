/** The notices stream on PostgreSQL (notices-stream.cases.ts), the issuer's tables in schema `issuer`. */
import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { testIssuer } from './helpers/installation-fixtures.js';
import { defineNoticeStreamCases, NOTICES_NOW } from './notices-stream.cases.js';

defineNoticeStreamCases('PostgreSQL', async () => {
  const database = await createTestDatabase();
  const t = await testIssuer({ now: NOTICES_NOW, databaseUrl: database.url });
  return {
    ...t,
    close: async () => {
      await t.close();
      await database.drop();
    },
  };
});
