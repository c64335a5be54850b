/**
 * OpenSSL 3 CLI as an independent oracle: runs `openssl` in a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OpensslResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutBytes: Buffer;
}

export class OpensslDir {
  readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'mynakit-pki-'));
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  write(name: string, data: string | Uint8Array): string {
    const p = this.path(name);
    writeFileSync(p, data);
    return p;
  }

  run(args: readonly string[], input?: string | Uint8Array): OpensslResult {
    const r = spawnSync('/usr/bin/openssl', args, { cwd: this.dir, input, maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw r.error;
    return {
      status: r.status,
      stdout: r.stdout.toString('utf8'),
      stderr: r.stderr.toString('utf8'),
      stdoutBytes: r.stdout,
    };
  }

  /** Runs and throws with stderr when OpenSSL fails. */
  ok(args: readonly string[], input?: string | Uint8Array): OpensslResult {
    const r = this.run(args, input);
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
    return r;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const epochSeconds = (d: Date): string => String(Math.floor(d.getTime() / 1000));
