/**
 * The verifier as a service (ARCHITECTURE.md rule 8): `openVerifier` opens its data under
 * `<dataDir>/verifier/` (SQLite `verifier.sqlite`, its secrets sealed under the key-encryption key
 * `MYNAKIT_KEK` — the checkpoint key among them — the operator token, the writer id) or
 * PostgreSQL schema `verifier` when a database URL is given, and builds the app; `startVerifier` also listens
 * (`mynakit verifier`, loopback by default) and signs checkpoints of the record chains periodically.
 *
 * The port is bound first, so a taken port fails at once (VERIFIER_PORT_IN_USE) before anything is opened;
 * the app answers 503 until the start has finished.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { closeServer, listenOn } from '@mynakit/http-kit';
import type { JpkiPolicyConfig } from '@mynakit/jpki';
import type { Hono } from 'hono';
import { createVerifierApp } from './app.js';
import type { VerifierDeps } from './context.js';
import { VerifierError } from './errors.js';
import type { VerifierEnv } from './http/auth.js';
import type { JpkiStatusConfig } from './jpki/jpki-status.js';
import { checkPlatformOperatorConfig, type PlatformOperatorConfig } from './jpki/platform-operator-status.js';
import { type CheckpointKey, readOrCreateCheckpointKey } from './keys/checkpoint-key.js';
import { decodeKeyLine, KEK_FILE, VerifierSecrets } from './keys/sealed-secrets.js';
import { runVerifierMaintenance, VERIFIER_MAINTENANCE_INTERVAL_MS } from './maintenance.js';
import { es256Signer, signCheckpoints } from './records/checkpoints.js';
import {
  checkRecordInquiryConfig,
  type RecordInquiryConfig,
  type RecordInquiryDeps,
} from './revocation/record-inquiry.js';
import { configuredStatusListFetcher, type StatusListFetcher } from './revocation/status-list-fetcher.js';
import { openVerifierStore, type VerifierStore } from './store/verifier-store.js';

/** How often a running verifier signs checkpoints of the chains whose heads moved (default). */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;

/** Options of openVerifier. */
export interface OpenVerifierOptions {
  /** `MYNAKIT_DATA_DIR`: the verifier keeps its files under `<dataDir>/verifier/`. */
  readonly dataDir: string;
  /** `DATABASE_URL`: the verifier's tables go to PostgreSQL schema `verifier`; absent: SQLite. */
  readonly databaseUrl?: string;
  /** The service's origin for the OpenAPI document. */
  readonly origin: string;
  /** The operator token; absent: read from (or created once into) `<dataDir>/verifier/admin-token`. */
  readonly adminToken?: string;
  /**
   * The key-encryption key the verifier's secrets are sealed under (keys/sealed-secrets.ts): 32 bytes, or
   * their base64url text (`MYNAKIT_KEK`); absent: generated once into `<dataDir>/verifier/kek`.
   */
  readonly kek?: Uint8Array | string;
  /** This instance's writer id (its own record chains); absent: `<dataDir>/verifier/writer-id`, made once. */
  readonly writerId?: string;
  readonly clock?: () => Date;
  /** One line per event and per request, never personal data nor a secret. */
  readonly log?: (line: string) => void;
  /**
   * The issuer origins Status List Tokens may be fetched from (ARCHITECTURE.md rule 9); absent or empty:
   * none, and every revocation status is undetermined (the relying party's policy decides).
   */
  readonly statusListOrigins?: readonly string[];
  /** Replaces the configured fetcher (the sandbox hands in the issuer app's fetch). */
  readonly fetchStatusList?: StatusListFetcher;
  /**
   * Where JPKI certificates' status is asked (OCSP, then CRLs; jpki/jpki-status.ts); absent: the
   * `statusListOrigins` issuers. The sandbox hands in the issuer app's fetch.
   */
  readonly jpkiStatus?: JpkiStatusConfig;
  /**
   * The platform operator relying parties with `jpkiStatusVia: 'platform-operator'` get JPKI status from
   * (jpki/platform-operator-status.ts): its origin and this verifier's client credentials there. Merged into
   * `jpkiStatus` (whose fetch and timeout it shares); checked at open (VERIFIER_INVALID_INPUT).
   */
  readonly jpkiPlatformOperator?: PlatformOperatorConfig;
  /**
   * The issuer's per-record status inquiry (revocation/record-inquiry.ts): its URL and this verifier's
   * client credentials there (role `inquiry`), checked at open (VERIFIER_INVALID_INPUT); relying parties
   * choose when it is asked. Absent: never asked.
   */
  readonly recordInquiry?: RecordInquiryConfig;
  /** The fetch the inquiry uses (default the global one; the sandbox hands in the issuer app's). */
  readonly recordInquiryFetch?: (request: Request) => Promise<Response>;
  /** The JPKI certificate policies accepted (default the published card policies; the sandbox its own). */
  readonly jpkiPolicies?: JpkiPolicyConfig;
  /** Keep fetched status lists for their ttl (default true; see VerifierConfig.cacheStatusLists). */
  readonly cacheStatusLists?: boolean;
  /** How often expired sessions and records past retention are cleared (default every 10 minutes; 0: never). */
  readonly maintenanceIntervalMs?: number;
}

/** An opened verifier: its app, store, checkpoint key and writer id. */
export interface OpenedVerifier {
  readonly app: Hono<VerifierEnv>;
  readonly deps: VerifierDeps;
  readonly store: VerifierStore;
  readonly checkpointKey: CheckpointKey;
  readonly writerId: string;
  /** The file holding the operator token, when it was not given. */
  readonly adminTokenFile?: string;
  /** Closes the database. */
  close(): Promise<void>;
}

/** Reads a one-line file, or creates it with `make()` (mode 0600); the first writer wins a race. */
async function readOrCreateLine(file: string, make: () => string): Promise<string> {
  try {
    await writeFile(file, `${make()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return (await readFile(file, 'utf8')).trim();
}

/** Where JPKI status is asked: the configured issuers and, when configured, the platform operator. */
function jpkiStatusOf(options: OpenVerifierOptions): JpkiStatusConfig {
  const base = options.jpkiStatus ?? { origins: options.statusListOrigins ?? [] };
  const operator = options.jpkiPlatformOperator ?? base.platformOperator;
  return operator === undefined ? base : { ...base, platformOperator: checkPlatformOperatorConfig(operator) };
}

/** Opens the verifier's data and builds its app (see the file comment). */
export async function openVerifier(options: OpenVerifierOptions): Promise<OpenedVerifier> {
  const log = options.log ?? (() => undefined);
  const clock = options.clock ?? (() => new Date());
  // A wrong configuration fails before anything is opened.
  const jpkiStatus = jpkiStatusOf(options);
  const recordInquiry: RecordInquiryDeps | undefined =
    options.recordInquiry === undefined
      ? undefined
      : {
          config: checkRecordInquiryConfig(options.recordInquiry),
          ...(options.recordInquiryFetch === undefined ? {} : { fetch: options.recordInquiryFetch }),
        };
  const dir = join(options.dataDir, 'verifier');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // The checkpoint key and the keys that seal sessions' and reader keys' secrets are kept sealed under the
  // KEK (keys/sealed-secrets.ts); plain files of an earlier version are sealed here and removed. A wrong
  // KEK stops the start (VERIFIER_KEY_WRONG_KEK) before the database is opened.
  const secrets = await VerifierSecrets.open({
    dataDir: options.dataDir,
    ...(options.kek === undefined ? {} : { kek: options.kek }),
  });
  const checkpointKey = await readOrCreateCheckpointKey(options.dataDir, secrets);
  // Sessions' HPKE keys are sealed at rest under this key (sessions/session-key.ts), relying parties'
  // reader-authentication keys under their own (relying-parties/reader-key.ts); instances sharing the data
  // directory (or its secrets and KEK) share them.
  const sessionSecret = await secrets.secret('session-kek', () => randomBytes(32), {
    file: 'session-kek',
    decode: decodeKeyLine,
  });
  const readerSecret = await secrets.secret('reader-kek', () => randomBytes(32), {
    file: 'reader-kek',
    decode: decodeKeyLine,
  });
  const sessionKek = sessionSecret.bytes;
  const readerKek = readerSecret.bytes;
  for (const [name, migrated] of [
    ['checkpoint key', checkpointKey.migrated],
    ['session-kek', sessionSecret.migrated],
    ['reader-kek', readerSecret.migrated],
  ] as const)
    if (migrated) log(`verifier: ${name} moved from its plain file into sealed form`);
  let adminTokenFile: string | undefined;
  let adminToken = options.adminToken;
  if (adminToken === undefined) {
    adminTokenFile = join(dir, 'admin-token');
    adminToken = await readOrCreateLine(adminTokenFile, () => randomBytes(32).toString('base64url'));
  }
  const writerId =
    options.writerId ??
    (await readOrCreateLine(join(dir, 'writer-id'), () => `w-${randomBytes(8).toString('hex')}`));
  const store = await openVerifierStore({
    url: options.databaseUrl ?? `sqlite:${join(dir, 'verifier.sqlite')}`,
    schema: 'verifier',
  });
  const fetchStatusList =
    options.fetchStatusList ??
    configuredStatusListFetcher({ allowedOrigins: options.statusListOrigins ?? [] });
  const deps: VerifierDeps = {
    store,
    config: {
      origin: options.origin,
      adminToken,
      sessionKeyEncryptionKey: sessionKek,
      readerKeyEncryptionKey: readerKek,
      ...(options.cacheStatusLists === undefined ? {} : { cacheStatusLists: options.cacheStatusLists }),
      ...(options.jpkiPolicies === undefined ? {} : { jpkiPolicies: options.jpkiPolicies }),
    },
    clock,
    log,
    writerId,
    fetchStatusList,
    jpkiStatus,
    ...(recordInquiry === undefined ? {} : { recordInquiry }),
  };
  if (recordInquiry !== undefined)
    log(`verifier: records' status may be asked of ${recordInquiry.config.issuerUrl}/inquiry`);
  if (adminTokenFile !== undefined) log(`verifier: operator token for /relying-parties: ${adminTokenFile}`);
  log(
    `verifier: secrets sealed in ${secrets.dir} under the key-encryption key ${
      secrets.kekSource === 'configured' ? 'from MYNAKIT_KEK' : `in ${join(dir, KEK_FILE)}`
    }`,
  );
  // Expired sessions and records past retention are cleared at open and then every interval, on a timer
  // that does not keep the process alive; a failed run is logged and the next one tries again.
  const maintain = async () => {
    try {
      const r = await runVerifierMaintenance(store, clock().getTime());
      if (r.sessions + r.purgedRecords > 0)
        log(
          `verifier: maintenance deleted ${r.sessions} sessions, purged ${r.purgedRecords} records past retention`,
        );
    } catch (e) {
      log(`verifier: maintenance failed (${(e as Error).name}); it runs again later`);
    }
  };
  const maintenanceInterval = options.maintenanceIntervalMs ?? VERIFIER_MAINTENANCE_INTERVAL_MS;
  let maintenanceTimer: NodeJS.Timeout | undefined;
  if (maintenanceInterval > 0) {
    await maintain();
    maintenanceTimer = setInterval(() => void maintain(), maintenanceInterval);
    maintenanceTimer.unref();
  }
  return {
    app: createVerifierApp(deps),
    deps,
    store,
    checkpointKey,
    writerId,
    ...(adminTokenFile === undefined ? {} : { adminTokenFile }),
    close: async () => {
      clearInterval(maintenanceTimer);
      await store.close();
    },
  };
}

/** Options of startVerifier (the CLI's service options). */
export interface StartVerifierOptions extends Omit<OpenVerifierOptions, 'origin'> {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Interface to bind (default `127.0.0.1`). */
  readonly host?: string;
  /** The origin (default `http://127.0.0.1:<port>`). */
  readonly origin?: string;
  /** How often checkpoints are signed, ms (default DEFAULT_CHECKPOINT_INTERVAL_MS; 0: never). */
  readonly checkpointIntervalMs?: number;
}

/** A listening verifier. */
export interface RunningVerifier extends OpenedVerifier {
  readonly url: string;
  readonly port: number;
}

/**
 * Binds the port first (a taken port fails at once with VERIFIER_PORT_IN_USE, before anything is opened),
 * then opens the verifier, serves it, and signs checkpoints every `checkpointIntervalMs` and once at close.
 */
export async function startVerifier(options: StartVerifierOptions): Promise<RunningVerifier> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const clock = options.clock ?? (() => new Date());
  let handler: (request: Request) => Response | Promise<Response> = () =>
    new Response(JSON.stringify({ status: 'starting' }), {
      status: 503,
      headers: { 'content-type': 'application/json', 'retry-after': '1' },
    });
  const server = createAdaptorServer({ fetch: (request) => handler(request) }) as Server;
  const port = await listenOn(
    server,
    options.port,
    host,
    (cause) =>
      new VerifierError(
        'VERIFIER_PORT_IN_USE',
        `port ${options.port} on ${host} is in use by another process`,
        { cause },
      ),
  );
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  try {
    const opened = await openVerifier({ ...options, origin: options.origin ?? `http://127.0.0.1:${port}` });
    handler = (request) => opened.app.fetch(request);
    const signer = es256Signer(opened.checkpointKey.privateKey);
    const checkpoint = async () => {
      try {
        const written = await signCheckpoints(opened.store, signer, clock().getTime());
        if (written.length > 0) log(`verifier: signed ${written.length} checkpoint(s)`);
      } catch (e) {
        log(`verifier: checkpoints failed: ${(e as { code?: string }).code ?? (e as Error).name}`);
      }
    };
    const interval = options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
    const timer = interval > 0 ? setInterval(checkpoint, interval) : undefined;
    timer?.unref();
    log(`verifier: writer ${opened.writerId}`);
    log(`verifier: listening on ${url}`);
    return {
      ...opened,
      url,
      port,
      close: async () => {
        if (timer !== undefined) clearInterval(timer);
        await closeServer(server);
        await checkpoint();
        await opened.close();
      },
    };
  } catch (e) {
    await closeServer(server).catch(() => undefined);
    throw e;
  }
}
