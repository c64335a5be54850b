/**
 * startVerifier: a taken port fails at once with VERIFIER_PORT_IN_USE; a start creates the checkpoint key
 * (sealed, owner-only file) and operator token under `<dataDir>/verifier/`, answers /health, and signs a checkpoint
 * of the chains at close; a second start reads the same key and writer id.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendVerificationRecord } from '../src/records/record-chains.js';
import { verifyRecordChains } from '../src/records/verify-chains.js';
import { startVerifier } from '../src/server.js';
import { openVerifierStore } from '../src/store/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-verifier-start-'));
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

describe('startVerifier', () => {
  it('fails with VERIFIER_PORT_IN_USE on a taken port, before opening anything', async () => {
    const dir = join(dataDir, 'never');
    await expect(startVerifier({ port: busyPort, dataDir: dir })).rejects.toMatchObject({
      code: 'VERIFIER_PORT_IN_USE',
    });
    expect(() => statSync(dir)).toThrow();
  });

  it('starts, serves, signs checkpoints at close, and starts again with the same key and writer', async () => {
    const lines: string[] = [];
    const first = await startVerifier({
      port: 0,
      dataDir,
      log: (l) => lines.push(l),
      checkpointIntervalMs: 0,
    });
    expect(await (await fetch(`${first.url}/health`)).json()).toEqual({ status: 'ok' });
    // The checkpoint key is kept sealed (owner-only file); no plain PEM of it is written.
    const key = join(dataDir, 'verifier', 'secrets', 'checkpoint-key.sealed');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(() => statSync(join(dataDir, 'verifier', 'checkpoint-key.pem'))).toThrow();
    expect(statSync(join(dataDir, 'verifier', 'admin-token')).mode & 0o777).toBe(0o600);
    const { relyingParty } = await first.store.relyingParties.create(
      {
        name: 'Clinic',
        clientId: 'x509_san_dns:clinic.example',
        law: 'none',
        verificationProgram: { name: 'mynakit', version: '0.1.0' },
      },
      Date.now(),
    );
    await appendVerificationRecord(first.store, {
      relyingPartyId: relyingParty.id,
      writerId: first.writerId,
      content: { method: 'card-substitute-record' },
      now: Date.now(),
    });
    const publicKey = first.checkpointKey.publicKey;
    await first.close();
    expect(lines.some((l) => l.startsWith('verifier: signed 1 checkpoint'))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/mvk_/);

    const second = await startVerifier({ port: 0, dataDir, checkpointIntervalMs: 0 });
    expect(second.writerId).toBe(first.writerId);
    expect(second.checkpointKey.publicKey.export({ format: 'jwk' })).toEqual(
      publicKey.export({ format: 'jwk' }),
    );
    await second.close();

    const store = await openVerifierStore({ url: `sqlite:${join(dataDir, 'verifier', 'verifier.sqlite')}` });
    try {
      const report = await verifyRecordChains(store, { checkpointPublicKey: publicKey });
      expect(report.verdict).toBe('valid');
      expect(report.checks.find((c) => c.id === 'checkpoint.coverage')?.status).toBe('passed');
    } finally {
      await store.close();
    }
  });
});
