import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIssuerStore } from '../src/store/index.js';
import { defineIssuerStoreCases } from './store.cases.js';

const dir = mkdtempSync(join(tmpdir(), 'mynakit-issuer-store-'));
// A file, not :memory:, as the service uses (<dataDir>/issuer/issuer.sqlite): WAL and the busy timeout apply.
defineIssuerStoreCases(
  'SQLite',
  () => openIssuerStore({ url: `sqlite:${join(dir, 'issuer.sqlite')}` }),
  async () => rmSync(dir, { recursive: true, force: true }),
);
