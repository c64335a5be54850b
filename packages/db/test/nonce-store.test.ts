import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/index.js';
import { defineNonceStoreCases } from './nonce-store.cases.js';

const dir = mkdtempSync(join(tmpdir(), 'mynakit-sqlite-'));
// A file, not :memory:, so the WAL journal and the busy timeout are exercised as in a service.
defineNonceStoreCases(
  'SQLite',
  async () => openDatabase({ url: `sqlite:${join(dir, 'test.db')}` }),
  async () => rmSync(dir, { recursive: true, force: true }),
);
