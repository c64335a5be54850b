/**
 * Stable codes of `DbError`: `DB_URL_UNSUPPORTED` (neither PostgreSQL nor SQLite), `DB_DRIVER_MISSING` (the
 * driver that URL needs is not installed), `DB_INVALID_OPTION` (a schema or migration-table name that cannot
 * be used), `DB_MIGRATION_FAILED` (a migration failed; the cause is attached), `DB_CONFLICT` (a nonce issued
 * twice), `DB_DURABILITY_LOST` (an fsync of the write-ahead log failed: commits since the last good one may not
 * be on disk, and none made later is trusted to be — wal-group-commit.ts).
 */
export type DbErrorCode =
  | 'DB_URL_UNSUPPORTED'
  | 'DB_DRIVER_MISSING'
  | 'DB_INVALID_OPTION'
  | 'DB_MIGRATION_FAILED'
  | 'DB_CONFLICT'
  | 'DB_DURABILITY_LOST';

/** The one error type of `@mynakit/db`, with a stable code. */
export class DbError extends Error {
  override readonly name = 'DbError';
  constructor(
    readonly code: DbErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
