import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../src/io.js';
import { UsageError } from '../src/usage-error.js';
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

describe('what a new user types wrong', () => {
  it('names a misspelt option even when required options are missing too', async () => {
    const r = await runCli(['mdoc', 'verify', '--respnse', 'x.hex']);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown option '--respnse'");
  });

  it('still reports a missing required option as a usage error', async () => {
    const r = await runCli(['mdoc', 'verify', '--json']);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("required option '--response <file>' not specified");
  });

  it('documents the sandbox command: port, data directory, exit codes', async () => {
    const r = await runCli(['sandbox', '--help']);
    expect(r.code).toBe(0);
    for (const text of ['--port', 'PORT', 'MYNAKIT_DATA_DIR', 'DATABASE_URL', 'Exit codes'])
      expect(r.stdout).toContain(text);
    expect((await runCli(['sandbox', '--port', 'eighty'])).code).toBe(64);
  });
});

describe('--at', () => {
  it.each([
    ['2021-02-30T00:00:00Z', 'is not a calendar date'],
    ['2021-13-01T00:00:00Z', 'is not a calendar date'],
    ['2021-06-01T24:00:00Z', 'is not a time of day'],
    ['2021-06-01T12:00:00', 'has no time zone'],
    ['2021-06-01 12:00', 'has no time zone'],
    ['2021-06-01', 'is not a date-time'],
    ['yesterday', 'is not a date-time'],
  ])('%s is a usage error (%s)', (at, why) => {
    expect(() => parseInstant(at)).toThrow(UsageError);
    expect(() => parseInstant(at)).toThrow(why);
  });

  it.each([
    ['2021-06-01T12:00:00Z', '2021-06-01T12:00:00.000Z'],
    ['2021-06-01T21:00:00+09:00', '2021-06-01T12:00:00.000Z'],
    ['2021-06-01t12:00:00.250z', '2021-06-01T12:00:00.250Z'],
    ['2024-02-29T00:00:00-01:30', '2024-02-29T01:30:00.000Z'],
  ])('%s is the instant %s', (at, iso) => {
    expect(parseInstant(at).toISOString()).toBe(iso);
  });

  it('is a usage error through the command line, with nothing on stdout', async () => {
    const r = await runCli([
      'mdoc',
      'verify',
      '--response',
      'x',
      '--trust',
      'y',
      '--at',
      '2021-02-30T00:00:00Z',
      '--json',
    ]);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('not a calendar date');
  });
});
