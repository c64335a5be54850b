/**
 * The per-device key-encryption key (KEK) of the sandbox secure area: 32 random bytes in
 * `<deviceDir>/kek`, mode 0600, created once (exclusive create, so two openers agree on the first one).
 * A real phone has no such file: its keys never leave the secure element. Keep the KEK apart from the
 * data folder in anything but a throwaway sandbox (or pass one in).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WalletError } from '../errors.js';

/** Bytes of an AES-256 key. */
export const KEK_BYTES = 32;

/** Reads the device's KEK, creating it at the first call. */
export async function readOrCreateKek(deviceDir: string): Promise<Uint8Array> {
  const path = join(deviceDir, 'kek');
  await mkdir(deviceDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, randomBytes(KEK_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const kek = new Uint8Array(await readFile(path));
  if (kek.length !== KEK_BYTES)
    throw new WalletError('WALLET_KEY_CORRUPT', 'the key-encryption key file is not 32 bytes');
  return kek;
}
