/**
 * The set-up the sandbox's page tests share: a sandbox on a free port in a temporary data directory, form
 * posts as a browser sends them (no redirects followed, an optional cookie), and the two phones installed
 * the way each family does it — the iPhone-like phone gets the record and both certificates at once, the
 * Android-like phone its JPKI certificates first and then the record.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../src/index.js';

/** The residents and the secrets the two phones are installed with. */
export const TWO_PHONES = {
  iphoneHolder: 'sandbox-ordinary-female',
  androidHolder: 'sandbox-ordinary-male',
  iphonePin: '1357',
  iphonePassword: 'IPHONE2026',
  androidPin: '2468',
  androidPassword: 'ANDROID2026',
} as const;

/** A started sandbox and the ways a test talks to its pages. */
export interface PageClient {
  readonly sandbox: RunningSandbox;
  readonly dataDir: string;
  get(path: string, cookie?: string): Promise<Response>;
  form(path: string, fields: Record<string, string>, cookie?: string): Promise<Response>;
  close(): Promise<void>;
}

/** Starts a sandbox in a fresh temporary directory named after `prefix`. */
export async function startPageClient(prefix: string): Promise<PageClient> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const sandbox = await startSandbox({ port: 0, dataDir, log: () => undefined });
  const get = (path: string, cookie?: string) =>
    fetch(`${sandbox.url}${path}`, { headers: cookie === undefined ? {} : { cookie } });
  const form = (path: string, fields: Record<string, string>, cookie?: string) =>
    fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie === undefined ? {} : { cookie }),
      },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
  return {
    sandbox,
    dataDir,
    get,
    form,
    close: async () => {
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Installs the iPhone holder's card on the iPhone, and the Android holder's on the Android phone. */
export async function installTwoPhones(client: PageClient): Promise<void> {
  const p = TWO_PHONES;
  const iphone = await client.form('/wallet/phones/iphone/install', {
    residentId: p.iphoneHolder,
    newAuthPin: p.iphonePin,
    newAuthPinAgain: p.iphonePin,
    newSignaturePassword: p.iphonePassword,
    newSignaturePasswordAgain: p.iphonePassword,
    liveness: 'confirmed',
  });
  expect(iphone.status).toBe(303);
  const android = await client.form('/wallet/phones/android/install', {
    residentId: p.androidHolder,
    newAuthPin: p.androidPin,
    newAuthPinAgain: p.androidPin,
    newSignaturePassword: p.androidPassword,
    newSignaturePasswordAgain: p.androidPassword,
    liveness: 'confirmed',
  });
  expect(android.status).toBe(303);
  expect((await client.form('/wallet/phones/android/record', { biometric: 'matched' })).status).toBe(303);
}
