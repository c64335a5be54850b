/** The README's support matrix says exactly what the landing page says (one source: support-matrix.ts). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SUPPORT_MATRIX, SUPPORT_MATRIX_CHECKED } from '../src/index.js';

const readme = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'README.md'),
  'utf8',
);

describe('the README support matrix', () => {
  it('has every row of the landing page, in order, and its date', () => {
    const section = readme.slice(readme.indexOf('## What works where'));
    const tableRows = section
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| channel |'))
      .slice(0, SUPPORT_MATRIX.length + 1);
    const expected = SUPPORT_MATRIX.map(
      (r) => `| ${r.channel} (${r.channelJa}) | ${r.iphone} | ${r.android} | ${r.sandbox} |`,
    );
    expect(tableRows.slice(0, expected.length)).toEqual(expected);
    expect(section).toContain(`Last checked ${SUPPORT_MATRIX_CHECKED}`);
  });
});
