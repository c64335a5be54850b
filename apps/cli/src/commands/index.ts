import type { Command } from 'commander';
import type { Output } from '../io.js';
import { registerIssuerCommand } from './issuer.js';
import { registerJpkiCommands } from './jpki.js';
import { registerMdocCommands } from './mdoc.js';
import { registerRecordsCommands } from './records.js';
import { registerSandboxCommand } from './sandbox.js';
import { registerVerifierCommand } from './verifier.js';
import { registerWalletCommand } from './wallet.js';

export interface CommandContext {
  out: Output;
  /** Sets the process exit code (verify commands: 0 valid, 1 invalid, 2 undetermined). */
  setExit: (code: number) => void;
}

/** Each command family registers itself here: `mdoc`, `jpki`, later `issuer`, `wallet`, `verifier`, `sandbox`. */
export function registerCommands(program: Command, ctx: CommandContext): void {
  registerMdocCommands(program, ctx);
  registerJpkiCommands(program, ctx);
  registerSandboxCommand(program, ctx);
  registerIssuerCommand(program, ctx);
  registerWalletCommand(program, ctx);
  registerVerifierCommand(program, ctx);
  registerRecordsCommands(program, ctx);
}
