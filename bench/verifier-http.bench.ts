/**
 * The verifier service through its HTTP API on loopback, against the in-process mdoc verification rate.
 *
 * Workload: one verifier process (this one: `startVerifier` on 127.0.0.1, SQLite in WAL mode with
 * `synchronous = FULL` — every commit is on disk before it returns, services/verifier/src/store/
 * store-support.ts), and the load from a second process (verifier-http-load.ts): each verification is the
 * relying party's `POST /sessions` (a DC API Annex C request, its HPKE key sealed at rest), the phone's
 * answer (presentMdoc over the dcapi transcript, HPKE-sealed; the load process's own work, not timed on the
 * server) and `POST /sessions/{id}/response` (open, verifyDeviceResponse, the KYC method, the verification
 * record appended to its hash chain in the same transaction as the session's completion). 100 distinct
 * card-substitute records (11 elements, a 20 KiB portrait, their own device keys), 8 verifications in
 * flight; the records carry no status reference and the relying party's revocation check is optional, so
 * no status list is fetched (the status-list path is the issuer benchmark's). A warm-up run of the same length
 * first, against each server.
 *
 * The in-process rate: `verifyDeviceResponse` on the same kind of responses in this process, rounds before
 * and after the HTTP run (median).
 *
 * Figures:
 *   verifier.http.per_s              whole verifications per second through HTTP (wall time of the load)
 *   verifier.http.p50_ms, p99_ms     latency of one verification as the load sees it (both requests)
 *   verifier.http.inprocess_per_s    verifyDeviceResponse per second, in process
 *   verifier.http.vs_inprocess       the ratio (goal ≥ 0.5)
 *   verifier.http.floor_per_s        the same load against the floor server (verifier-http-floor.ts): a bare
 *                                    node:http server doing only what a verification through HTTP cannot skip
 *                                    (the recipient key and request, the HPKE open, verifyDeviceResponse), no
 *                                    framework, database, authentication or record
 *   verifier.http.floor_vs_inprocess its ratio to the in-process rate: the most `vs_inprocess` can be here
 *   verifier.http.pg.*               the same load against the same verifier on PostgreSQL (a throwaway cluster
 *                                    from the system binaries, /usr/lib/postgresql/<v>/bin, with its default
 *                                    durability: fsync and synchronous commit on), reported without a goal;
 *                                    skipped with a line on stderr where no PostgreSQL binaries exist
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hexToBytes } from '@mynakit/cbor';
import {
  issueMdoc,
  JP_MNC_DOCTYPE,
  presentMdoc,
  VerificationCache,
  verifyDeviceResponse,
} from '@mynakit/mdoc';
import { jpMncElements, makeIssuerChain, p256, portrait } from '../packages/mdoc/test/fixtures.js';
import { startVerifier } from '../services/verifier/src/server.js';
import { type PostgresCluster, startPostgresCluster } from '../test/helpers/postgres-cluster.js';
import type { BenchFigure } from './figure.js';
import { startVerifierFloorServer } from './verifier-http-floor.js';

const DOCS = 100;
// Steady state is what a service is judged by: the warm-up is as long as the measured run, so that V8 has
// compiled and optimized the framework, validation and store code before the clock starts (80 verifications
// left about 1 ms of JIT work per verification inside the run, far more for the service than for the floor).
const WARMUP = 600;
const COUNT = 600;
const CONCURRENCY = 8;
const ORIGIN = 'https://bank.bench.example';
const ADMIN = 'bench-operator-token';
const DAY = 86_400_000;
// OpenID4VP 1.0 Appendix B.2.6.1 SessionTranscript (bare), for the in-process rate.
const TRANSCRIPT = hexToBytes(
  '83f6f682714f70656e494434565048616e646f7665725820048bc053c00442af9b8eed494cefdd9d95240d254b046b11b68013722aad38ac',
);

interface LoadResult {
  done: number;
  seconds: number;
  latencies_ms: number[];
  verdicts: Record<string, number>;
  cpu_ms_per_verification: number;
}

function runLoad(planFile: string): Promise<LoadResult> {
  const script = fileURLToPath(new URL('./verifier-http-load.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--conditions=source', '--import', tsx, script, planFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`the load process exited ${code}:\n${err}`));
      else resolve(JSON.parse(out.trim()) as LoadResult);
    });
  });
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Runs the verifier HTTP benchmark. */
export async function runVerifierHttpBench(): Promise<BenchFigure[]> {
  const now = new Date();
  const chain = makeIssuerChain(new Date(now.getTime() - 30 * DAY), new Date(now.getTime() + 365 * DAY));
  const elements = jpMncElements(portrait(20 * 1024));
  const issued: { issuerSigned: Uint8Array; deviceKey: ReturnType<typeof p256> }[] = [];
  for (let i = 0; i < DOCS; i++) {
    const deviceKey = p256();
    const doc = await issueMdoc({
      docType: JP_MNC_DOCTYPE,
      nameSpaces: elements,
      deviceKey: deviceKey.publicKey,
      validityInfo: {
        signed: new Date(now.getTime() - DAY),
        validFrom: new Date(now.getTime() - DAY),
        validUntil: new Date(now.getTime() + 30 * DAY),
      },
      issuerKey: chain.dsKey,
      issuerCertificateChain: [chain.ds.der],
    });
    issued.push({ issuerSigned: doc.bytes, deviceKey });
  }

  // The in-process rate on responses of the same documents.
  const request = {
    docType: JP_MNC_DOCTYPE,
    elements: Object.fromEntries(Object.entries(elements).map(([ns, items]) => [ns, Object.keys(items)])),
  };
  const responses: Uint8Array[] = [];
  for (const d of issued)
    responses.push(
      await presentMdoc({
        documents: [d.issuerSigned],
        request,
        sessionTranscriptBytes: TRANSCRIPT,
        deviceKey: d.deviceKey.privateKey,
        mode: 'signature',
      }),
    );
  const cache = new VerificationCache();
  const inProcessRound = async (): Promise<number> => {
    const t = performance.now();
    for (const r of responses) {
      const v = await verifyDeviceResponse(r, {
        sessionTranscriptBytes: TRANSCRIPT,
        trustAnchors: [chain.iaca],
        now: new Date(),
        cache,
      });
      if (v.verdict !== 'valid') throw new Error(`an in-process response is ${v.verdict}`);
    }
    return (responses.length * 1000) / (performance.now() - t);
  };
  const inProcess: number[] = [];
  for (let k = 0; k < 6; k++) inProcess.push(await inProcessRound());

  // SQLite first (the embedded default, the goal's figure), then PostgreSQL (reported, no goal).
  const sqlite = await measureOverHttp({ chain, issued });
  const floorServer = await startVerifierFloorServer({ trustAnchors: [chain.iaca.der] });
  let floor: HttpRun;
  const floorDir = mkdtempSync(join(tmpdir(), 'mynakit-bench-verifier-floor-'));
  try {
    floor = await loadAgainst({ url: floorServer.url, apiKey: 'none', dataDir: floorDir, issued });
  } finally {
    await floorServer.close();
    rmSync(floorDir, { recursive: true, force: true });
  }
  for (let k = 0; k < 6; k++) inProcess.push(await inProcessRound());
  let postgres: HttpRun | undefined;
  let postgresSkipped: string | undefined;
  let cluster: PostgresCluster | undefined;
  try {
    cluster = await startPostgresCluster({ durable: true });
  } catch (e) {
    postgresSkipped = (e as Error).message.split('\n')[0];
  }
  if (cluster !== undefined) {
    try {
      postgres = await measureOverHttp({ chain, issued, databaseUrl: cluster.url });
    } finally {
      cluster.stop();
    }
  }
  inProcess.sort((a, b) => a - b);
  const inProcessPerS = quantile(inProcess, 0.5);
  const figures = (prefix: string, run: HttpRun, note: string): BenchFigure[] => [
    { name: `${prefix}.per_s`, value: round(run.perS, 1), unit: 'verif/s', note },
    { name: `${prefix}.p50_ms`, value: round(run.p50, 2), unit: 'ms' },
    { name: `${prefix}.p99_ms`, value: round(run.p99, 2), unit: 'ms' },
    {
      name: `${prefix}.vs_inprocess`,
      value: round(run.perS / inProcessPerS, 4),
      unit: 'ratio',
      ratio_to: 'verifier.http.inprocess_per_s',
    },
  ];
  const common =
    `${COUNT} Annex C verifications (session + answer + record), ${CONCURRENCY} in flight from a second process ` +
    '(node:http keep-alive client), one verifier process, loopback HTTP; ' +
    `${DOCS} distinct records with a 20 KiB portrait`;
  const out: BenchFigure[] = [
    ...figures('verifier.http', sqlite, `${common}; SQLite WAL synchronous=FULL; ${cpuNote(sqlite)}`),
    { name: 'verifier.http.inprocess_per_s', value: Math.round(inProcessPerS), unit: 'verif/s' },
    {
      name: 'verifier.http.floor_per_s',
      value: round(floor.perS, 1),
      unit: 'verif/s',
      note:
        'the same load against a bare node:http server doing only the recipient key and request, the HPKE open ' +
        'and verifyDeviceResponse (no framework, database, authentication or record): the ceiling of ' +
        `verifier.http.per_s on this machine; ${cpuNote(floor)}`,
    },
    {
      name: 'verifier.http.floor_vs_inprocess',
      value: round(floor.perS / inProcessPerS, 4),
      unit: 'ratio',
      ratio_to: 'verifier.http.inprocess_per_s',
    },
  ];
  if (postgres !== undefined)
    out.push(
      ...figures(
        'verifier.http.pg',
        postgres,
        `${common}; PostgreSQL on loopback with its default durability (fsync on, synchronous_commit on), ` +
          `a throwaway cluster started from the system binaries; ${cpuNote(postgres)}`,
      ),
    );
  else console.error(`verifier-http: PostgreSQL not measured (${postgresSkipped})`);
  return out;
}

interface HttpRun {
  readonly perS: number;
  readonly p50: number;
  readonly p99: number;
  /** CPU of the server's process (this one) per verification, ms. */
  readonly serverCpuMs: number;
  /** CPU of the load's process per verification, ms (the phone's work and the HTTP client). */
  readonly loadCpuMs: number;
}

/** What each process spent per verification. */
function cpuNote(run: HttpRun): string {
  return `CPU per verification: the serving process ${run.serverCpuMs.toFixed(2)} ms, the load ${run.loadCpuMs.toFixed(2)} ms`;
}

/** One verifier process on `databaseUrl` (default: SQLite in a fresh data folder), a warm-up, then the load. */
async function measureOverHttp(input: {
  readonly chain: ReturnType<typeof makeIssuerChain>;
  readonly issued: readonly { issuerSigned: Uint8Array; deviceKey: ReturnType<typeof p256> }[];
  readonly databaseUrl?: string;
}): Promise<HttpRun> {
  const { chain, issued } = input;
  const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-bench-verifier-'));
  const verifier = await startVerifier({
    port: 0,
    dataDir,
    adminToken: ADMIN,
    maintenanceIntervalMs: 0,
    checkpointIntervalMs: 0,
    log: () => undefined,
    ...(input.databaseUrl === undefined ? {} : { databaseUrl: input.databaseUrl }),
  });
  try {
    const created = await fetch(`${verifier.url}/relying-parties`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Bench Bank',
        clientId: 'x509_san_dns:bank.bench.example',
        law: 'hanshu',
        origins: [ORIGIN],
        trustAnchors: [Buffer.from(chain.iaca.der).toString('base64')],
        revocation: { check: 'optional', undetermined: 'accept-flagged' },
        verificationProgram: { name: 'mynakit', version: '0.1.0', certified: true },
      }),
    });
    const body = (await created.json()) as { apiKey?: { apiKey: string }; code?: string };
    if (!created.ok || body.apiKey === undefined)
      throw new Error(`the relying party could not be created: ${created.status} ${String(body.code)}`);
    return await loadAgainst({ url: verifier.url, apiKey: body.apiKey.apiKey, dataDir, issued });
  } finally {
    await verifier.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A warm-up, then the measured load from a second process against the server at `url`. */
async function loadAgainst(input: {
  readonly url: string;
  readonly apiKey: string;
  readonly dataDir: string;
  readonly issued: readonly { issuerSigned: Uint8Array; deviceKey: ReturnType<typeof p256> }[];
}): Promise<HttpRun> {
  const plan = (count: number) => {
    const file = join(input.dataDir, `plan-${count}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        url: input.url,
        apiKey: input.apiKey,
        origin: ORIGIN,
        documents: input.issued.map((d) => ({
          issuerSigned: Buffer.from(d.issuerSigned).toString('base64'),
          deviceKey: d.deviceKey.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
        })),
        count,
        concurrency: CONCURRENCY,
        maxSeconds: 120,
      }),
    );
    return file;
  };
  await runLoad(plan(WARMUP));
  const cpuAtStart = process.cpuUsage();
  const load = await runLoad(plan(COUNT));
  const cpu = process.cpuUsage(cpuAtStart);
  if (load.done !== COUNT || (load.verdicts.valid ?? 0) !== COUNT)
    throw new Error(`not every verification was valid: ${JSON.stringify(load.verdicts)} of ${load.done}`);
  const latencies = [...load.latencies_ms].sort((a, b) => a - b);
  return {
    perS: load.done / load.seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    serverCpuMs: (cpu.user + cpu.system) / 1000 / load.done,
    loadCpuMs: load.cpu_ms_per_verification,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await runVerifierHttpBench(), null, 2));
}
