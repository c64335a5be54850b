import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type Pg from 'pg';
import { DbError } from './errors.js';
import type { Database } from './schema.js';

export interface OpenDatabaseOptions {
  /**
   * `postgres://…` / `postgresql://…` for PostgreSQL; `sqlite:PATH`, a plain file path or `:memory:` for SQLite.
   * The caller decides (services read `DATABASE_URL`, else a file under `MYNAKIT_DATA_DIR`): this package
   * reads no environment.
   */
  url: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

// The drivers are optional peer dependencies: a service installs the one it uses, and a verifier library
// that depends on this package never compiles SQLite. Each is loaded only when a URL asks for it.
const load = createRequire(import.meta.url);
function driver<T>(name: 'better-sqlite3' | 'pg'): T {
  try {
    return load(name) as T;
  } catch (e) {
    throw new DbError('DB_DRIVER_MISSING', `the ${name} driver is not installed: npm install ${name}`, {
      cause: e,
    });
  }
}

// int8 columns come back from pg as strings by default; our instants are epoch milliseconds, well inside 2^53.
const PG_INT8_OID = 20;
const pgTypesOf = (pg: typeof Pg) => ({
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (oid === PG_INT8_OID && format !== 'binary') return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
});

export function openDatabase(options: OpenDatabaseOptions): OpenedDatabase {
  const { url } = options;
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pg = driver<typeof Pg>('pg');
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      types: pgTypesOf(pg) as Pg.CustomTypesConfig,
    });
    // An idle pooled connection that the server ends (restart, failover, DROP DATABASE … FORCE) emits 'error' on
    // the pool; unhandled, that would take the whole process down. The pool has already discarded the client and
    // the next query opens a new one, so there is nothing more to do here.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new DbError('DB_URL_UNSUPPORTED', 'database URL must be postgres://…, sqlite:PATH or a file path');
  }
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  const SQLite = driver<typeof BetterSqlite3>('better-sqlite3');
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}
