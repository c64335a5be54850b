/**
 * Responses that real wallets and other implementations produced (real-world/), each at its
 * verification time with its anchors, against the expected verdict of its case.json.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyDeviceResponse, verifyIssuerSigned } from '../src/index.js';
import { hexFile, realWorldCases } from './vectors.js';

const cases = realWorldCases();

async function run(c: (typeof cases)[number], now = c.now, fastPath = true) {
  if (c.kind === 'issuer-signed') {
    return verifyIssuerSigned(hexFile(join(c.dir, 'issuer_signed.hex')), {
      trustAnchors: c.anchors,
      now,
      cache: false,
    });
  }
  return verifyDeviceResponse(hexFile(join(c.dir, 'device_response.hex')), {
    sessionTranscriptBytes: hexFile(join(c.dir, 'session_transcript_bytes.hex')),
    trustAnchors: c.anchors,
    now,
    cache: false,
    fastPath,
  });
}

describe('real-world responses at their verification time', () => {
  it('has the nine cases', () => {
    expect(cases.map((c) => c.id).sort()).toEqual(
      [
        'animo-paradym-oid4vp1',
        'auth0-example1',
        'auth0-example2',
        'auth0-example3',
        'auth0-example4',
        'bdr-issuer-signed',
        'france-playground-oid4vp-draft18',
        'google-cm-wallet-dcapi-draft24',
        'ubique-oid4vp-draft18',
      ].sort(),
    );
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await run(c);
    const failed = r.checks.filter((x) => x.status === 'failed' || x.status === 'undetermined');
    expect(r.verdict, JSON.stringify(failed)).toBe(c.expectedValid ? 'valid' : 'invalid');
    if (c.docType) expect(r.documents[0]?.docType).toBe(c.docType);
    // Both decoding paths give the same report.
    if (c.kind === 'device-response')
      expect(JSON.stringify((await run(c, c.now, false)).checks)).toBe(JSON.stringify(r.checks));
  });

  it('auth0 example3 fails item.digest on family_name only, both signatures valid', async () => {
    const c = cases.find((x) => x.id === 'auth0-example3');
    const r = await run(c as (typeof cases)[number]);
    const byId = Object.fromEntries(r.documents[0]?.checks.map((x) => [x.id, x]) ?? []);
    expect(byId['item.digest']?.status).toBe('failed');
    expect(byId['item.digest']?.detail).toContain('org.iso.18013.5.1/family_name');
    expect(byId['item.digest']?.detail).not.toContain('Smith'); // ids, never values
    expect(byId['issuer.signature']?.status).toBe('passed');
    expect(byId['device.signature']?.status).toBe('passed');
    // The tampered element is not reported as present; the others are.
    expect(r.documents[0]?.elements['org.iso.18013.5.1']?.family_name).toBeUndefined();
    expect(Object.keys(r.documents[0]?.elements['org.iso.18013.5.1'] ?? {}).length).toBeGreaterThan(0);
  });

  it('auth0 example2 discloses exactly six elements', async () => {
    const r = await run(cases.find((x) => x.id === 'auth0-example2') as (typeof cases)[number]);
    expect(Object.keys(r.documents[0]?.elements['org.iso.18013.5.1'] ?? {})).toHaveLength(6);
  });

  it('auth0 example4 verifies its attached device signature payload (byte-equal to DeviceAuthenticationBytes)', async () => {
    const r = await run(cases.find((x) => x.id === 'auth0-example4') as (typeof cases)[number]);
    expect(r.documents[0]?.checks.find((x) => x.id === 'device.signature')?.detail).toContain('attached');
  });

  it('google: fractional-second MSO dates, an extra expired anchor that does not matter', async () => {
    const c = cases.find((x) => x.id === 'google-cm-wallet-dcapi-draft24') as (typeof cases)[number];
    const r = await run(c);
    expect(r.verdict).toBe('valid');
    expect(r.documents[0]?.mso?.validFrom.getUTCMilliseconds()).not.toBe(0);
  });

  it('bdr IssuerSigned: issuer checks only, device check skipped', async () => {
    const r = await run(cases.find((x) => x.id === 'bdr-issuer-signed') as (typeof cases)[number]);
    expect(r.verdict).toBe('valid');
    expect(r.checks.find((x) => x.id === 'device.signature')?.status).toBe('skipped');
    expect(r.checks.find((x) => x.id === 'issuer.signature')?.status).toBe('passed');
  });

  it.each(['france-playground-oid4vp-draft18', 'ubique-oid4vp-draft18', 'google-cm-wallet-dcapi-draft24'])(
    '%s is invalid at 2026-11-26 (verdicts hold at the verification time, not today)',
    async (id) => {
      const c = cases.find((x) => x.id === id) as (typeof cases)[number];
      const r = await run(c, new Date('2026-11-26T00:00:00Z'));
      expect(r.verdict).toBe('invalid');
      expect(r.checks.find((x) => x.id === 'issuer.certificate_path')?.status).toBe('failed');
    },
  );
});
