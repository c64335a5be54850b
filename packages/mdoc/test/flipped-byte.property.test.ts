/**
 * Property: one flipped byte anywhere in a valid response never yields `valid` — over the Annex D
 * response and over a response our own issuer and wallet produced. Every position is tried with one
 * bit flipped, then fast-check tries random positions with random xor masks. The shared DS path cache
 * is on, so this also shows a cached path is never reused for a certificate that differs.
 */
import { hexToBytes } from '@mynakit/cbor';
import { parseCertificate } from '@mynakit/pki';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  issueMdoc,
  JP_MNC_DOCTYPE,
  presentMdoc,
  VerificationCache,
  type VerifyDeviceResponseOptions,
  verifyDeviceResponse,
} from '../src/index.js';
import { jpMncElements, makeIssuerChain, p256, portrait } from './fixtures.js';
import { annexD, annexDKeys, annexDPem } from './vectors.js';

async function neverValid(bytes: Uint8Array, options: VerifyDeviceResponseOptions): Promise<void> {
  expect((await verifyDeviceResponse(bytes, options)).verdict).toBe('valid');
  const bad: number[] = [];
  const copy = bytes.slice();
  for (let i = 0; i < bytes.length; i++) {
    copy[i] = (copy[i] as number) ^ 0x01;
    if ((await verifyDeviceResponse(copy, options)).verdict === 'valid') bad.push(i);
    copy[i] = (copy[i] as number) ^ 0x01;
  }
  expect(bad).toEqual([]);
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: bytes.length - 1 }),
      fc.integer({ min: 1, max: 255 }),
      async (pos, mask) => {
        const b = bytes.slice();
        b[pos] = (b[pos] as number) ^ mask;
        expect((await verifyDeviceResponse(b, options)).verdict).not.toBe('valid');
      },
    ),
    { numRuns: 400 },
  );
}

describe('a flipped byte never yields valid', () => {
  it('Annex D', { timeout: 120_000 }, async () => {
    await neverValid(annexD('device_response.hex'), {
      sessionTranscriptBytes: annexD('session_transcript_bytes.hex'),
      trustAnchors: [parseCertificate(annexDPem('iaca_cert.pem'))],
      now: new Date('2021-01-01T00:00:00Z'),
      readerPrivateKey: hexToBytes(annexDKeys().EReaderKey.d),
      cache: new VerificationCache(),
    });
  });

  let ours: { bytes: Uint8Array; options: VerifyDeviceResponseOptions };
  beforeAll(async () => {
    const chain = makeIssuerChain();
    const device = p256();
    const now = new Date('2025-06-01T00:00:00Z');
    const transcript = hexToBytes(
      '83f6f682714f70656e494434565048616e646f7665725820048bc053c00442af9b8eed494cefdd9d95240d254b046b11b68013722aad38ac',
    );
    const elements = jpMncElements(portrait(512));
    const issued = await issueMdoc({
      docType: JP_MNC_DOCTYPE,
      nameSpaces: elements,
      deviceKey: device.publicKey,
      validityInfo: { signed: now, validFrom: now, validUntil: new Date('2026-01-01T00:00:00Z') },
      status: { idx: 1, uri: 'https://issuer.example/status/1' },
      issuerKey: chain.dsKey,
      issuerCertificateChain: [chain.ds.der, chain.iaca.der],
    });
    const bytes = await presentMdoc({
      documents: [issued.bytes],
      request: {
        docType: JP_MNC_DOCTYPE,
        elements: Object.fromEntries(Object.entries(elements).map(([ns, v]) => [ns, Object.keys(v)])),
      },
      sessionTranscriptBytes: transcript,
      deviceKey: device.privateKey,
      mode: 'signature',
    });
    ours = {
      bytes,
      options: {
        sessionTranscriptBytes: transcript,
        trustAnchors: [chain.iaca],
        now,
        cache: new VerificationCache(),
        statusChecker: async () => ({ status: 'passed', detail: 'not revoked' }),
      },
    };
  });

  it('our issued and presented jp.mnc response', { timeout: 120_000 }, async () => {
    await neverValid(ours.bytes, ours.options);
  });

  it('never throws: random bytes, truncations and insertions are reported, not thrown', async () => {
    const bytes = ours.bytes;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.nat({ max: bytes.length }).map((n) => bytes.slice(0, n)),
          fc
            .tuple(fc.nat({ max: bytes.length }), fc.uint8Array({ minLength: 1, maxLength: 8 }))
            .map(([at, ins]) => Uint8Array.from([...bytes.subarray(0, at), ...ins, ...bytes.subarray(at)])),
        ),
        async (input) => {
          const r = await verifyDeviceResponse(input, ours.options);
          expect(['valid', 'invalid', 'undetermined']).toContain(r.verdict);
          expect(r.checks.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
