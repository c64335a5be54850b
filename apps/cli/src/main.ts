import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { EXIT } from './exit-codes.js';
import { type Output, processOutput } from './io.js';
import { UsageError } from './usage-error.js';

export function buildProgram(out: Output, setExit: (code: number) => void): Command {
  const program = new Command('mynakit')
    .description("Toolkit for Japan's My Number Card on smartphones: card-substitute records (mdoc) and JPKI")
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: out.stdout, writeErr: out.stderr })
    .showHelpAfterError();
  registerCommands(program, { out, setExit });
  // Every subcommand exits through the same override, so commander never calls process.exit itself.
  const override = (cmd: Command) => {
    cmd.exitOverride().configureOutput({ writeOut: out.stdout, writeErr: out.stderr });
    reportUnknownOptionsFirst(cmd);
    for (const c of cmd.commands) override(c);
  };
  override(program);
  return program;
}

/**
 * Commander checks required options before unknown ones, so `verify --respnse x` would only say that
 * `--response` is missing. A misspelt option must be named: required options are checked in a
 * `preAction` hook instead, which commander runs after its unknown-option check.
 */
function reportUnknownOptionsFirst(cmd: Command): void {
  const required = cmd.options.filter((o) => o.mandatory);
  if (required.length === 0) return;
  for (const o of required) o.mandatory = false;
  cmd.hook('preAction', (_thisCommand, actionCommand) => {
    if (actionCommand !== cmd) return;
    const values = cmd.opts();
    for (const o of required) {
      if (values[o.attributeName()] === undefined) {
        cmd.error(`error: required option '${o.flags}' not specified`, {
          code: 'commander.missingMandatoryOptionValue',
          exitCode: 64,
        });
      }
    }
  });
}

/** Runs the CLI and returns its exit code (tests call this directly). */
export async function main(argv: string[], out: Output = processOutput): Promise<number> {
  let code = 0;
  const program = buildProgram(out, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0)
        return 0;
      if (e.code === 'commander.help') return 0;
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      out.stderr(`mynakit: ${e.message}\n`);
      return EXIT.usage;
    }
    out.stderr(`mynakit: internal error: ${(e as Error).message}\n`);
    return EXIT.software;
  }
}
