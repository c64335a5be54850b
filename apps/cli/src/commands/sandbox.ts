import type { Command } from 'commander';
import type { CommandContext } from './index.js';

/**
 * `mynakit sandbox` — issuer + phone wallet + verifier + pages in one process on SQLite.
 * The services are being assembled; until then it says what is available today and exits cleanly.
 */
export function registerSandboxCommand(program: Command, ctx: CommandContext): void {
  program
    .command('sandbox')
    .description('run the sandbox: issuer, phone wallet, verifier and pages in one process (SQLite)')
    .option('--port <n>', 'port to listen on (default PORT or 8080)')
    .action(() => {
      ctx.out.stderr(
        [
          'mynakit sandbox: the issuer, wallet and verifier services are not assembled yet.',
          'Available today:',
          '  npx mynakit mdoc verify --help     verify an ISO 18013-5 DeviceResponse (card-substitute record)',
          '  npx mynakit mdoc inspect FILE      show an mdoc structure',
          '  npx mynakit jpki verify --help     verify a JPKI CMS signature with CRL/OCSP',
          '  npx mynakit jpki inspect FILE      show a certificate, CRL, OCSP response or CMS',
          '',
        ].join('\n'),
      );
      ctx.setExit(0);
    });
}
