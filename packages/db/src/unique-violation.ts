/**
 * Whether a driver error is a unique (or primary-key) constraint violation, on either dialect:
 * PostgreSQL SQLSTATE 23505 unique_violation (PostgreSQL Appendix A, class 23 — integrity constraint
 * violation) as `pg` reports it in `code`, and SQLite's extended result codes SQLITE_CONSTRAINT_UNIQUE and
 * SQLITE_CONSTRAINT_PRIMARYKEY (sqlite.org/rescode.html) as better-sqlite3 reports them in `code`.
 *
 * A store uses it to turn "someone else inserted this key first" into its own conflict error, and to leave
 * every other failure (a lost connection, a CHECK constraint) as it is.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
