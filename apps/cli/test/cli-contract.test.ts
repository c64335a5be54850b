import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './capture.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'mynakit.js');

describe('mynakit command line contract', () => {
  it('prints help and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: mynakit');
  });

  it('treats an unknown command as a usage error (64)', async () => {
    const r = await runCli(['no-such-command']);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
  });

  it('treats an unknown option as a usage error (64)', async () => {
    const r = await runCli(['--no-such-option']);
    expect(r.code).toBe(64);
  });

  it('runs as a real process from the bin script', () => {
    const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = spawnSync(process.execPath, [bin, 'no-such-command'], { encoding: 'utf8' });
    expect(bad.status).toBe(64);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('no-such-command');
  });
});
