/**
 * The process the kill -9 test (life-events-crash.test.ts) kills: it opens the issuer's SQLite file and, in
 * a loop, records life events for the seeded residents and now and then completes a new installation
 * (a supersession), printing one line per commit — `le <life event id>` or `sup <installation id>` — only
 * after the commit returned. It stops by itself after `iterations` steps.
 *
 *   node --conditions=source --import tsx life-events-crash-worker.ts <sqlite path> <seed> <start ms> <iterations>
 */
import { createHash, randomBytes } from 'node:crypto';
import { openIssuerStore } from '../src/store/index.js';

const [path, seedText, startText, iterationsText] = process.argv.slice(2);
if (!path || !seedText || !startText || !iterationsText)
  throw new Error('usage: life-events-crash-worker.ts <sqlite path> <seed> <start ms> <iterations>');
const start = Number(startText);
const iterations = Math.min(Number(iterationsText), 10_000);

/** mulberry32: a small seeded generator, so a round's sequence of events is reproducible. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(Number(seedText));

/** Events with what they need; death is rare so residents stay interesting. */
const EVENTS = [
  'addressChanged',
  'nameChanged',
  'phoneLost',
  'cardSuspended',
  'cardSuspensionLifted',
  'cardSuspensionLifted',
  'holderRequest',
  'keyCompromiseSuspected',
  'cardRenewed',
  'death',
] as const;

const store = await openIssuerStore({ url: `sqlite:${path}` });
const residents = (await store.db.selectFrom('residents').select('id').orderBy('id').execute()).map(
  (r) => r.id,
);
const partitions = (await store.db.selectFrom('status_list_partitions').select('partition').execute()).map(
  (p) => Number(p.partition),
);

for (let i = 0; i < iterations; i++) {
  const now = start + i * 1000;
  const residentId = residents[Math.floor(random() * residents.length)] as string;
  if (random() < 0.2) {
    // A new device: the one-device rule supersedes the active installation.
    const inst = await store.installations.begin({ residentId, family: 'iphone' }, now);
    const bytes = randomBytes(64);
    const partition = partitions[i % partitions.length] as number;
    await store.installations.complete(
      inst.id,
      [
        {
          kind: 'mdoc',
          msoDigest: createHash('sha256').update(bytes).digest('hex'),
          notAfter: now + 86_400_000,
          bytes,
          statusListPartition: partition,
          // Unique per round: the start instants of rounds are far apart.
          statusListIndex: (Math.floor(start / 1000) % 1_000_000_000) + i,
        },
        {
          kind: 'jpki-sign',
          serial: randomBytes(16).toString('hex'),
          notAfter: now + 1,
          bytes,
          crlPartition: '139904',
          issuerCertificate: 'jpki-sign-ca-g0',
        },
        {
          kind: 'jpki-auth',
          serial: randomBytes(16).toString('hex'),
          notAfter: now + 1,
          bytes,
          crlPartition: '139904',
          issuerCertificate: 'jpki-auth-ca-g0',
        },
      ],
      { now },
    );
    process.stdout.write(`sup ${inst.id}\n`);
  } else {
    const event = EVENTS[Math.floor(random() * EVENTS.length)] as (typeof EVENTS)[number];
    const changes =
      event === 'addressChanged'
        ? { address: `東京都試験区見本町${i}丁目` }
        : event === 'nameChanged'
          ? { fullName: `試験\u3000花子${i}` }
          : undefined;
    const done = await store.lifeEvents.record(
      { residentId, event, occurredAt: now, ...(changes ? { changes } : {}) },
      now,
    );
    process.stdout.write(`le ${done.lifeEvent.id}\n`);
  }
}
await store.close();
process.stdout.write('done\n');
