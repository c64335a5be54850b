/**
 * The wallet's store: SQLite per phone (`<dataDir>/wallet/<deviceId>/wallet.sqlite`) or PostgreSQL schema
 * `wallet` shared by every phone, through one Kysely schema and in-code migrations
 * (bookkeeping table `wallet_migrations`).
 */
import { migrateToLatest, openDatabase } from '@mynakit/db';
import type { Kysely } from 'kysely';
import { CertificateRepository } from './certificate-repository.js';
import { DeviceRepository } from './device-repository.js';
import { DocumentRepository } from './document-repository.js';
import { InstallationRepository } from './installation-repository.js';
import { walletMigrations } from './migrations/index.js';
import { NoticeCursorRepository } from './notice-cursor-repository.js';
import { PresentationRepository } from './presentation-repository.js';
import type { WalletDatabase } from './schema.js';
import { SecretRepository } from './secret-repository.js';

/** How to open the store. */
export interface OpenWalletStoreOptions {
  /** `sqlite:<path>` or `postgres://…`. */
  readonly url: string;
  /** PostgreSQL schema (default `wallet`); ignored on SQLite. */
  readonly schema?: string;
  /** PostgreSQL pool size (default 10). */
  readonly poolSize?: number;
}

/** The store's repositories. */
export interface WalletStore {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Kysely<WalletDatabase>;
  readonly devices: DeviceRepository;
  readonly installations: InstallationRepository;
  readonly documents: DocumentRepository;
  readonly certificates: CertificateRepository;
  readonly secrets: SecretRepository;
  readonly presentations: PresentationRepository;
  /** The last issuer notice applied per installation. */
  readonly noticeCursors: NoticeCursorRepository;
  /** Closes the database. */
  close(): Promise<void>;
}

/** Opens and migrates the wallet's store (closes it again when migrating fails). */
export async function openWalletStore(options: OpenWalletStoreOptions): Promise<WalletStore> {
  const opened = openDatabase<WalletDatabase>({
    url: options.url,
    schema: options.schema ?? 'wallet',
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
  });
  try {
    await migrateToLatest(opened.db, walletMigrations, { tableName: 'wallet_migrations' });
  } catch (e) {
    await opened.close();
    throw e;
  }
  const db = opened.db;
  return {
    dialect: opened.dialect,
    db,
    devices: new DeviceRepository(db),
    installations: new InstallationRepository(db),
    documents: new DocumentRepository(db),
    certificates: new CertificateRepository(db),
    secrets: new SecretRepository(db),
    presentations: new PresentationRepository(db),
    noticeCursors: new NoticeCursorRepository(db),
    close: () => opened.close(),
  };
}
