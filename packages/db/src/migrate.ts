import { type Kysely, type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from 'kysely';
import { DbError } from './errors.js';
import { migrations as nonceMigrations } from './migrations/index.js';

/** Where `migrateToLatest` keeps its bookkeeping. */
export interface MigrateOptions {
  /**
   * The table recording which migrations ran (default `mynakit_migrations`, the nonce migrations' table);
   * its lock table is `<tableName>_lock`. A service running its own migration list names its own table
   * (e.g. `issuer_migrations`): Kysely refuses a table that records migrations missing from the list.
   */
  tableName?: string;
  /**
   * PostgreSQL: the schema holding the bookkeeping tables. Default: the connection's `current_schema()`,
   * i.e. the schema `openDatabase({ schema })` bound it to — Kysely would otherwise take a table of the same
   * name in another schema of the database for its own. Ignored on SQLite.
   */
  schema?: string;
}

const TABLE_NAME = /^[a-z_][a-z0-9_]{0,50}$/;

/**
 * Brings the schema to the latest version of a migration list (default: this package's nonce migrations).
 * Idempotent, and safe to call from every instance at start-up: Kysely serialises concurrent runs with a lock
 * (an advisory lock on PostgreSQL). Returns the names of the migrations it applied.
 */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  migrations: Record<string, Migration> = nonceMigrations,
  options: MigrateOptions = {},
): Promise<string[]> {
  if (migrations !== nonceMigrations && options.tableName === undefined) {
    throw new DbError('DB_INVALID_OPTION', 'a migration list of its own needs a tableName of its own');
  }
  const tableName = options.tableName ?? 'mynakit_migrations';
  if (!TABLE_NAME.test(tableName)) {
    throw new DbError('DB_INVALID_OPTION', 'tableName must be lower-case letters, digits and _, at most 51');
  }
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const schema = options.schema ?? (await currentPostgresSchema(db));
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: tableName,
    migrationLockTableName: `${tableName}_lock`,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    throw new DbError(
      'DB_MIGRATION_FAILED',
      `migration failed: ${(error as Error).message ?? String(error)}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The schema unqualified names resolve to on PostgreSQL; undefined on SQLite or when none exists. */
async function currentPostgresSchema<DB>(db: Kysely<DB>): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const { rows } = await sql<{ schema: string | null }>`SELECT current_schema() AS schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}
