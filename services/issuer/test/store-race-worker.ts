/**
 * The second process of the one-device race on PostgreSQL (store-postgres.pg.test.ts): opens its own
 * IssuerStore (its own pool, its own process), says `ready`, waits for `go` on stdin, then completes every
 * installation it was given at once and prints one JSON line of outcomes (`won` or the error code).
 *
 *   node --conditions=source --import tsx store-race-worker.ts <url> <installation ids, comma-separated>
 */
import { createHash, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { IssuerError } from '../src/errors.js';
import { openIssuerStore } from '../src/store/index.js';

const [url, ids] = process.argv.slice(2);
if (!url || !ids) throw new Error('usage: store-race-worker.ts <url> <ids>');
const store = await openIssuerStore({ url, poolSize: 10 });
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) if (line.trim() === 'go') break;
lines.close();
const now = Date.UTC(2026, 10, 26, 1);
const outcomes = await Promise.all(
  ids.split(',').map(async (id) => {
    const bytes = randomBytes(64);
    try {
      await store.installations.complete(
        id,
        [
          {
            kind: 'mdoc',
            msoDigest: createHash('sha256').update(bytes).digest('hex'),
            notAfter: now + 1,
            bytes,
          },
          { kind: 'jpki-sign', serial: randomBytes(16).toString('hex'), notAfter: now + 1, bytes },
        ],
        { now },
      );
      return 'won';
    } catch (e) {
      return e instanceof IssuerError ? e.code : `unexpected: ${(e as Error).message}`;
    }
  }),
);
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
await store.close();
