import type { Output } from '../src/io.js';
import { main } from '../src/main.js';

/** Runs the CLI in-process and captures its two streams and exit code. */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out: Output = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  };
  const code = await main(['node', 'mynakit', ...args], out);
  return { code, stdout, stderr };
}
