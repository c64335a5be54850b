import { createECDH, createHash } from 'node:crypto';
import { base64urlToBytes, bytesToBase64url } from '@mynakit/cbor';
import { presentMdoc } from '@mynakit/mdoc';
import { describe, expect, it } from 'vitest';
import { buildAnnexCRequest, parseAnnexCRequest } from '../src/annex-c/annex-c-request.js';
import {
  annexCSessionTranscript,
  decryptAnnexCResponse,
  encryptAnnexCResponse,
  parseEncryptedResponse,
} from '../src/annex-c/annex-c-response.js';
import { parseEncryptionInfo } from '../src/annex-c/encryption-info.js';
import { annexCNonceKey, verifyAnnexCResponse } from '../src/annex-c/verify-annex-c-response.js';
import { toP256PrivateJwk } from '../src/ec-keys.js';
import { InMemoryNonceStore } from '../src/nonce-store.js';
import { simpleDeviceRequest } from './helpers/device-request.js';
import { issueHolder, JP_MNC, NOW, p256 } from './helpers/fixtures.js';
import * as rfc from './helpers/rfc9180.js';
import { hex, unhex, vectorJson } from './helpers/vectors.js';

interface WaltId {
  vector: {
    origin: string;
    deviceRequestB64: string;
    encryptionInfoB64: string;
    encryptedResponseB64: string;
    recipientPrivateKeyHex: string;
    expected: { sessionTranscriptCborSha256Hex: string; deviceResponseCborSha256Hex: string };
  };
}
interface RequestSample {
  deviceRequest: string;
  encryptionInfo: string;
  response?: string;
  origin?: string | null;
  variant_deviceRequest_readerAuthAlg?: string;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const det = vectorJson<WaltId>('annex-c/waltid_ANNEXC-DETERMINISTIC-001.json').vector;
const real = vectorJson<WaltId>('annex-c/waltid_ANNEXC-REAL-001.json').vector;

/** Hand-assembled CBOR for the dcapi SessionTranscript (RFC 8949 heads), independent of our encoder. */
function tstr(s: string): Buffer {
  const b = Buffer.from(s);
  if (b.length < 24) return Buffer.concat([Buffer.from([0x60 + b.length]), b]);
  if (b.length < 256) return Buffer.concat([Buffer.from([0x78, b.length]), b]);
  return Buffer.concat([Buffer.from([0x79, b.length >> 8, b.length & 0xff]), b]);
}
function bstr(b: Uint8Array): Buffer {
  const n = b.length;
  const head =
    n < 24
      ? [0x40 + n]
      : n < 256
        ? [0x58, n]
        : n < 65536
          ? [0x59, n >> 8, n & 0xff]
          : [0x5a, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from(head), b]);
}
function handTranscript(encryptionInfo: string, origin: string): Buffer {
  const h = createHash('sha256')
    .update(Buffer.concat([Buffer.from([0x82]), tstr(encryptionInfo), tstr(origin)]))
    .digest();
  return Buffer.concat([Buffer.from([0x83, 0xf6, 0xf6, 0x82]), tstr('dcapi'), bstr(h)]);
}
function handEncryptedResponse(enc: Uint8Array, ct: Uint8Array): string {
  return bytesToBase64url(
    Buffer.concat([
      Buffer.from([0x82]),
      tstr('dcapi'),
      Buffer.from([0xa2]),
      tstr('enc'),
      bstr(enc),
      tstr('cipherText'),
      bstr(ct),
    ]),
  );
}

describe('Annex C against published vectors', () => {
  it('walt.id ANNEXC-DETERMINISTIC-001 decrypts end to end to the expected DeviceResponse', async () => {
    const out = await decryptAnnexCResponse({
      response: det.encryptedResponseB64,
      encryptionInfoB64: det.encryptionInfoB64,
      origin: det.origin,
      recipientPrivateKey: unhex(det.recipientPrivateKeyHex),
    });
    expect(sha256(out.sessionTranscript)).toBe(det.expected.sessionTranscriptCborSha256Hex);
    expect(sha256(out.deviceResponse)).toBe(det.expected.deviceResponseCborSha256Hex);
    expect(hex(out.sessionTranscriptBytes).endsWith(hex(out.sessionTranscript))).toBe(true);
  });

  it('walt.id ANNEXC-DETERMINISTIC-001 does not open with another origin (HPKE_OPEN_FAILED)', async () => {
    await expect(
      decryptAnnexCResponse({
        response: det.encryptedResponseB64,
        encryptionInfoB64: det.encryptionInfoB64,
        origin: 'https://evil.example',
        recipientPrivateKey: unhex(det.recipientPrivateKeyHex),
      }),
    ).rejects.toMatchObject({ code: 'HPKE_OPEN_FAILED' });
  });

  it('walt.id ANNEXC-REAL-001: the published key is not the EncryptionInfo key (HPKE_KEY_MISMATCH)', async () => {
    expect(sha256(annexCSessionTranscript(real.encryptionInfoB64, real.origin).sessionTranscript)).toBe(
      real.expected.sessionTranscriptCborSha256Hex,
    );
    await expect(
      decryptAnnexCResponse({
        response: real.encryptedResponseB64,
        encryptionInfoB64: real.encryptionInfoB64,
        origin: real.origin,
        recipientPrivateKey: unhex(real.recipientPrivateKeyHex),
      }),
    ).rejects.toMatchObject({ code: 'HPKE_KEY_MISMATCH' });
  });

  it("parses Apple's sample: DeviceRequest 1.1 with readerAuthAll and deviceRequestInfo", () => {
    const apple = vectorJson<RequestSample>('annex-c/apple_requesting_mdoc_on_web_sample.json');
    const parsed = parseAnnexCRequest(apple);
    expect(parsed.deviceRequest.version).toBe('1.1');
    expect(parsed.readerAuthentication).toBe('readerAuthAll');
    expect(parsed.deviceRequest.deviceRequestInfoBytes).toBeDefined();
    const items = parsed.deviceRequest.docRequests[0]!.itemsRequest;
    expect(items.docType).toBe('org.iso.18013.5.1.mDL');
    expect(items.nameSpaces['org.iso.18013.5.1']).toEqual({
      portrait: true,
      given_name: true,
      age_over_21: false,
      family_name: true,
    });
    expect(parsed.encryptionInfo.nonce.length).toBe(32);
    expect(parsed.encryptionInfo.encoded).toBe(apple.encryptionInfo);
    // The third-party "readerAuthAlg" variant is an unknown key: it parses, with no reader authentication.
    const variant = parseAnnexCRequest({
      deviceRequest: apple.variant_deviceRequest_readerAuthAlg,
      encryptionInfo: apple.encryptionInfo,
    });
    expect(variant.readerAuthentication).toBe('none');
  });

  it('parses version 1.0 requests: per-DocRequest readerAuth (multipaz) and none (WPT, EU AV)', () => {
    expect(
      parseAnnexCRequest({ deviceRequest: real.deviceRequestB64, encryptionInfo: real.encryptionInfoB64 })
        .readerAuthentication,
    ).toBe('readerAuth');
    for (const file of [
      'iso18013-7_2nd-ed_annex-c_example_via_wpt.json',
      'eu_av_spec_annex-A_example.json',
    ]) {
      const s = vectorJson<RequestSample>(`annex-c/${file}`);
      const p = parseAnnexCRequest(s);
      expect(p.deviceRequest.version).toBe('1.0');
      expect(p.readerAuthentication).toBe('none');
      expect(p.encryptionInfo.nonce.length).toBe(16);
      const r = parseEncryptedResponse(s.response!);
      expect(r.enc.length).toBe(65);
      expect(r.enc[0]).toBe(4);
    }
    expect(
      parseEncryptedResponse(
        vectorJson<RequestSample>('annex-c/iso18013-7_2nd-ed_annex-c_example_via_wpt.json').response!,
      ).cipherText.length,
    ).toBe(1652);
  });

  it('refuses malformed requests and responses with DECODE', () => {
    expect(() =>
      parseAnnexCRequest({ deviceRequest: 'AAAA', encryptionInfo: det.encryptionInfoB64 }),
    ).toThrow(expect.objectContaining({ code: 'DECODE' }));
    expect(() => parseEncryptionInfo(bytesToBase64url(new Uint8Array([0x82, 0x61, 0x78, 0xa0])))).toThrow(
      expect.objectContaining({ code: 'DECODE' }),
    );
    expect(() => parseEncryptedResponse('gmVkY2FwaaA')).toThrow(expect.objectContaining({ code: 'DECODE' }));
  });
});

describe('Annex C interoperability with the independent RFC 9180 implementation', () => {
  const origin = 'https://rp.example';
  const recipient = createECDH('prime256v1');
  recipient.generateKeys();
  const pkR = new Uint8Array(recipient.getPublicKey());
  // getPrivateKey drops leading zero bytes (1 key in 256): the scalar is written as its 32 bytes.
  const skR = new Uint8Array(32);
  const scalar = recipient.getPrivateKey();
  skR.set(scalar, 32 - scalar.length);
  const plaintext = new TextEncoder().encode('stand-in DeviceResponse bytes');

  it('we decrypt what the independent sender sealed (info = hand-built bare transcript, empty aad)', async () => {
    const req = buildAnnexCRequest({ deviceRequest: unhex('a0'), recipientKey: pkR });
    const sealed = rfc.sealBase(
      pkR,
      handTranscript(req.encryptionInfo, origin),
      new Uint8Array(0),
      plaintext,
    );
    const out = await decryptAnnexCResponse({
      response: handEncryptedResponse(sealed.enc, sealed.ct),
      encryptionInfoB64: req.encryptionInfo,
      origin,
      recipientPrivateKey: skR,
    });
    expect(hex(out.deviceResponse)).toBe(hex(plaintext));
    expect(hex(out.sessionTranscript)).toBe(handTranscript(req.encryptionInfo, origin).toString('hex'));
  });

  it('the independent recipient opens what we sealed', async () => {
    const req = buildAnnexCRequest({ deviceRequest: unhex('a0'), recipientKey: pkR });
    const { response } = await encryptAnnexCResponse({
      deviceResponse: plaintext,
      encryptionInfoB64: req.encryptionInfo,
      origin,
    });
    const parts = parseEncryptedResponse(response);
    const opened = rfc.openBase(
      parts.enc,
      skR,
      handTranscript(req.encryptionInfo, origin),
      new Uint8Array(0),
      parts.cipherText,
    );
    expect(hex(opened)).toBe(hex(plaintext));
    // … and with the tag-24 transcript as info it does not open: the bare form is the one.
    const t24 = annexCSessionTranscript(req.encryptionInfo, origin).sessionTranscriptBytes;
    expect(() => rfc.openBase(parts.enc, skR, t24, new Uint8Array(0), parts.cipherText)).toThrow();
  });

  it('a response sealed to another key does not open (HPKE_OPEN_FAILED)', async () => {
    const req = buildAnnexCRequest({ deviceRequest: unhex('a0'), recipientKey: pkR });
    const other = createECDH('prime256v1');
    other.generateKeys();
    const sealed = rfc.sealBase(
      other.getPublicKey(),
      handTranscript(req.encryptionInfo, origin),
      new Uint8Array(0),
      plaintext,
    );
    await expect(
      decryptAnnexCResponse({
        response: handEncryptedResponse(sealed.enc, sealed.ct),
        encryptionInfoB64: req.encryptionInfo,
        origin,
        recipientPrivateKey: skR,
      }),
    ).rejects.toMatchObject({ code: 'HPKE_OPEN_FAILED' });
  });

  it('EncryptionInfo carries the nonce and the recipient key as a COSE_Key', () => {
    const nonce = unhex('00112233445566778899aabbccddeeff');
    const req = buildAnnexCRequest({ deviceRequest: unhex('a0'), recipientKey: pkR, nonce });
    const info = parseEncryptionInfo(req.encryptionInfo);
    expect(hex(info.nonce)).toBe(hex(nonce));
    expect(hex(base64urlToBytes(info.recipientPublicKey.x))).toBe(hex(pkR.subarray(1, 33)));
    // ["dcapi", {"nonce": h'…', "recipientPublicKey": {1: 2, -1: 1, -2: x, -3: y}}], hand-assembled
    const expected = Buffer.concat([
      Buffer.from([0x82]),
      tstr('dcapi'),
      Buffer.from([0xa2]),
      tstr('nonce'),
      bstr(nonce),
      tstr('recipientPublicKey'),
      Buffer.from([0xa4, 0x01, 0x02, 0x20, 0x01, 0x21]),
      bstr(pkR.subarray(1, 33)),
      Buffer.from([0x22]),
      bstr(pkR.subarray(33)),
    ]);
    expect(hex(base64urlToBytes(req.encryptionInfo))).toBe(expected.toString('hex'));
    expect(() =>
      buildAnnexCRequest({ deviceRequest: unhex('a0'), recipientKey: pkR, nonce: new Uint8Array(8) }),
    ).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});

describe('Annex C round trip: verifier request → wallet → verifier', async () => {
  const holder = await issueHolder();
  const origin = 'https://rp.example';
  const verifierKey = p256();
  const mdoc = { trustAnchors: [holder.chain.iaca], now: NOW };
  const deviceRequest = simpleDeviceRequest(JP_MNC.docType, {
    [JP_MNC.jp]: { full_name_unicode: true, resident_address_unicode: true, portrait: false },
    [JP_MNC.iso]: { age_over_18: false },
  });

  async function walletAnswers(
    request: { deviceRequest: string; encryptionInfo: string },
    walletOrigin: string,
    signWith = walletOrigin,
  ) {
    const parsed = parseAnnexCRequest(request);
    const transcript = annexCSessionTranscript(parsed.encryptionInfo.encoded, signWith);
    const deviceResponse = await presentMdoc({
      documents: [holder.issuerSigned],
      request: parsed.deviceRequest,
      sessionTranscriptBytes: transcript.sessionTranscriptBytes,
      deviceKey: holder.deviceKey,
      mode: 'signature',
    });
    return encryptAnnexCResponse({
      deviceResponse,
      encryptionInfoB64: parsed.encryptionInfo.encoded,
      origin: walletOrigin,
    });
  }

  it('verifies: decrypts, consumes the nonce, and mdoc verifies the DeviceResponse against the same transcript', async () => {
    const request = buildAnnexCRequest({ deviceRequest, recipientKey: verifierKey.publicKey });
    const nonceStore = new InMemoryNonceStore();
    await nonceStore.issue({
      nonce: annexCNonceKey(request.encryptionInfo),
      purpose: 'annex-c',
      now: NOW,
      ttlSeconds: 300,
    });
    const data = await walletAnswers(request, origin);
    const session = {
      encryptionInfo: request.encryptionInfo,
      origin,
      recipientPrivateKey: verifierKey.privateKey,
      docType: JP_MNC.docType,
    };
    const result = await verifyAnnexCResponse(data, session, { mdoc, nonceStore });
    expect(result.verdict).toBe('valid');
    expect(result.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining(['response.decrypt', 'request.nonce', 'issuer.signature', 'device.signature']),
    );
    const doc = result.presentations[0]!.verification.documents[0]!;
    expect(Object.keys(doc.elements[JP_MNC.jp] ?? {}).sort()).toEqual([
      'full_name_unicode',
      'portrait',
      'resident_address_unicode',
    ]);
    expect(doc.elements[JP_MNC.jp]?.individual_number_unicode).toBeUndefined();

    // The same response again: the nonce was used.
    const again = await verifyAnnexCResponse(data, session, { mdoc, nonceStore });
    expect(again.verdict).toBe('invalid');
    expect(again.errorCode).toBe('NONCE_REUSED');
  });

  it('rejects a response made for another origin (HPKE_OPEN_FAILED)', async () => {
    const request = buildAnnexCRequest({ deviceRequest, recipientKey: verifierKey.publicKey });
    const data = await walletAnswers(request, 'https://phishing.example');
    const result = await verifyAnnexCResponse(
      data,
      { encryptionInfo: request.encryptionInfo, origin, recipientPrivateKey: verifierKey.privateKey },
      { mdoc },
    );
    expect(result.verdict).toBe('invalid');
    expect(result.errorCode).toBe('HPKE_OPEN_FAILED');
  });

  it('rejects a response encrypted to another key (a substituted EncryptionInfo): HPKE_OPEN_FAILED', async () => {
    const request = buildAnnexCRequest({ deviceRequest, recipientKey: verifierKey.publicKey });
    const attacker = buildAnnexCRequest({
      deviceRequest,
      recipientKey: p256().publicKey,
      nonce: parseEncryptionInfo(request.encryptionInfo).nonce,
    });
    const data = await walletAnswers(attacker, origin);
    const result = await verifyAnnexCResponse(
      data,
      { encryptionInfo: request.encryptionInfo, origin, recipientPrivateKey: verifierKey.privateKey },
      { mdoc },
    );
    expect(result.errorCode).toBe('HPKE_OPEN_FAILED');
  });

  it('a private key that is not the EncryptionInfo key is refused before decrypting (HPKE_KEY_MISMATCH)', async () => {
    const request = buildAnnexCRequest({ deviceRequest, recipientKey: verifierKey.publicKey });
    const data = await walletAnswers(request, origin);
    const result = await verifyAnnexCResponse(
      data,
      { encryptionInfo: request.encryptionInfo, origin, recipientPrivateKey: p256().privateKey },
      { mdoc },
    );
    expect(result.errorCode).toBe('HPKE_KEY_MISMATCH');
  });

  it('a DeviceResponse signed over another transcript fails device authentication (TRANSCRIPT_MISMATCH)', async () => {
    const request = buildAnnexCRequest({ deviceRequest, recipientKey: verifierKey.publicKey });
    const data = await walletAnswers(request, origin, 'https://other.example');
    const result = await verifyAnnexCResponse(
      data,
      { encryptionInfo: request.encryptionInfo, origin, recipientPrivateKey: verifierKey.privateKey },
      { mdoc },
    );
    expect(result.verdict).toBe('invalid');
    expect(result.errorCode).toBe('TRANSCRIPT_MISMATCH');
    expect(result.checks.find((c) => c.id === 'device.signature')?.status).toBe('failed');
  });

  it('a malformed response is a failed check, not an exception', async () => {
    const request = buildAnnexCRequest({ deviceRequest, recipientKey: verifierKey.publicKey });
    const session = {
      encryptionInfo: request.encryptionInfo,
      origin,
      recipientPrivateKey: toP256PrivateJwk(verifierKey.privateKey),
    };
    expect((await verifyAnnexCResponse({ response: 42 }, session, { mdoc })).errorCode).toBe('DECODE');
    expect((await verifyAnnexCResponse({ response: 'not-cbor' }, session, { mdoc })).errorCode).toBe(
      'DECODE',
    );
  });
});
