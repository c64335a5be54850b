import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openVerifierStore } from '../src/store/index.js';
import { defineRetentionCases } from './retention.cases.js';

const dir = mkdtempSync(join(tmpdir(), 'mynakit-verifier-retention-'));
defineRetentionCases(
  'SQLite',
  () => openVerifierStore({ url: `sqlite:${join(dir, 'verifier.sqlite')}` }),
  async () => rmSync(dir, { recursive: true, force: true }),
);
