/**
 * A sandbox CA hierarchy in a temporary data directory, made the way the service makes it: the encrypted
 * key files, the PEM certificate store, an explicit `now`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCertificateStore } from '../../src/ca/certificate-store.js';
import { ensureSandboxHierarchy, type SandboxHierarchy } from '../../src/ca/sandbox-hierarchy.js';
import { EncryptedFileKeySource } from '../../src/keys/encrypted-file-key-source.js';

/** The instant the test hierarchies are first created. */
export const CA_EPOCH = new Date('2026-04-01T00:00:00Z');

/** A temporary data directory and a way to remove it. */
export interface TempDataDir {
  readonly path: string;
  remove(): void;
}

/** A fresh temporary data directory. */
export function tempDataDir(): TempDataDir {
  const path = mkdtempSync(join(tmpdir(), 'mynakit-issuer-ca-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Opens the data directory's key source and store (as a new instance would) and ensures the hierarchy. */
export async function sandboxAt(dataDir: string, now: Date = CA_EPOCH): Promise<SandboxHierarchy> {
  const keySource = await EncryptedFileKeySource.open({ dataDir });
  return ensureSandboxHierarchy({ keySource, store: new FileCertificateStore(dataDir), now });
}
