import type { Command } from 'commander';
import type { CommandContext } from './index.js';

/**
 * `mynakit sandbox` (and `npm start`) — will run issuer + phone wallet + verifier + pages in one process
 * on SQLite. Those services are not there yet: the command says so plainly and lists what works today.
 * It takes no `--port` until it serves something.
 */
export function registerSandboxCommand(program: Command, ctx: CommandContext): void {
  program
    .command('sandbox')
    .description('the sandbox (issuer, phone wallet, verifier and pages in one process) — not available yet')
    .action(() => {
      ctx.out.stderr(
        [
          'mynakit sandbox: the sandbox is not there yet — no issuer, wallet or verifier service runs and',
          'nothing is listening. What works today is the command line:',
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
