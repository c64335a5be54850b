/**
 * The packages as a relying party installs them: each is packed with `npm pack`, the tarballs are
 * installed into a fresh project outside the workspace (no symlinks into the repository, no tsx), and
 * plain `node` ESM scripts use them — verify the ISO/IEC 18013-5 Annex D DeviceResponse, verify a JPKI
 * CMS signature with a CRL and an OCSP response, build and parse an OpenID4VP request — and `tsc` checks
 * a TypeScript file against the installed types. publint and arethetypeswrong pass for every
 * package (`scripts/published-packages.mjs`, run by `npm test`), and each package's `dependencies` are
 * exactly what its `dist/` imports.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vectorPath } from '@mynakit/test-vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHED, pack } from '../published-packages.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const work = mkdtempSync(join(tmpdir(), 'mynakit-published-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, out);
    else out.push(path);
  }
  return out;
}

beforeAll(() => {
  // `npm test` type-checks (and so builds) first; an incremental build is cheap when nothing changed.
  run(bin('tsc'), ['-b'], root);
}, 300_000);

describe('each package declares exactly what its dist/ imports', () => {
  const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm;
  it.each(PUBLISHED)('%s', (dir) => {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const used = new Set<string>();
    let distText = '';
    const staticJsImports = new Set<string>();
    for (const file of filesUnder(join(root, dir, 'dist', 'src'))) {
      if (!/\.(?:js|d\.ts)$/.test(file)) continue;
      const text = readFileSync(file, 'utf8');
      distText += text;
      if (file.endsWith('.js'))
        for (const m of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s*['"]([^'"]+)['"]/gm))
          staticJsImports.add(m[1] as string);
      for (const m of text.matchAll(SPECIFIER)) {
        const spec = m[1] as string;
        if (spec.startsWith('.') || spec.startsWith('node:')) continue;
        used.add(
          spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string),
        );
      }
    }
    // Dependencies are exactly the packages dist/ imports; optional peer dependencies (database drivers)
    // are loaded on demand by name, so each must at least be named in dist/ and none may be imported eagerly.
    const peers = Object.keys(pkg.peerDependencies ?? {});
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual(
      [...used].filter((u) => !peers.includes(u)).sort(),
    );
    for (const peer of peers) {
      expect(distText, `${peer} is named in ${dir}/dist`).toContain(`'${peer}'`);
      if (pkg.peerDependenciesMeta?.[peer]?.optional === true) {
        // An optional driver is never imported statically by the JavaScript (types may mention it).
        expect(staticJsImports.has(peer), `${peer} is imported eagerly in ${dir}/dist`).toBe(false);
      }
    }
    // Nothing that only this monorepo provides.
    for (const [name, range] of Object.entries<string>(pkg.dependencies ?? {})) {
      expect(range, `${name} in ${dir}`).not.toMatch(/^(?:\*|file:|link:|workspace:)/);
    }
  });
});

describe('installed from tarballs into a project outside the workspace', () => {
  const project = join(work, 'consumer');
  let fixtures: { dir: string; at: string; files: Record<string, string> };

  beforeAll(() => {
    const packs = join(work, 'tarballs');
    mkdirSync(packs, { recursive: true });
    const tarballs = PUBLISHED.map((dir) => pack(dir, packs));
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    run(
      npm,
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--ignore-scripts',
        ...tarballs,
        '@types/node@20',
      ],
      project,
    );
    const manifest = execFileSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(root, 'packages/jpki/test/helpers/jpki-fixtures.ts')],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    fixtures = JSON.parse(manifest);
  }, 300_000);
  afterAll(() => {
    if (fixtures !== undefined) rmSync(fixtures.dir, { recursive: true, force: true });
  });

  it('installs real copies, not links into the repository', () => {
    for (const name of ['mdoc', 'jpki', 'oid4vp', 'cbor']) {
      const dir = join(project, 'node_modules', '@mynakit', name);
      expect(statSync(dir).isDirectory()).toBe(true);
      expect(readdirSync(dir)).not.toContain('test');
    }
  });

  const node = (script: string, env: NodeJS.ProcessEnv = {}) => {
    const file = join(project, `script-${Math.random().toString(36).slice(2)}.mjs`);
    writeFileSync(file, script);
    return JSON.parse(run(process.execPath, [file], project, env)) as Record<string, unknown>;
  };

  it('verifies the ISO/IEC 18013-5 Annex D DeviceResponse with @mynakit/mdoc', () => {
    const result = node(
      `import { readFileSync } from 'node:fs';
import { verifyDeviceResponse } from '@mynakit/mdoc';
const dir = process.env.ANNEX_D;
const hex = (f) => new Uint8Array(Buffer.from(readFileSync(dir + '/' + f, 'utf8').trim(), 'hex'));
const keys = JSON.parse(readFileSync(dir + '/keys.json', 'utf8'));
const report = await verifyDeviceResponse(hex('device_response.hex'), {
  sessionTranscriptBytes: hex('session_transcript_bytes.hex'),
  trustAnchors: [readFileSync(dir + '/iaca_cert.pem', 'utf8')],
  readerPrivateKey: new Uint8Array(Buffer.from(keys.EReaderKey.d, 'hex')),
  now: new Date('2021-01-01T00:00:00Z'),
});
console.log(JSON.stringify({ verdict: report.verdict, elements: Object.keys(report.documents[0].elements['org.iso.18013.5.1']).sort() }));
`,
      { ANNEX_D: vectorPath('iso-18013-5-annex-d') },
    );
    expect(result.verdict).toBe('valid');
    expect(result.elements).toContain('family_name');
  });

  it('verifies a JPKI CMS signature with a CRL and an OCSP response with @mynakit/jpki', () => {
    const result = node(
      `import { readFileSync } from 'node:fs';
import { crlRevocationSource, ocspRevocationSource, verifyJpkiSignature } from '@mynakit/jpki';
import { parseCertificate, readPemBlocks } from '@mynakit/pki';
const f = JSON.parse(process.env.FIXTURES);
const pem = (p) => readPemBlocks(readFileSync(p, 'utf8')).map((b) => parseCertificate(b.der));
const der = (p) => new Uint8Array(readFileSync(p));
const report = await verifyJpkiSignature({
  signature: der(f.files.attached),
  trustAnchors: pem(f.files.caPem),
  revocation: [crlRevocationSource(der(f.files.crl), 'CRL'), ocspRevocationSource(der(f.files.ocspGood), { label: 'OCSP' })],
  now: new Date(f.at),
  profile: 'jpki-sign',
});
console.log(JSON.stringify({ verdict: report.verdict, checks: report.checks.map((c) => c.id + ':' + c.status) }));
`,
      { FIXTURES: JSON.stringify(fixtures) },
    );
    expect(result.checks).toContain('status.revocation:passed');
    expect(result.verdict).toBe('valid');
  });

  it('builds and parses an OpenID4VP request with @mynakit/oid4vp', () => {
    const result =
      node(`import { buildAuthorizationRequest, validateAuthorizationRequest } from '@mynakit/oid4vp';
const request = buildAuthorizationRequest({
  responseMode: 'dc_api',
  nonce: 'n-0S6_WzA2Mj',
  expectedOrigins: ['https://bank.example'],
  dcqlQuery: { credentials: [{ id: 'mnc', format: 'mso_mdoc', meta: { doctype_value: 'org.iso.23220.1.jp.mnc' },
    claims: [{ path: ['org.iso.23220.1.jp', 'full_name_unicode'] }] }] },
});
const parsed = validateAuthorizationRequest(JSON.parse(JSON.stringify(request)));
console.log(JSON.stringify({ mode: parsed.response_mode, nonce: parsed.nonce, doctype: parsed.dcql_query.credentials[0].meta.doctype_value }));
`);
    expect(result).toEqual({ mode: 'dc_api', nonce: 'n-0S6_WzA2Mj', doctype: 'org.iso.23220.1.jp.mnc' });
  });

  it('type-checks a TypeScript file against the installed types', { timeout: 180_000 }, () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['check.ts'],
      }),
    );
    writeFileSync(
      join(project, 'check.ts'),
      `import { type DeviceResponseVerification, verifyDeviceResponse } from '@mynakit/mdoc';
import { type SignatureVerificationReport, verifyJpkiSignature } from '@mynakit/jpki';
import { buildAuthorizationRequest } from '@mynakit/oid4vp';
import type { Verdict } from '@mynakit/report';

export async function check(bytes: Uint8Array, transcript: Uint8Array, iaca: string): Promise<Verdict> {
  const r: DeviceResponseVerification = await verifyDeviceResponse(bytes, {
    sessionTranscriptBytes: transcript,
    trustAnchors: [iaca],
    now: new Date(),
  });
  const s: SignatureVerificationReport = await verifyJpkiSignature({ signature: bytes, trustAnchors: [], now: new Date() });
  buildAuthorizationRequest({ responseMode: 'dc_api', nonce: 'n', dcqlQuery: { credentials: [] } });
  return r.verdict === 'valid' ? s.verdict : r.verdict;
}
`,
    );
    run(bin('tsc'), ['-p', project], project);
    // And a deliberate type error is caught, so the check above is not vacuous.
    writeFileSync(
      join(project, 'check.ts'),
      `import { verifyDeviceResponse } from '@mynakit/mdoc';\nverifyDeviceResponse(42);\n`,
    );
    expect(() => run(bin('tsc'), ['-p', project, '--skipLibCheck'], project)).toThrow(/TS2345|TS2554/);
  });
});
