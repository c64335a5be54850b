import { createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { emitReport, renderReportText } from '../io.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './index.js';
import { loadWorkspaceModule } from './service-runner.js';

/**
 * `mynakit records verify [--json] [--checkpoint-key FILE]` and
 * `mynakit records export --from YYYY-MM-DD --to YYYY-MM-DD [--format json|csv] [--relying-party ID]` —
 * the operator's view of the verifier's verification records, on the store the verifier uses:
 * DATABASE_URL (PostgreSQL, schema verifier), else `<MYNAKIT_DATA_DIR>/verifier/verifier.sqlite`.
 *
 * `verify` checks every chain's hashes and links and every signed checkpoint (the public key from
 * `--checkpoint-key`, else `<dir>/verifier/checkpoint-key.pub.pem`): exit 0 when all verify, 1 when a record
 * or checkpoint is broken (the first one is named by chain and seq), 2 when the records could not be read
 * to the end, 70 when the store or the key cannot be opened. `--json` prints one JSON object with a
 * top-level `verdict` on stdout; messages go to stderr.
 *
 * `export` writes the records of an inclusive range of Japan days to stdout, and records the export in the
 * access log (actor `operator`).
 */

interface StoreLike {
  close(): Promise<void>;
}

interface VerifierModule {
  openVerifierStore(options: { url: string; schema?: string }): Promise<StoreLike>;
  verifyRecordChains(
    store: StoreLike,
    options: { checkpointPublicKey: unknown },
  ): Promise<{
    verdict: 'valid' | 'invalid' | 'undetermined';
    checks: readonly {
      id: string;
      status: 'passed' | 'failed' | 'undetermined' | 'warning' | 'skipped';
      detail: string;
    }[];
    firstBroken?: { chainId: string; seq: number; reason: string };
  }>;
  exportRecords(
    store: StoreLike,
    options: {
      relyingPartyId?: string;
      from: string;
      to: string;
      format: 'json' | 'csv';
      actor: string;
      now: number;
    },
  ): Promise<{ body: string; count: number }>;
}

/** Where the verifier's store is, as the service finds it. */
function storeLocation(): { url: string; dataDir: string; sqliteFile?: string } {
  const dataDir = resolve(process.env.MYNAKIT_DATA_DIR || '.mynakit');
  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined) return { url: databaseUrl, dataDir };
  const sqliteFile = join(dataDir, 'verifier', 'verifier.sqlite');
  return { url: `sqlite:${sqliteFile}`, dataDir, sqliteFile };
}

/** Loads the verifier and opens its store; undefined (exit 70 set, message written) when it cannot. */
async function openStore(
  ctx: CommandContext,
  command: string,
): Promise<{ verifier: VerifierModule; store: StoreLike; dataDir: string } | undefined> {
  const fail = (message: string) => {
    ctx.out.stderr(`mynakit records ${command}: ${message}\n`);
    ctx.setExit(EXIT.software);
    return undefined;
  };
  const verifier = await loadWorkspaceModule<VerifierModule>('@mynakit/verifier');
  if (verifier === undefined)
    return fail('the verifier is not installed (it is part of the mynakit repository: run it from a clone).');
  const where = storeLocation();
  // Opening a SQLite file that is not there would create an empty store and call it valid.
  if (where.sqliteFile !== undefined && !existsSync(where.sqliteFile))
    return fail(`no verifier store at ${where.sqliteFile} (set MYNAKIT_DATA_DIR or DATABASE_URL)`);
  try {
    const store = await verifier.openVerifierStore({ url: where.url, schema: 'verifier' });
    return { verifier, store, dataDir: where.dataDir };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return fail(
      `cannot open the verifier store: ${typeof code === 'string' ? `${code}: ` : ''}${(e as Error).message}`,
    );
  }
}

async function verifyCommand(
  o: { json?: boolean; checkpointKey?: string },
  ctx: CommandContext,
): Promise<void> {
  const opened = await openStore(ctx, 'verify');
  if (opened === undefined) return;
  try {
    const keyFile = o.checkpointKey ?? join(opened.dataDir, 'verifier', 'checkpoint-key.pub.pem');
    let checkpointPublicKey: unknown;
    try {
      checkpointPublicKey = createPublicKey(await readFile(keyFile, 'utf8'));
    } catch {
      ctx.out.stderr(
        `mynakit records verify: cannot read the checkpoint public key ${keyFile} (give --checkpoint-key)\n`,
      );
      ctx.setExit(EXIT.software);
      return;
    }
    const report = await opened.verifier.verifyRecordChains(opened.store, { checkpointPublicKey });
    const code = emitReport(report as never, { json: o.json === true }, ctx.out, (r) => {
      const broken = report.firstBroken;
      return `${renderReportText(r)}${broken === undefined ? '' : `first broken: chain ${broken.chainId} seq ${broken.seq}: ${broken.reason}\n`}`;
    });
    if (report.firstBroken !== undefined)
      ctx.out.stderr(
        `records: broken at chain ${report.firstBroken.chainId} seq ${report.firstBroken.seq}\n`,
      );
    ctx.setExit(code);
  } finally {
    await opened.store.close();
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

async function exportCommand(
  o: { from: string; to: string; format: string; relyingParty?: string },
  ctx: CommandContext,
): Promise<void> {
  if (!DAY.test(o.from) || !DAY.test(o.to)) throw new UsageError('--from and --to must be dates YYYY-MM-DD');
  if (o.format !== 'json' && o.format !== 'csv') throw new UsageError("--format must be 'json' or 'csv'");
  const opened = await openStore(ctx, 'export');
  if (opened === undefined) return;
  try {
    const out = await opened.verifier.exportRecords(opened.store, {
      ...(o.relyingParty === undefined ? {} : { relyingPartyId: o.relyingParty }),
      from: o.from,
      to: o.to,
      format: o.format,
      actor: 'operator',
      now: Date.now(),
    });
    ctx.out.stdout(o.format === 'json' ? `${out.body}\n` : out.body);
    ctx.out.stderr(`records: exported ${out.count} record(s)\n`);
    ctx.setExit(0);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'VERIFIER_INVALID_INPUT') throw new UsageError((e as Error).message);
    ctx.out.stderr(
      `mynakit records export: ${typeof code === 'string' ? `${code}: ` : ''}${(e as Error).message}\n`,
    );
    ctx.setExit(EXIT.software);
  } finally {
    await opened.store.close();
  }
}

/** Registers `mynakit records verify` and `mynakit records export`. */
export function registerRecordsCommands(program: Command, ctx: CommandContext): void {
  const records = program
    .command('records')
    .description("the verifier's verification records (確認記録): verify their chains, export them");
  const environment = [
    '',
    'Environment:',
    '  MYNAKIT_DATA_DIR  data directory (default .mynakit/); the store is <dir>/verifier/verifier.sqlite',
    '  DATABASE_URL      PostgreSQL URL (schema verifier) instead of SQLite',
  ];
  records
    .command('verify')
    .description('verify every record chain and signed checkpoint')
    .option('--json', 'print exactly one JSON object on stdout')
    .option(
      '--checkpoint-key <file>',
      'checkpoint public key, PEM (default <dir>/verifier/checkpoint-key.pub.pem)',
    )
    .addHelpText(
      'after',
      [
        ...environment,
        '',
        'Exit codes: 0 every chain and checkpoint verifies, 1 a record or checkpoint is broken (the first is',
        'named by chain and seq), 2 the records could not be read to the end, 64 usage error, 70 the store or',
        'the key cannot be opened.',
        '',
      ].join('\n'),
    )
    .action((o: { json?: boolean; checkpointKey?: string }) => verifyCommand(o, ctx));
  records
    .command('export')
    .description('write the records of a range of days (Japan time) to stdout')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD (inclusive)')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD (inclusive)')
    .option('--format <format>', 'json or csv', 'json')
    .option('--relying-party <id>', 'only this relying party (default: every one)')
    .addHelpText(
      'after',
      [
        ...environment,
        '',
        'The export is recorded in the access log. Exit codes: 0 written, 64 usage error, 70 the store cannot be opened.',
        '',
      ].join('\n'),
    )
    .action((o: { from: string; to: string; format: string; relyingParty?: string }) =>
      exportCommand(o, ctx),
    );
}
