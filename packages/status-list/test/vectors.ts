/** Loads the draft-ietf-oauth-status-list-20 example files from the shared vector folder. */
import { readFileSync } from 'node:fs';
import { VECTORS_DIR } from '@mynakit/test-vectors';

const DIR = `${VECTORS_DIR}/token-status-list/`;

export function loadVector<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(DIR + name, 'utf8')) as T;
}

export interface SmallExample {
  bits: 1 | 2 | 4 | 8;
  statuses: number[];
  byteArrayHex: string;
  compressedHex: string;
  lst: string;
  statusListJson: { bits: number; lst: string };
  statusListCborHex: string;
}

export interface LongExample {
  bits: 1 | 2 | 4 | 8;
  size: number;
  nonZeroStatuses: Record<string, string>;
  lst: string;
  statusListCborHex: string;
}

export interface TokenExamples {
  statusListTokenCwt: { hex: string };
  statusListTokenJwt: { compact: string };
  referencedTokenCwt: { hex: string };
  exampleSigningKeyJwk: { kty: string; crv: string; x: string; y: string; d: string; kid: string };
}

export const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
