/** Where the public test vectors are, without reading them (shared by the tests and the vitest configuration). */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** `MYNAKIT_VECTORS_DIR` when set, else `../shared/vectors` beside the repository's root. */
export function locateVectors(): string {
  const fromEnv = process.env.MYNAKIT_VECTORS_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return isAbsolute(fromEnv) ? fromEnv : resolve(fromEnv);
  return resolve(repositoryRoot, '..', 'shared', 'vectors');
}

/** True when the folder holds the vectors (its README.md is there). */
export const vectorsPresent = (dir: string): boolean => existsSync(join(dir, 'README.md'));

export const vectorsMissingMessage = (dir: string): string =>
  `test vectors not found at ${dir}: the tests that use them are skipped. They are the public vectors (ISO/IEC 18013-5 Annex D, real wallets' responses, x509-limbo, …) kept beside the repository in ../shared/vectors; set MYNAKIT_VECTORS_DIR to use another folder.`;
