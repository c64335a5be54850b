/**
 * `mynakit mdoc` given files of the wrong kind. The rule (also in `mdoc verify --help`):
 * - a file the option cannot be about at all — empty, or PEM where CBOR is expected, or a PEM of
 *   another kind — is a usage error (exit 64) whose message names the option and what it expects;
 * - configuration files (`--transcript`, `--trust`, `--reader-key`, `--status-list`) that cannot be
 *   parsed are usage errors too: they are the relying party's set-up, not the credential;
 * - the credential under test (`--response`) that is CBOR-looking but malformed is a verdict: invalid,
 *   `decode` failed (exit 1).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vectorPath } from '@mynakit/test-vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './capture.js';

const A = vectorPath('iso-18013-5-annex-d');
const AT = '2021-01-01T00:00:00Z';
let tmp: string;
const file = (name: string, content: string | Uint8Array) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mynakit-mdoc-inputs-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const response = () => join(A, 'device_response.hex');
const transcript = () => join(A, 'session_transcript_bytes.hex');
const iaca = () => join(A, 'iaca_cert.pem');
const verifyArgs = (o: { response?: string; transcript?: string; trust?: string } = {}) => [
  'mdoc',
  'verify',
  '--response',
  o.response ?? response(),
  '--transcript',
  o.transcript ?? transcript(),
  '--trust',
  o.trust ?? iaca(),
  '--at',
  AT,
];

/** The Annex D reader key (keys.json EReaderKey) as a node KeyObject. */
function annexDReaderKey() {
  const k = (JSON.parse(readFileSync(join(A, 'keys.json'), 'utf8')) as Record<string, Record<string, string>>)
    .EReaderKey as { x: string; y: string; d: string };
  const b64 = (h: string) => Buffer.from(h, 'hex').toString('base64url');
  return createPrivateKey({
    key: { kty: 'EC', crv: 'P-256', x: b64(k.x), y: b64(k.y), d: b64(k.d) },
    format: 'jwk',
  });
}

const PRIVATE_KEY_PEM = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });

async function usage(args: string[], ...mentions: (string | RegExp)[]) {
  const r = await runCli([...args, '--json']);
  expect(r.code, r.stderr).toBe(64);
  expect(r.stdout).toBe('');
  for (const m of mentions) expect(r.stderr).toMatch(m);
  return r;
}

describe('mdoc verify --response (the credential under test)', () => {
  it('a PEM file is a usage error naming --response and what it expects', async () => {
    await usage(verifyArgs({ response: iaca() }), '--response', /PEM/, /CERTIFICATE/, /DeviceResponse/);
  });

  it('an empty file is a usage error naming --response', async () => {
    await usage(verifyArgs({ response: file('empty.cbor', '') }), '--response', /empty/);
    await usage(verifyArgs({ response: file('blank.hex', ' \n\n') }), '--response', /empty/);
  });

  it('malformed CBOR is a verdict: invalid, decode failed (exit 1)', async () => {
    const r = await runCli([
      ...verifyArgs({ response: file('junk.bin', Uint8Array.of(0xff, 0x00)) }),
      '--json',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { verdict: string; checks: { id: string; status: string }[] };
    expect(report.verdict).toBe('invalid');
    expect(report.checks.find((c) => c.id === 'decode')?.status).toBe('failed');
  });
});

describe('mdoc verify --transcript (the verifier’s own session data)', () => {
  it.each([
    ['a PEM file', () => iaca(), [/--transcript/, /PEM/, /SessionTranscript/]],
    ['an empty file', () => file('empty-st.cbor', ''), [/--transcript/, /empty/]],
    [
      'bytes that are not CBOR',
      () => file('junk-st.bin', Uint8Array.of(0xff, 0x00)),
      [/--transcript/, /CBOR/],
    ],
    [
      'CBOR that is no SessionTranscript',
      () => file('int-st.hex', '01'),
      [/--transcript/, /SessionTranscript/],
    ],
  ])('%s is a usage error', async (_name, path, mentions) => {
    await usage(verifyArgs({ transcript: path() }), ...mentions);
  });
});

describe('mdoc verify --trust (configuration)', () => {
  it.each([
    ['an empty file', () => file('empty.pem', ''), [/--trust/, /empty/]],
    [
      'a PEM with no CERTIFICATE block',
      () => file('key.pem', PRIVATE_KEY_PEM()),
      [/--trust/, /no CERTIFICATE/, /PRIVATE KEY/],
    ],
    [
      'a CERTIFICATE block that cannot be parsed',
      () => file('broken.pem', '-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n'),
      [/--trust/, /broken\.pem/, /not a certificate/],
    ],
    [
      'DER that is no certificate',
      () => file('junk.der', Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01)),
      [/--trust/, /not a certificate/],
    ],
    ['an unreadable file', () => join(tmp, 'no-such.pem'), [/--trust/, /cannot read/]],
  ])('%s is a usage error naming the file', async (_name, path, mentions) => {
    await usage(verifyArgs({ trust: path() }), ...mentions);
  });
});

describe('mdoc verify --status-list (configuration)', () => {
  it.each([
    ['a PEM file', () => iaca(), [/--status-list/, /PEM/]],
    ['an empty file', () => file('empty.cwt', ''), [/--status-list/, /empty/]],
    [
      'bytes that are no token',
      () => file('junk.cwt', Uint8Array.of(0xff, 0x00)),
      [/--status-list/, /Status List Token/],
    ],
    ['CBOR that is no COSE_Sign1', () => file('map.cwt.hex', 'a0'), [/--status-list/, /COSE_Sign1/]],
    ['a JWT whose header is not JSON', () => file('bad.jwt', 'eyJ.eyJ.sig'), [/--status-list/, /JWT/]],
  ])('%s is a usage error', async (_name, path, mentions) => {
    await usage([...verifyArgs(), '--status-list', path()], ...mentions);
  });
});

describe('mdoc verify --reader-key', () => {
  it.each([
    ['PKCS#8 (BEGIN PRIVATE KEY)', 'pkcs8', '-----BEGIN PRIVATE KEY-----'],
    ['SEC1 (BEGIN EC PRIVATE KEY)', 'sec1', '-----BEGIN EC PRIVATE KEY-----'],
  ] as const)('accepts the Annex D reader key as PEM, %s', async (_name, type, header) => {
    const pem = annexDReaderKey().export({ type, format: 'pem' }) as string;
    expect(pem.startsWith(header)).toBe(true);
    const r = await runCli([...verifyArgs(), '--reader-key', file(`reader-${type}.pem`, pem), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      verdict: string;
      documents: { checks: { id: string; status: string }[] }[];
    };
    expect(report.verdict).toBe('valid');
    expect(report.documents[0]?.checks.find((c) => c.id === 'device.mac')?.status).toBe('passed');
  });

  it.each([
    ['a certificate', () => iaca(), [/--reader-key/, /CERTIFICATE/, /private key/]],
    [
      'a public key',
      () =>
        file('pub.pem', createPublicKey(annexDReaderKey()).export({ type: 'spki', format: 'pem' }) as string),
      [/--reader-key/, /PUBLIC KEY/],
    ],
    [
      'a P-384 key',
      () =>
        file(
          'p384.pem',
          generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({
            type: 'pkcs8',
            format: 'pem',
          }),
        ),
      [/--reader-key/, /P-256/],
    ],
    [
      'an RSA key',
      () =>
        file(
          'rsa.pem',
          generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
            type: 'pkcs8',
            format: 'pem',
          }),
        ),
      [/--reader-key/, /P-256/],
    ],
    [
      'a broken PEM key',
      () => file('broken-key.pem', '-----BEGIN PRIVATE KEY-----\nMAMCAQE=\n-----END PRIVATE KEY-----\n'),
      [/--reader-key/],
    ],
    ['an empty file', () => file('empty.key', ''), [/--reader-key/, /empty/]],
  ])('%s is a usage error', async (_name, path, mentions) => {
    await usage([...verifyArgs(), '--reader-key', path()], ...mentions);
  });

  it('--help says which key formats are accepted and how file errors are treated', async () => {
    const r = await runCli(['mdoc', 'verify', '--help']);
    expect(r.stdout).toMatch(/PEM/);
    expect(r.stdout).toMatch(/PRIVATE KEY/);
    expect(r.stdout).toMatch(/64/);
    expect(r.stdout).toMatch(/decode/);
  });
});

describe('mdoc inspect', () => {
  it('a PEM file is a usage error (64) saying CBOR is expected and pointing at jpki inspect', async () => {
    const r = await runCli(['mdoc', 'inspect', iaca()]);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/PEM/);
    expect(r.stderr).toMatch(/CBOR/);
    expect(r.stderr).toContain('jpki inspect');
  });

  it('an empty file is a usage error (64)', async () => {
    const r = await runCli(['mdoc', 'inspect', file('empty-inspect.cbor', '')]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/empty/);
  });

  it('--json: one JSON object with kind, the summary and verdict undetermined (nothing is verified), exit 0', async () => {
    const r = await runCli(['mdoc', 'inspect', response(), '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(j).toMatchObject({ kind: 'DeviceResponse', verdict: 'undetermined', verified: false });
    expect(JSON.stringify(j.summary)).toContain('DeviceResponse 1.0');
    expect(j.structure).toBeTypeOf('object');
  });

  it('--json on input that is not CBOR: one JSON object, verdict invalid, exit 1 (as jpki inspect)', async () => {
    const r = await runCli([
      'mdoc',
      'inspect',
      file('junk-inspect.bin', Uint8Array.of(0xff, 0x00)),
      '--json',
    ]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      kind: 'undecodable',
      verdict: 'invalid',
      verified: false,
    });
  });

  it('--help documents the exit codes', async () => {
    const r = await runCli(['mdoc', 'inspect', '--help']);
    expect(r.stdout).toMatch(/--json/);
    expect(r.stdout).toMatch(/exit 0/i);
    expect(r.stdout).toMatch(/1 /);
    expect(r.stdout).toMatch(/64/);
  });
});
