import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openVerifierStore } from '../src/store/index.js';
import { defineReaderKeyStoreCases } from './reader-key-store.cases.js';

const dir = mkdtempSync(join(tmpdir(), 'mynakit-verifier-reader-keys-'));
defineReaderKeyStoreCases(
  'SQLite',
  () => openVerifierStore({ url: `sqlite:${join(dir, 'verifier.sqlite')}` }),
  async () => rmSync(dir, { recursive: true, force: true }),
);
