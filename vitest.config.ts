import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { testFilesNeedingVectors } from './tools/test-vectors/src/dependents.js';
import { locateVectors, vectorsMissingMessage, vectorsPresent } from './tools/test-vectors/src/locate.js';

// Three projects split by file suffix: unit (`*.test.ts`), PostgreSQL (`*.pg.test.ts`, a throwaway
// cluster started from the system binaries) and browser end-to-end (`*.e2e.test.ts`, Debian Chromium).
const exclude = ['**/node_modules/**', '**/dist/**'];

// The public vectors live beside the repository. In a clone without them the files that need them are
// skipped with one line saying so — except under CI=true, where those files run and fail loudly.
const vectorsDir = locateVectors();
const withoutVectors: string[] = [];
if (!vectorsPresent(vectorsDir) && process.env.CI !== 'true') {
  const root = fileURLToPath(new URL('.', import.meta.url));
  for (const file of testFilesNeedingVectors(['packages', 'services', 'apps', 'bench', 'scripts', 'test'])) {
    withoutVectors.push(relative(root, resolve(root, file)));
  }
  // vitest evaluates this file more than once in one process: say it once.
  if (process.env.MYNAKIT_VECTORS_NOTICE !== '1') {
    process.env.MYNAKIT_VECTORS_NOTICE = '1';
    process.stderr.write(`${vectorsMissingMessage(vectorsDir)} (${withoutVectors.length} test files)\n`);
  }
}

export default defineConfig({
  // Inside the repository every workspace package runs from its TypeScript sources (the `source` export
  // condition); users of the published packages get `dist/`.
  resolve: { conditions: ['source', 'module', 'node', 'development|production'] },
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'development|production'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/**/*.test.ts',
            'services/**/*.test.ts',
            'apps/**/*.test.ts',
            'bench/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          exclude: [...exclude, ...withoutVectors, '**/*.pg.test.ts', '**/*.e2e.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'pg',
          include: ['**/*.pg.test.ts'],
          exclude,
          globalSetup: ['test/helpers/postgres-global-setup.ts'],
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['**/*.e2e.test.ts'],
          exclude,
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
