import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildDcapiSessionTranscript } from '../../src/transcripts/dcapi-handover.js';
import { hex, vectorJson } from './vectors.js';

interface WaltIdVector {
  vector: {
    origin: string;
    encryptionInfoB64: string;
    expected: { sessionTranscriptCborSha256Hex: string };
  };
}

const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('dcapi handover (ISO/IEC 18013-7 Annex C)', () => {
  for (const file of ['waltid_ANNEXC-DETERMINISTIC-001.json', 'waltid_ANNEXC-REAL-001.json']) {
    it(`gives the SessionTranscript whose SHA-256 walt.id publishes (${file})`, () => {
      const { vector } = vectorJson<WaltIdVector>(`annex-c/${file}`);
      const t = buildDcapiSessionTranscript({
        encryptionInfo: vector.encryptionInfoB64,
        origin: vector.origin,
      });
      expect(sha256Hex(t.sessionTranscript)).toBe(vector.expected.sessionTranscriptCborSha256Hex);
      // The HPKE info is the bare array: the tag-24 form hashes differently.
      expect(sha256Hex(t.sessionTranscriptBytes)).not.toBe(vector.expected.sessionTranscriptCborSha256Hex);
      expect(hex(t.sessionTranscriptBytes).endsWith(hex(t.sessionTranscript))).toBe(true);
    });
  }

  it('hashes the base64url string as sent, not the decoded EncryptionInfo', () => {
    const { vector } = vectorJson<WaltIdVector>('annex-c/waltid_ANNEXC-DETERMINISTIC-001.json');
    const t = buildDcapiSessionTranscript({
      encryptionInfo: vector.encryptionInfoB64,
      origin: vector.origin,
    });
    // Independent computation: CBOR [tstr, tstr] assembled by hand, then [null, null, ["dcapi", h]].
    const text = (s: string) => {
      const b = Buffer.from(s);
      if (b.length < 24) return Buffer.concat([Buffer.from([0x60 + b.length]), b]);
      if (b.length < 256) return Buffer.concat([Buffer.from([0x78, b.length]), b]);
      return Buffer.concat([Buffer.from([0x79, b.length >> 8, b.length & 0xff]), b]);
    };
    const info = Buffer.concat([Buffer.from([0x82]), text(vector.encryptionInfoB64), text(vector.origin)]);
    const h = createHash('sha256').update(info).digest();
    expect(hex(t.dcapiInfoHash)).toBe(h.toString('hex'));
    const expected = Buffer.concat([
      Buffer.from([0x83, 0xf6, 0xf6, 0x82]),
      text('dcapi'),
      Buffer.from([0x58, 0x20]),
      h,
    ]);
    expect(hex(t.sessionTranscript)).toBe(expected.toString('hex'));
  });

  it('depends on the origin', () => {
    const { vector } = vectorJson<WaltIdVector>('annex-c/waltid_ANNEXC-DETERMINISTIC-001.json');
    const t = buildDcapiSessionTranscript({
      encryptionInfo: vector.encryptionInfoB64,
      origin: 'https://evil.example',
    });
    expect(sha256Hex(t.sessionTranscript)).not.toBe(vector.expected.sessionTranscriptCborSha256Hex);
  });

  it('refuses empty inputs', () => {
    expect(() => buildDcapiSessionTranscript({ encryptionInfo: '', origin: 'https://a.example' })).toThrow(
      expect.objectContaining({ code: 'MDOC_INVALID_ARGUMENT' }),
    );
  });
});
