import type { Migration } from 'kysely';
import * as issuerTables from './0001-issuer-tables.js';
import * as installationSteps from './0002-installation-steps.js';
import * as revocationPublishing from './0003-revocation-publishing.js';
import * as noticeSubscriptions from './0004-notice-subscriptions.js';
import * as revokedByPartition from './0005-revoked-by-partition.js';
import * as pendingInstallations from './0006-pending-installations.js';

/**
 * The issuer's migrations, in order, run at start-up by openIssuerStore with their own bookkeeping table
 * (`issuer_migrations`). Names sort lexicographically; never rename or edit one that has shipped.
 */
export const issuerMigrations: Record<string, Migration> = {
  '0001-issuer-tables': issuerTables,
  '0002-installation-steps': installationSteps,
  '0003-revocation-publishing': revocationPublishing,
  '0004-notice-subscriptions': noticeSubscriptions,
  '0005-revoked-by-partition': revokedByPartition,
  '0006-pending-installations': pendingInstallations,
};
