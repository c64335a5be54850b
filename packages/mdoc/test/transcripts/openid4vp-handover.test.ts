import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildOpenId4VpDcApiSessionTranscript } from '../../src/transcripts/openid4vp-dc-api-handover.js';
import { buildOpenId4VpSessionTranscript } from '../../src/transcripts/openid4vp-handover.js';
import { hex, unhex, vectorJson } from './vectors.js';

interface Jwk {
  kty: string;
  crv: string;
  x: string;
  y: string;
}
interface RedirectVector {
  inputs: {
    clientId: string;
    nonce: string;
    responseUri: string;
    jwkThumbprintInputJwk: Jwk;
    jwkThumbprintHex: string;
  };
  openId4VpHandoverInfoHex: string;
  openId4VpHandoverInfoSha256Hex: string;
  openId4VpHandoverHex: string;
  sessionTranscriptHex: string;
}
interface DcApiVector {
  inputs: { origin: string; nonce: string; jwkThumbprintInputJwk: Jwk; jwkThumbprintHex: string };
  openId4VpDcApiHandoverInfoHex: string;
  openId4VpDcApiHandoverInfoSha256Hex: string;
  openId4VpDcApiHandoverHex: string;
  sessionTranscriptHex: string;
}

/** RFC 7638 §3: the required members in lexicographic order, no whitespace, SHA-256. Written here as an oracle. */
function ecThumbprint(jwk: Jwk): Uint8Array {
  const json = `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}","y":"${jwk.y}"}`;
  return new Uint8Array(createHash('sha256').update(json).digest());
}

/** Minimal CBOR text-string head + UTF-8 (lengths below 65536), for hand-assembled expectations. */
function tstr(s: string): string {
  const b = Buffer.from(s, 'utf8');
  const n = b.length;
  const head =
    n < 24
      ? (0x60 + n).toString(16)
      : n < 256
        ? `78${n.toString(16).padStart(2, '0')}`
        : `79${n.toString(16).padStart(4, '0')}`;
  return head + b.toString('hex');
}

/** tag 24 around a bstr of `bare`: d8 18 + bstr head + bytes. */
function tag24(bareHex: string): string {
  const n = bareHex.length / 2;
  const head =
    n < 24
      ? (0x40 + n).toString(16)
      : n < 256
        ? `58${n.toString(16).padStart(2, '0')}`
        : `59${n.toString(16).padStart(4, '0')}`;
  return `d818${head}${bareHex}`;
}

describe('OpenID4VPHandover (OpenID4VP 1.0 Appendix B.2.6.1)', () => {
  const v = vectorJson<RedirectVector>('openid4vp-handover/redirect_B.2.6.1.json');

  it('reproduces the published handover info, hash and SessionTranscript byte for byte', () => {
    const thumbprint = ecThumbprint(v.inputs.jwkThumbprintInputJwk);
    expect(hex(thumbprint)).toBe(v.inputs.jwkThumbprintHex);
    const t = buildOpenId4VpSessionTranscript({
      clientId: v.inputs.clientId,
      nonce: v.inputs.nonce,
      jwkThumbprint: thumbprint,
      responseUri: v.inputs.responseUri,
    });
    expect(hex(t.handoverInfo)).toBe(v.openId4VpHandoverInfoHex);
    expect(hex(t.handoverInfoHash)).toBe(v.openId4VpHandoverInfoSha256Hex);
    expect(hex(t.sessionTranscript)).toBe(v.sessionTranscriptHex);
    expect(hex(t.sessionTranscript)).toBe(`83f6f6${v.openId4VpHandoverHex}`);
    expect(hex(t.sessionTranscriptBytes)).toBe(tag24(v.sessionTranscriptHex));
  });

  it('puts null for the thumbprint of an unencrypted direct_post response', () => {
    const t = buildOpenId4VpSessionTranscript({
      clientId: v.inputs.clientId,
      nonce: v.inputs.nonce,
      jwkThumbprint: null,
      responseUri: v.inputs.responseUri,
    });
    const info = `84${tstr(v.inputs.clientId)}${tstr(v.inputs.nonce)}f6${tstr(v.inputs.responseUri)}`;
    expect(hex(t.handoverInfo)).toBe(info);
    const hash = createHash('sha256').update(unhex(info)).digest('hex');
    expect(hex(t.sessionTranscript)).toBe(`83f6f682${tstr('OpenID4VPHandover')}5820${hash}`);
  });

  it('changes with every input (client id, nonce, response URI)', () => {
    const base = {
      clientId: v.inputs.clientId,
      nonce: v.inputs.nonce,
      jwkThumbprint: null,
      responseUri: v.inputs.responseUri,
    };
    const ref = hex(buildOpenId4VpSessionTranscript(base).sessionTranscript);
    for (const patch of [
      { clientId: 'x509_san_dns:other.example' },
      { nonce: 'other' },
      { responseUri: 'https://example.com/other' },
    ]) {
      expect(hex(buildOpenId4VpSessionTranscript({ ...base, ...patch }).sessionTranscript)).not.toBe(ref);
    }
  });

  it('rejects a thumbprint that is not 32 bytes', () => {
    expect(() =>
      buildOpenId4VpSessionTranscript({
        clientId: 'a',
        nonce: 'n',
        jwkThumbprint: new Uint8Array(20),
        responseUri: null,
      }),
    ).toThrow(expect.objectContaining({ code: 'MDOC_INVALID_ARGUMENT' }));
  });
});

describe('OpenID4VPDCAPIHandover (OpenID4VP 1.0 Appendix B.2.6.2)', () => {
  const v = vectorJson<DcApiVector>('openid4vp-handover/dcapi_B.2.6.2.json');

  it('reproduces the published handover info, hash and SessionTranscript byte for byte', () => {
    const thumbprint = ecThumbprint(v.inputs.jwkThumbprintInputJwk);
    expect(hex(thumbprint)).toBe(v.inputs.jwkThumbprintHex);
    const t = buildOpenId4VpDcApiSessionTranscript({
      origin: v.inputs.origin,
      nonce: v.inputs.nonce,
      jwkThumbprint: thumbprint,
    });
    expect(hex(t.handoverInfo)).toBe(v.openId4VpDcApiHandoverInfoHex);
    expect(hex(t.handoverInfoHash)).toBe(v.openId4VpDcApiHandoverInfoSha256Hex);
    expect(hex(t.sessionTranscript)).toBe(v.sessionTranscriptHex);
    expect(hex(t.sessionTranscript)).toBe(`83f6f6${v.openId4VpDcApiHandoverHex}`);
    expect(hex(t.sessionTranscriptBytes)).toBe(tag24(v.sessionTranscriptHex));
  });

  it('puts null for the thumbprint of an unencrypted dc_api response', () => {
    const t = buildOpenId4VpDcApiSessionTranscript({
      origin: v.inputs.origin,
      nonce: v.inputs.nonce,
      jwkThumbprint: null,
    });
    expect(hex(t.handoverInfo)).toBe(`83${tstr(v.inputs.origin)}${tstr(v.inputs.nonce)}f6`);
  });

  it('depends on the origin', () => {
    const a = buildOpenId4VpDcApiSessionTranscript({
      origin: 'https://example.com',
      nonce: 'n',
      jwkThumbprint: null,
    });
    const b = buildOpenId4VpDcApiSessionTranscript({
      origin: 'https://example.org',
      nonce: 'n',
      jwkThumbprint: null,
    });
    expect(hex(a.sessionTranscript)).not.toBe(hex(b.sessionTranscript));
  });
});

describe('handover encodings for arbitrary inputs (property, against hand-assembled CBOR)', () => {
  const text = fc.string({ minLength: 1, maxLength: 300, unit: 'binary' });
  const thumbprint = fc.option(fc.uint8Array({ minLength: 32, maxLength: 32 }), { nil: null });
  const bstr32 = (b: Uint8Array | null) => (b === null ? 'f6' : `5820${hex(b)}`);

  it('OpenID4VPHandoverInfo = [clientId, nonce, thumbprint, responseUri]', () => {
    fc.assert(
      fc.property(
        text,
        text,
        thumbprint,
        fc.option(text, { nil: null }),
        (clientId, nonce, jwkThumbprint, responseUri) => {
          const t = buildOpenId4VpSessionTranscript({ clientId, nonce, jwkThumbprint, responseUri });
          const info = `84${tstr(clientId)}${tstr(nonce)}${bstr32(jwkThumbprint)}${responseUri === null ? 'f6' : tstr(responseUri)}`;
          expect(hex(t.handoverInfo)).toBe(info);
          const h = createHash('sha256').update(unhex(info)).digest('hex');
          expect(hex(t.sessionTranscript)).toBe(`83f6f682${tstr('OpenID4VPHandover')}5820${h}`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('OpenID4VPDCAPIHandoverInfo = [origin, nonce, thumbprint]', () => {
    fc.assert(
      fc.property(text, text, thumbprint, (origin, nonce, jwkThumbprint) => {
        const t = buildOpenId4VpDcApiSessionTranscript({ origin, nonce, jwkThumbprint });
        const info = `83${tstr(origin)}${tstr(nonce)}${bstr32(jwkThumbprint)}`;
        expect(hex(t.handoverInfo)).toBe(info);
        expect(hex(t.sessionTranscriptBytes)).toBe(tag24(hex(t.sessionTranscript)));
      }),
      { numRuns: 200 },
    );
  });
});
