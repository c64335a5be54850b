/**
 * Revocation publishing at national scale: how long after a revocation commits the issuer serves the
 * newly signed Token Status List of the record's partition, with 10^8 records' statuses in 96 partitions
 * of 2^20 two-bit entries (services/issuer/src/store/status-list-repository.ts).
 *
 * Workload: a SQLite issuer database whose `status_list_partitions` hold 10^8 allocated positions and whose
 * `credentials` hold the 1 % of them that are not VALID (≈ 10^6 rows: 9 in 10 revoked, 1 in 10 suspended,
 * at seeded random indexes, one byte of `bytes` each) — the VALID 99 % need no row to be published, so they
 * are left out to keep the file small. It is bulk-inserted once per machine into a cached file under the
 * OS temp directory and copied for each run. The app is the service's own (createIssuerApp) with the
 * sandbox hierarchy; every partition is signed once first (GET each: that also gives the sizes).
 *
 * What is timed: from the moment `store.revocations.revoke` returns (the revocation committed, durably)
 * and its change is emitted on the hub, until a GET /status-lists/<partition> through `app.request()`
 * answers with a new ETag — the eager re-signing started by the hub plus the GETs that wait for it:
 * reading the partition's non-VALID rows, building the 256 KiB list, compressing it (zlib 9, rle), signing
 * it through the KeySource and storing it. Repeated over partitions spread across the 96; the median is
 * reported.
 *
 * Figures:
 *   issuer.status_publish.seconds          median seconds from a revocation's commit to the new list served
 *   issuer.status_publish.partition_bytes  median size of one partition's signed token (CWT), bytes
 *   issuer.status_publish.total_bytes      the 96 tokens together, bytes (what a relying party would fetch
 *                                          to hold every list)
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { createIssuerApp } from '../services/issuer/src/app.js';
import { FileCertificateStore } from '../services/issuer/src/ca/certificate-store.js';
import { ensureSandboxHierarchy } from '../services/issuer/src/ca/sandbox-hierarchy.js';
import type { IssuerDeps } from '../services/issuer/src/context.js';
import { EncryptedFileKeySource } from '../services/issuer/src/keys/encrypted-file-key-source.js';
import { RevocationHub } from '../services/issuer/src/revocation/revocation-hub.js';
import { openIssuerStore } from '../services/issuer/src/store/index.js';
import { DEFAULT_STATUS_LIST_CAPACITY } from '../services/issuer/src/store/status-list-repository.js';
import type { BenchFigure } from './figure.js';

const RECORDS = 100_000_000;
const CAPACITY = DEFAULT_STATUS_LIST_CAPACITY;
const NOT_VALID_SHARE = 0.01;
const SEED = 20261202;
const REVOCATIONS = 9;
const ORIGIN = 'http://localhost:8787';
/** Bump when the cached database's contents would change. */
const CACHE_VERSION = 1;
const RESIDENT_ID = 'bench-status-resident';

/** mulberry32: a small seeded PRNG, so every machine builds the same file. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The database with 10^8 statuses, built once per machine under the OS temp directory. */
async function cachedDatabase(): Promise<{ file: string; installationId: string; buildSeconds?: number }> {
  const dir = join(tmpdir(), 'mynakit-bench-issuer');
  const file = join(dir, `status-${RECORDS}-cap${CAPACITY}-seed${SEED}-v${CACHE_VERSION}.sqlite`);
  const installationOf = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return (db.prepare('SELECT id FROM installations LIMIT 1').get() as { id: string }).id;
    } finally {
      db.close();
    }
  };
  if (existsSync(file)) return { file, installationId: installationOf(file) };
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  rmSync(partial, { force: true });
  const t = performance.now();
  const now = Date.UTC(2026, 3, 1);
  // The schema, one resident and one installation that every synthetic record belongs to.
  const store = await openIssuerStore({ url: `sqlite:${partial}` });
  let installationId: string;
  try {
    await store.residents.create(
      {
        id: RESIDENT_ID,
        fullName: '試験\u3000一郎',
        address: '東京都試験区見本町一丁目２番３号',
        birthDate: '1980-01-01',
        sex: 1,
        municipalityCode: '139904',
        municipalityName: '試験区',
      },
      now,
    );
    installationId = (await store.installations.begin({ residentId: RESIDENT_ID, family: 'android' }, now))
      .id;
  } finally {
    await store.close();
  }
  const db = new Database(partial);
  try {
    db.pragma('synchronous = OFF');
    const partitionInsert = db.prepare(
      'INSERT INTO status_list_partitions (partition, capacity, allocated, permutation_key, version, created_at) VALUES (?, ?, ?, ?, 0, ?)',
    );
    const credentialInsert = db.prepare(
      `INSERT INTO credentials (id, installation_id, resident_id, kind, not_after, state, revoked_at,
         revocation_reason, bytes, status_list_index, created_at, status_list_partition, issuer_certificate)
       VALUES (?, ?, ?, 'mdoc', ?, 'revoked', ?, ?, x'00', ?, ?, ?, 'bench-ds')`,
    );
    const random = prng(SEED);
    const partitions = Math.ceil(RECORDS / CAPACITY);
    db.transaction(() => {
      for (let p = 0; p < partitions; p++) {
        const allocated = Math.min(CAPACITY, RECORDS - p * CAPACITY);
        partitionInsert.run(p, CAPACITY, allocated, randomBytes(32), now);
        const taken = new Set<number>();
        const count = Math.round(allocated * NOT_VALID_SHARE);
        while (taken.size < count) taken.add(Math.floor(random() * CAPACITY));
        let k = 0;
        for (const index of taken) {
          const reason = k % 10 === 9 ? 'certificateHold' : 'unspecified';
          credentialInsert.run(
            `s${p}-${k}`,
            installationId,
            RESIDENT_ID,
            now + 365 * 86_400_000,
            now,
            reason,
            index,
            now,
            p,
          );
          k++;
        }
      }
    })();
  } finally {
    db.close();
  }
  renameSync(partial, file);
  return { file, installationId, buildSeconds: (performance.now() - t) / 1000 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs the revocation-publishing benchmark. */
export async function runIssuerStatusBench(): Promise<BenchFigure[]> {
  const started = performance.now();
  const cached = await cachedDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-bench-issuer-status-'));
  try {
    copyFileSync(cached.file, join(dataDir, 'issuer.sqlite'));
    const store = await openIssuerStore({ url: `sqlite:${join(dataDir, 'issuer.sqlite')}` });
    try {
      const now = new Date();
      const keySource = await EncryptedFileKeySource.open({ dataDir });
      const hierarchy = await ensureSandboxHierarchy({
        keySource,
        store: new FileCertificateStore(dataDir),
        now,
      });
      const hub = new RevocationHub();
      const deps: IssuerDeps = {
        store,
        keySource,
        hierarchy,
        config: { origin: ORIGIN, sandbox: true },
        clock: () => new Date(),
        hub,
      };
      const app = createIssuerApp(deps);
      const get = async (partition: number) => {
        const res = await app.request(`/status-lists/${partition}`);
        if (res.status !== 200) throw new Error(`GET /status-lists/${partition}: ${res.status}`);
        return { etag: res.headers.get('etag') as string, bytes: (await res.arrayBuffer()).byteLength };
      };

      // Every partition signed once; their sizes.
      const partitions = (await store.statusLists.list()).map((p) => p.partition);
      const signAll = performance.now();
      const sizes: number[] = [];
      for (const p of partitions) sizes.push((await get(p)).bytes);
      const signAllSeconds = (performance.now() - signAll) / 1000;

      // Revocations in partitions spread over the 96, each of a record issued (active) just before.
      const seconds: number[] = [];
      const random = prng(SEED + 1);
      for (let r = 0; r < REVOCATIONS; r++) {
        const partition = partitions[Math.floor((r * partitions.length) / REVOCATIONS)] as number;
        let index: number;
        for (;;) {
          index = Math.floor(random() * CAPACITY);
          const used = await store.db
            .selectFrom('credentials')
            .select('id')
            .where('status_list_partition', '=', partition)
            .where('status_list_index', '=', index)
            .executeTakeFirst();
          if (used === undefined) break;
        }
        const id = `bench-active-${r}-${Date.now()}`;
        await store.db
          .insertInto('credentials')
          .values({
            id,
            installation_id: cached.installationId,
            resident_id: RESIDENT_ID,
            kind: 'mdoc',
            serial: null,
            mso_digest: null,
            not_after: Date.now() + 86_400_000,
            state: 'active',
            revoked_at: null,
            revocation_reason: null,
            bytes: Buffer.from([0]),
            status_list_index: index,
            created_at: Date.now(),
            status_list_partition: partition,
            crl_partition: null,
            issuer_certificate: 'bench-ds',
          })
          .execute();
        const before = (await get(partition)).etag;
        const result = await store.revocations.revoke([id], 'keyCompromise', Date.now());
        const t0 = performance.now();
        hub.emit(result.change);
        let served = before;
        for (let i = 0; i < 1000 && served === before; i++) served = (await get(partition)).etag;
        if (served === before) throw new Error('the new list was never served');
        seconds.push((performance.now() - t0) / 1000);
      }

      const total = sizes.reduce((a, b) => a + b, 0);
      const note =
        `${RECORDS.toLocaleString('en')} statuses in ${partitions.length} partitions of ${CAPACITY.toLocaleString('en')} ` +
        `two-bit entries, ${NOT_VALID_SHARE * 100} % revoked or suspended, SQLite; ${REVOCATIONS} revocations: ` +
        `min ${Math.min(...seconds).toFixed(3)} s, max ${Math.max(...seconds).toFixed(3)} s; ` +
        `first signing of all partitions ${signAllSeconds.toFixed(1)} s` +
        (cached.buildSeconds === undefined
          ? ''
          : `; database built in ${cached.buildSeconds.toFixed(1)} s (cached)`) +
        `; whole bench ${((performance.now() - started) / 1000).toFixed(0)} s`;
      return [
        { name: 'issuer.status_publish.seconds', value: round(median(seconds), 4), unit: 's', note },
        { name: 'issuer.status_publish.partition_bytes', value: Math.round(median(sizes)), unit: 'bytes' },
        { name: 'issuer.status_publish.total_bytes', value: total, unit: 'bytes' },
      ];
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t = performance.now();
  const figures = await runIssuerStatusBench();
  console.log(JSON.stringify(figures, null, 2));
  console.error(`total ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
