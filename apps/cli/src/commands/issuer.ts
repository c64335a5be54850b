import type { Command } from 'commander';
import type { CommandContext } from './index.js';
import { parsePort, type RunningService, runService, type ServiceStartOptions } from './service-runner.js';

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

interface IssuerModule {
  startIssuer(options: ServiceStartOptions): Promise<RunningService>;
}

/** A port from --port or PORT (kept here for the issuer's tests). */
export { parsePort };

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
    .action((opts: { port?: string; host: string }) =>
      runService(
        {
          name: 'issuer',
          moduleName: '@mynakit/issuer',
          start: (m, o) => (m as IssuerModule).startIssuer(o),
          defaultPort: DEFAULT_ISSUER_PORT,
          portInUseCode: 'ISSUER_PORT_IN_USE',
        },
        opts,
        ctx,
      ),
    );
}
