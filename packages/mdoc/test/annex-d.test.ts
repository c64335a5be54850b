/**
 * ISO/IEC 18013-5:2021 Annex D worked example through the library: issuer signature, the path to the
 * utopia IACA, six digests, deviceMac with the reader's ephemeral key, readerAuth, and the validity
 * window [2020-10-01T13:30:02Z, 2021-10-01T00:00:00Z] (MSO validity ∩ DS certificate validity).
 */
import { bytesToHex, type CborValue, decode, EncodedCbor, encode } from '@mynakit/cbor';
import { parseCertificate } from '@mynakit/pki';
import { describe, expect, it } from 'vitest';
import {
  decodeDeviceRequestBytes,
  deviceAuthenticationBytes,
  readerAuthenticationBytes,
  sessionTranscriptOf,
  verifyDeviceResponse,
  verifyReaderAuth,
} from '../src/index.js';
import { annexD, annexDKeys, annexDPem } from './vectors.js';

const response = annexD('device_response.hex');
const transcript = annexD('session_transcript_bytes.hex');
const iaca = parseCertificate(annexDPem('iaca_cert.pem'));
const readerD = Uint8Array.from(Buffer.from(annexDKeys().EReaderKey.d, 'hex'));

const verifyAt = (iso: string, extra: Record<string, unknown> = {}) =>
  verifyDeviceResponse(response, {
    sessionTranscriptBytes: transcript,
    trustAnchors: [iaca],
    now: new Date(iso),
    readerPrivateKey: readerD,
    cache: false,
    ...extra,
  });

const statusOf = (checks: readonly { id: string; status: string }[], id: string) =>
  checks.filter((c) => c.id === id).map((c) => c.status);

describe('Annex D DeviceResponse', () => {
  it('is valid inside the window, with every check as the standard says', async () => {
    const r = await verifyAt('2021-01-01T00:00:00Z');
    expect(r.verdict).toBe('valid');
    expect(r.status).toBe(0);
    const doc = r.documents[0];
    expect(doc?.docType).toBe('org.iso.18013.5.1.mDL');
    const byId = Object.fromEntries((doc?.checks ?? []).map((c) => [c.id, c.status]));
    expect(byId).toEqual({
      decode: 'passed',
      'issuer.certificate_path': 'passed',
      'issuer.certificate_profile': 'passed',
      'issuer.signature': 'passed',
      'mso.doctype': 'passed',
      'mso.digest_algorithm': 'passed',
      'mso.validity': 'passed',
      'mso.signed_in_certificate_validity': 'passed',
      'item.digest': 'passed',
      'device.mac': 'passed',
      'status.revocation': 'skipped',
    });
    expect(doc?.checks.find((c) => c.id === 'item.digest')?.detail).toContain('6 of 6');
    const el = doc?.elements['org.iso.18013.5.1'] ?? {};
    expect(Object.keys(el).sort()).toEqual(
      [
        'document_number',
        'driving_privileges',
        'expiry_date',
        'family_name',
        'issue_date',
        'portrait',
      ].sort(),
    );
    expect(el.family_name).toBe('Doe');
    expect((el.portrait as Uint8Array).length).toBe(1042);
    // The MSO has digests for more elements than were disclosed; none of those is reported.
    expect(el.given_name).toBeUndefined();
    expect(doc?.mso?.docType).toBe('org.iso.18013.5.1.mDL');
    expect(doc?.mso?.digestAlgorithm).toBe('SHA-256');
    expect(doc?.mso?.signed.toISOString()).toBe('2020-10-01T13:30:02.000Z');
    expect(doc?.mso?.validUntil.toISOString()).toBe('2021-10-01T13:30:02.000Z');
    const sDevice = annexDKeys().SDeviceKey;
    expect(doc?.mso?.deviceKey).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: Buffer.from(sDevice.x, 'hex').toString('base64url'),
      y: Buffer.from(sDevice.y, 'hex').toString('base64url'),
    });
    expect(doc?.issuer?.subject).toBe('CN=utopia ds, C=US');
  });

  it.each(['2020-10-01T13:30:02Z', '2021-10-01T00:00:00Z'])('is valid at the window edge %s', async (t) => {
    expect((await verifyAt(t)).verdict).toBe('valid');
  });

  it('is invalid after the window: the MSO and the DS certificate have expired', async () => {
    const r = await verifyAt('2022-01-01T00:00:00Z');
    expect(r.verdict).toBe('invalid');
    expect(statusOf(r.checks, 'mso.validity')).toEqual(['failed']);
    expect(statusOf(r.checks, 'issuer.certificate_path')).toEqual(['failed']);
    expect(r.checks.find((c) => c.id === 'issuer.certificate_path')?.detail).toContain('PATH_EXPIRED');
    // Everything that does not depend on the time still verifies.
    expect(statusOf(r.checks, 'issuer.signature')).toEqual(['passed']);
    expect(statusOf(r.checks, 'item.digest')).toEqual(['passed']);
    expect(statusOf(r.checks, 'device.mac')).toEqual(['passed']);
  });

  it('is invalid before the MSO validity begins (beyond the 60 s clock skew allowed by default)', async () => {
    const r = await verifyAt('2020-10-01T13:29:01Z');
    expect(r.verdict).toBe('invalid');
    expect(statusOf(r.checks, 'mso.validity')).toEqual(['failed']);
  });

  it('between the DS expiry and the MSO expiry only the certificate path fails', async () => {
    const r = await verifyAt('2021-10-01T06:00:00Z');
    expect(r.verdict).toBe('invalid');
    expect(statusOf(r.checks, 'issuer.certificate_path')).toEqual(['failed']);
    expect(statusOf(r.checks, 'mso.validity')).toEqual(['passed']);
  });

  it('without the reader key the deviceMac is undetermined, never valid', async () => {
    const r = await verifyAt('2021-01-01T00:00:00Z', { readerPrivateKey: undefined });
    expect(r.verdict).toBe('undetermined');
    expect(statusOf(r.checks, 'device.mac')).toEqual(['undetermined']);
  });

  it('accepts the reader key as a JWK too', async () => {
    const k = annexDKeys().EReaderKey;
    const b64 = (h: string) => Buffer.from(h, 'hex').toString('base64url');
    const jwk = { kty: 'EC', crv: 'P-256', x: b64(k.x), y: b64(k.y), d: b64(k.d) };
    expect((await verifyAt('2021-01-01T00:00:00Z', { readerPrivateKey: jwk })).verdict).toBe('valid');
  });

  it('accepts the bare SessionTranscript (wrapped in tag 24 without re-encoding)', async () => {
    const bare = sessionTranscriptOf(transcript);
    expect(bare.length).toBeLessThan(transcript.length);
    const r = await verifyAt('2021-01-01T00:00:00Z', { sessionTranscriptBytes: bare.slice() });
    expect(r.verdict).toBe('valid');
  });

  it('a different transcript breaks device authentication', async () => {
    const other = transcript.slice();
    other[other.length - 1] = (other[other.length - 1] as number) ^ 1;
    const r = await verifyAt('2021-01-01T00:00:00Z', { sessionTranscriptBytes: other });
    expect(r.verdict).toBe('invalid');
    expect(statusOf(r.checks, 'device.mac')).toEqual(['failed']);
  });

  it('DeviceAuthenticationBytes equal the published bytes', () => {
    const value = decode(response) as Map<CborValue, CborValue>;
    const doc = (value.get('documents') as Map<CborValue, CborValue>[])[0] as Map<CborValue, CborValue>;
    const ns = (doc.get('deviceSigned') as Map<CborValue, CborValue>).get('nameSpaces') as EncodedCbor;
    const dab = deviceAuthenticationBytes(transcript, 'org.iso.18013.5.1.mDL', ns.raw);
    expect(bytesToHex(dab)).toBe(bytesToHex(annexD('device_authentication_bytes.hex')));
  });

  it('decode → encode keeps every embedded item byte-identical; only the envelope map order changes', async () => {
    const re = encode(decode(response));
    // Annex D prints maps in the order of the CDDL (version, documents, status), not in the
    // deterministic order our encoder writes: the bytes differ in key order only.
    expect(re.length).toBe(response.length);
    expect(bytesToHex(re)).not.toBe(bytesToHex(response));
    expect(decode(re)).toEqual(decode(response));
    const value = decode(response) as Map<CborValue, CborValue>;
    const docs = value.get('documents') as Map<CborValue, CborValue>[];
    const issuerSigned = docs[0]?.get('issuerSigned') as Map<CborValue, CborValue>;
    const items = (issuerSigned.get('nameSpaces') as Map<CborValue, CborValue>).get(
      'org.iso.18013.5.1',
    ) as EncodedCbor[];
    expect(items).toHaveLength(6);
    for (const item of items) {
      const hex = bytesToHex(item.raw);
      expect(bytesToHex(re)).toContain(hex); // the IssuerSignedItemBytes went through verbatim
      // Re-encoding the decoded item instead (deterministic key order) would change the bytes the
      // MSO digest covers — which is why digests are computed over the received bytes.
      expect(bytesToHex(EncodedCbor.of(item.decode()).raw)).not.toBe(hex);
    }
    // Everything signed or hashed survived, so the re-encoded response verifies just the same.
    const r = await verifyDeviceResponse(re, {
      sessionTranscriptBytes: transcript,
      trustAnchors: [iaca],
      now: new Date('2021-01-01T00:00:00Z'),
      readerPrivateKey: readerD,
    });
    expect(r.verdict).toBe('valid');
  });
});

describe('Annex D DeviceRequest readerAuth', () => {
  const request = annexD('device_request.hex');
  const root = annexDPem('reader_root_cert.pem');

  it('ReaderAuthenticationBytes equal the published bytes', () => {
    const req = decodeDeviceRequestBytes(request);
    const bytes = readerAuthenticationBytes(transcript, req.docRequests[0]?.itemsRequestBytes as EncodedCbor);
    expect(bytesToHex(bytes)).toBe(bytesToHex(annexD('reader_authentication_bytes.hex')));
  });

  it('verifies, and chains to the reader root', () => {
    const r = verifyReaderAuth(request, {
      sessionTranscriptBytes: transcript,
      trustAnchors: [root],
      now: new Date('2021-06-01T00:00:00Z'),
    });
    expect(r.verdict).toBe('valid');
    expect(Object.fromEntries(r.checks.map((c) => [c.id, c.status]))).toEqual({
      'reader.signature': 'passed',
      'reader.path': 'passed',
    });
    expect(r.docRequests[0]?.docType).toBe('org.iso.18013.5.1.mDL');
    expect(r.docRequests[0]?.authenticated).toBe(true);
    expect(r.docRequests[0]?.nameSpaces['org.iso.18013.5.1']?.family_name).toBe(true);
    expect(r.readerCertificate?.subject).toBe('CN=reader');
  });

  it('fails reader.path after the reader certificate expired and reader.signature under another transcript', () => {
    const late = verifyReaderAuth(request, {
      sessionTranscriptBytes: transcript,
      trustAnchors: [root],
      now: new Date('2024-06-01T00:00:00Z'),
    });
    expect(late.verdict).toBe('invalid');
    expect(late.checks.find((c) => c.id === 'reader.path')?.status).toBe('failed');
    expect(late.checks.find((c) => c.id === 'reader.signature')?.status).toBe('passed');
    const other = transcript.slice();
    other[other.length - 1] = (other[other.length - 1] as number) ^ 1;
    const wrong = verifyReaderAuth(request, {
      sessionTranscriptBytes: other,
      trustAnchors: [root],
      now: new Date('2021-06-01T00:00:00Z'),
    });
    expect(wrong.checks.find((c) => c.id === 'reader.signature')?.status).toBe('failed');
  });

  it('fails reader.path with an unrelated anchor', () => {
    const r = verifyReaderAuth(request, {
      sessionTranscriptBytes: transcript,
      trustAnchors: [annexDPem('iaca_cert.pem')],
      now: new Date('2021-06-01T00:00:00Z'),
    });
    expect(r.checks.find((c) => c.id === 'reader.path')?.status).toBe('failed');
    expect(r.verdict).toBe('invalid');
  });
});
