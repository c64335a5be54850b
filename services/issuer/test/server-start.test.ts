/**
 * startIssuer as a process would run it: port 0, a temporary data directory, SQLite; /health and
 * /openapi.json over real HTTP; the first start seeds the test residents and their card files, a restart
 * reuses them; a taken port is ISSUER_PORT_IN_USE; the log names where the card files are and nothing secret.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCardFile } from '../src/cards/card-file.js';
import type { IssuerError } from '../src/errors.js';
import { SEED_RESIDENTS } from '../src/residents/seed-residents.js';
import { type RunningIssuer, startIssuer } from '../src/server.js';
import { TEST_PIN_KDF } from './helpers/installation-fixtures.js';
import { type TempDataDir, tempDataDir } from './helpers/sandbox-ca.js';

let dir: TempDataDir;
let issuer: RunningIssuer | undefined;
const lines: string[] = [];
beforeAll(async () => {
  dir = tempDataDir();
  issuer = await startIssuer({ port: 0, dataDir: dir.path, log: (l) => lines.push(l), pinKdf: TEST_PIN_KDF });
}, 120_000);
afterAll(async () => {
  await issuer?.close();
  dir.remove();
});

describe('startIssuer', () => {
  it('serves /health and /openapi.json on loopback, the origin being http://127.0.0.1:<port>', async () => {
    const running = issuer as RunningIssuer;
    expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
    expect(running.port).toBeGreaterThan(0);
    const health = await fetch(`${running.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const doc = (await (await fetch(`${running.url}/openapi.json`)).json()) as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers[0]?.url).toBe(running.url);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/installations', '/residents']));
    const ch = await fetch(`${running.url}/installations/challenges`, { method: 'POST' });
    expect(ch.status).toBe(201);
    expect(ch.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps its data under <dataDir>/issuer and seeds the test residents with card files at first start', async () => {
    const running = issuer as RunningIssuer;
    expect(statSync(join(dir.path, 'issuer', 'issuer.sqlite')).isFile()).toBe(true);
    expect(running.cardDirectory).toBe(join(dir.path, 'issuer', 'cards'));
    expect(running.seed).toMatchObject({
      seededResidents: SEED_RESIDENTS.length,
      issuedCards: SEED_RESIDENTS.length,
    });
    const file = running.seed.cardFiles.get('sandbox-ordinary-female') as string;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const card = await readCardFile(file);
    // The log says where the card files are, and nothing of them.
    const log = lines.join('\n');
    expect(log).toContain(running.cardDirectory);
    expect(log).toContain(`listening on ${running.url}`);
    expect(log).not.toContain(card.pins.signaturePassword as string);
    expect(log).not.toContain('PRIVATE KEY');
    // The operator token was created once, private, and opens /residents.
    expect(running.adminTokenFile).toBe(join(dir.path, 'issuer', 'admin-token'));
    expect(statSync(running.adminTokenFile as string).mode & 0o777).toBe(0o600);
    const token = readFileSync(running.adminTokenFile as string, 'utf8').trim();
    expect(log).not.toContain(token);
    const list = await fetch(`${running.url}/residents?limit=2`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(list.status).toBe(200);
    expect((await fetch(`${running.url}/residents`)).status).toBe(401);
  });

  it('refuses a port in use with ISSUER_PORT_IN_USE, before touching the data directory', async () => {
    const other = tempDataDir();
    try {
      const err = await startIssuer({ port: (issuer as RunningIssuer).port, dataDir: other.path }).then(
        () => undefined,
        (e: IssuerError) => e,
      );
      expect(err?.code).toBe('ISSUER_PORT_IN_USE');
    } finally {
      other.remove();
    }
  });

  it('restarts on the same data directory reusing the residents, their cards and files', async () => {
    const before = await readCardFile(
      (issuer as RunningIssuer).seed.cardFiles.get('sandbox-under-15') as string,
    );
    await issuer?.close();
    issuer = undefined;
    const again = await startIssuer({ port: 0, dataDir: dir.path, pinKdf: TEST_PIN_KDF });
    try {
      expect(again.seed).toMatchObject({ seededResidents: 0, issuedCards: 0, missingCardFiles: [] });
      const after = await readCardFile(again.seed.cardFiles.get('sandbox-under-15') as string);
      expect(after.cardId).toBe(before.cardId);
      expect((await fetch(`${again.url}/health`)).status).toBe(200);
    } finally {
      await again.close();
    }
    await expect(fetch(`${again.url}/health`)).rejects.toThrow();
  }, 60_000);
});
