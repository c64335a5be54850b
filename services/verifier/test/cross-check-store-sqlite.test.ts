import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openVerifierStore } from '../src/store/index.js';
import { defineCrossCheckStoreCases } from './cross-check-store.cases.js';

const dir = mkdtempSync(join(tmpdir(), 'mynakit-verifier-cross-checks-'));
// One SQLite file, one connection: the "two instances" are the same store.
defineCrossCheckStoreCases(
  'SQLite',
  async () => {
    const store = await openVerifierStore({ url: `sqlite:${join(dir, 'verifier.sqlite')}` });
    return { a: store, b: store };
  },
  async () => rmSync(dir, { recursive: true, force: true }),
);
