export { DbError, type DbErrorCode } from './errors.js';
export { type MigrateOptions, migrateToLatest } from './migrate.js';
export { migrations } from './migrations/index.js';
export { type ConsumeResult, NonceStore } from './nonce-store.js';
export { type OpenDatabaseOptions, type OpenedDatabase, openDatabase } from './open-database.js';
export { type ReusableQuery, reusableQuery } from './reusable-query.js';
export type { Database, NonceTable } from './schema.js';
export { isUniqueViolation } from './unique-violation.js';
export {
  type DurabilityBarrier,
  type SqliteWalSync,
  type SyncFile,
  syncSqliteWal,
  walGroupCommit,
} from './wal-group-commit.js';
