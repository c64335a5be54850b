import { readFileSync } from 'node:fs';
import { VECTORS_DIR } from '@mynakit/test-vectors';

/** The public test vectors, found by @mynakit/test-vectors. */
const VECTORS = `${VECTORS_DIR}/`;

export function vectorText(path: string): string {
  return readFileSync(VECTORS + path, 'utf8');
}

export function vectorHex(path: string): string {
  return vectorText(path).trim().toLowerCase();
}

export function vectorJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(vectorText(path)) as T;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
