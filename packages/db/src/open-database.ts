import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect } from 'kysely';
import type Pg from 'pg';
import { DbError } from './errors.js';
import type { Database } from './schema.js';
import { isUniqueViolation } from './unique-violation.js';

/** What `openDatabase` needs: where the database is, and on PostgreSQL which schema and how many connections. */
export interface OpenDatabaseOptions {
  /**
   * `postgres://…` / `postgresql://…` for PostgreSQL; `sqlite:PATH`, a plain file path or `:memory:` for SQLite.
   * The caller decides (services read `DATABASE_URL`, else a file under `MYNAKIT_DATA_DIR`): this package
   * reads no environment.
   */
  url: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /**
   * PostgreSQL only: the schema every pooled connection is bound to (its `search_path` holds this schema
   * alone), created when missing. Lets several services share one database, each in its own schema, without
   * seeing each other's tables. Lower-case letters, digits and `_`, at most 63, not starting with `pg_`.
   * SQLite ignores it: each service has its own file.
   */
  schema?: string;
}

/** An open database: the Kysely instance over the table types `DB`, which dialect it speaks, and how to close it. */
export interface OpenedDatabase<DB = Database> {
  /** The query builder; on PostgreSQL bound to `schema` when one was given. */
  db: Kysely<DB>;
  /** Which SQL dialect the URL chose. */
  dialect: 'sqlite' | 'postgres';
  /** The PostgreSQL schema the connections are bound to; undefined on SQLite or when none was given. */
  schema?: string;
  /** Ends the pool (PostgreSQL) or closes the file (SQLite). */
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

// An unquoted PostgreSQL identifier that needs no quoting anywhere (search_path, DDL): lower case so that it
// names the same schema quoted or not; `pg_` is reserved for system schemas (PostgreSQL §5.10).
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** PostgreSQL SQLSTATE 42P06 duplicate_schema. */
const PG_DUPLICATE_SCHEMA = '42P06';

/**
 * Creates the schema unless it exists. Looks first, so a role that may use but not create schemas works with
 * a schema an administrator made. `CREATE SCHEMA IF NOT EXISTS` is not safe against a concurrent creator:
 * two sessions can both pass the existence check and the loser fails with 23505 on pg_namespace's unique
 * index (or 42P06) — the schema exists then, which is all we wanted.
 */
async function ensureSchema(pool: Pg.Pool, schema: string): Promise<void> {
  const found = await pool.query('SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', [schema]);
  if ((found.rowCount ?? 0) > 0) return;
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (e) {
    if (isUniqueViolation(e) || (e as { code?: unknown }).code === PG_DUPLICATE_SCHEMA) return;
    throw e;
  }
}

/**
 * The connection string without an `options` parameter, and the startup options binding `search_path`
 * (appended to the URL's own `options`, which would otherwise replace the pool's).
 */
function boundToSchema(url: string, schema: string): { connectionString: string; options: string } {
  const bind = `-c search_path=${schema}`;
  const parsed = new URL(url);
  const own = parsed.searchParams.get('options');
  if (own === null) return { connectionString: url, options: bind };
  parsed.searchParams.delete('options');
  return { connectionString: parsed.toString(), options: `${own} ${bind}` };
}

/** Prepared SQLite statements kept per connection, by SQL text (least recently used dropped first). */
const STATEMENT_CACHE_SIZE = 256;

/**
 * The SQLite connection as Kysely's driver sees it, with its prepared statements kept: Kysely prepares every
 * query anew, and compiling SQL costs more than running a small indexed query. A statement is reused only
 * while idle (Kysely runs one query at a time on the single connection; a statement still iterating — a
 * stream — gets a fresh one). SQLite re-prepares a kept statement itself when the schema changes.
 */
function withStatementCache(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const kept = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const found = kept.get(text);
      if (found !== undefined && !found.busy) {
        kept.delete(text);
        kept.set(text, found);
        return found;
      }
      const statement = sqlite.prepare(text);
      kept.delete(text);
      kept.set(text, statement);
      if (kept.size > STATEMENT_CACHE_SIZE) kept.delete(kept.keys().next().value as string);
      return statement;
    },
  };
}

/**
 * Opens a database from its URL, typed by the caller's table types `DB` (default: this package's
 * `Database`). On PostgreSQL a `schema` binds every pooled connection to that schema, created on first use;
 * SQLite ignores it. Connections open lazily: this function does no I/O on PostgreSQL.
 */
export function openDatabase<DB = Database>(options: OpenDatabaseOptions): OpenedDatabase<DB> {
  const { url, schema } = options;
  if (schema !== undefined && (!SCHEMA_NAME.test(schema) || schema.startsWith('pg_'))) {
    throw new DbError(
      'DB_INVALID_OPTION',
      'schema must be lower-case letters, digits and _, at most 63, not starting with pg_',
    );
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pg = driver<typeof Pg>('pg');
    const target = schema === undefined ? { connectionString: url } : boundToSchema(url, schema);
    const pool = new pg.Pool({
      ...target,
      max: options.poolSize ?? 10,
      types: pgTypesOf(pg) as Pg.CustomTypesConfig,
    });
    // An idle pooled connection that the server ends (restart, failover, DROP DATABASE … FORCE) emits 'error' on
    // the pool; unhandled, that would take the whole process down. The pool has already discarded the client and
    // the next query opens a new one, so there is nothing more to do here.
    pool.on('error', () => {});
    // Kysely initialises the driver on the first query and retries a failed initialisation on the next one,
    // so the schema exists before any statement runs on a connection bound to it.
    const db = new Kysely<DB>({
      dialect: new PostgresDialect({
        pool: async () => {
          if (schema !== undefined) await ensureSchema(pool, schema);
          return pool;
        },
      }),
    });
    const close = async () => {
      await db.destroy();
      // Never initialised (no query ran, or the schema step failed): Kysely did not take the pool over.
      if (!pool.ended && !pool.ending) await pool.end();
    };
    return schema === undefined
      ? { db, dialect: 'postgres', close }
      : { db, dialect: 'postgres', schema, close };
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
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}
