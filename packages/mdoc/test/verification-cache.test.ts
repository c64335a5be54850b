/** The DS path cache changes speed, never results. */
import { describe, expect, it } from 'vitest';
import { VerificationCache, verifyDeviceResponse } from '../src/index.js';
import { annexD, annexDKeys, annexDPem } from './vectors.js';

const response = annexD('device_response.hex');
const base = {
  sessionTranscriptBytes: annexD('session_transcript_bytes.hex'),
  readerPrivateKey: Uint8Array.from(Buffer.from(annexDKeys().EReaderKey.d, 'hex')),
};
const iaca = annexDPem('iaca_cert.pem');
const reader = annexDPem('reader_root_cert.pem');

describe('VerificationCache', () => {
  it('keeps validated paths only, keyed by anchors, and only within their validity', async () => {
    const cache = new VerificationCache(4);
    const at = (iso: string, anchors: string[]) =>
      verifyDeviceResponse(response, { ...base, trustAnchors: anchors, now: new Date(iso), cache });
    expect((await at('2021-01-01T00:00:00Z', [iaca])).verdict).toBe('valid');
    expect(cache.size).toBe(1);
    expect((await at('2021-02-01T00:00:00Z', [iaca])).verdict).toBe('valid');
    expect(cache.size).toBe(1);
    // Other anchors: not served from the entry made for the IACA; failures are not cached.
    const other = await at('2021-01-01T00:00:00Z', [reader]);
    expect(other.checks.find((c) => c.id === 'issuer.certificate_path')?.status).toBe('failed');
    expect(cache.size).toBe(1);
    // After the DS expired the cached path is not reused.
    const late = await at('2021-10-02T00:00:00Z', [iaca]);
    expect(late.checks.find((c) => c.id === 'issuer.certificate_path')?.status).toBe('failed');
    // Bounded.
    for (let i = 0; i < 10; i++) await at('2021-01-01T00:00:00Z', [iaca, reader].slice(0, 1 + (i % 2)));
    expect(cache.size).toBeLessThanOrEqual(4);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('with and without the cache the reports are identical', async () => {
    const cache = new VerificationCache();
    for (const iso of ['2021-01-01T00:00:00Z', '2021-01-01T00:00:00Z', '2022-01-01T00:00:00Z']) {
      const a = await verifyDeviceResponse(response, {
        ...base,
        trustAnchors: [iaca],
        now: new Date(iso),
        cache,
      });
      const b = await verifyDeviceResponse(response, {
        ...base,
        trustAnchors: [iaca],
        now: new Date(iso),
        cache: false,
      });
      expect(JSON.stringify(a.checks)).toBe(JSON.stringify(b.checks));
    }
  });
});
