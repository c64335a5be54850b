/**
 * `mynakit wallet`: its help, a taken port (exit 70), and a real process from the bin script with no issuer
 * configured and then with an unreachable one — `/` (the phone page) answers 200 and `/overview`, which the
 * page shows, says which; SIGTERM exits 0.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WALLET_PORT } from '../src/commands/wallet.js';
import { runCli } from './capture.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'mynakit.js');
const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-cli-wallet-'));
let busy: Server;
let busyPort: number;
// The busy port accepts and never answers; its sockets are ended here (unread data keeps them open).
const accepted = new Set<Socket>();

beforeAll(async () => {
  busy = createServer((socket) => accepted.add(socket));
  await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of accepted) socket.destroy();
  await new Promise((done) => busy.close(done));
  rmSync(dataDir, { recursive: true, force: true });
});

async function runWallet(
  args: string[],
  env: Record<string, string>,
): Promise<{ page: string; issuer: string; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [bin, 'wallet', '--port', '0', ...args], {
    env: {
      ...process.env,
      MYNAKIT_DATA_DIR: dataDir,
      DATABASE_URL: '',
      PORT: '',
      MYNAKIT_ISSUER_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.on('close', done));
  let page = '';
  let issuer = '';
  try {
    const url = await new Promise<string>((done, fail) => {
      child.stderr?.on('data', (d) => {
        stderr += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
        if (m) done(m[1] as string);
      });
      child.on('close', () => fail(new Error(`the wallet ended early:\n${stderr}`)));
    });
    const home = await fetch(`${url}/`);
    expect(home.status).toBe(200);
    page = await home.text();
    issuer = ((await (await fetch(`${url}/overview`)).json()) as { issuer: { state: string } }).issuer.state;
  } finally {
    child.kill('SIGTERM');
  }
  return { page, issuer, stderr, code: await exited };
}

describe('mynakit wallet', () => {
  it('says in --help how the port, the data directory and the issuer are chosen', async () => {
    const r = await runCli(['wallet', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`default: $PORT, else ${DEFAULT_WALLET_PORT}`);
    for (const name of ['MYNAKIT_DATA_DIR', 'MYNAKIT_ISSUER_URL', 'DATABASE_URL', '--issuer-url'])
      expect(r.stdout).toContain(name);
  });

  it('exits 70 with a plain message when the port is taken', async () => {
    const r = await runCli(['wallet', '--port', String(busyPort)]);
    expect(r.code).toBe(70);
    expect(r.stderr).toContain(`port ${busyPort} on 127.0.0.1 is already in use`);
  });

  it('serves / with no issuer configured, then with an unreachable one, and stops on SIGTERM with 0', async () => {
    const alone = await runWallet([], {});
    expect(alone.page).toContain('lang="ja"');
    expect(alone.issuer).toBe('not-configured');
    expect(alone.code).toBe(0);
    expect(alone.stderr).toContain('no issuer configured');

    // The busy port accepts TCP but speaks no HTTP: the issuer is unreachable, the page still answers.
    const away = await runWallet([], { MYNAKIT_ISSUER_URL: `http://127.0.0.1:${busyPort}` });
    expect(away.issuer).toBe('unreachable');
    expect(away.code).toBe(0);
  }, 120_000);

  it('loads the wallet only when its command runs', () => {
    const source = readFileSync(join(here, '..', 'src', 'commands', 'wallet.ts'), 'utf8');
    expect(source).not.toMatch(/^import[^;]*from '@mynakit\/wallet'/m);
  });
});
