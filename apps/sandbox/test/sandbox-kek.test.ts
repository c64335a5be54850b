/**
 * One key-encryption key for the whole sandbox: with `MYNAKIT_KEK` set, the issuer's signing keys and the
 * verifier's secrets at rest are sealed under it, and neither service writes a key-encryption key of its own.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../src/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'mynakit-sandbox-kek-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the sandbox with MYNAKIT_KEK', () => {
  const kek = randomBytes(32).toString('base64url');

  it("seals the verifier's secrets under the configured key and writes no key of its own", async () => {
    const sandbox = await startSandbox({ port: 0, dataDir, kek, log: () => undefined });
    try {
      expect((await fetch(`${sandbox.url}/`)).status).toBe(200);
    } finally {
      await sandbox.close();
    }
    expect(existsSync(join(dataDir, 'verifier', 'kek'))).toBe(false);
    expect(
      readdirSync(join(dataDir, 'verifier', 'secrets')).filter((f) => f.endsWith('.sealed')).length,
    ).toBeGreaterThan(0);
  });

  it('refuses to start with another key', async () => {
    await expect(
      startSandbox({ port: 0, dataDir, kek: randomBytes(32).toString('base64url'), log: () => undefined }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/WRONG_KEK$/) });
  });
});
