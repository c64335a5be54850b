/**
 * The one place tests find the public test vectors. They are not part of the repository (their licences
 * differ and they are shared by several projects): `MYNAKIT_VECTORS_DIR` names the folder, else
 * `../shared/vectors` beside the repository's root.
 *
 * Without them, vector-based tests are skipped with one line saying where the vectors come from — except
 * under `CI=true`, where their absence is a failure: CI must run every standard vector.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

function locate(): string {
  const fromEnv = process.env.MYNAKIT_VECTORS_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return isAbsolute(fromEnv) ? fromEnv : resolve(fromEnv);
  return resolve(repositoryRoot, '..', 'shared', 'vectors');
}

/** Absolute path of the vectors folder (whether or not it exists). */
export const VECTORS_DIR: string = locate();

/** True when the vectors folder is there (it holds a README.md). */
export const hasVectors: boolean = existsSync(join(VECTORS_DIR, 'README.md'));

export const VECTORS_MISSING_MESSAGE = `test vectors not found at ${VECTORS_DIR}: vector-based tests are skipped. They are the public vectors (ISO/IEC 18013-5 Annex D, real wallets' responses, x509-limbo, …) kept beside the repository in ../shared/vectors; set MYNAKIT_VECTORS_DIR to use another folder.`;

let warned = false;
if (!hasVectors) {
  if (process.env.CI === 'true') {
    throw new Error(`${VECTORS_MISSING_MESSAGE} Under CI=true their absence is a failure.`);
  }
  if (!warned) {
    warned = true;
    process.stderr.write(`${VECTORS_MISSING_MESSAGE}\n`);
  }
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
