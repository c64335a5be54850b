import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The public test vectors live beside the repository, in `../shared/vectors` from its root. */
const VECTORS = fileURLToPath(new URL('../../../../../shared/vectors/', import.meta.url));

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
