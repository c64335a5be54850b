/**
 * `startIssuer` — the issuer as a process (ARCHITECTURE.md rule 8): its data under
 * `<dataDir>/issuer/` (SQLite `issuer.sqlite`, encrypted signing keys, the sandbox CA certificates, the
 * card files, the operator token), or PostgreSQL schema `issuer` when a database URL is given; migrations,
 * the sandbox CA hierarchy and the seeded test residents at start; HTTP on `host:port` (loopback by
 * default) through @hono/node-server.
 *
 * The port is bound first, so a taken port fails at once (ISSUER_PORT_IN_USE) before keys are created; the
 * app answers 503 until the start has finished. The credential issuer identifier is
 * `http://127.0.0.1:<port>` — OpenID4VCI accepts `http:` only on a loopback host (the sandbox).
 */
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { closeServer, listenOn } from '@mynakit/http-kit';
import type { ScryptParams } from '@mynakit/jpki';
import type { Hono } from 'hono';
import { createIssuerApp } from './app.js';
import { FileCertificateStore } from './ca/certificate-store.js';
import { ensureSandboxHierarchy } from './ca/sandbox-hierarchy.js';
import type { IssuerConfig, IssuerDeps } from './context.js';
import { IssuerError } from './errors.js';
import { EncryptedFileKeySource, parseKek } from './keys/encrypted-file-key-source.js';
import { readOrCreateFile } from './keys/write-once-file.js';
import { purgeExpired } from './maintenance/purge-expired.js';
import { type SandboxSeedResult, seedSandbox } from './residents/seed-sandbox.js';
import { type IssuerStore, openIssuerStore } from './store/issuer-store.js';

/** Options of `startIssuer`. */
export interface StartIssuerOptions {
  /** TCP port; 0 picks a free one (see `RunningIssuer.port`). */
  readonly port: number;
  /** Interface to bind (default `127.0.0.1`: the sandbox is reachable from this machine only). */
  readonly host?: string;
  /** The service data directory (`MYNAKIT_DATA_DIR`); the issuer keeps everything under `<dataDir>/issuer/`. */
  readonly dataDir: string;
  /** `postgres://…` (`DATABASE_URL`): the issuer's tables go to schema `issuer` there instead of SQLite. */
  readonly databaseUrl?: string;
  /** Key-encryption key of the signing keys (`MYNAKIT_KEK`: 32 bytes, base64url); absent: `<dataDir>/issuer/kek`. */
  readonly kek?: Uint8Array | string;
  /** The operator token of `/residents`; absent: read from (or created once into) `<dataDir>/issuer/admin-token`. */
  readonly adminToken?: string;
  /** One line per event (start-up, requests); never personal data, never a secret. */
  readonly log?: (line: string) => void;
  /** The clock (default the system clock). */
  readonly clock?: () => Date;
  /** The credential issuer identifier (default `http://127.0.0.1:<port>`). */
  readonly origin?: string;
  /** scrypt cost of the seeded cards’ PIN verifiers (default SANDBOX_CARD_PIN_KDF; tests lower it). */
  readonly pinKdf?: ScryptParams;
  /** How often expired values and abandoned installations are cleared (default MAINTENANCE_INTERVAL_MS; 0: never). */
  readonly maintenanceIntervalMs?: number;
}

/** A running issuer. */
export interface RunningIssuer {
  /** `http://<host>:<port>` as bound (the loopback address when bound to every interface). */
  readonly url: string;
  readonly port: number;
  /** Where the card files of the test residents are. */
  readonly cardDirectory: string;
  /** The file holding the operator token, when it was not given. */
  readonly adminTokenFile?: string;
  /** What the start found and seeded. */
  readonly seed: SandboxSeedResult;
  /** Stops listening, closes open connections and the database. */
  close(): Promise<void>;
}

/** Starts the issuer (see the file comment). ISSUER_PORT_IN_USE when the port is taken. */
export async function startIssuer(options: StartIssuerOptions): Promise<RunningIssuer> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';

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
      new IssuerError('ISSUER_PORT_IN_USE', `port ${options.port} on ${host} is in use by another process`, {
        cause,
      }),
  );
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;

  try {
    const opened = await openIssuer({ ...options, origin: options.origin ?? `http://127.0.0.1:${port}` });
    const app = opened.app;
    handler = (request) => app.fetch(request);
    log(`issuer: listening on ${url}`);
    const running = opened;
    return {
      url,
      port,
      cardDirectory: running.cardDirectory,
      ...(running.adminTokenFile === undefined ? {} : { adminTokenFile: running.adminTokenFile }),
      seed: running.seed,
      close: async () => {
        await closeServer(server);
        await running.close();
      },
    };
  } catch (e) {
    await closeServer(server).catch(() => undefined);
    throw e;
  }
}

/** Options of `openIssuer`: those of `startIssuer` without the socket, and the origin is required. */
export interface OpenIssuerOptions extends Omit<StartIssuerOptions, 'port' | 'host' | 'origin'> {
  /** The credential issuer identifier — the URL the app is reachable at (it may carry a path, e.g. `/issuer`). */
  readonly origin: string;
}

/** An issuer ready to serve, not yet bound to a socket (the sandbox mounts its app under `/issuer`). */
export interface OpenedIssuer {
  readonly app: Hono;
  readonly deps: IssuerDeps;
  readonly cardDirectory: string;
  readonly adminTokenFile?: string;
  readonly seed: SandboxSeedResult;
  /** Stops the maintenance timer and closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the issuer's data — store and migrations, signing keys, the sandbox CA hierarchy, the seeded test
 * residents — and creates its app, without listening: `startIssuer` serves it alone, the sandbox mounts it.
 */
export async function openIssuer(options: OpenIssuerOptions): Promise<OpenedIssuer> {
  const log = options.log ?? (() => undefined);
  const clock = options.clock ?? (() => new Date());
  const issuerDir = join(options.dataDir, 'issuer');
  await mkdir(issuerDir, { recursive: true, mode: 0o700 });
  let store: IssuerStore | undefined;
  try {
    store = await openIssuerStore({
      url: options.databaseUrl ?? `sqlite:${join(issuerDir, 'issuer.sqlite')}`,
      schema: 'issuer',
    });
    const kek = typeof options.kek === 'string' ? parseKek(options.kek) : options.kek;
    const keySource = await EncryptedFileKeySource.open({
      dataDir: options.dataDir,
      ...(kek === undefined ? {} : { kek }),
    });
    const hierarchy = await ensureSandboxHierarchy({
      keySource,
      store: new FileCertificateStore(options.dataDir),
      now: clock(),
    });
    let adminTokenFile: string | undefined;
    let adminToken = options.adminToken;
    if (adminToken === undefined) {
      adminTokenFile = join(issuerDir, 'admin-token');
      const { bytes } = await readOrCreateFile(adminTokenFile, () =>
        Buffer.from(
          `${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}\n`,
        ),
      );
      adminToken = Buffer.from(bytes).toString('utf8').trim();
    }
    const config: IssuerConfig = {
      origin: options.origin,
      sandbox: true,
      cardDirectory: join(issuerDir, 'cards'),
      adminToken,
    };
    const deps: IssuerDeps = { store, keySource, hierarchy, config, clock, log };
    const seed = await seedSandbox(deps, {
      now: clock(),
      ...(options.pinKdf === undefined ? {} : { pinKdf: options.pinKdf }),
    });
    if (seed.seededResidents > 0) log(`issuer: seeded ${seed.seededResidents} test residents`);
    if (seed.issuedCards > 0) log(`issuer: issued ${seed.issuedCards} sandbox cards`);
    log(`issuer: card files of the test residents (private keys and PINs): ${seed.cardDirectory}`);
    if (seed.missingCardFiles.length > 0)
      log(`issuer: ${seed.missingCardFiles.length} seeded residents have no card file (deleted?)`);
    if (adminTokenFile !== undefined) log(`issuer: operator token for /residents: ${adminTokenFile}`);

    const app = createIssuerApp(deps);
    const opened = store;
    const stopMaintenance = await startMaintenance(
      deps,
      options.maintenanceIntervalMs ?? MAINTENANCE_INTERVAL_MS,
      log,
    );
    return {
      app,
      deps,
      cardDirectory: seed.cardDirectory,
      ...(adminTokenFile === undefined ? {} : { adminTokenFile }),
      seed,
      close: async () => {
        stopMaintenance();
        await opened.close();
      },
    };
  } catch (e) {
    await store?.close().catch(() => undefined);
    throw e;
  }
}

/** How often a running issuer clears expired values and abandoned installations: every 10 minutes. */
export const MAINTENANCE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Runs purgeExpired once now and then every `intervalMs` (0: never) on a timer that does not keep the
 * process alive; a failed run is logged and the next one tries again. Returns the stop function.
 */
async function startMaintenance(
  deps: IssuerDeps,
  intervalMs: number,
  log: (line: string) => void,
): Promise<() => void> {
  if (intervalMs <= 0) return () => undefined;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const r = await purgeExpired(deps);
      const total = Object.values(r).reduce((a, b) => a + b, 0);
      if (total > 0)
        log(
          `issuer: maintenance cleared ${r.nonces} nonces, ${r.offers} offers, ${r.accessTokens + r.installationTokens + r.noticeSubscriptions} tokens, ${r.abandonedInstallations} abandoned installations`,
        );
    } catch (e) {
      log(`issuer: maintenance failed (${(e as Error).name}); it runs again later`);
    } finally {
      running = false;
    }
  };
  await run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
