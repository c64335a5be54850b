/**
 * The one place tests find the public test vectors. They are not part of the repository (their licences
 * differ and they are shared by several projects): `MYNAKIT_VECTORS_DIR` names the folder, else
 * `../shared/vectors` beside the repository's root.
 *
 * Without them, vector-based tests are skipped with one line saying where the vectors come from — except
 * under `CI=true`, where their absence is a failure: CI must run every standard vector.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { locateVectors, vectorsMissingMessage, vectorsPresent } from './locate.js';

/** Absolute path of the vectors folder (whether or not it exists). */
export const VECTORS_DIR: string = locateVectors();

/** True when the vectors folder is there. */
export const hasVectors: boolean = vectorsPresent(VECTORS_DIR);

// The vitest configuration already skips the files that need the vectors when they are absent; a file
// that gets here anyway fails with the reason instead of an ENOENT deep inside a test.
if (!hasVectors) {
  throw new Error(
    process.env.CI === 'true'
      ? `${vectorsMissingMessage(VECTORS_DIR)} Under CI=true their absence is a failure.`
      : vectorsMissingMessage(VECTORS_DIR),
  );
}

/** Absolute path of a file or folder inside the vectors folder. */
export const vectorPath = (...parts: string[]): string => join(VECTORS_DIR, ...parts);

/** A vector file as text. */
export const vectorText = (...parts: string[]): string => readFileSync(vectorPath(...parts), 'utf8');

/** A vector file of hex text as bytes (whitespace ignored). */
export const vectorHexBytes = (...parts: string[]): Uint8Array =>
  new Uint8Array(Buffer.from(vectorText(...parts).replace(/\s+/g, ''), 'hex'));

/** A JSON vector file. */
export const vectorJson = <T = Record<string, unknown>>(...parts: string[]): T =>
  JSON.parse(vectorText(...parts)) as T;
