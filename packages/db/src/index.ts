export { DbError, type DbErrorCode } from './errors.js';
export { migrateToLatest } from './migrate.js';
export { migrations } from './migrations/index.js';
export { type ConsumeResult, NonceStore } from './nonce-store.js';
export { type OpenDatabaseOptions, type OpenedDatabase, openDatabase } from './open-database.js';
export type { Database, NonceTable } from './schema.js';
