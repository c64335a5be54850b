import type { Command } from 'commander';
import type { CommandContext } from './index.js';
import { type RunningService, runService, type ServiceStartOptions } from './service-runner.js';

/**
 * `mynakit wallet [--port N] [--host ADDRESS] [--issuer-url URL]` — runs the phone emulator alone
 * (ARCHITECTURE.md rule 8): two phones, one of each family, with their stores under
 * `<MYNAKIT_DATA_DIR>/wallet/`, against the issuer at `--issuer-url` (else MYNAKIT_ISSUER_URL). With no
 * issuer configured or reachable it still serves `/` and says which.
 *
 *   port       --port, else PORT, else 8402 (0: any free port; the log line `listening on …` names it)
 *   database   DATABASE_URL (PostgreSQL, schema wallet); absent: one SQLite file per phone
 */
export const DEFAULT_WALLET_PORT = 8402;

interface WalletModule {
  startWallet(options: ServiceStartOptions & { issuerUrl?: string }): Promise<RunningService>;
}

/** Registers `mynakit wallet`. */
export function registerWalletCommand(program: Command, ctx: CommandContext): void {
  program
    .command('wallet')
    .description('run the phone emulator (two phones) against an issuer')
    .option('--port <n>', `TCP port (default: $PORT, else ${DEFAULT_WALLET_PORT}; 0 picks a free one)`)
    .option('--host <address>', 'interface to bind', '127.0.0.1')
    .option('--issuer-url <url>', 'base URL of the issuer (default: $MYNAKIT_ISSUER_URL)')
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        `  PORT                port when --port is not given (default ${DEFAULT_WALLET_PORT})`,
        '  MYNAKIT_DATA_DIR    data directory (default .mynakit/); the phones use <dir>/wallet/',
        '  MYNAKIT_ISSUER_URL  the issuer when --issuer-url is not given',
        '  DATABASE_URL        PostgreSQL URL (schema wallet); default one SQLite file per phone',
        '',
        'Without an issuer the phones show what they hold; installing needs the sandbox (npm start), whose',
        'platform attestation CA vouches for the phones\u2019 keys. Stop with Ctrl-C.',
        'Exit codes: 0 stopped, 64 usage error, 70 the port is taken or the wallet could not start.',
        '',
      ].join('\n'),
    )
    .action((opts: { port?: string; host: string; issuerUrl?: string }) => {
      const issuerUrl = opts.issuerUrl ?? (process.env.MYNAKIT_ISSUER_URL || undefined);
      return runService(
        {
          name: 'wallet',
          moduleName: '@mynakit/wallet',
          start: (m, o) =>
            (m as WalletModule).startWallet({ ...o, ...(issuerUrl === undefined ? {} : { issuerUrl }) }),
          defaultPort: DEFAULT_WALLET_PORT,
          portInUseCode: 'WALLET_PORT_IN_USE',
        },
        { port: opts.port, host: opts.host } as { port?: string; host: string },
        ctx,
      );
    });
}
