/**
 * Responses that real wallets and other implementations produced (real-world/), each at its
 * verification time with its anchors, against the expected verdict of its case.json.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type VerifyDeviceResponseOptions, verifyDeviceResponse, verifyIssuerSigned } from '../src/index.js';
import { hexFile, realWorldCases } from './vectors.js';

const cases = realWorldCases();

type Case = (typeof cases)[number];
interface RunOptions {
  readonly now?: Date;
  /** Default: the reader key of the case, where it gives one. */
  readonly withReaderKey?: boolean;
  readonly extra?: Partial<VerifyDeviceResponseOptions>;
}

/** A case through the library under the default policy, as its kind says. */
async function run(c: Case, o: RunOptions = {}) {
  const base = { trustAnchors: c.anchors, now: o.now ?? c.now, cache: false as const, ...o.extra };
  if (c.kind === 'issuer-signed') return verifyIssuerSigned(hexFile(join(c.dir, 'issuer_signed.hex')), base);
  return verifyDeviceResponse(hexFile(join(c.dir, 'device_response.hex')), {
    ...base,
    sessionTranscriptBytes: hexFile(join(c.dir, 'session_transcript_bytes.hex')),
    ...(c.readerKey && o.withReaderKey !== false ? { readerPrivateKey: c.readerKey } : {}),
  });
}
const byId = (id: string) => {
  const c = cases.find((x) => x.id === id);
  if (!c) throw new Error(`no real-world case ${id}`);
  return c;
};
const status = (r: { checks: readonly { id: string; status: string }[] }, id: string) =>
  r.checks.find((x) => x.id === id)?.status;

describe('real-world responses at their verification time', () => {
  it('enumerates every group and case folder', () => {
    expect(new Set(cases.map((c) => c.group))).toEqual(
      new Set([
        'aosp-identity-credential',
        'auth0-examples',
        'eudi-reference-wallet',
        'smart-health-checkin',
        'wallet-responses',
      ]),
    );
    expect(cases.map((c) => c.id).sort()).toEqual(
      [
        'animo-paradym-oid4vp1',
        'aosp-iso18013-5-draft-devicemac',
        'auth0-example1',
        'auth0-example2',
        'auth0-example3',
        'auth0-example4',
        'bdr-issuer-signed',
        'eudi-reference-issuer-pid-malformed-validuntil',
        'eudi-reference-wallet-mdl-oid4vp1',
        'france-playground-oid4vp-draft18',
        'google-cm-wallet-dcapi-draft24',
        'smart-health-checkin-android-dcapi',
        'ubique-oid4vp-draft18',
      ].sort(),
    );
    expect(
      cases
        .filter((c) => c.kind === 'issuer-signed')
        .map((c) => c.id)
        .sort(),
    ).toEqual(['bdr-issuer-signed', 'eudi-reference-issuer-pid-malformed-validuntil']);
    expect(cases.filter((c) => c.readerKey).map((c) => c.id)).toEqual(['aosp-iso18013-5-draft-devicemac']);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s gives its case.json verdict', async (_id, c) => {
    const r = await run(c);
    const failed = r.checks.filter((x) => x.status === 'failed' || x.status === 'undetermined');
    expect(r.verdict, JSON.stringify(failed)).toBe(c.expectedValid ? 'valid' : 'invalid');
    if (c.docType && r.documents.length > 0) expect(r.documents[0]?.docType).toBe(c.docType);
    // A second verification gives the same report.
    if (c.kind === 'device-response')
      expect(JSON.stringify((await run(c)).checks)).toBe(JSON.stringify(r.checks));
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
      const r = await run(byId(id), { now: new Date('2026-11-26T00:00:00Z') });
      expect(r.verdict).toBe('invalid');
      expect(r.checks.find((x) => x.id === 'issuer.certificate_path')?.status).toBe('failed');
    },
  );

  it('aosp (pre-publication 18013-5, deviceMac): valid with the reader key, undetermined without it', async () => {
    const c = byId('aosp-iso18013-5-draft-devicemac');
    expect(status(await run(c), 'device.mac')).toBe('passed');
    const without = await run(c, { withReaderKey: false });
    expect(without.verdict).toBe('undetermined');
    expect(status(without, 'device.mac')).toBe('undetermined');
  });

  it('EU reference wallet mDL: valid, its EU-rulebook DS EKU a profile warning; invalid under strict', async () => {
    const c = byId('eudi-reference-wallet-mdl-oid4vp1');
    const r = await run(c);
    expect(status(r, 'issuer.certificate_path')).toBe('passed');
    expect(status(r, 'issuer.certificate_profile')).toBe('warning');
    expect(status(r, 'device.signature')).toBe('passed');
    const strict = await run(c, { extra: { policy: 'strict' } });
    expect(strict.verdict).toBe('invalid');
  });

  it('EU reference issuer PID: its malformed validUntil fails decode, naming the field', async () => {
    const r = await run(byId('eudi-reference-issuer-pid-malformed-validuntil'));
    expect(r.checks[0]).toMatchObject({ id: 'decode', status: 'failed' });
    expect(r.checks[0]?.detail).toContain('validUntil');
  });

  it('smart-health-checkin: a ~78 KB element and a device signature with an attached payload', async () => {
    const r = await run(byId('smart-health-checkin-android-dcapi'));
    expect(r.verdict).toBe('valid');
    expect(r.checks.find((x) => x.id === 'device.signature')?.detail).toContain('attached');
  });
});
