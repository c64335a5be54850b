/**
 * Every published package's README shows examples that run as written. Each ```js block of a
 * README.md is written to a temporary .mjs file inside the repository (`tmp/readme-examples/`, so its
 * bare `@mynakit/*` imports resolve through the repository's node_modules), run with
 * `node --conditions=source --import tsx` (the `source` condition resolves the workspace packages to
 * their TypeScript sources), and must exit 0 and print exactly the ```text block that follows it.
 *
 * A block whose info string says `cwd=iso-18013-5-annex-d` runs in that vector folder (read-only), so
 * the example can read the ISO/IEC 18013-5 Annex D files by their plain names. Every package except the
 * command line has at least one example, of at most 15 lines.
 *
 * The command line's README shows shell commands instead: every `mynakit …` command it shows must exist,
 * with every flag it uses (checked against the command's own `--help`).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { vectorPath } from '@mynakit/test-vectors';
import { afterAll, describe, expect, it } from 'vitest';
import { PUBLISHED } from '../published-packages.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const work = join(root, 'tmp', 'readme-examples');
// Resolved here, from the repository, so that it also loads when the example runs in a vector folder.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const cli = join(root, 'apps', 'cli', 'bin', 'mynakit.js');

/** The vector folders an example may run in (`cwd=…`). */
const VECTOR_FOLDERS: ReadonlySet<string> = new Set(['iso-18013-5-annex-d']);
const MAX_EXAMPLE_LINES = 15;

interface Fence {
  readonly info: string;
  readonly body: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

interface Example {
  readonly name: string;
  readonly code: string;
  readonly expected: string;
  readonly cwd?: string;
}

/** Fenced code blocks (``` only, not indented) in document order. */
function fences(markdown: string): Fence[] {
  const out: Fence[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S.*)?$/.exec(lines[i] as string);
    if (open === null) continue;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && lines[j] !== '```') body.push(lines[j++] as string);
    if (j >= lines.length) throw new Error(`unclosed code fence at line ${i + 1}`);
    out.push({ info: (open[1] ?? '').trim(), body: body.join('\n'), line: i + 1 });
    i = j;
  }
  return out;
}

function readme(dir: string): string {
  return readFileSync(join(root, dir, 'README.md'), 'utf8');
}

/** The ```js examples of a README, each with the ```text block that must immediately follow it. */
function examplesOf(dir: string): Example[] {
  const all = fences(readme(dir));
  const examples: Example[] = [];
  for (let k = 0; k < all.length; k++) {
    const f = all[k] as Fence;
    const [lang, ...attrs] = f.info.split(/\s+/);
    if (lang !== 'js') continue;
    const next = all[k + 1];
    if (next === undefined || next.info !== 'text')
      throw new Error(`${dir}/README.md:${f.line}: a js example must be followed by a text block`);
    let cwd: string | undefined;
    for (const attr of attrs) {
      const m = /^cwd=(.+)$/.exec(attr);
      if (m === null || !VECTOR_FOLDERS.has(m[1] as string))
        throw new Error(`${dir}/README.md:${f.line}: unknown fence attribute "${attr}"`);
      cwd = m[1] as string;
    }
    examples.push({
      name: `${dir}/README.md:${f.line}`,
      code: f.body,
      expected: next.body,
      ...(cwd === undefined ? {} : { cwd }),
    });
  }
  return examples;
}

const LIBRARIES = PUBLISHED.filter((dir) => dir !== 'apps/cli');
const EXAMPLES = LIBRARIES.flatMap((dir) => examplesOf(dir));

mkdirSync(work, { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('README examples of the published packages', () => {
  it.each(LIBRARIES)('%s has at least one example', (dir) => {
    expect(examplesOf(dir).length).toBeGreaterThan(0);
  });

  it.each(EXAMPLES.map((e) => [e.name, e] as const))(
    '%s is at most 15 lines and imports only what users install',
    (_name, e) => {
      expect(e.code.split('\n').length).toBeLessThanOrEqual(MAX_EXAMPLE_LINES);
      for (const m of e.code.matchAll(/\bfrom\s+'([^']+)'/g)) {
        expect(m[1], 'import a published package or a node: module').toMatch(/^(?:node:|@mynakit\/)/);
      }
    },
  );

  it.concurrent.each(EXAMPLES.map((e, i) => [e.name, e, i] as const))(
    '%s prints what the README says',
    { timeout: 60_000 },
    async (_name, e, i) => {
      const file = join(work, `example-${i}.mjs`);
      writeFileSync(file, `${e.code}\n`);
      const { stdout } = await run(process.execPath, ['--conditions=source', '--import', tsx, file], {
        cwd: e.cwd === undefined ? root : vectorPath(e.cwd),
        encoding: 'utf8',
        maxBuffer: 1 << 20,
        timeout: 50_000,
      });
      expect(stdout.trim()).toBe(e.expected.trim());
    },
  );
});

describe('the command line README', () => {
  /** Every `mynakit …` command in its shell blocks: the subcommand words and the flags. */
  const commands = fences(readme('apps/cli'))
    .filter((f) => f.info === 'sh')
    .flatMap((f) => f.body.replace(/\\\n/g, ' ').split('\n'))
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => /^(?:npx )?mynakit\b/.test(line))
    .map((line) => {
      const words = line.replace(/^npx /, '').split(/\s+/).slice(1);
      const sub: string[] = [];
      for (const w of words) {
        if (!/^[a-z][a-z-]*$/.test(w)) break;
        sub.push(w);
      }
      return { line, sub, flags: words.filter((w) => w.startsWith('-')).map((w) => w.split('=')[0]) };
    });

  it('shows commands', () => {
    expect(commands.length).toBeGreaterThan(0);
  });

  const bySub = new Map<string, string[]>();
  for (const c of commands) {
    const key = c.sub.join(' ');
    bySub.set(key, [...(bySub.get(key) ?? []), ...c.flags]);
  }
  it.each([...bySub].map(([sub, flags]) => [sub === '' ? '(no subcommand)' : sub, sub, flags] as const))(
    'mynakit %s exists with the flags shown',
    { timeout: 60_000 },
    async (_name, sub, flags) => {
      const { stdout } = await run(process.execPath, [cli, ...sub.split(' ').filter(Boolean), '--help'], {
        cwd: root,
        encoding: 'utf8',
      });
      // An unknown subcommand prints the parent's help: the usage line names the command itself.
      expect(stdout).toContain(`Usage: mynakit ${sub}`.trim());
      for (const flag of new Set(flags)) {
        if (flag === '--help' || flag === '-h') continue;
        // An option line of the help: `  --trust <pem>  …` or `  -V, --version  …`.
        expect(stdout, `${flag} of mynakit ${sub}`).toMatch(
          new RegExp(`^\\s+(?:-[A-Za-z], )?${flag}(?:[ ,=]|$)`, 'm'),
        );
      }
    },
  );
});
