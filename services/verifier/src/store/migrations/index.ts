import type { Migration } from 'kysely';
import * as verifierTables from './0001-verifier-tables.js';
import * as verificationSessions from './0002-verification-sessions.js';
import * as jpkiSessions from './0003-jpki-sessions.js';
import * as passkeys from './0004-passkeys.js';
import * as readerKeys from './0005-reader-keys.js';
import * as recordRetentionChanges from './0006-record-retention-changes.js';
import * as identityCrossChecks from './0007-identity-cross-checks.js';
import * as crossDeviceSessions from './0008-cross-device-sessions.js';
import * as sessionDeclarations from './0009-session-declarations.js';
import * as jpkiLinkResults from './0010-jpki-link-results.js';

/**
 * The verifier's migrations, in order, run at start-up by openVerifierStore with their own bookkeeping
 * table (`verifier_migrations`). Names sort lexicographically; never rename or edit one that has shipped.
 */
export const verifierMigrations: Record<string, Migration> = {
  '0001-verifier-tables': verifierTables,
  '0002-verification-sessions': verificationSessions,
  '0003-jpki-sessions': jpkiSessions,
  '0004-passkeys': passkeys,
  '0005-reader-keys': readerKeys,
  '0006-record-retention-changes': recordRetentionChanges,
  '0007-identity-cross-checks': identityCrossChecks,
  '0008-cross-device-sessions': crossDeviceSessions,
  '0009-session-declarations': sessionDeclarations,
  '0010-jpki-link-results': jpkiLinkResults,
};
