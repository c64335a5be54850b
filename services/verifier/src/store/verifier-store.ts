import {
  type DurabilityBarrier,
  migrateToLatest,
  openDatabase,
  syncSqliteWal,
  walGroupCommit,
} from '@mynakit/db';
import { type Kysely, sql } from 'kysely';
import { SessionRepository } from '../sessions/session-repository.js';
import { verifierMigrations } from './migrations/index.js';
import { ReaderKeyRepository } from './reader-key-repository.js';
import { RelyingPartyRepository } from './relying-party-repository.js';
import type { VerifierDatabase } from './schema.js';
import { SQLITE_SYNCHRONOUS } from './store-support.js';

/** How to open the verifier's database. */
export interface OpenVerifierStoreOptions {
  /** `postgres://…` (the service's `DATABASE_URL`), or `sqlite:<dataDir>/verifier/verifier.sqlite`. */
  url: string;
  /** PostgreSQL schema the verifier's tables live in (default `verifier`); ignored on SQLite. */
  schema?: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

/** The verifier's store: relying parties, the Kysely instance the record functions use, and close. */
export interface VerifierStore {
  /** Which database the URL chose. */
  readonly dialect: 'sqlite' | 'postgres';
  /** The Kysely instance (records/record-chains.ts, checkpoints.ts, verify-chains.ts work on it). */
  readonly db: Kysely<VerifierDatabase>;
  /** Relying parties, their configurations and API keys. */
  readonly relyingParties: RelyingPartyRepository;
  /** Verification sessions (single use, by compare-and-set). */
  readonly sessions: SessionRepository;
  /** Relying parties' reader-authentication keys (sealed) and certificate chains. */
  readonly readerKeys: ReaderKeyRepository;
  /**
   * On a SQLite file: the group commit that makes verification records durable (@mynakit/db walGroupCommit;
   * verification/record-in-transaction.ts). Undefined on PostgreSQL, whose commits are durable themselves, and
   * for an in-memory database.
   */
  readonly durability?: DurabilityBarrier;
  /** Closes the database (ends the pool / the file). */
  close(): Promise<void>;
}

/**
 * Opens the verifier's database — on PostgreSQL bound to its own schema (default `verifier`) — and brings
 * it to the latest migration (bookkeeping table `verifier_migrations`; safe when several instances start at
 * once). Closes the database again if migrating fails.
 */
export async function openVerifierStore(options: OpenVerifierStoreOptions): Promise<VerifierStore> {
  const opened = openDatabase<VerifierDatabase>({
    url: options.url,
    schema: options.schema ?? 'verifier',
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
  });
  try {
    await migrateToLatest(opened.db, verifierMigrations, { tableName: 'verifier_migrations' });
    if (opened.dialect === 'sqlite')
      await sql.raw(`PRAGMA synchronous = ${SQLITE_SYNCHRONOUS}`).execute(opened.db);
  } catch (e) {
    await opened.close();
    throw e;
  }
  const path = sqliteFileOf(options.url);
  const walSync = opened.dialect === 'sqlite' && path !== undefined ? syncSqliteWal(path) : undefined;
  return {
    dialect: opened.dialect,
    ...(walSync !== undefined ? { durability: walGroupCommit(walSync) } : {}),
    db: opened.db,
    relyingParties: new RelyingPartyRepository(opened.db),
    sessions: new SessionRepository(opened.db),
    readerKeys: new ReaderKeyRepository(opened.db),
    close: async () => {
      await walSync?.close();
      await opened.close();
    },
  };
}

/** The file of a SQLite URL as @mynakit/db openDatabase reads it (`sqlite:PATH` or a path); undefined in memory. */
function sqliteFileOf(url: string): string | undefined {
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  return path === '' || path === ':memory:' || path.startsWith('file::memory:') ? undefined : path;
}
