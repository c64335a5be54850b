/** DeviceRequest building with reader authentication, and its verification (ours and @owf/mdoc's). */
import { type CborValue, EncodedCbor, encode, hexToBytes } from '@mynakit/cbor';
import { createCertificate, parseCertificate } from '@mynakit/pki';
import { Holder } from '@owf/mdoc';
import { describe, expect, it } from 'vitest';
import {
  buildDeviceRequest,
  buildJpMncRequest,
  decodeDeviceRequestBytes,
  issueMdoc,
  JP_MNC_DOCTYPE,
  JP_MNC_NAMESPACE,
  LIMITS,
  presentMdoc,
  verifyDeviceResponse,
  verifyReaderAuth,
} from '../src/index.js';
import { jpMncElements, makeIssuerChain, p256, portrait } from './fixtures.js';
import { owfContext } from './owf-context.js';

const TRANSCRIPT = hexToBytes(
  '83f6f682714f70656e494434565048616e646f7665725820048bc053c00442af9b8eed494cefdd9d95240d254b046b11b68013722aad38ac',
);
const NOW = new Date('2025-06-01T00:00:00Z');

function readerChain() {
  const root = p256();
  const rootDer = createCertificate({
    subject: 'C=JP, CN=mynakit test reader root',
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
    subject: 'C=JP, CN=relying party reader',
    issuer: { certificate: rootDer, privateKey: root.privateKey },
    publicKey: reader.publicKey,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2026-01-01T00:00:00Z'),
    extensions: [
      { type: 'keyUsage', usages: ['digitalSignature'] },
      { type: 'extKeyUsage', usages: ['1.0.18013.5.1.6'], critical: true },
    ],
  });
  return { rootDer, readerDer, readerKey: reader.privateKey };
}

const request = buildJpMncRequest({ elements: { [JP_MNC_NAMESPACE]: ['full_name_unicode', 'portrait'] } });

describe('buildDeviceRequest', () => {
  it('version 1.0 with readerAuth per DocRequest: verifies here and in @owf/mdoc', async () => {
    const { rootDer, readerDer, readerKey } = readerChain();
    const bytes = buildDeviceRequest({
      docRequests: [request],
      readerAuth: { key: readerKey, certificateChain: [readerDer], sessionTranscriptBytes: TRANSCRIPT },
    });
    const decoded = decodeDeviceRequestBytes(bytes);
    expect(decoded.version).toBe('1.0');
    expect(decoded.docRequests[0]?.itemsRequest).toEqual({
      docType: JP_MNC_DOCTYPE,
      nameSpaces: request.nameSpaces,
    });
    const r = verifyReaderAuth(bytes, {
      sessionTranscriptBytes: TRANSCRIPT,
      trustAnchors: [rootDer],
      now: NOW,
    });
    expect(r.verdict).toBe('valid');
    expect(r.readerCertificate?.subject).toBe('C=JP, CN=relying party reader');
    await expect(
      Holder.verifyDeviceRequest({ deviceRequest: bytes, sessionTranscript: TRANSCRIPT }, owfContext),
    ).resolves.toBeUndefined();
    // Under another transcript the signature no longer verifies, in both.
    const other = TRANSCRIPT.slice();
    other[other.length - 1] = (other[other.length - 1] as number) ^ 1;
    expect(
      verifyReaderAuth(bytes, {
        sessionTranscriptBytes: other,
        trustAnchors: [rootDer],
        now: NOW,
      }).checks.find((c) => c.id === 'reader.signature')?.status,
    ).toBe('failed');
    await expect(
      Holder.verifyDeviceRequest({ deviceRequest: bytes, sessionTranscript: other }, owfContext),
    ).rejects.toThrow();
  });

  it('a configured reader trust anchor that is not a certificate is MDOC_INVALID_TRUST_ANCHOR, not a verdict', () => {
    const { readerDer, readerKey } = readerChain();
    const bytes = buildDeviceRequest({
      docRequests: [request],
      readerAuth: { key: readerKey, certificateChain: [readerDer], sessionTranscriptBytes: TRANSCRIPT },
    });
    let code = 'no error';
    try {
      verifyReaderAuth(bytes, {
        sessionTranscriptBytes: TRANSCRIPT,
        trustAnchors: ['not a certificate'],
        now: NOW,
      });
    } catch (e) {
      code = (e as { code?: string }).code ?? String(e);
    }
    expect(code).toBe('MDOC_INVALID_TRUST_ANCHOR');
  });

  it('version 1.1 with readerAuthAll and deviceRequestInfo', () => {
    const { rootDer, readerDer, readerKey } = readerChain();
    const bytes = buildDeviceRequest({
      version: '1.1',
      docRequests: [
        request,
        { docType: 'org.iso.18013.5.1.mDL', nameSpaces: { 'org.iso.18013.5.1': { age_over_18: false } } },
      ],
      deviceRequestInfo: { useCases: [{ mandatory: true, documentSets: [[0], [1]] }] },
      readerAuth: {
        key: readerKey,
        certificateChain: [readerDer, rootDer],
        sessionTranscriptBytes: TRANSCRIPT,
      },
    });
    const decoded = decodeDeviceRequestBytes(bytes);
    expect(decoded.version).toBe('1.1');
    expect(decoded.readerAuthAll).toHaveLength(1);
    expect(decoded.docRequests[0]?.readerAuth).toBeUndefined();
    const r = verifyReaderAuth(bytes, {
      sessionTranscriptBytes: TRANSCRIPT,
      trustAnchors: [rootDer],
      now: NOW,
    });
    expect(r.verdict).toBe('valid');
    expect(r.docRequests.every((d) => d.authenticated)).toBe(true);
    expect(r.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'reader.path:passed',
      'reader.signature:passed',
    ]);
  });

  it('a request without reader authentication is undetermined; a reader without the reader EKU fails the path', () => {
    const { rootDer } = readerChain();
    const unsigned = buildDeviceRequest({ docRequests: [request] });
    const r = verifyReaderAuth(unsigned, {
      sessionTranscriptBytes: TRANSCRIPT,
      trustAnchors: [rootDer],
      now: NOW,
    });
    expect(r.verdict).toBe('undetermined');
    expect(r.docRequests[0]?.authenticated).toBe(false);
    const chain = makeIssuerChain(); // a DS certificate (EKU 1.0.18013.5.1.2) is not a reader certificate
    const wrongEku = buildDeviceRequest({
      docRequests: [request],
      readerAuth: { key: chain.dsKey, certificateChain: [chain.ds.der], sessionTranscriptBytes: TRANSCRIPT },
    });
    const w = verifyReaderAuth(wrongEku, {
      sessionTranscriptBytes: TRANSCRIPT,
      trustAnchors: [chain.iaca],
      now: NOW,
    });
    expect(w.checks.find((c) => c.id === 'reader.path')?.status).toBe('failed');
    expect(w.checks.find((c) => c.id === 'reader.signature')?.status).toBe('passed');
  });

  it('a wallet answers the DeviceRequest bytes directly', async () => {
    const chain = makeIssuerChain();
    const device = p256();
    const issued = await issueMdoc({
      docType: JP_MNC_DOCTYPE,
      nameSpaces: jpMncElements(portrait(100)),
      deviceKey: device.publicKey,
      validityInfo: { signed: NOW, validFrom: NOW, validUntil: new Date('2026-01-01T00:00:00Z') },
      issuerKey: chain.dsKey,
      issuerCertificateChain: [chain.ds.der],
    });
    const response = await presentMdoc({
      documents: [issued.bytes],
      request: buildDeviceRequest({ docRequests: [request] }),
      sessionTranscriptBytes: TRANSCRIPT,
      deviceKey: device.privateKey,
      mode: 'signature',
    });
    const r = await verifyDeviceResponse(response, {
      sessionTranscriptBytes: TRANSCRIPT,
      trustAnchors: [chain.iaca],
      now: NOW,
    });
    expect(r.verdict).toBe('valid');
    expect(Object.keys(r.documents[0]?.elements[JP_MNC_NAMESPACE] ?? {}).sort()).toEqual([
      'full_name_unicode',
      'portrait',
    ]);
    void parseCertificate;
  });
});

describe('a received DeviceRequest is bounded like a response (limits.ts)', () => {
  const codeOf = (f: () => unknown) => {
    try {
      f();
      return 'no error';
    } catch (e) {
      return `${(e as { code?: string }).code}:${(e as { limit?: string }).limit}`;
    }
  };
  const itemsRequest = (nameSpaces: Map<string, Map<string, boolean>>) =>
    EncodedCbor.of(
      new Map<string, CborValue>([
        ['docType', 'org.example.doc'],
        ['nameSpaces', nameSpaces],
      ]),
    );
  const deviceRequest = (items: EncodedCbor[]) =>
    encode(
      new Map<string, CborValue>([
        ['version', '1.0'],
        ['docRequests', items.map((i) => new Map<string, CborValue>([['itemsRequest', i]]))],
      ]),
    );

  it('at most LIMITS.nameSpaces namespaces, LIMITS.elementsPerNameSpace elements, LIMITS.documents requests', () => {
    const ns = (n: number) =>
      new Map(Array.from({ length: n }, (_, i) => [`e${i}`, false] as [string, boolean]));
    const many = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`ns${i}`, ns(1)]));
    expect(
      codeOf(() => decodeDeviceRequestBytes(deviceRequest([itemsRequest(many(LIMITS.nameSpaces))]))),
    ).toBe('no error');
    expect(
      codeOf(() => decodeDeviceRequestBytes(deviceRequest([itemsRequest(many(LIMITS.nameSpaces + 1))]))),
    ).toBe('MDOC_LIMIT:nameSpaces');
    const wide = new Map([['ns', ns(LIMITS.elementsPerNameSpace + 1)]]);
    expect(codeOf(() => decodeDeviceRequestBytes(deviceRequest([itemsRequest(wide)])))).toBe(
      'MDOC_LIMIT:elementsPerNameSpace',
    );
    const one = itemsRequest(many(1));
    expect(
      codeOf(() =>
        decodeDeviceRequestBytes(deviceRequest(Array.from({ length: LIMITS.documents + 1 }, () => one))),
      ),
    ).toBe('MDOC_LIMIT:documents');
  });
});
