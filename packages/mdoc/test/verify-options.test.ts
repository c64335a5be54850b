/**
 * The verifiers' options are configuration, not received data: a missing option or a trust anchor that
 * is not a certificate is the caller's mistake and throws a typed MdocError naming it — it is never
 * turned into an `invalid` verdict about the credential (which would blame the holder for the relying
 * party's configuration).
 */
import { parseCertificate } from '@mynakit/pki';
import { describe, expect, it } from 'vitest';
import { MdocError, verifyDeviceResponse, verifyIssuerSigned } from '../src/index.js';
import { annexD, annexDPem } from './vectors.js';

const response = annexD('device_response.hex');
const transcript = annexD('session_transcript_bytes.hex');
const iacaPem = annexDPem('iaca_cert.pem');
const iaca = parseCertificate(iacaPem);
const now = new Date('2021-01-01T00:00:00Z');

async function rejection(p: () => Promise<unknown>): Promise<MdocError> {
  try {
    await p();
  } catch (e) {
    expect(e).toBeInstanceOf(MdocError);
    return e as MdocError;
  }
  throw new Error('expected an MdocError');
}

describe('verifyDeviceResponse options', () => {
  it('no options at all: MDOC_INVALID_ARGUMENT naming what is required, not a TypeError', async () => {
    const e = await rejection(() =>
      (verifyDeviceResponse as (b: Uint8Array, o?: unknown) => Promise<unknown>)(response),
    );
    expect(e.code).toBe('MDOC_INVALID_ARGUMENT');
    expect(e.message).toMatch(/options/);
    expect(e.message).toMatch(/now/);
    expect(e.message).toMatch(/trustAnchors/);
    expect(e.message).toMatch(/sessionTranscriptBytes/);
  });

  it.each([
    ['now', { trustAnchors: [iaca], sessionTranscriptBytes: transcript }],
    ['trustAnchors', { now, sessionTranscriptBytes: transcript }],
    ['sessionTranscriptBytes', { now, trustAnchors: [iaca] }],
  ])('missing %s: MDOC_INVALID_ARGUMENT naming it', async (name, options) => {
    const e = await rejection(() => verifyDeviceResponse(response, options as never));
    expect(e.code).toBe('MDOC_INVALID_ARGUMENT');
    expect(e.message).toContain(`options.${name}`);
    expect(e.message).toContain('missing');
  });

  it('an options value that is not an object is MDOC_INVALID_ARGUMENT', async () => {
    for (const bad of [null, 42, 'options']) {
      const e = await rejection(() => verifyDeviceResponse(response, bad as never));
      expect(e.code).toBe('MDOC_INVALID_ARGUMENT');
    }
  });

  it.each([
    ['garbage text', 'not a certificate'],
    ['a PEM block with garbage inside', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'],
    ['a PEM of another kind', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'],
    ['garbage bytes', Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01)],
    ['empty bytes', new Uint8Array(0)],
    ['an object that is no certificate', { subject: 'CN=x' }],
    ['null', null],
  ])('a trust anchor that is %s: MDOC_INVALID_TRUST_ANCHOR naming its index', async (_n, anchor) => {
    const e = await rejection(() =>
      verifyDeviceResponse(response, {
        now,
        trustAnchors: [iaca, anchor as never],
        sessionTranscriptBytes: transcript,
        cache: false,
      }),
    );
    expect(e.code).toBe('MDOC_INVALID_TRUST_ANCHOR');
    expect(e.message).toContain('options.trustAnchors[1]');
  });

  it('anchors given as PEM text, DER bytes or Certificate objects still verify', async () => {
    for (const anchor of [iacaPem, iaca.der, iaca]) {
      const r = await verifyDeviceResponse(response, {
        now,
        trustAnchors: [anchor],
        sessionTranscriptBytes: transcript,
        cache: false,
      });
      expect(r.checks.find((c) => c.id === 'decode')?.status).toBe('passed');
      expect(r.documents[0]?.checks.find((c) => c.id === 'issuer.certificate_path')?.status).toBe('passed');
    }
  });
});

describe('verifyIssuerSigned options', () => {
  it('no options: MDOC_INVALID_ARGUMENT', async () => {
    const e = await rejection(() =>
      (verifyIssuerSigned as (b: Uint8Array, o?: unknown) => Promise<unknown>)(response),
    );
    expect(e.code).toBe('MDOC_INVALID_ARGUMENT');
    expect(e.message).toMatch(/now/);
  });

  it.each([
    ['now', { trustAnchors: [iaca] }],
    ['trustAnchors', { now }],
  ])('missing %s: MDOC_INVALID_ARGUMENT naming it', async (name, options) => {
    const e = await rejection(() => verifyIssuerSigned(response, options as never));
    expect(e.code).toBe('MDOC_INVALID_ARGUMENT');
    expect(e.message).toContain(`options.${name}`);
  });

  it('an unparsable trust anchor: MDOC_INVALID_TRUST_ANCHOR, not an invalid verdict', async () => {
    const e = await rejection(() => verifyIssuerSigned(response, { now, trustAnchors: ['garbage'] }));
    expect(e.code).toBe('MDOC_INVALID_TRUST_ANCHOR');
    expect(e.message).toContain('options.trustAnchors[0]');
  });
});
