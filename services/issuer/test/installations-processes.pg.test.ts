/**
 * The one-device rule across two issuer processes sharing one PostgreSQL database and one data directory
 * (keys, CA certificates, card files), through the HTTP routes: both start at once (migrations, the CA
 * hierarchy and seeding race), a card started installations on each, and their certificate requests,
 * sent to the two processes at the same moment, let exactly one installation complete.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/postgres-database.js';
import { readCardFile } from '../src/cards/card-file.js';
import { openIssuerStore } from '../src/store/index.js';
import {
  certificateRequests,
  phoneKeys,
  sandboxAttester,
  signedCardStep,
} from './helpers/installation-fixtures.js';
import { sandboxAt, type TempDataDir, tempDataDir } from './helpers/sandbox-ca.js';

type Json = Record<string, unknown>;

let dir: TempDataDir;
let database: { url: string; drop: () => Promise<void> };
const children: ChildProcess[] = [];
const urls: string[] = [];

function startWorker(): Promise<string> {
  const worker = fileURLToPath(new URL('./server-worker.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', tsx, worker, dir.path, database.url],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let out = '';
  let err = '';
  child.stderr?.on('data', (d) => {
    err += d;
  });
  return new Promise((done, fail) => {
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) done(m[1] as string);
    });
    child.on('close', (code) => fail(new Error(`issuer process ended (${code}): ${err}`)));
  });
}

async function call(
  url: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

beforeAll(async () => {
  dir = tempDataDir();
  database = await createTestDatabase();
  urls.push(...(await Promise.all([startWorker(), startWorker()])));
}, 180_000);
afterAll(async () => {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((done) => {
          if (c.exitCode !== null) return done();
          c.on('close', () => done());
          c.stdin?.end();
          setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  await database?.drop();
  dir?.remove();
});

describe('two issuer processes on one PostgreSQL', () => {
  it('seeded the register once between them', async () => {
    const store = await openIssuerStore({ url: database.url });
    try {
      expect(await store.residents.count()).toBe(10);
      const cards = await store.db.selectFrom('cards').select(['resident_id', 'state']).execute();
      expect(cards).toHaveLength(10);
      expect(new Set(cards.map((c) => c.resident_id)).size).toBe(10);
    } finally {
      await store.close();
    }
  });

  it('lets one of two installations racing through different processes complete', async () => {
    const [a, b] = urls as [string, string];
    const card = await readCardFile(join(dir.path, 'issuer', 'cards', 'sandbox-ordinary-male.json'));
    const started: Json[] = [];
    for (const url of [a, b]) {
      const ch = await call(url, '/installations/challenges');
      const r = await call(
        url,
        '/installations',
        signedCardStep(card, { family: 'android', nonce: ch.json.challengeId as string }, new Date()),
      );
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      started.push(r.json);
    }
    // The hierarchy as the processes use it: the attester's certificate comes from its attestation CA.
    const attester = await sandboxAttester(await sandboxAt(dir.path, new Date()));
    const bodies = await Promise.all(
      started.map((s) =>
        certificateRequests(attester, phoneKeys(), {
          nonce: s.keyAttestationNonce as string,
          iat: new Date(),
          withSign: true,
        }),
      ),
    );
    const results = await Promise.all(
      started.map((s, i) =>
        call(
          i === 0 ? a : b,
          `/installations/${s.installationId}/jpki-certificates`,
          bodies[i],
          s.installationToken as string,
        ),
      ),
    );
    const outcomes = results.map((r) => (r.status === 200 ? 'won' : `${r.status} ${r.json.code}`)).sort();
    expect(outcomes).toEqual(['409 ISSUER_INSTALLATION_CONFLICT', 'won']);

    const store = await openIssuerStore({ url: database.url });
    try {
      const active = await store.credentials.listActiveForResident('sandbox-ordinary-male');
      expect(active).toHaveLength(2);
      expect(new Set(active.map((c) => c.installationId)).size).toBe(1);
      const states = await Promise.all(
        started.map(async (s) => (await store.installations.get(s.installationId as string))?.state),
      );
      expect(states.sort()).toEqual(['active', 'failed']);
    } finally {
      await store.close();
    }
  }, 60_000);
});
