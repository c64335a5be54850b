import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hexToBytes } from '@mynakit/cbor';
import { VECTORS_DIR } from '@mynakit/test-vectors';

export const VECTORS = VECTORS_DIR;
export const readHex = (path: string): Uint8Array => hexToBytes(readFileSync(join(VECTORS, path), 'utf8'));
export const readText = (path: string): string => readFileSync(join(VECTORS, path), 'utf8');
export const hexToB64url = (hex: string): string => Buffer.from(hex, 'hex').toString('base64url');

export async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
    return 'no error';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}
