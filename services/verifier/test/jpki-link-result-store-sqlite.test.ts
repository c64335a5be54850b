import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openVerifierStore } from '../src/store/index.js';
import { defineJpkiLinkResultStoreCases } from './jpki-link-result-store.cases.js';

const dir = mkdtempSync(join(tmpdir(), 'mynakit-verifier-jpki-link-result-store-'));
// One SQLite file, one connection: the "two instances" are the same store.
defineJpkiLinkResultStoreCases(
  'SQLite',
  async () => {
    const store = await openVerifierStore({ url: `sqlite:${join(dir, 'verifier.sqlite')}` });
    return { a: store, b: store };
  },
  async () => rmSync(dir, { recursive: true, force: true }),
);
