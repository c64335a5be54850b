/**
 * `mynakit issuer`: its help and port rules in process; a taken port exits 70 with a plain message; and a
 * real process from the bin script on a seeded data directory — wait for `listening on`, GET /health,
 * SIGTERM, exit 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startIssuer } from '@mynakit/issuer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ISSUER_PORT, parsePort } from '../src/commands/issuer.js';
import { runCli } from './capture.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'mynakit.js');
const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-cli-issuer-'));
let busy: Server;
let busyPort: number;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((done) => busy.close(done));
  rmSync(dataDir, { recursive: true, force: true });
});

function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = new Map(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return fn().finally(() => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

describe('mynakit issuer', () => {
  it('says in --help how the port and the data directory are chosen', async () => {
    const r = await runCli(['issuer', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`default: $PORT, else ${DEFAULT_ISSUER_PORT}`);
    for (const name of ['MYNAKIT_DATA_DIR', 'DATABASE_URL', 'MYNAKIT_KEK', '.mynakit/'])
      expect(r.stdout).toContain(name);
  });

  it('treats a port that is no port as a usage error (64)', async () => {
    expect((await runCli(['issuer', '--port', 'eighty'])).code).toBe(64);
    expect((await runCli(['issuer', '--port', '70000'])).code).toBe(64);
    const fromEnv = await withEnv({ PORT: 'x' }, () => runCli(['issuer']));
    expect(fromEnv.code).toBe(64);
    expect(fromEnv.stderr).toContain("PORT 'x'");
    expect(parsePort('0', '--port')).toBe(0);
  });

  it('exits 70 with a plain message when the port is taken', async () => {
    const r = await withEnv(
      { MYNAKIT_DATA_DIR: dataDir, DATABASE_URL: undefined, MYNAKIT_KEK: undefined },
      () => runCli(['issuer', '--port', String(busyPort)]),
    );
    expect(r.code).toBe(70);
    expect(r.stderr).toContain(`port ${busyPort} on 127.0.0.1 is already in use`);
    expect(r.stdout).toBe('');
  });

  it('runs as a process: listening line, /health, stops on SIGTERM with 0', async () => {
    // Seed the data directory first (cheap PIN verifiers), as a previous start would have.
    const seeded = await startIssuer({ port: 0, dataDir, pinKdf: { N: 1024, r: 8, p: 1 } });
    await seeded.close();

    const child: ChildProcess = spawn(process.execPath, [bin, 'issuer', '--port', '0'], {
      env: { ...process.env, MYNAKIT_DATA_DIR: dataDir, DATABASE_URL: '', MYNAKIT_KEK: '', PORT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    const exited = new Promise<number | null>((done) => child.on('close', done));
    try {
      const url = await new Promise<string>((done, fail) => {
        child.stderr?.on('data', (d) => {
          stderr += d;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
          if (m) done(m[1] as string);
        });
        child.on('close', () => fail(new Error(`the issuer ended early:\n${stderr}`)));
      });
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect(stderr).toContain(join(dataDir, 'issuer', 'cards'));
      const card = JSON.parse(
        readFileSync(join(dataDir, 'issuer', 'cards', 'sandbox-ordinary-male.json'), 'utf8'),
      );
      expect(stderr).not.toContain(card.pins.signaturePassword);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain('SIGTERM received, stopping');
  }, 120_000);

  it('loads the services only when their command runs', () => {
    for (const file of ['issuer.ts', 'sandbox.ts', 'service-runner.ts', 'index.ts']) {
      const source = readFileSync(join(here, '..', 'src', 'commands', file), 'utf8');
      expect(source, file).not.toMatch(/^import[^;]*from '@mynakit\/(issuer|sandbox)'/m);
    }
    const runner = readFileSync(join(here, '..', 'src', 'commands', 'service-runner.ts'), 'utf8');
    expect(runner).toContain('await import(name)');
  });
});
