/**
 * `mynakit verifier` (help, a taken port, a real process from the bin script: listening line, /health,
 * SIGTERM → 0) and `mynakit records verify|export` on a verifier data directory: exit 0 on intact chains,
 * 1 naming the first broken record after an edit in the database, 70 without a store; exports as JSON and
 * CSV on stdout, recorded in the access log.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  appendVerificationRecord,
  es256Signer,
  listRecordAccess,
  openVerifier,
  signCheckpoints,
} from '@mynakit/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_VERIFIER_PORT } from '../src/commands/verifier.js';
import { runCli } from './capture.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'mynakit.js');
const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-cli-verifier-'));
const emptyDir = mkdtempSync(join(tmpdir(), 'mynakit-cli-verifier-empty-'));
let busy: Server;
let busyPort: number;
/** 2026-12-01T03:00:00Z, noon in Japan. */
const T0 = Date.UTC(2026, 11, 1, 3);

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
const inData = <T>(fn: () => Promise<T>) =>
  withEnv({ MYNAKIT_DATA_DIR: dataDir, DATABASE_URL: undefined }, fn);

let firstRecordId: string;
let chainId: string;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
  busyPort = (busy.address() as { port: number }).port;
  // A verifier's data directory with a relying party, three records and a signed checkpoint.
  const opened = await openVerifier({ dataDir, origin: 'http://127.0.0.1:8403', writerId: 'cli' });
  const { relyingParty } = await opened.store.relyingParties.create(
    {
      name: 'Sample Bank',
      clientId: 'x509_san_dns:bank.example',
      law: 'hanshu',
      verificationProgram: { name: 'mynakit', version: '0.1.0' },
    },
    T0,
  );
  for (let i = 0; i < 3; i++) {
    const r = await appendVerificationRecord(opened.store, {
      relyingPartyId: relyingParty.id,
      writerId: 'cli',
      content: { method: 'ル', identity: { name: '試験 花子' }, n: i },
      now: T0 + i,
    });
    if (i === 0) firstRecordId = r.id;
    chainId = r.chainId;
  }
  await signCheckpoints(opened.store, es256Signer(opened.checkpointKey.privateKey), T0 + 10);
  await opened.close();
});
afterAll(async () => {
  await new Promise((done) => busy.close(done));
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(emptyDir, { recursive: true, force: true });
});

describe('mynakit verifier', () => {
  it('says in --help how the port and the data directory are chosen', async () => {
    const r = await runCli(['verifier', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`default: $PORT, else ${DEFAULT_VERIFIER_PORT}`);
    for (const name of ['MYNAKIT_DATA_DIR', 'DATABASE_URL', '.mynakit/']) expect(r.stdout).toContain(name);
  });

  it('names the issuers whose status lists it may fetch; a malformed --issuer-url is a usage error (64)', async () => {
    const help = await runCli(['verifier', '--help']);
    expect(help.stdout).toContain('--issuer-url');
    expect(help.stdout).toContain('MYNAKIT_ISSUER_URL');
    const bad = await runCli(['verifier', '--issuer-url', 'not a url']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--issuer-url');
  });

  it("names the issuer's record inquiry in --help; its three variables go together (64), the secret never echoed", async () => {
    const help = await runCli(['verifier', '--help']);
    expect(help.stdout).toContain('MYNAKIT_RECORD_INQUIRY_URL');
    const saved = { ...process.env };
    try {
      process.env.MYNAKIT_RECORD_INQUIRY_URL = 'http://127.0.0.1:8401';
      process.env.MYNAKIT_RECORD_INQUIRY_CLIENT_SECRET = 'secret-never-echoed';
      const partial = await runCli(['verifier', '--port', '0']);
      expect(partial.code).toBe(64);
      expect(partial.stderr).toContain('MYNAKIT_RECORD_INQUIRY_CLIENT_ID');
      process.env.MYNAKIT_RECORD_INQUIRY_URL = 'ftp://issuer.example';
      process.env.MYNAKIT_RECORD_INQUIRY_CLIENT_ID = 'client';
      const scheme = await runCli(['verifier', '--port', '0']);
      expect(scheme.code).toBe(64);
      expect(scheme.stderr).toContain('MYNAKIT_RECORD_INQUIRY_URL');
      expect(partial.stderr + scheme.stderr).not.toContain('secret-never-echoed');
    } finally {
      for (const name of [
        'MYNAKIT_RECORD_INQUIRY_URL',
        'MYNAKIT_RECORD_INQUIRY_CLIENT_ID',
        'MYNAKIT_RECORD_INQUIRY_CLIENT_SECRET',
      ])
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
    }
  });

  it('exits 70 with a plain message when the port is taken', async () => {
    const r = await inData(() => runCli(['verifier', '--port', String(busyPort)]));
    expect(r.code).toBe(70);
    expect(r.stderr).toContain(`port ${busyPort} on 127.0.0.1 is already in use`);
  });

  it('runs as a process: listening line, /health, stops on SIGTERM with 0', async () => {
    const child = spawn(process.execPath, [bin, 'verifier', '--port', '0'], {
      env: { ...process.env, MYNAKIT_DATA_DIR: dataDir, DATABASE_URL: '', PORT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('close', done));
    try {
      const url = await new Promise<string>((done, fail) => {
        child.stderr?.on('data', (d) => {
          stderr += d;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
          if (m) done(m[1] as string);
        });
        child.on('close', () => fail(new Error(`the verifier ended early:\n${stderr}`)));
      });
      expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
      // Sessions need a relying party's API key.
      const sessions = await fetch(`${url}/sessions`, { method: 'POST' });
      expect(sessions.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/verifier: writer w-[0-9a-f]{16}/);
  }, 120_000);

  it('loads the verifier only when its commands run', () => {
    for (const file of ['verifier.ts', 'records.ts']) {
      const source = readFileSync(join(here, '..', 'src', 'commands', file), 'utf8');
      expect(source).not.toMatch(/^import[^;]*from '@mynakit\/verifier'/m);
    }
  });
});

describe('mynakit records', () => {
  it('verify: exits 0 with one JSON object whose verdict is valid', async () => {
    const r = await inData(() => runCli(['records', 'verify', '--json']));
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { verdict: string; checks: { id: string; status: string }[] };
    expect(report.verdict).toBe('valid');
    expect(report.checks.find((c) => c.id === 'checkpoint.head')?.status).toBe('passed');
    const text = await inData(() => runCli(['records', 'verify']));
    expect(text.stdout).toContain('verdict: valid');
  });

  it('export: writes JSON and CSV to stdout and records each export', async () => {
    const json = await inData(() =>
      runCli(['records', 'export', '--from', '2026-12-01', '--to', '2026-12-01']),
    );
    expect(json.code, json.stderr).toBe(0);
    const body = JSON.parse(json.stdout) as { records: { id: string }[] };
    expect(body.records).toHaveLength(3);
    expect(body.records[0]?.id).toBe(firstRecordId);
    const csv = await inData(() =>
      runCli(['records', 'export', '--from', '2026-12-01', '--to', '2026-12-01', '--format', 'csv']),
    );
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^id,relying_party_id,chain_id,seq,/);
    expect(csv.stdout.trimEnd().split('\r\n')).toHaveLength(4);
    const bad = await inData(() =>
      runCli(['records', 'export', '--from', '2026-13-01', '--to', '2026-12-01']),
    );
    expect(bad.code).toBe(64);
    const noTo = await inData(() => runCli(['records', 'export', '--from', '2026-12-01']));
    expect(noTo.code).toBe(64);
    const { openVerifierStore } = await import('@mynakit/verifier');
    const store = await openVerifierStore({ url: `sqlite:${join(dataDir, 'verifier', 'verifier.sqlite')}` });
    try {
      const log = await listRecordAccess(store);
      expect(
        log.filter((e) => e.actor === 'operator' && e.action === 'export').map((e) => e.recordCount),
      ).toEqual([3, 3]);
    } finally {
      await store.close();
    }
  });

  it('verify: exits 70 when there is no store', async () => {
    const r = await withEnv({ MYNAKIT_DATA_DIR: emptyDir, DATABASE_URL: undefined }, () =>
      runCli(['records', 'verify', '--json']),
    );
    expect(r.code).toBe(70);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no verifier store');
  });

  it('verify: exits 1 naming the first broken record after its content was edited in the database', async () => {
    const { openVerifierStore } = await import('@mynakit/verifier');
    const store = await openVerifierStore({ url: `sqlite:${join(dataDir, 'verifier', 'verifier.sqlite')}` });
    try {
      await store.db
        .updateTable('verification_records')
        .set({ content: JSON.stringify({ method: 'ル', identity: { name: '別人' }, n: 0 }) })
        .where('id', '=', firstRecordId)
        .execute();
    } finally {
      await store.close();
    }
    const r = await inData(() => runCli(['records', 'verify', '--json']));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { verdict: string; firstBroken: { chainId: string; seq: number } };
    expect(report.verdict).toBe('invalid');
    expect(report.firstBroken).toMatchObject({ chainId, seq: 1 });
    expect(r.stdout).not.toContain('別人');
    const text = await inData(() => runCli(['records', 'verify']));
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`first broken: chain ${chainId} seq 1`);
  });
});
