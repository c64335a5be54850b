import type { Command } from 'commander';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './index.js';
import { type RunningService, runService, type ServiceStartOptions } from './service-runner.js';

/**
 * `mynakit verifier [--port N] [--host ADDRESS]` — runs the verifier alone (ARCHITECTURE.md rule 8): relying
 * parties and their verification records, with its data under `<MYNAKIT_DATA_DIR>/verifier/` (SQLite
 * `verifier.sqlite`, the checkpoint key, the operator token, the writer id).
 *
 *   port       --port, else PORT, else 8403 (0: any free port; the log line `listening on …` names it)
 *   database   DATABASE_URL (PostgreSQL, schema verifier); absent: SQLite under the data directory
 *   keys       MYNAKIT_KEK (32 bytes base64url) seals the verifier's secrets; absent: `<dir>/verifier/kek`
 *   platform   MYNAKIT_PLATFORM_STATUS_URL with _CLIENT_ID and _CLIENT_SECRET: the platform operator JPKI
 *              status is asked of for relying parties with `jpkiStatusVia: 'platform-operator'`
 *   inquiry    MYNAKIT_RECORD_INQUIRY_URL with _CLIENT_ID and _CLIENT_SECRET: the issuer whose per-record
 *              status inquiry is asked (POST <url>/inquiry), as each relying party's `revocation.inquiry` says
 */
export const DEFAULT_VERIFIER_PORT = 8403;

interface PlatformOperator {
  origin: string;
  clientId: string;
  clientSecret: string;
}

interface RecordInquiry {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
}

interface VerifierModule {
  startVerifier(
    options: ServiceStartOptions & {
      statusListOrigins?: readonly string[];
      jpkiPlatformOperator?: PlatformOperator;
      recordInquiry?: RecordInquiry;
    },
  ): Promise<RunningService>;
}

/**
 * The issuer's record inquiry from MYNAKIT_RECORD_INQUIRY_URL, _CLIENT_ID and _CLIENT_SECRET: all three or
 * none. The URL is the issuer's identifier (the evidence's `iss`); the secret is never echoed.
 */
function recordInquiryFromEnv(env: NodeJS.ProcessEnv): RecordInquiry | undefined {
  const url = env.MYNAKIT_RECORD_INQUIRY_URL || undefined;
  const clientId = env.MYNAKIT_RECORD_INQUIRY_CLIENT_ID || undefined;
  const clientSecret = env.MYNAKIT_RECORD_INQUIRY_CLIENT_SECRET || undefined;
  if (url === undefined && clientId === undefined && clientSecret === undefined) return undefined;
  if (url === undefined || clientId === undefined || clientSecret === undefined)
    throw new UsageError(
      'MYNAKIT_RECORD_INQUIRY_URL, MYNAKIT_RECORD_INQUIRY_CLIENT_ID and MYNAKIT_RECORD_INQUIRY_CLIENT_SECRET go together',
    );
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('scheme');
  } catch {
    throw new UsageError(`MYNAKIT_RECORD_INQUIRY_URL '${url}' is not an http(s) URL`);
  }
  return { issuerUrl: url, clientId, clientSecret };
}

/**
 * The platform operator from MYNAKIT_PLATFORM_STATUS_URL, _CLIENT_ID and _CLIENT_SECRET: all three or none.
 * The secret is never echoed.
 */
function platformOperatorFromEnv(env: NodeJS.ProcessEnv): PlatformOperator | undefined {
  const url = env.MYNAKIT_PLATFORM_STATUS_URL || undefined;
  const clientId = env.MYNAKIT_PLATFORM_STATUS_CLIENT_ID || undefined;
  const clientSecret = env.MYNAKIT_PLATFORM_STATUS_CLIENT_SECRET || undefined;
  if (url === undefined && clientId === undefined && clientSecret === undefined) return undefined;
  if (url === undefined || clientId === undefined || clientSecret === undefined)
    throw new UsageError(
      'MYNAKIT_PLATFORM_STATUS_URL, MYNAKIT_PLATFORM_STATUS_CLIENT_ID and MYNAKIT_PLATFORM_STATUS_CLIENT_SECRET go together',
    );
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    throw new UsageError(`MYNAKIT_PLATFORM_STATUS_URL '${url}' is not a URL`);
  }
  return { origin, clientId, clientSecret };
}

/** The origins status lists may be fetched from: the issuers given (rule 9: no other outbound request). */
function statusListOrigins(issuerUrls: readonly string[]): string[] {
  const origins: string[] = [];
  for (const url of issuerUrls) {
    try {
      origins.push(new URL(url).origin);
    } catch {
      throw new UsageError(`--issuer-url '${url}' is not a URL`);
    }
  }
  return origins;
}

/** Registers `mynakit verifier`. */
export function registerVerifierCommand(program: Command, ctx: CommandContext): void {
  program
    .command('verifier')
    .description('run the verifier: relying parties and their verification records')
    .option('--port <n>', `TCP port (default: $PORT, else ${DEFAULT_VERIFIER_PORT}; 0 picks a free one)`)
    .option('--host <address>', 'interface to bind', '127.0.0.1')
    .option(
      '--issuer-url <url>',
      'an issuer whose status lists may be fetched (repeatable; default: $MYNAKIT_ISSUER_URL)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        `  PORT              port when --port is not given (default ${DEFAULT_VERIFIER_PORT})`,
        '  MYNAKIT_DATA_DIR  data directory (default .mynakit/); the verifier uses <dir>/verifier/',
        '  DATABASE_URL      PostgreSQL URL (schema verifier); default SQLite <dir>/verifier/verifier.sqlite',
        '  MYNAKIT_ISSUER_URL  the issuer whose status lists may be fetched when --issuer-url is not given;',
        '                    with none, every revocation check is undetermined and the policy decides',
        "  MYNAKIT_KEK       key-encryption key of the verifier's secrets, 32 bytes base64url;",
        '                    default <dir>/verifier/kek',
        '  MYNAKIT_PLATFORM_STATUS_URL, MYNAKIT_PLATFORM_STATUS_CLIENT_ID, MYNAKIT_PLATFORM_STATUS_CLIENT_SECRET',
        '                    the platform operator asked for the JPKI status of relying parties whose',
        "                    jpkiStatusVia is 'platform-operator' (the issuer's POST /platform/certificate-status)",
        '  MYNAKIT_RECORD_INQUIRY_URL, MYNAKIT_RECORD_INQUIRY_CLIENT_ID, MYNAKIT_RECORD_INQUIRY_CLIENT_SECRET',
        '                    the issuer (its URL) whose per-record status inquiry is asked (POST <url>/inquiry),',
        "                    as each relying party's revocation.inquiry says (default: when the list gives no answer)",
        '',
        'The operator token of /relying-parties is in <dir>/verifier/admin-token; checkpoints of the record',
        'chains are signed every minute with the checkpoint key, kept sealed in <dir>/verifier/secrets/',
        '(its public key: <dir>/verifier/checkpoint-key.pub.pem). Stop with Ctrl-C.',
        'Exit codes: 0 stopped, 64 usage error, 70 the port is taken or the verifier could not start.',
        '',
      ].join('\n'),
    )
    .action((opts: { port?: string; host: string; issuerUrl?: string[] }) => {
      const issuers =
        opts.issuerUrl ?? (process.env.MYNAKIT_ISSUER_URL ? [process.env.MYNAKIT_ISSUER_URL] : []);
      const origins = statusListOrigins(issuers);
      const platformOperator = platformOperatorFromEnv(process.env);
      const recordInquiry = recordInquiryFromEnv(process.env);
      return runService(
        {
          name: 'verifier',
          moduleName: '@mynakit/verifier',
          start: (m, o) =>
            (m as VerifierModule).startVerifier({
              ...o,
              statusListOrigins: origins,
              ...(platformOperator === undefined ? {} : { jpkiPlatformOperator: platformOperator }),
              ...(recordInquiry === undefined ? {} : { recordInquiry }),
            }),
          defaultPort: DEFAULT_VERIFIER_PORT,
          portInUseCode: 'VERIFIER_PORT_IN_USE',
        },
        { port: opts.port, host: opts.host } as { port?: string; host: string },
        ctx,
      );
    });
}
