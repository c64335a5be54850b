import { join } from 'node:path';
import { openWalletStore } from '../src/index.js';
import { tempDir } from './helpers/wallet-fixtures.js';
import { defineWalletStoreCases } from './store.cases.js';

const dir = tempDir();
defineWalletStoreCases(
  'SQLite',
  () => openWalletStore({ url: `sqlite:${join(dir.path, 'wallet.sqlite')}` }),
  async () => dir.remove(),
);
