/**
 * LIMITS.x5chain (8): an x5chain (RFC 9360 §2, COSE header label 33) of issuerAuth or readerAuth longer
 * than the limit is refused before any certificate in it is parsed — a failed issuer.certificate_path /
 * reader.path whose detail names the limit — in the one-pass reader and the general path alike. The bound
 * is counted once, by @mynakit/cose's x5chainOf.
 */
import { hexToBytes } from '@mynakit/cbor';
import { createCertificate } from '@mynakit/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildDeviceRequest,
  type IssuedMdoc,
  issueMdoc,
  LIMITS,
  presentMdoc,
  verifyDeviceResponse,
  verifyIssuerSigned,
  verifyReaderAuth,
} from '../src/index.js';
import { type IssuerChain, makeIssuerChain, p256, TRANSCRIPT } from './fixtures.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const device = p256();
let chain: IssuerChain;
beforeAll(() => {
  chain = makeIssuerChain();
});

/** The DS certificate followed by `n - 1` copies of the IACA: a chain of n certificates. */
const chainOf = (n: number) => [chain.ds.der, ...Array.from({ length: n - 1 }, () => chain.iaca.der)];

async function issued(n: number): Promise<IssuedMdoc> {
  return issueMdoc({
    docType: 'org.example.test',
    nameSpaces: { 'org.example.ns': { a: 'x' } },
    deviceKey: device.publicKey,
    validityInfo: {
      signed: new Date('2025-05-01T00:00:00Z'),
      validFrom: new Date('2025-05-01T00:00:00Z'),
      validUntil: new Date('2026-01-01T00:00:00Z'),
    },
    issuerKey: chain.dsKey,
    issuerCertificateChain: chainOf(n),
  });
}

describe('x5chain limit', () => {
  it('is 8 certificates', () => {
    expect(LIMITS.x5chain).toBe(8);
  });

  it('issuerAuth: 8 certificates verify, 9 fail issuer.certificate_path naming the limit (both readers)', async () => {
    for (const n of [LIMITS.x5chain, LIMITS.x5chain + 1]) {
      const mdoc = await issued(n);
      const response = await presentMdoc({
        documents: [mdoc.bytes],
        request: { docType: 'org.example.test', elements: { 'org.example.ns': ['a'] } },
        sessionTranscriptBytes: TRANSCRIPT,
        deviceKey: device.privateKey,
        mode: 'signature',
      });
      const r = await verifyDeviceResponse(response, {
        sessionTranscriptBytes: TRANSCRIPT,
        trustAnchors: [chain.iaca],
        now: NOW,
        cache: false,
      });
      const path = r.checks.find((c) => c.id === 'issuer.certificate_path');
      if (n <= LIMITS.x5chain) {
        expect(r.verdict, JSON.stringify(r.checks)).toBe('valid');
      } else {
        expect(r.verdict).toBe('invalid');
        expect(path?.status).toBe('failed');
        expect(path?.detail).toContain('limit x5chain');
        expect(r.checks.find((c) => c.id === 'issuer.signature')?.status).toBe('failed');
      }
      const i = await verifyIssuerSigned(mdoc.bytes, { trustAnchors: [chain.iaca], now: NOW, cache: false });
      expect(i.checks.find((c) => c.id === 'issuer.certificate_path')?.detail ?? '').toSatisfy((d: string) =>
        n > LIMITS.x5chain ? d.includes('limit x5chain') : !d.includes('limit'),
      );
    }
  });

  it('readerAuth: 9 certificates fail reader.path naming the limit', () => {
    const root = p256();
    const rootDer = createCertificate({
      subject: 'C=JP, CN=reader root',
      publicKey: root.publicKey,
      privateKey: root.privateKey,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
      extensions: [
        { type: 'basicConstraints', ca: true, pathLength: 0 },
        { type: 'keyUsage', usages: ['keyCertSign', 'cRLSign'] },
      ],
    });
    const reader = p256();
    const readerDer = createCertificate({
      subject: 'C=JP, CN=reader',
      issuer: { certificate: rootDer, privateKey: root.privateKey },
      publicKey: reader.publicKey,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2026-01-01T00:00:00Z'),
      extensions: [
        { type: 'keyUsage', usages: ['digitalSignature'] },
        { type: 'extKeyUsage', usages: ['mdlReaderAuth'], critical: true },
      ],
    });
    for (const n of [LIMITS.x5chain, LIMITS.x5chain + 1]) {
      const bytes = buildDeviceRequest({
        docRequests: [{ docType: 'org.example.test', nameSpaces: { 'org.example.ns': { a: false } } }],
        readerAuth: {
          key: reader.privateKey,
          certificateChain: [readerDer, ...Array.from({ length: n - 1 }, () => rootDer)],
          sessionTranscriptBytes: TRANSCRIPT,
        },
      });
      const r = verifyReaderAuth(bytes, {
        sessionTranscriptBytes: TRANSCRIPT,
        trustAnchors: [rootDer],
        now: NOW,
      });
      const path = r.checks.find((c) => c.id === 'reader.path');
      if (n <= LIMITS.x5chain) expect(r.verdict, JSON.stringify(r.checks)).toBe('valid');
      else {
        expect(r.verdict).toBe('invalid');
        expect(path?.status).toBe('failed');
        expect(path?.detail).toContain('limit x5chain');
      }
    }
  });
});
