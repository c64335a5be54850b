import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './index.js';

/**
 * `mynakit issuer [--port N] [--host ADDRESS]` — runs the issuer service (ARCHITECTURE.md rule 8): the
 * sandbox's resident register with its test residents' card files, the installation steps and the
 * OpenID4VCI endpoints, until SIGINT or SIGTERM.
 *
 *   port       --port, else PORT, else 8401 (0: any free port; the log line `listening on …` names it)
 *   data       MYNAKIT_DATA_DIR (default `.mynakit/`); the issuer keeps everything under `<dir>/issuer/`
 *   database   DATABASE_URL (PostgreSQL, schema `issuer`); absent: SQLite `<dir>/issuer/issuer.sqlite`
 *   keys       MYNAKIT_KEK (32 bytes base64url) encrypts the signing keys; absent: `<dir>/issuer/kek`
 *
 * Logs go to stderr, one line each, never personal data or secrets; they say where the card files are.
 * A taken port exits 70 with a plain message. The issuer is a workspace of the repository, not a published
 * package: it is loaded on demand (so `mynakit mdoc verify` never loads SQLite), and an installed CLI
 * without it says so and exits 70.
 */
export const DEFAULT_ISSUER_PORT = 8401;

/** Minimal view of `@mynakit/issuer` that this command uses. */
interface IssuerModule {
  startIssuer(options: {
    port: number;
    host?: string;
    dataDir: string;
    databaseUrl?: string;
    kek?: string;
    log?: (line: string) => void;
  }): Promise<{ url: string; close(): Promise<void> }>;
}

/** A port from --port or PORT: an integer 0..65535. */
export function parsePort(text: string, source: string): number {
  if (!/^\d{1,5}$/.test(text.trim()) || Number(text) > 65535)
    throw new UsageError(`${source} '${text}' is not a port number (0..65535)`);
  return Number(text);
}

async function loadIssuer(): Promise<IssuerModule | undefined> {
  try {
    return (await import('@mynakit/issuer')) as unknown as IssuerModule;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (
      (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND') &&
      String(err.message).includes('@mynakit/issuer')
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

/** Registers `mynakit issuer`. */
export function registerIssuerCommand(program: Command, ctx: CommandContext): void {
  program
    .command('issuer')
    .description('run the issuer service (sandbox): residents and their cards, installations, OpenID4VCI')
    .option('--port <n>', `TCP port (default: $PORT, else ${DEFAULT_ISSUER_PORT}; 0 picks a free one)`)
    .option('--host <address>', 'interface to bind', '127.0.0.1')
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        `  PORT              port when --port is not given (default ${DEFAULT_ISSUER_PORT})`,
        '  MYNAKIT_DATA_DIR  data directory (default .mynakit/); the issuer uses <dir>/issuer/',
        '  DATABASE_URL      PostgreSQL URL (schema issuer); default SQLite <dir>/issuer/issuer.sqlite',
        '  MYNAKIT_KEK       key-encryption key of the signing keys, 32 bytes base64url; default <dir>/issuer/kek',
        '',
        'The first start seeds test residents and writes their card files (private keys and PINs of sandbox',
        'test cards) under <dir>/issuer/cards/; the log names the directory. Stop with Ctrl-C.',
        'Exit codes: 0 stopped, 64 usage error, 70 the port is taken or the issuer could not start.',
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
            : DEFAULT_ISSUER_PORT;
      const dataDir = resolve(env.MYNAKIT_DATA_DIR || '.mynakit');
      const databaseUrl = env.DATABASE_URL || undefined;
      const kek = env.MYNAKIT_KEK || undefined;

      const issuer = await loadIssuer();
      if (issuer === undefined) {
        ctx.out.stderr(
          'mynakit issuer: the issuer service is not installed (it is part of the mynakit repository: run it from a clone).\n',
        );
        ctx.setExit(EXIT.software);
        return;
      }
      let running: { url: string; close(): Promise<void> };
      try {
        running = await issuer.startIssuer({
          port,
          host: opts.host,
          dataDir,
          ...(databaseUrl === undefined ? {} : { databaseUrl }),
          ...(kek === undefined ? {} : { kek }),
          log: (line) => ctx.out.stderr(`${line}\n`),
        });
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        ctx.out.stderr(
          code === 'ISSUER_PORT_IN_USE'
            ? `mynakit issuer: port ${port} on ${opts.host} is already in use by another process; choose another with --port or PORT.\n`
            : `mynakit issuer: cannot start: ${typeof code === 'string' ? `${code}: ` : ''}${(e as Error).message}\n`,
        );
        ctx.setExit(EXIT.software);
        return;
      }
      const signal = await stopSignal();
      ctx.out.stderr(`issuer: ${signal} received, stopping\n`);
      await running.close();
      ctx.setExit(0);
    });
}
