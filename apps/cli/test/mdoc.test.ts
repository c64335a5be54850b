/**
 * `mynakit mdoc verify|inspect` — the contract run by conformance cases: standards' vectors and real
 * wallets' responses through the CLI, input encodings, exit codes and usage errors.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesToBase64url, hexToBytes } from '@mynakit/cbor';
import { issueMdoc, JP_MNC_DOCTYPE, JP_MNC_NAMESPACE, presentMdoc } from '@mynakit/mdoc';
import { StatusList, signStatusListCwt, signStatusListJwt } from '@mynakit/status-list';
import { vectorPath } from '@mynakit/test-vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpMncElements, makeIssuerChain, p256, portrait } from '../../../packages/mdoc/test/fixtures.js';
import { realWorldCases } from '../../../packages/mdoc/test/vectors.js';
import { runCli } from './capture.js';

const A = vectorPath('iso-18013-5-annex-d');
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'mynakit.js');
let tmp: string;
const file = (name: string, content: string | Uint8Array) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mynakit-mdoc-cli-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const keys = () =>
  JSON.parse(readFileSync(join(A, 'keys.json'), 'utf8')) as Record<
    string,
    { x: string; y: string; d: string }
  >;
const annexDArgs = (at: string) => [
  'mdoc',
  'verify',
  '--response',
  join(A, 'device_response.hex'),
  '--transcript',
  join(A, 'session_transcript_bytes.hex'),
  '--trust',
  join(A, 'iaca_cert.pem'),
  '--at',
  at,
];

async function json(args: string[]) {
  const r = await runCli([...args, '--json']);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1); // exactly one JSON object on stdout
  return {
    ...r,
    stdout: r.stdout,
    report: JSON.parse(r.stdout) as {
      verdict: string;
      checks: { id: string; status: string; detail: string }[];
      documents: unknown[];
    },
  };
}
const statusOf = (report: { checks: { id: string; status: string }[] }, id: string) =>
  report.checks.find((c) => c.id === id)?.status;

describe('mynakit mdoc verify — Annex D', () => {
  it('valid inside the window with the reader key (hex d)', async () => {
    const readerKey = file('reader.hex', keys().EReaderKey?.d ?? '');
    const { code, report } = await json([...annexDArgs('2021-01-01T00:00:00Z'), '--reader-key', readerKey]);
    expect(code).toBe(0);
    expect(report.verdict).toBe('valid');
    expect(statusOf(report, 'device.mac')).toBe('passed');
    expect(statusOf(report, 'item.digest')).toBe('passed');
    expect(report.documents).toHaveLength(1);
  });

  it('invalid after it: mso.validity and issuer.certificate_path failed (exit 1)', async () => {
    const readerKey = file('reader2.hex', keys().EReaderKey?.d ?? '');
    const { code, report } = await json([...annexDArgs('2022-01-01T00:00:00Z'), '--reader-key', readerKey]);
    expect(code).toBe(1);
    expect(statusOf(report, 'mso.validity')).toBe('failed');
    expect(statusOf(report, 'issuer.certificate_path')).toBe('failed');
  });

  it('accepts the Annex D keys.json itself as --reader-key (its EReaderKey)', async () => {
    const { code, report } = await json([
      ...annexDArgs('2021-01-01T00:00:00Z'),
      '--reader-key',
      join(A, 'keys.json'),
    ]);
    expect(code).toBe(0);
    expect(statusOf(report, 'device.mac')).toBe('passed');
  });

  it('undetermined without the reader key (exit 2)', async () => {
    const { code, report } = await json(annexDArgs('2021-01-01T00:00:00Z'));
    expect(code).toBe(2);
    expect(statusOf(report, 'device.mac')).toBe('undetermined');
  });

  it('accepts the reader key as a JWK, raw binary and base64url inputs, and a bare transcript', async () => {
    const k = keys().EReaderKey as { x: string; y: string; d: string };
    const b64 = (h: string) => Buffer.from(h, 'hex').toString('base64url');
    const jwk = file(
      'reader.jwk',
      JSON.stringify({ kty: 'EC', crv: 'P-256', x: b64(k.x), y: b64(k.y), d: b64(k.d) }),
    );
    const raw = file(
      'response.cbor',
      hexToBytes(readFileSync(join(A, 'device_response.hex'), 'utf8').trim()),
    );
    const st = hexToBytes(readFileSync(join(A, 'session_transcript_bytes.hex'), 'utf8').trim());
    const bare = file('transcript.b64', bytesToBase64url(st.subarray(5))); // d8 18 59 hhhh → the bare item
    expect(st[2]).toBe(0x59);
    const r = await runCli([
      'mdoc',
      'verify',
      '--response',
      raw,
      '--transcript',
      bare,
      '--trust',
      join(A, 'iaca_cert.pem'),
      '--at',
      '2021-01-01T00:00:00Z',
      '--reader-key',
      jwk,
    ]);
    expect(r.stdout).toContain('verdict: valid');
    expect(r.code).toBe(0);
  });
});

describe('mynakit mdoc verify — real wallets at their verification time', () => {
  for (const c of realWorldCases()) {
    it(`${c.id}: ${c.expectedValid ? 'valid' : 'invalid'}`, async () => {
      // All anchors of a case in one file with several PEM blocks.
      const trust = file(`${c.id}-trust.pem`, c.anchors.join('\n'));
      const args =
        c.kind === 'device-response'
          ? [
              '--response',
              join(c.dir, 'device_response.hex'),
              '--transcript',
              join(c.dir, 'session_transcript_bytes.hex'),
              ...(c.readerKeyFile ? ['--reader-key', c.readerKeyFile] : []),
            ]
          : ['--response', join(c.dir, 'issuer_signed.hex'), '--issuer-signed-only'];
      const { code, report } = await json([
        'mdoc',
        'verify',
        ...args,
        '--trust',
        trust,
        '--at',
        c.now.toISOString(),
      ]);
      if (c.id === 'auth0-example3') expect(statusOf(report, 'item.digest')).toBe('failed');
      if (c.kind === 'issuer-signed') {
        // Issuer data alone is never `valid`: device authentication was not performed.
        expect(report.verdict).toBe(c.expectedValid ? 'undetermined' : 'invalid');
        expect(code).toBe(c.expectedValid ? 2 : 1);
        expect((report as unknown as Record<string, unknown>).deviceAuthentication).toBe('not-performed');
        if (c.expectedValid) {
          expect(statusOf(report, 'device.signature')).toBe('undetermined');
          expect(report.checks.filter((x) => x.status !== 'passed').map((x) => x.id)).toEqual([
            'device.signature',
            'status.revocation',
          ]);
        }
      } else {
        expect(report.verdict).toBe(c.expectedValid ? 'valid' : 'invalid');
        expect(code).toBe(c.expectedValid ? 0 : 1);
      }
    });
  }
});

describe('mynakit mdoc verify — an IssuerSigned is not a presentation', () => {
  const issuerSignedCase = () => {
    const c = realWorldCases().find((x) => x.kind === 'issuer-signed' && x.expectedValid);
    if (!c) throw new Error('no issuer-signed real-world case');
    return c;
  };
  const base = () => {
    const c = issuerSignedCase();
    return [
      'mdoc',
      'verify',
      '--response',
      join(c.dir, 'issuer_signed.hex'),
      '--trust',
      file(`${c.id}-anchors.pem`, c.anchors.join('\n')),
      '--at',
      c.now.toISOString(),
    ];
  };

  it('the default path refuses it: decode failed, invalid, exit 1, pointing at --issuer-signed-only', async () => {
    // ISO/IEC 18013-5 §8.3.2.1.2.2: Document = {docType, issuerSigned, deviceSigned, ? errors}.
    for (const extra of [[], ['--transcript', join(A, 'session_transcript_bytes.hex')]]) {
      const { code, report } = await json([...base(), ...extra]);
      expect(report.verdict).toBe('invalid');
      expect(code).toBe(1);
      const decode = report.checks.find((x) => x.id === 'decode') as { status: string; detail: string };
      expect(decode.status).toBe('failed');
      expect(decode.detail).toContain('--issuer-signed-only');
      expect(report.documents).toEqual([]);
    }
    const text = await runCli(base());
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('verdict: invalid');
  });

  it('--issuer-signed-only in text: undetermined, exit 2, the elements labelled as issuer data only', async () => {
    const r = await runCli([...base(), '--issuer-signed-only']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('verdict: undetermined');
    expect(r.stdout).toContain('device authentication was not performed');
    expect(r.stdout).not.toContain('verified elements');
    expect(r.stdout).toContain('issuer-signed elements (device authentication not performed)');
  });

  it('--issuer-signed-only with a DeviceResponse is a decode failure that says so', async () => {
    const { code, report } = await json([
      ...annexDArgs('2021-01-01T00:00:00Z').filter(
        (a, i, all) => a !== '--transcript' && all[i - 1] !== '--transcript',
      ),
      '--issuer-signed-only',
    ]);
    expect(code).toBe(1);
    expect(report.checks.find((x) => x.id === 'decode')?.status).toBe('failed');
    expect(report.checks.find((x) => x.id === 'decode')?.detail).toContain('without --issuer-signed-only');
  });

  it('--issuer-signed-only does not take --transcript or --reader-key (64)', async () => {
    const r = await runCli([
      ...base(),
      '--issuer-signed-only',
      '--transcript',
      join(A, 'session_transcript_bytes.hex'),
    ]);
    expect(r.code).toBe(64);
  });

  it('--help says what --issuer-signed-only does and how large values are shown', async () => {
    const r = await runCli(['mdoc', 'verify', '--help']);
    expect(r.stdout).toContain('--issuer-signed-only');
    expect(r.stdout).toMatch(/never valid/);
    expect(r.stdout).toContain('--full-values');
    expect(r.stdout).toMatch(/sha256/);
  });
});

describe('mynakit mdoc verify — status list', () => {
  const transcript = hexToBytes(
    '83f6f682714f70656e494434565048616e646f7665725820048bc053c00442af9b8eed494cefdd9d95240d254b046b11b68013722aad38ac',
  );
  const uri = 'https://issuer.example/status/1';
  let args: string[];
  let chain: ReturnType<typeof makeIssuerChain>;
  beforeAll(async () => {
    chain = makeIssuerChain();
    const device = p256();
    const now = new Date('2025-06-01T00:00:00Z');
    const issued = await issueMdoc({
      docType: JP_MNC_DOCTYPE,
      nameSpaces: jpMncElements(portrait(256)),
      deviceKey: device.publicKey,
      validityInfo: { signed: now, validFrom: now, validUntil: new Date('2026-01-01T00:00:00Z') },
      status: { idx: 2, uri },
      issuerKey: chain.dsKey,
      issuerCertificateChain: [chain.ds.der],
    });
    const response = await presentMdoc({
      documents: [issued.bytes],
      request: {
        docType: JP_MNC_DOCTYPE,
        elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'individual_number_unicode'] },
      },
      sessionTranscriptBytes: transcript,
      deviceKey: device.privateKey,
      mode: 'signature',
    });
    args = [
      'mdoc',
      'verify',
      '--response',
      file('jp.b64', bytesToBase64url(response)),
      '--transcript',
      file('jp-st.cbor', transcript),
      '--trust',
      file('iaca.der', chain.iaca.der),
      '--at',
      '2025-06-01T00:00:00Z',
    ];
  });
  const cwt = (statuses: number[]) =>
    signStatusListCwt({
      list: StatusList.fromStatuses(statuses, 1),
      sub: uri,
      iat: new Date('2025-05-31T00:00:00Z'),
      exp: new Date('2025-06-30T00:00:00Z'),
      key: chain.dsKey,
      x5chain: [chain.ds.der],
    });

  it('without a status list the check is skipped and My Number is redacted', async () => {
    const { code, report } = await json(args);
    expect(code).toBe(0);
    expect(statusOf(report, 'status.revocation')).toBe('skipped');
    expect(JSON.stringify(report)).not.toContain('123456789018');
    const shown = await json([...args, '--show-my-number']);
    expect(JSON.stringify(shown.report)).toContain('123456789018');
  });

  it('a CWT status list: valid → 0, revoked → 1', async () => {
    const ok = await json([...args, '--status-list', file('ok.cwt', await cwt([0, 0, 0, 1]))]);
    expect(statusOf(ok.report, 'status.revocation')).toBe('passed');
    expect(ok.code).toBe(0);
    const revoked = await json([
      ...args,
      '--status-list',
      file('revoked.cwt.hex', Buffer.from(await cwt([0, 0, 1, 0])).toString('hex')),
    ]);
    expect(statusOf(revoked.report, 'status.revocation')).toBe('failed');
    expect(revoked.code).toBe(1);
  });

  it('a JWT status list', async () => {
    const jwt = await signStatusListJwt({
      list: StatusList.fromStatuses([0, 0, 1], 1),
      sub: uri,
      iat: new Date('2025-05-31T00:00:00Z'),
      exp: new Date('2025-06-30T00:00:00Z'),
      key: chain.dsKey,
      x5c: [chain.ds.der],
    });
    const r = await json([...args, '--status-list', file('list.jwt', `${jwt}\n`)]);
    expect(statusOf(r.report, 'status.revocation')).toBe('failed');
    expect(r.code).toBe(1);
  });

  it('an expired status list → undetermined (exit 2)', async () => {
    const r = await json([
      ...args.slice(0, -1),
      '2025-07-15T00:00:00Z',
      '--status-list',
      file('old.cwt', await cwt([0, 0, 0, 0])),
    ]);
    expect(statusOf(r.report, 'status.revocation')).toBe('undetermined');
    expect(r.code).toBe(2);
  });
});

describe('mynakit mdoc verify — large values and invalid documents in the output', () => {
  const transcript = hexToBytes(
    '83f6f682714f70656e494434565048616e646f7665725820048bc053c00442af9b8eed494cefdd9d95240d254b046b11b68013722aad38ac',
  );
  const big = portrait(2 * 1024 * 1024);
  let args: string[];
  beforeAll(async () => {
    const chain = makeIssuerChain();
    const device = p256();
    const now = new Date('2025-06-01T00:00:00Z');
    const issued = await issueMdoc({
      docType: JP_MNC_DOCTYPE,
      nameSpaces: jpMncElements(big),
      deviceKey: device.publicKey,
      validityInfo: { signed: now, validFrom: now, validUntil: new Date('2026-01-01T00:00:00Z') },
      issuerKey: chain.dsKey,
      issuerCertificateChain: [chain.ds.der],
    });
    const response = await presentMdoc({
      documents: [issued.bytes],
      request: {
        docType: JP_MNC_DOCTYPE,
        elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'portrait'] },
      },
      sessionTranscriptBytes: transcript,
      deviceKey: device.privateKey,
      mode: 'signature',
    });
    args = [
      'mdoc',
      'verify',
      '--response',
      file('big.cbor', response),
      '--transcript',
      file('big-st.cbor', transcript),
      '--trust',
      file('big-iaca.der', chain.iaca.der),
      '--at',
      '2025-06-01T00:00:00Z',
    ];
  });
  const sha = createHash('sha256').update(big).digest('hex');

  it('JSON: a byte string over 1 KiB is {type, size, sha256}, not its bytes', async () => {
    const { code, report, stdout } = await json(args);
    expect(code).toBe(0);
    expect(stdout.length).toBeLessThan(64 * 1024);
    const doc = report.documents[0] as { elements: Record<string, Record<string, unknown>> };
    expect(doc.elements[JP_MNC_NAMESPACE]?.portrait).toEqual({ type: 'bstr', size: big.length, sha256: sha });
    expect(doc.elements[JP_MNC_NAMESPACE]?.full_name_unicode).toBe('番号　花子');
  });

  it('text: <n bytes, sha256 …>', async () => {
    const r = await runCli(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`<${big.length} bytes, sha256 ${sha}>`);
    expect(r.stdout.length).toBeLessThan(64 * 1024);
  });

  it('--full-values prints them whole', async () => {
    const { report } = await json([...args, '--full-values']);
    const doc = report.documents[0] as { elements: Record<string, Record<string, unknown>> };
    expect(doc.elements[JP_MNC_NAMESPACE]?.portrait).toBe(bytesToBase64url(big));
  });

  it('an invalid document lists no "verified elements"', async () => {
    const late = await runCli([...args.slice(0, -1), '2027-01-01T00:00:00Z']);
    expect(late.code).toBe(1);
    expect(late.stdout).not.toContain('verified elements');
    expect(late.stdout).not.toContain('番号');
    expect(late.stdout).toContain('elements: not shown');
  });
});

describe('mynakit mdoc verify — usage errors (64)', () => {
  it.each([
    [
      'a missing file',
      [
        'mdoc',
        'verify',
        '--response',
        '/nonexistent/x',
        '--transcript',
        join(A, 'session_transcript_bytes.hex'),
        '--trust',
        join(A, 'iaca_cert.pem'),
        '--at',
        '2021-01-01T00:00:00Z',
      ],
    ],
    [
      'no --trust',
      [
        'mdoc',
        'verify',
        '--response',
        join(A, 'device_response.hex'),
        '--transcript',
        join(A, 'session_transcript_bytes.hex'),
        '--at',
        '2021-01-01T00:00:00Z',
      ],
    ],
    [
      'no --at',
      [
        'mdoc',
        'verify',
        '--response',
        join(A, 'device_response.hex'),
        '--transcript',
        join(A, 'session_transcript_bytes.hex'),
        '--trust',
        join(A, 'iaca_cert.pem'),
      ],
    ],
    ['a bad --at', [...annexDArgs('yesterday')]],
    [
      'no --transcript for a DeviceResponse',
      [
        'mdoc',
        'verify',
        '--response',
        join(A, 'device_response.hex'),
        '--trust',
        join(A, 'iaca_cert.pem'),
        '--at',
        '2021-01-01T00:00:00Z',
      ],
    ],
    [
      'a --trust file that is not a certificate',
      [
        'mdoc',
        'verify',
        '--response',
        join(A, 'device_response.hex'),
        '--transcript',
        join(A, 'session_transcript_bytes.hex'),
        '--trust',
        join(A, 'keys.json'),
        '--at',
        '2021-01-01T00:00:00Z',
      ],
    ],
    ['an unknown flag', [...annexDArgs('2021-01-01T00:00:00Z'), '--frobnicate']],
  ])('%s', async (_name, args) => {
    const r = await runCli(args);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
  });

  it('a bad --reader-key', async () => {
    const r = await runCli([...annexDArgs('2021-01-01T00:00:00Z'), '--reader-key', file('bad.key', 'nope')]);
    expect(r.code).toBe(64);
  });
});

describe('mynakit mdoc inspect', () => {
  it('prints a summary and the diagnostic notation', async () => {
    const r = await runCli(['mdoc', 'inspect', join(A, 'device_response.hex')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('DeviceResponse 1.0, status 0, 1 document(s)');
    expect(r.stdout).toContain('document signer: CN=utopia ds, C=US');
    expect(r.stdout).toContain('device authentication: deviceMac');
    expect(r.stdout).toContain('24(<<');
    const req = await runCli(['mdoc', 'inspect', join(A, 'device_request.hex')]);
    expect(req.stdout).toContain('DeviceRequest 1.0');
    expect(req.stdout).toContain('org.iso.18013.5.1/family_name (intent to retain)');
  });

  it('non-CBOR input exits 1, a missing file 64', async () => {
    expect((await runCli(['mdoc', 'inspect', file('junk.bin', Uint8Array.of(0xff, 0x00))])).code).toBe(1);
    expect((await runCli(['mdoc', 'inspect', '/nonexistent'])).code).toBe(64);
  });
});

describe('as a real process', () => {
  it('exit codes come through the bin script', () => {
    const ok = spawnSync(
      process.execPath,
      [
        bin,
        ...annexDArgs('2021-01-01T00:00:00Z'),
        '--reader-key',
        file('r.hex', keys().EReaderKey?.d ?? ''),
        '--json',
      ],
      { encoding: 'utf8' },
    );
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).verdict).toBe('valid');
    const late = spawnSync(process.execPath, [bin, ...annexDArgs('2022-01-01T00:00:00Z')], {
      encoding: 'utf8',
    });
    expect(late.status).toBe(1);
  });
});
