import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIssuerStore } from '../src/store/index.js';
import { defineRevocationCases } from './revocation.cases.js';

const dir = mkdtempSync(join(tmpdir(), 'mynakit-issuer-revocation-'));
// A file, as the service uses: WAL, and the durable commits of revocation.
defineRevocationCases(
  'SQLite',
  () => openIssuerStore({ url: `sqlite:${join(dir, 'issuer.sqlite')}` }),
  async () => rmSync(dir, { recursive: true, force: true }),
);
