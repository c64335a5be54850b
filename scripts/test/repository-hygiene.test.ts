/**
 * A clone placed anywhere must work: no file in the repository may name an absolute path of one
 * machine (a home folder, the folder that holds the checkout). Test data outside the repository is
 * found through @mynakit/test-vectors.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f !== '' && f !== 'package-lock.json');

describe('repository hygiene', () => {
  it('names no absolute path of this machine or of a home folder', () => {
    const parent = `${dirname(root.replace(/\/$/, ''))}/`;
    const patterns = [/\/(?:work|home|Users|root)\/[A-Za-z0-9_.-]/];
    const offenders: string[] = [];
    for (const file of tracked) {
      let text: string;
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        continue; // removed in the working tree
      }
      if (text.includes('\0')) continue; // binary
      if ((parent !== '/' && text.includes(parent)) || patterns.some((p) => p.test(text)))
        offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});

describe('test files that need the public vectors', () => {
  it('are found through their imports, directly or through helper modules', async () => {
    const { testFilesNeedingVectors } = await import('../../tools/test-vectors/src/dependents.js');
    const found = testFilesNeedingVectors([join(root, 'packages'), join(root, 'apps')]).map((f) =>
      f.slice(root.length),
    );
    expect(found).toContain('packages/mdoc/test/annex-d.test.ts'); // through ./vectors.js
    expect(found).toContain('packages/pki/test/vectors.test.ts'); // directly
    expect(found).not.toContain('packages/report/test/report.test.ts');
  });
});
