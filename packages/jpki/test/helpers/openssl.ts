import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The OpenSSL 3 CLI: the independent oracle of these tests. */
export const OPENSSL = '/usr/bin/openssl';

export function openssl(args: string[], options: { input?: Uint8Array | string; cwd?: string } = {}): Buffer {
  return execFileSync(OPENSSL, args, {
    input: options.input,
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Runs OpenSSL and returns exit status and output instead of throwing. */
export function opensslStatus(
  args: string[],
  options: { input?: Uint8Array | string; cwd?: string } = {},
): { status: number; stdout: string; stderr: string } {
  try {
    const stdout = openssl(args, options).toString('utf8');
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status?: number; stdout?: Buffer; stderr?: Buffer };
    return {
      status: err.status ?? -1,
      stdout: err.stdout?.toString('utf8') ?? '',
      stderr: err.stderr?.toString('utf8') ?? '',
    };
  }
}

export interface TempDir {
  readonly path: string;
  file(name: string): string;
  write(name: string, data: Uint8Array | string): string;
  read(name: string): Uint8Array;
  remove(): void;
}

export function tempDir(prefix = 'mynakit-jpki-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    write: (name, data) => {
      const p = join(path, name);
      writeFileSync(p, data);
      return p;
    },
    read: (name) => new Uint8Array(readFileSync(join(path, name))),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
