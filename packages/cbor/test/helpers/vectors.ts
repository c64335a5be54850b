import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VECTORS_DIR } from '@mynakit/test-vectors';
import { hexToBytes } from '../../src/index.js';

export const VECTORS = VECTORS_DIR;

export function readHex(path: string): Uint8Array {
  return hexToBytes(readFileSync(join(VECTORS, path), 'utf8'));
}

/** Every real-world wallet DeviceResponse whose bytes contain a non-preferred `b9 0003` map head. */
export function walletResponsesWithWideMapHeads(): string[] {
  const dir = join(VECTORS, 'real-world/wallet-responses');
  return readdirSync(dir)
    .map((d) => join('real-world/wallet-responses', d, 'device_response.hex'))
    .filter((p) => existsSync(join(VECTORS, p)) && readFileSync(join(VECTORS, p), 'utf8').includes('b90003'));
}
