import { readFileSync } from 'node:fs';
import { VECTORS_DIR } from '@mynakit/test-vectors';

/** The public test vectors, found by @mynakit/test-vectors. */
const VECTORS = `${VECTORS_DIR}/`;

export const vectorText = (path: string): string => readFileSync(VECTORS + path, 'utf8');
export const vectorHex = (path: string): string => vectorText(path).trim().toLowerCase();
export const vectorJson = <T = Record<string, unknown>>(path: string): T => JSON.parse(vectorText(path)) as T;
export const fixtureHex = (path: string): string =>
  readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')
    .trim()
    .toLowerCase();

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
export const sha256Hex = async (b: Uint8Array): Promise<string> =>
  (await import('node:crypto')).createHash('sha256').update(b).digest('hex');
