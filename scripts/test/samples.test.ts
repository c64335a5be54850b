/**
 * The command-line examples of the root README.md run as written. `npm run samples` (scripts/make-samples.ts,
 * here into a temporary folder) makes their inputs; each example, run in that folder exactly as the
 * README shows it, prints one JSON object with `"verdict":"valid"` and exits 0.
 *
 * The README's `mynakit mdoc verify` / `mynakit jpki verify` commands are read from its ```sh blocks and
 * must be exactly the ones run here (same flags, same values, same order), after `npm run samples` and
 * `cd samples` in the same block — so the README cannot drift from what works.
 *
 * The other sample files are checked too: the status list, the IssuerSigned (`--issuer-signed-only`,
 * never valid) and the CRL.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../apps/cli/test/capture.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'apps', 'cli', 'bin', 'mynakit.js');
const SAMPLES_SCRIPT = 'node --conditions=source --import tsx scripts/make-samples.ts';
const AT = '2026-01-01T00:00:00Z';

/** The README's examples, as arguments of `mynakit`, run in the samples folder. */
const MDOC_VERIFY = [
  'mdoc',
  'verify',
  '--response',
  'resp.hex',
  '--transcript',
  'st.hex',
  '--trust',
  'iaca.pem',
  '--at',
  AT,
  '--json',
];
const JPKI_VERIFY = [
  'jpki',
  'verify',
  '--signature',
  'doc.p7s',
  '--content',
  'doc.pdf',
  '--trust',
  'jpki-ca.pem',
  '--ocsp',
  'resp.der',
  '--at',
  AT,
  '--profile',
  'jpki-sign',
  '--json',
];
const README_COMMANDS = [MDOC_VERIFY, JPKI_VERIFY];

const FILES = [
  'iaca.pem',
  'resp.hex',
  'st.hex',
  'issuer-signed.hex',
  'status-list.cwt',
  'jpki-ca.pem',
  'doc.pdf',
  'doc.p7s',
  'crl.der',
  'resp.der',
];

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...args], { cwd, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The lines of the ```sh blocks of a Markdown text, one array of lines per block. */
function shBlocks(markdown: string): string[][] {
  const blocks: string[][] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(sh|bash|shell)\s*$/.test(lines[i] as string)) continue;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && lines[j] !== '```') body.push(lines[j++] as string);
    blocks.push(body);
    i = j;
  }
  return blocks;
}

/** A shell line as words, without a trailing `# comment`. */
const words = (line: string): string[] =>
  line
    .replace(/\s+#.*$/, '')
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');

let dir: string;
let made: Run;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mynakit-samples-'));
  // The npm script itself, with the output folder as its argument.
  const [node, ...args] = words(SAMPLES_SCRIPT);
  expect(node).toBe('node');
  made = await run([...args, dir], root);
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run samples', () => {
  it('is the root package.json script, writing every sample file into the folder it is given', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.samples).toBe(SAMPLES_SCRIPT);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    for (const f of FILES) expect(existsSync(join(dir, f)), f).toBe(true);
  });

  it('keeps My Number out of the record', () => {
    expect(readFileSync(join(dir, 'issuer-signed.hex'), 'utf8')).not.toContain(
      Buffer.from('individual_number_unicode').toString('hex'),
    );
  });
});

describe('the README command-line examples', () => {
  it('are exactly the commands run here, after `npm run samples` and `cd samples`', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const found: string[][] = [];
    for (const block of shBlocks(readme)) {
      const commands = block.map(words);
      const at = commands.findIndex((w) => w[0] === 'npx' && w[1] === 'mynakit' && w[3] === 'verify');
      if (at < 0) continue;
      const before = commands.slice(0, at).map((w) => w.join(' '));
      expect(before).toContain('npm run samples');
      expect(before.indexOf('cd samples')).toBeGreaterThan(before.indexOf('npm run samples'));
      for (const w of commands.slice(at))
        if (w[0] === 'npx' && w[1] === 'mynakit' && w[3] === 'verify') found.push(w.slice(2));
    }
    expect(found).toEqual(README_COMMANDS);
  });

  it.each([
    ['mdoc verify', MDOC_VERIFY],
    ['jpki verify', JPKI_VERIFY],
  ])(
    'mynakit %s prints "verdict":"valid" and exits 0',
    async (_name, args) => {
      const r = await run([cli, ...args], dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toContain('"verdict":"valid"');
    },
    60_000,
  );
});

describe('the other sample files', () => {
  const inDir = (args: readonly string[]) => args.map((a) => (FILES.includes(a) ? join(dir, a) : a));
  const statusOf = (stdout: string, id: string) =>
    (JSON.parse(stdout) as { checks: { id: string; status: string }[] }).checks.find((c) => c.id === id)
      ?.status;

  it('status-list.cwt: the record is not revoked', async () => {
    const r = await runCli(inDir([...MDOC_VERIFY, '--status-list', 'status-list.cwt']));
    expect(r.code).toBe(0);
    expect(statusOf(r.stdout, 'status.revocation')).toBe('passed');
  });

  it('issuer-signed.hex: the issuer data checks out, the verdict is undetermined (exit 2), never valid', async () => {
    const r = await runCli(
      inDir([
        'mdoc',
        'verify',
        '--issuer-signed-only',
        '--response',
        'issuer-signed.hex',
        '--trust',
        'iaca.pem',
        '--at',
        AT,
        '--json',
      ]),
    );
    expect(r.code).toBe(2);
    expect(statusOf(r.stdout, 'issuer.signature')).toBe('passed');
    expect(statusOf(r.stdout, 'device.signature')).toBe('undetermined');
  });

  it('crl.der: the signature certificate is not revoked', async () => {
    const args = inDir(JPKI_VERIFY);
    const i = args.indexOf('--ocsp');
    args.splice(i, 2, '--crl', join(dir, 'crl.der'));
    const r = await runCli(args);
    expect(r.code).toBe(0);
    expect(statusOf(r.stdout, 'status.revocation')).toBe('passed');
  });
});
