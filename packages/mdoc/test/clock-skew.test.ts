/**
 * Clock skew: a phone's clock that runs ahead of the verifier's makes a fresh MSO look "not yet valid".
 * `clockSkewSeconds` (default 60) tolerates a validFrom or MSO `signed` time up to that far after the
 * verification time — and nothing else: validUntil, certificate notAfter and a status list's exp get
 * no grace. The report says when the tolerance was used.
 */
import { join } from 'node:path';
import { checkReferencedStatus, StatusList, signStatusListCwt } from '@mynakit/status-list';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  issueMdoc,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  presentMdoc,
  type ValidityInfo,
  type VerifyDeviceResponseOptions,
  verifyDeviceResponse,
} from '../src/index.js';
import { type IssuerChain, jpMncElements, makeIssuerChain, p256, portrait, TRANSCRIPT } from './fixtures.js';
import { hexFile, realWorldCases } from './vectors.js';

const T = new Date('2025-06-01T12:00:00Z');
const at = (seconds: number) => new Date(T.getTime() + seconds * 1000);
const check = (r: { checks: readonly { id: string; status: string; detail: string }[] }, id: string) =>
  r.checks.find((c) => c.id === id);

let chain: IssuerChain;
const device = p256();

async function presented(validityInfo: ValidityInfo, status?: { idx: number; uri: string }) {
  const issued = await issueMdoc({
    docType: JP_MNC_DOCTYPE,
    nameSpaces: jpMncElements(portrait(64)),
    deviceKey: device.publicKey,
    validityInfo,
    ...(status ? { status } : {}),
    issuerKey: chain.dsKey,
    issuerCertificateChain: [chain.ds.der],
  });
  return presentMdoc({
    documents: [issued.bytes],
    request: { docType: JP_MNC_DOCTYPE, elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode'] } },
    sessionTranscriptBytes: TRANSCRIPT,
    deviceKey: device.privateKey,
    mode: 'signature',
  });
}

const opts = (extra: Partial<VerifyDeviceResponseOptions> = {}): VerifyDeviceResponseOptions => ({
  sessionTranscriptBytes: TRANSCRIPT,
  trustAnchors: [chain.iaca],
  now: T,
  cache: false,
  ...extra,
});

beforeAll(() => {
  chain = makeIssuerChain();
});

describe('a real Android capture presented 2.2 s before its validFrom', () => {
  const c = () => realWorldCases().find((x) => x.id === 'smart-health-checkin-android-dcapi');
  // metadata.json capturedAt of the source: 2026-05-01T17:27:18.788Z; MSO validFrom 17:27:21Z.
  const capturedAt = new Date('2026-05-01T17:27:18.788Z');
  const run = async (extra: Partial<VerifyDeviceResponseOptions>) => {
    const k = c();
    if (!k) throw new Error('case missing');
    return verifyDeviceResponse(hexFile(join(k.dir, 'device_response.hex')), {
      sessionTranscriptBytes: hexFile(join(k.dir, 'session_transcript_bytes.hex')),
      trustAnchors: k.anchors,
      now: capturedAt,
      cache: false,
      ...extra,
    });
  };

  it('is valid at that instant under the default 60 s skew, and the report says the skew was used', async () => {
    const r = await run({});
    expect(r.verdict).toBe('valid');
    expect(check(r, 'mso.validity')?.status).toBe('passed');
    expect(check(r, 'mso.validity')?.detail).toMatch(/2\.2 s.*clock skew/);
  });

  it('with no skew allowed it is not yet valid', async () => {
    const r = await run({ clockSkewSeconds: 0 });
    expect(check(r, 'mso.validity')?.status).toBe('failed');
    expect(r.verdict).toBe('invalid');
  });
});

describe('what the skew covers', () => {
  it('validFrom up to the skew ahead: passed with a note; beyond it: failed', async () => {
    const ahead = (s: number) => presented({ signed: at(-3600), validFrom: at(s), validUntil: at(86_400) });
    const r59 = await verifyDeviceResponse(await ahead(59), opts());
    expect(check(r59, 'mso.validity')).toMatchObject({ status: 'passed' });
    expect(check(r59, 'mso.validity')?.detail).toMatch(/59 s after the verification time/);
    const r61 = await verifyDeviceResponse(await ahead(61), opts());
    expect(check(r61, 'mso.validity')?.status).toBe('failed');
    const r61wide = await verifyDeviceResponse(await ahead(61), opts({ clockSkewSeconds: 120 }));
    expect(check(r61wide, 'mso.validity')?.status).toBe('passed');
  });

  it('an MSO signed up to the skew ahead: passed with a note; signed further ahead: failed', async () => {
    const signedAhead = (s: number) =>
      presented({ signed: at(s), validFrom: at(-3600), validUntil: at(86_400) });
    const near = await verifyDeviceResponse(await signedAhead(30), opts());
    expect(check(near, 'mso.validity')?.status).toBe('passed');
    expect(check(near, 'mso.validity')?.detail).toMatch(/signed 30 s after/);
    const far = await verifyDeviceResponse(await signedAhead(3600), opts());
    expect(check(far, 'mso.validity')?.status).toBe('failed');
    expect(check(far, 'mso.validity')?.detail).toMatch(/signed/);
  });

  it('validUntil gets no grace: one second past it is expired, whatever the skew', async () => {
    const bytes = await presented({ signed: at(-3600), validFrom: at(-3600), validUntil: at(-1) });
    const r = await verifyDeviceResponse(bytes, opts({ clockSkewSeconds: 600 }));
    expect(check(r, 'mso.validity')?.status).toBe('failed');
    expect(check(r, 'mso.validity')?.detail).toMatch(/expired/);
  });

  it("the DS certificate's notAfter gets no grace", async () => {
    const bytes = await presented({
      signed: new Date('2026-02-01T00:00:00Z'),
      validFrom: new Date('2026-02-01T00:00:00Z'),
      validUntil: new Date('2026-12-01T00:00:00Z'),
    });
    const justAfter = new Date(chain.ds.notAfter.getTime() + 1000);
    const r = await verifyDeviceResponse(bytes, opts({ now: justAfter, clockSkewSeconds: 600 }));
    expect(check(r, 'issuer.certificate_path')?.status).toBe('failed');
    expect(check(r, 'issuer.certificate_path')?.detail).toMatch(/PATH_EXPIRED/);
  });

  it("a status list's exp gets no grace: expired a second ago is undetermined", async () => {
    const uri = 'https://issuer.example/status/1';
    const bytes = await presented(
      { signed: at(-3600), validFrom: at(-3600), validUntil: at(86_400) },
      { idx: 0, uri },
    );
    const token = await signStatusListCwt({
      list: StatusList.fromStatuses([0, 0], 1),
      sub: uri,
      iat: at(-7200),
      exp: at(-1),
      key: chain.dsKey,
      x5chain: [chain.ds.der],
    });
    const r = await verifyDeviceResponse(
      bytes,
      opts({
        clockSkewSeconds: 600,
        statusChecker: (reference, ctx) =>
          checkReferencedStatus({ reference, token, trustAnchors: [chain.iaca.der], now: ctx.now }),
      }),
    );
    expect(check(r, 'status.revocation')?.status).toBe('undetermined');
  });

  it('a negative or non-finite skew is a programmer error', async () => {
    const bytes = await presented({ signed: at(-3600), validFrom: at(-3600), validUntil: at(86_400) });
    await expect(verifyDeviceResponse(bytes, opts({ clockSkewSeconds: -1 }))).rejects.toMatchObject({
      code: 'MDOC_INVALID_ARGUMENT',
    });
    await expect(
      verifyDeviceResponse(bytes, opts({ clockSkewSeconds: Number.POSITIVE_INFINITY })),
    ).rejects.toMatchObject({ code: 'MDOC_INVALID_ARGUMENT' });
  });
});
