import { type Database, migrateToLatest, NonceStore, openDatabase } from '@mynakit/db';
import { type Kysely, sql } from 'kysely';
import { IssuerError } from '../errors.js';
import { AccessTokenRepository } from './access-token-repository.js';
import { CardRepository } from './card-repository.js';
import { CredentialRepository } from './credential-repository.js';
import { EventRepository } from './event-repository.js';
import { InstallationRepository } from './installation-repository.js';
import { InstallationTokenRepository } from './installation-token-repository.js';
import { InsuranceRepository } from './insurance-repository.js';
import { LifeEventRepository } from './life-event-repository.js';
import { issuerMigrations } from './migrations/index.js';
import { NoticeRepository } from './notice-repository.js';
import { OfferRepository } from './offer-repository.js';
import { ResidentRepository } from './resident-repository.js';
import { RevocationRepository } from './revocation-repository.js';
import { RpClientRepository } from './rp-client-repository.js';
import type { IssuerDatabase } from './schema.js';
import { StagedCredentialRepository } from './staged-credential-repository.js';
import { isStatusListCapacity, StatusListRepository } from './status-list-repository.js';
import { inTransaction, SQLITE_SYNCHRONOUS, type TransactionOptions } from './store-support.js';

/** How to open the issuer's database. */
export interface OpenIssuerStoreOptions {
  /** `postgres://…` (the service's `DATABASE_URL`), or `sqlite:<dataDir>/issuer/issuer.sqlite`. */
  url: string;
  /** PostgreSQL schema the issuer's tables live in (default `issuer`); ignored on SQLite. */
  schema?: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** tx_code attempts per offer before the code is dead (default 5). */
  txCodeAttemptLimit?: number;
  /** Indexes per new Token Status List partition, a power of two (default 2^20; tests use small ones). */
  statusListCapacity?: number;
}

/** The repositories, bound to the database or to one transaction. */
export interface IssuerRepositories {
  residents: ResidentRepository;
  cards: CardRepository;
  installations: InstallationRepository;
  credentials: CredentialRepository;
  offers: OfferRepository;
  accessTokens: AccessTokenRepository;
  events: EventRepository;
  /** OpenID4VCI c_nonces: single use by compare-and-set (@mynakit/db NonceStore on the issuer's `nonces`). */
  nonces: NonceStore;
  /** Bearer secrets of pending installations (SHA-256 only). */
  installationTokens: InstallationTokenRepository;
  /** Certificates held for a pending installation until it completes (the iPhone family). */
  stagedCredentials: StagedCredentialRepository;
  /** The phones' notices, read in order, and the tokens of their streams (SHA-256 only). */
  notices: NoticeRepository;
  /** The sandbox's insurer registry (online qualification confirmation). */
  insurance: InsuranceRepository;
  /**
   * Every status change of a credential (revoke, suspend, lift) with its partition bump and notices;
   * the caller emits the result's change on deps.hub after commit.
   */
  revocations: RevocationRepository;
  /** Residents' life events and what each revoked, each in one durable transaction. */
  lifeEvents: LifeEventRepository;
  /** Relying parties' client credentials (secret as SHA-256) and roles. */
  rpClients: RpClientRepository;
  /** Token Status List partitions: index allocation and the signed lists. */
  statusLists: StatusListRepository;
}

/** The issuer's store: its repositories, grouped work in one transaction, and close. */
export interface IssuerStore extends IssuerRepositories {
  /** Which database the URL chose. */
  dialect: 'sqlite' | 'postgres';
  /** The Kysely instance, for what no repository covers yet. */
  db: Kysely<IssuerDatabase>;
  /**
   * Runs `fn` with repositories bound to one transaction: all of its writes commit together or none do.
   * A repository step that opens its own transaction (complete, addCredentials, stage, revoke, bulkInsert)
   * joins this one — and then this transaction decides its durability: pass `durable` when it records an
   * issued credential or revokes anything (store-support.ts SQLITE_SYNCHRONOUS).
   */
  transaction<T>(
    fn: (repositories: IssuerRepositories) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T>;
  /** Closes the database (ends the pool / the file). */
  close(): Promise<void>;
}

function repositoriesOf(
  db: Kysely<IssuerDatabase>,
  dialect: 'sqlite' | 'postgres',
  options: OpenIssuerStoreOptions,
): IssuerRepositories {
  const offerOptions: { attemptLimit?: number } = {};
  if (options.txCodeAttemptLimit !== undefined) offerOptions.attemptLimit = options.txCodeAttemptLimit;
  return {
    residents: new ResidentRepository(db),
    cards: new CardRepository(db),
    installations: new InstallationRepository(db, dialect),
    credentials: new CredentialRepository(db),
    offers: new OfferRepository(db, offerOptions),
    accessTokens: new AccessTokenRepository(db),
    events: new EventRepository(db),
    // IssuerDatabase extends Database, but Kysely's table map is invariant: the `nonces` table is the same.
    nonces: new NonceStore(db as unknown as Kysely<Database>),
    installationTokens: new InstallationTokenRepository(db),
    stagedCredentials: new StagedCredentialRepository(db),
    notices: new NoticeRepository(db),
    insurance: new InsuranceRepository(db),
    revocations: new RevocationRepository(db),
    lifeEvents: new LifeEventRepository(db),
    rpClients: new RpClientRepository(db),
    statusLists: new StatusListRepository(
      db,
      options.statusListCapacity === undefined ? {} : { capacity: options.statusListCapacity },
    ),
  };
}

/**
 * Opens the issuer's database — on PostgreSQL bound to its own schema (default `issuer`) — and brings it
 * to the latest migration (bookkeeping table `issuer_migrations`; safe when several instances start at
 * once). Closes the database again if migrating fails.
 */
export async function openIssuerStore(options: OpenIssuerStoreOptions): Promise<IssuerStore> {
  // Checked before the database is opened, so a wrong setting leaves nothing open behind it.
  if (options.statusListCapacity !== undefined && !isStatusListCapacity(options.statusListCapacity))
    throw new IssuerError(
      'ISSUER_INVALID_INPUT',
      'the status list capacity must be a power of two in 2^2..2^30',
    );
  const opened = openDatabase<IssuerDatabase>({
    url: options.url,
    schema: options.schema ?? 'issuer',
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
  });
  try {
    await migrateToLatest(opened.db, issuerMigrations, { tableName: 'issuer_migrations' });
  } catch (e) {
    await opened.close();
    throw e;
  }
  const { db, dialect } = opened;
  if (dialect === 'sqlite') {
    try {
      await sql.raw(`PRAGMA synchronous = ${SQLITE_SYNCHRONOUS}`).execute(db);
      // 32 MiB of page cache (the default is 2 MiB): the register's indexes stay in memory at 10^6 residents.
      await sql`PRAGMA cache_size = -32768`.execute(db);
    } catch (e) {
      await opened.close();
      throw e;
    }
  }
  return {
    ...repositoriesOf(db, dialect, options),
    dialect,
    db,
    transaction: (fn, transactionOptions) =>
      inTransaction(db, (trx) => fn(repositoriesOf(trx, dialect, options)), transactionOptions),
    close: () => opened.close(),
  };
}
