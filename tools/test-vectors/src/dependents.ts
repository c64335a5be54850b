/**
 * Which test files need the public vectors: those that import `@mynakit/test-vectors`, directly or
 * through relative imports of helper modules that do. Used by the vitest configuration to skip exactly
 * those files (with one line saying why) in a clone that has no vectors beside it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const SOURCE = /\.(?:ts|mts|js|mjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'reports', '.scratch', 'tmp']);
const IMPORT = /(?:from\s*|import\s*\(?\s*)['"]([^'"]+)['"]/g;

function sourcesUnder(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourcesUnder(path, out);
    else if (SOURCE.test(name)) out.push(path);
  }
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
  ]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Absolute paths of the test files (`*.test.ts`) under `roots` that depend on the vectors. */
export function testFilesNeedingVectors(roots: readonly string[]): string[] {
  const files: string[] = [];
  for (const root of roots) sourcesUnder(resolve(root), files);
  const importers = new Map<string, string[]>();
  const direct: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] as string;
      if (spec === '@mynakit/test-vectors') direct.push(file);
      else if (spec.startsWith('.')) {
        const target = resolveRelative(file, spec);
        if (target !== undefined) {
          const list = importers.get(target) ?? [];
          list.push(file);
          importers.set(target, list);
        }
      }
    }
  }
  const needing = new Set<string>();
  const queue = [...direct];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (needing.has(file)) continue;
    needing.add(file);
    for (const importer of importers.get(file) ?? []) queue.push(importer);
  }
  return [...needing].filter((f) => f.endsWith('.test.ts')).sort();
}
