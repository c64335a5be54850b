import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildAppleIdentityPresentmentSessionTranscript } from '../../src/transcripts/apple-identity-presentment-handover.js';
import { hex } from './vectors.js';

/**
 * Apple publishes the CDDL (PassKit, "Verifying Wallet identity requests") but no worked example, so the
 * expectation is assembled by hand from RFC 8949 §3 heads — an independent computation of the bytes.
 */
describe('AppleIdentityPresentment_1.0 handover', () => {
  const nonce = Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex');
  const merchantId = 'merchant.jp.example.kyc';
  const teamId = 'ABCDE12345';
  const pkRHash = createHash('sha256')
    .update(Buffer.from('04' + '11'.repeat(64), 'hex'))
    .digest();

  it('encodes [null, null, ["AppleIdentityPresentment_1.0", nonce, merchantId, teamId, pkRHash]]', () => {
    const t = buildAppleIdentityPresentmentSessionTranscript({ nonce, merchantId, teamId, pkRHash });
    const expected = Buffer.concat([
      Buffer.from([0x83, 0xf6, 0xf6, 0x85]),
      Buffer.from([0x78, 28]),
      Buffer.from('AppleIdentityPresentment_1.0'),
      Buffer.from([0x50]), // bstr(16)
      nonce,
      Buffer.from([0x60 + merchantId.length]),
      Buffer.from(merchantId),
      Buffer.from([0x60 + teamId.length]),
      Buffer.from(teamId),
      Buffer.from([0x58, 0x20]),
      pkRHash,
    ]);
    expect(hex(t.sessionTranscript)).toBe(expected.toString('hex'));
    expect(hex(t.sessionTranscriptBytes)).toBe(
      `d81858${expected.length.toString(16)}${expected.toString('hex')}`,
    );
  });

  it('refuses a pkRHash that is not a SHA-256', () => {
    expect(() =>
      buildAppleIdentityPresentmentSessionTranscript({
        nonce,
        merchantId,
        teamId,
        pkRHash: new Uint8Array(31),
      }),
    ).toThrow(expect.objectContaining({ code: 'MDOC_INVALID_ARGUMENT' }));
  });
});
