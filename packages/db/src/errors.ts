export type DbErrorCode = 'DB_URL_UNSUPPORTED' | 'DB_DRIVER_MISSING' | 'DB_MIGRATION_FAILED' | 'DB_CONFLICT';

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
