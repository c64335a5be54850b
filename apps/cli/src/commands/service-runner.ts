import { resolve } from 'node:path';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './index.js';

/** What every service start function takes from the command line and the environment. */
export interface ServiceStartOptions {
  port: number;
  host?: string;
  dataDir: string;
  databaseUrl?: string;
  kek?: string;
  log?: (line: string) => void;
}

/** A service as its start function returns it. */
export interface RunningService {
  url: string;
  close(): Promise<void>;
}

/** A port from --port or PORT: an integer 0..65535. */
export function parsePort(text: string, source: string): number {
  if (!/^\d{1,5}$/.test(text.trim()) || Number(text) > 65535)
    throw new UsageError(`${source} '${text}' is not a port number (0..65535)`);
  return Number(text);
}

/**
 * Services are workspaces of the repository, not published packages: they are loaded on demand (so
 * `mynakit mdoc verify` never loads SQLite) and an installed CLI without them gets `undefined`.
 */
export async function loadWorkspaceModule<T>(name: string): Promise<T | undefined> {
  try {
    return (await import(name)) as T;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (
      (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND') &&
      String(err.message).includes(name)
    )
      return undefined;
    throw e;
  }
}

function stopSignal(): Promise<string> {
  return new Promise((done) => {
    const on = (signal: string) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      done(signal);
    };
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
  });
}

/** How one service command starts its service. */
export interface ServiceCommand {
  /** The command's name, as in `mynakit <name>`. */
  readonly name: string;
  /** The workspace package holding the service. */
  readonly moduleName: string;
  /** Its start function, given the loaded module. */
  readonly start: (module: unknown, options: ServiceStartOptions) => Promise<RunningService>;
  readonly defaultPort: number;
  /** The error code the service throws for a taken port. */
  readonly portInUseCode: string;
  /** Whether the URL is printed on stdout (the sandbox: the one URL a user opens). */
  readonly printUrl?: boolean;
}

/**
 * Runs a service until SIGINT or SIGTERM: port from --port, else PORT, else the default; data under
 * MYNAKIT_DATA_DIR (default `.mynakit/`); DATABASE_URL and MYNAKIT_KEK passed on. Logs on stderr. A taken
 * port or a failed start exits 70 with a plain message; a stop by signal exits 0.
 */
export async function runService(
  spec: ServiceCommand,
  opts: { port?: string; host: string },
  ctx: CommandContext,
): Promise<void> {
  const env = process.env;
  const port =
    opts.port !== undefined
      ? parsePort(opts.port, '--port')
      : env.PORT !== undefined && env.PORT !== ''
        ? parsePort(env.PORT, 'PORT')
        : spec.defaultPort;
  const module = await loadWorkspaceModule<unknown>(spec.moduleName);
  if (module === undefined) {
    ctx.out.stderr(
      `mynakit ${spec.name}: the ${spec.name} is not installed (it is part of the mynakit repository: run it from a clone).\n`,
    );
    ctx.setExit(EXIT.software);
    return;
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  const kek = env.MYNAKIT_KEK || undefined;
  let running: RunningService;
  try {
    running = await spec.start(module, {
      port,
      host: opts.host,
      dataDir: resolve(env.MYNAKIT_DATA_DIR || '.mynakit'),
      ...(databaseUrl === undefined ? {} : { databaseUrl }),
      ...(kek === undefined ? {} : { kek }),
      log: (line) => ctx.out.stderr(`${line}\n`),
    });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    ctx.out.stderr(
      code === spec.portInUseCode
        ? `mynakit ${spec.name}: port ${port} on ${opts.host} is already in use by another process; choose another with --port or PORT.\n`
        : `mynakit ${spec.name}: cannot start: ${typeof code === 'string' ? `${code}: ` : ''}${(e as Error).message}\n`,
    );
    ctx.setExit(EXIT.software);
    return;
  }
  if (spec.printUrl) ctx.out.stdout(`${running.url}/\n`);
  const signal = await stopSignal();
  ctx.out.stderr(`${spec.name}: ${signal} received, stopping\n`);
  await running.close();
  ctx.setExit(0);
}
