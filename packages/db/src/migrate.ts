import { type Kysely, type MigrationProvider, Migrator } from 'kysely';
import { DbError } from './errors.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema to the latest version. Idempotent; safe to call from every instance at start-up. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'mynakit_migrations',
    migrationLockTableName: 'mynakit_migrations_lock',
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
