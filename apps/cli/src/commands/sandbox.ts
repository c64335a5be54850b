import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import type { CommandContext } from './index.js';
import { parsePort } from './issuer.js';

/**
 * `mynakit sandbox [--port N]` (and `npm start`) — the ecosystem in one process on SQLite: the issuer under
 * `/issuer` and the landing page at `/`, one URL printed. The wallet and verifier pages join it as they are
 * built; the landing page says plainly which parts run.
 *
 *   port       --port, else PORT, else 8400 (0: any free port)
 *   data       MYNAKIT_DATA_DIR (default `.mynakit/`), kept between runs
 *   database   DATABASE_URL for PostgreSQL (one schema per service); absent: SQLite files under the data dir
 *
 * Like `mynakit issuer`, the sandbox is a workspace of the repository (not a published package) and is
 * loaded on demand.
 */
export const DEFAULT_SANDBOX_PORT = 8400;

interface SandboxModule {
  startSandbox(options: {
    port: number;
    host?: string;
    dataDir: string;
    databaseUrl?: string;
    kek?: string;
    log?: (line: string) => void;
  }): Promise<{ url: string; close(): Promise<void> }>;
}

async function loadSandbox(): Promise<SandboxModule | undefined> {
  try {
    return (await import('@mynakit/sandbox')) as unknown as SandboxModule;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (
      (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND') &&
      String(err.message).includes('@mynakit/sandbox')
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

/** Registers `mynakit sandbox`. */
export function registerSandboxCommand(program: Command, ctx: CommandContext): void {
  program
    .command('sandbox')
    .description('run the sandbox: issuer and pages in one process on SQLite (npm start)')
    .option('--port <n>', `TCP port (default: $PORT, else ${DEFAULT_SANDBOX_PORT}; 0 picks a free one)`)
    .option('--host <address>', 'interface to bind', '127.0.0.1')
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        `  PORT              port when --port is not given (default ${DEFAULT_SANDBOX_PORT})`,
        '  MYNAKIT_DATA_DIR  data directory kept between runs (default .mynakit/)',
        '  DATABASE_URL      PostgreSQL URL (one schema per service); default SQLite files in the data directory',
        '  MYNAKIT_KEK       key-encryption key of the issuer signing keys, 32 bytes base64url',
        '',
        'Prints the URL to open. Stop with Ctrl-C.',
        'Exit codes: 0 stopped, 64 usage error, 70 the port is taken or the sandbox could not start.',
        '',
      ].join('\n'),
    )
    .action(async (opts: { port?: string; host: string }) => {
      const env = process.env;
      const port =
        opts.port !== undefined
          ? parsePort(opts.port, '--port')
          : env.PORT !== undefined && env.PORT !== ''
            ? parsePort(env.PORT, 'PORT')
            : DEFAULT_SANDBOX_PORT;
      const sandbox = await loadSandbox();
      if (sandbox === undefined) {
        ctx.out.stderr(
          'mynakit sandbox: the sandbox is not installed (it is part of the mynakit repository: run `npm start` in a clone).\n',
        );
        ctx.setExit(EXIT.software);
        return;
      }
      const databaseUrl = env.DATABASE_URL || undefined;
      const kek = env.MYNAKIT_KEK || undefined;
      let running: { url: string; close(): Promise<void> };
      try {
        running = await sandbox.startSandbox({
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
          code === 'SANDBOX_PORT_IN_USE'
            ? `mynakit sandbox: port ${port} on ${opts.host} is already in use by another process; choose another with --port or PORT.\n`
            : `mynakit sandbox: cannot start: ${typeof code === 'string' ? `${code}: ` : ''}${(e as Error).message}\n`,
        );
        ctx.setExit(EXIT.software);
        return;
      }
      ctx.out.stdout(`${running.url}/\n`);
      const signal = await stopSignal();
      ctx.out.stderr(`sandbox: ${signal} received, stopping\n`);
      await running.close();
      ctx.setExit(0);
    });
}
