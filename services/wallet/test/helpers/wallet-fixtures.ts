/**
 * What the wallet tests share: temporary data directories, the sandbox CA hierarchy made the way the
 * issuer makes it (for the platform attestation CA and its roots), and phones opened on them with cheap
 * PIN verifiers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EncryptedFileKeySource,
  ensureSandboxHierarchy,
  FileCertificateStore,
  type SandboxHierarchy,
} from '@mynakit/issuer';
import {
  type OpenWalletDeviceOptions,
  openWalletDevice,
  type PlatformAttestation,
  sandboxPlatformAttestation,
  type WalletDevice,
} from '../../src/index.js';

/** scrypt for test verifiers: cheap (the rules are what matter here). */
export const TEST_KDF = { N: 1024, r: 8, p: 1 } as const;

/** The instant the test hierarchies are created. */
export const CA_EPOCH = new Date('2026-04-01T00:00:00Z');

/** A temporary directory and a way to remove it. */
export interface TempDir {
  readonly path: string;
  remove(): void;
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'mynakit-wallet-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The sandbox hierarchy in `dataDir` at CA_EPOCH. */
export async function hierarchyAt(dataDir: string, now: Date = CA_EPOCH): Promise<SandboxHierarchy> {
  const keySource = await EncryptedFileKeySource.open({ dataDir });
  return ensureSandboxHierarchy({ keySource, store: new FileCertificateStore(dataDir), now });
}

/** The sandbox platform attester of a hierarchy. */
export function attestationOf(h: SandboxHierarchy): Promise<PlatformAttestation> {
  return sandboxPlatformAttestation(h.attestation.ca);
}

/** Opens a phone with cheap verifiers. */
export function testDevice(
  options: Partial<OpenWalletDeviceOptions> & { dataDir: string; deviceId: string },
): Promise<WalletDevice> {
  return openWalletDevice({ family: 'iphone', pinKdf: TEST_KDF, ...options });
}
