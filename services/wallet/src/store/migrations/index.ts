import type { Migration } from 'kysely';
import * as m0001 from './0001-wallet-tables.js';
import * as m0002 from './0002-notices.js';

/** The wallet's migrations, in order (bookkeeping table `wallet_migrations`). */
export const walletMigrations: Record<string, Migration> = {
  '0001-wallet-tables': m0001,
  '0002-notices': m0002,
};
