import type { Command } from 'commander';
import type { CommandContext } from './index.js';
import { type RunningService, runService, type ServiceStartOptions } from './service-runner.js';

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
  startSandbox(options: ServiceStartOptions): Promise<RunningService>;
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
    .action((opts: { port?: string; host: string }) =>
      runService(
        {
          name: 'sandbox',
          moduleName: '@mynakit/sandbox',
          start: (m, o) => (m as SandboxModule).startSandbox(o),
          defaultPort: DEFAULT_SANDBOX_PORT,
          portInUseCode: 'SANDBOX_PORT_IN_USE',
          printUrl: true,
        },
        opts,
        ctx,
      ),
    );
}
