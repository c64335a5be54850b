import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import {
  asArray,
  asMap,
  bytesToHex,
  decode,
  type EncodedCbor,
  getArray,
  getEncodedCbor,
  getMap,
  hexToBytes,
} from '@mynakit/cbor';
import { describe, expect, it } from 'vitest';
import {
  CoseAlgorithm,
  coseKeyToJwk,
  coseKeyToKeyObject,
  coseKeyToPublicKey,
  decodeMac0,
  decodeSign1,
  deriveEMacKey,
  deriveMdocKey,
  getX5Chain,
  macAlgorithm,
  macStructure0Of,
  macVerifies,
  p256PrivateKeyFromScalar,
  protectedAlgorithm,
  readCoseMessage,
  signatureAlgorithm,
  sigStructure1Of,
  verifyMac0,
  verifySign1,
  verifySignature,
} from '../src/index.js';
import { codeOf, hexToB64url, readHex, readText } from './helpers.js';

/** ISO/IEC 18013-5 Annex D: the worked example's signatures and MAC, checked against its certificates and keys. */
const keys = JSON.parse(readText('iso-18013-5-annex-d/keys.json')) as Record<
  string,
  { x: string; y: string; d: string }
>;
const jwk = (name: string, priv: boolean) => {
  const k = keys[name]!;
  return {
    kty: 'EC',
    crv: 'P-256',
    x: hexToB64url(k.x),
    y: hexToB64url(k.y),
    ...(priv ? { d: hexToB64url(k.d) } : {}),
  };
};

const response = asMap(decode(readHex('iso-18013-5-annex-d/device_response.hex')), 'DeviceResponse');
const doc = asMap(getArray(response, 'documents')[0], 'Document');
const issuerSigned = getMap(doc, 'issuerSigned');
const dsCert = new X509Certificate(readText('iso-18013-5-annex-d/ds_cert.pem'));
const readerCert = new X509Certificate(readText('iso-18013-5-annex-d/reader_cert.pem'));
const sessionTranscriptBytes = readHex('iso-18013-5-annex-d/session_transcript_bytes.hex');
const deviceAuthenticationBytes = readHex('iso-18013-5-annex-d/device_authentication_bytes.hex');

describe('Annex D issuerAuth (COSE_Sign1, ES256)', () => {
  const sign1 = decodeSign1(issuerSigned.get('issuerAuth'));

  it('decodes: ES256 in the protected header, DS certificate in x5chain', () => {
    expect(sign1.alg).toBe(CoseAlgorithm.ES256);
    expect(bytesToHex(sign1.protectedBytes)).toBe('a10126');
    expect(sign1.tagged).toBe(false);
    const chain = getX5Chain(sign1);
    expect(chain).toHaveLength(1);
    expect(Buffer.from(chain[0]!).equals(dsCert.raw)).toBe(true);
    expect(sign1.signature).toHaveLength(64);
  });

  it('verifies with the DS public key from ds_cert.pem', async () => {
    expect(await verifySign1(sign1, { key: dsCert.publicKey })).toBe(true);
    // Re-encoding the decoded structure and verifying again gives the same answer (bytes are kept).
    expect(await verifySign1(sign1.encode(), { key: dsCert.publicKey })).toBe(true);
  });

  it('fails with another key, a tampered payload, a tampered protected header', async () => {
    expect(await verifySign1(sign1, { key: readerCert.publicKey })).toBe(false);
    const arr = asArray(issuerSigned.get('issuerAuth'), 'issuerAuth');
    const payload = new Uint8Array(arr[2] as Uint8Array);
    payload[payload.length - 1]! ^= 1;
    expect(await verifySign1([arr[0]!, arr[1]!, payload, arr[3]!], { key: dsCert.publicKey })).toBe(false);
    // Same header map, non-preferred encoding of the alg value: different bytes, signature no longer covers them.
    expect(
      await verifySign1([hexToBytes('a10126'.replace('26', '3806')), arr[1]!, arr[2]!, arr[3]!], {
        key: dsCert.publicKey,
      }),
    ).toBe(false);
    const sig = new Uint8Array(arr[3] as Uint8Array);
    sig[0]! ^= 0x80;
    expect(await verifySign1([arr[0]!, arr[1]!, arr[2]!, sig], { key: dsCert.publicKey })).toBe(false);
    expect(await verifySign1([arr[0]!, arr[1]!, arr[2]!, sig.subarray(1)], { key: dsCert.publicKey })).toBe(
      false,
    );
  });

  it('its payload is the MSO whose deviceKey is SDeviceKey', () => {
    const mso = asMap((decode(sign1.payload!) as EncodedCbor).decode(), 'MSO');
    const deviceKey = getMap(getMap(mso, 'deviceKeyInfo'), 'deviceKey');
    const j = coseKeyToJwk(deviceKey);
    expect(j).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      x: hexToB64url(keys.SDeviceKey!.x),
      y: hexToB64url(keys.SDeviceKey!.y),
    });
  });
});

describe('Annex D deviceMac (COSE_Mac0, HMAC 256/256 with EMacKey)', () => {
  const deviceMac = getMap(getMap(doc, 'deviceSigned'), 'deviceAuth').get('deviceMac');
  const mac0 = decodeMac0(deviceMac);
  const mso = asMap(
    (decode(decodeSign1(issuerSigned.get('issuerAuth')).payload!) as EncodedCbor).decode(),
    'MSO',
  );
  const deviceKey = getMap(getMap(mso, 'deviceKeyInfo'), 'deviceKey');

  it('verifies with EMacKey = HKDF(ECDH(EReaderKey.d, SDeviceKey), SHA-256(SessionTranscriptBytes), "EMacKey")', async () => {
    expect(mac0.alg).toBe(CoseAlgorithm.HMAC_256_256);
    expect(mac0.payload).toBeNull();
    const eMacKey = await deriveEMacKey({
      privateKey: jwk('EReaderKey', true),
      publicKey: deviceKey, // the COSE_Key from the MSO
      sessionTranscriptBytes,
    });
    expect(eMacKey).toHaveLength(32);
    expect(await verifyMac0(mac0, { key: eMacKey, detachedPayload: deviceAuthenticationBytes })).toBe(true);
  });

  it('the holder side derives the same key (SDeviceKey.d with EReaderKey public)', async () => {
    const reader = await deriveEMacKey({
      privateKey: createPrivateKey({ key: jwk('EReaderKey', true), format: 'jwk' }),
      publicKey: jwk('SDeviceKey', false),
      sessionTranscriptBytes,
    });
    const holder = await deriveEMacKey({
      privateKey: jwk('SDeviceKey', true),
      publicKey: createPublicKey({ key: jwk('EReaderKey', false), format: 'jwk' }),
      sessionTranscriptBytes,
    });
    expect(bytesToHex(holder)).toBe(bytesToHex(reader));
  });

  it('fails with another transcript, other authenticated bytes, another key; needs the detached payload', async () => {
    const otherTranscript = new Uint8Array(sessionTranscriptBytes);
    otherTranscript[otherTranscript.length - 1]! ^= 1;
    const wrongKey = await deriveEMacKey({
      privateKey: jwk('EReaderKey', true),
      publicKey: deviceKey,
      sessionTranscriptBytes: otherTranscript,
    });
    expect(await verifyMac0(mac0, { key: wrongKey, detachedPayload: deviceAuthenticationBytes })).toBe(false);
    const eMacKey = await deriveEMacKey({
      privateKey: jwk('EReaderKey', true),
      publicKey: deviceKey,
      sessionTranscriptBytes,
    });
    const otherPayload = new Uint8Array(deviceAuthenticationBytes);
    otherPayload[10]! ^= 1;
    expect(await verifyMac0(mac0, { key: eMacKey, detachedPayload: otherPayload })).toBe(false);
    // EDeviceKey instead of SDeviceKey: a different shared secret.
    const edk = await deriveEMacKey({
      privateKey: jwk('EReaderKey', true),
      publicKey: jwk('EDeviceKey', false),
      sessionTranscriptBytes,
    });
    expect(await verifyMac0(mac0, { key: edk, detachedPayload: deviceAuthenticationBytes })).toBe(false);
    expect(await codeOf(verifyMac0(mac0, { key: eMacKey }))).toBe('COSE_MISSING_PAYLOAD');
  });

  it('the SDeviceKey in the MSO is a usable public KeyObject', () => {
    const k = coseKeyToKeyObject(deviceKey);
    expect(k.type).toBe('public');
    expect(k.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });
});

describe('Annex D readerAuth (COSE_Sign1, detached)', () => {
  const request = asMap(decode(readHex('iso-18013-5-annex-d/device_request.hex')), 'DeviceRequest');
  const docRequest = asMap(getArray(request, 'docRequests')[0], 'DocRequest');
  const readerAuth = decodeSign1(docRequest.get('readerAuth'));
  const readerAuthenticationBytes = readHex('iso-18013-5-annex-d/reader_authentication_bytes.hex');

  it('verifies over ReaderAuthenticationBytes with reader_cert.pem', async () => {
    expect(readerAuth.payload).toBeNull();
    expect(Buffer.from(getX5Chain(readerAuth)[0]!).equals(readerCert.raw)).toBe(true);
    expect(
      await verifySign1(readerAuth, {
        key: readerCert.publicKey,
        detachedPayload: readerAuthenticationBytes,
      }),
    ).toBe(true);
  });

  it('ReaderAuthenticationBytes embeds the ItemsRequestBytes of the request byte-exact', () => {
    const itemsRequest = getEncodedCbor(docRequest, 'itemsRequest');
    expect(bytesToHex(readerAuthenticationBytes)).toContain(bytesToHex(itemsRequest.raw));
  });

  it('fails with the DS key, or over other bytes', async () => {
    expect(
      await verifySign1(readerAuth, { key: dsCert.publicKey, detachedPayload: readerAuthenticationBytes }),
    ).toBe(false);
    expect(
      await verifySign1(readerAuth, {
        key: readerCert.publicKey,
        detachedPayload: deviceAuthenticationBytes,
      }),
    ).toBe(false);
    expect(await codeOf(verifySign1(readerAuth, { key: readerCert.publicKey }))).toBe('COSE_MISSING_PAYLOAD');
  });
});

describe('Annex D through the synchronous path (readCoseMessage, sigStructure1Of, verifySignature, macVerifies)', () => {
  const none = new Uint8Array(0);

  it('issuerAuth verifies with the DS key', () => {
    const m = readCoseMessage(issuerSigned.get('issuerAuth'), 'Sign1');
    const alg = signatureAlgorithm(protectedAlgorithm(m));
    const tbs = sigStructure1Of(m.protectedBytes, none, m.payload as Uint8Array, { transient: true });
    expect(verifySignature(alg, dsCert.publicKey, tbs, m.signatureOrTag)).toBe(true);
    expect(verifySignature(alg, readerCert.publicKey, tbs, m.signatureOrTag)).toBe(false);
  });

  it('deviceMac verifies under EMacKey from EReaderKey.d and the MSO device key', () => {
    const deviceMac = getMap(getMap(doc, 'deviceSigned'), 'deviceAuth').get('deviceMac');
    const m = readCoseMessage(deviceMac, 'Mac0');
    const mso = asMap(
      (decode(readCoseMessage(issuerSigned.get('issuerAuth'), 'Sign1').payload!) as EncodedCbor).decode(),
      'MSO',
    );
    const deviceKey = coseKeyToPublicKey(getMap(getMap(mso, 'deviceKeyInfo'), 'deviceKey'));
    const readerKey = p256PrivateKeyFromScalar(hexToBytes(keys.EReaderKey!.d));
    const eMacKey = deriveMdocKey(readerKey, deviceKey, sessionTranscriptBytes, 'EMacKey');
    const tbm = macStructure0Of(m.protectedBytes, none, deviceAuthenticationBytes);
    const alg = macAlgorithm(protectedAlgorithm(m));
    expect(macVerifies(alg, eMacKey, tbm, m.signatureOrTag)).toBe(true);
    expect(
      macVerifies(
        alg,
        deriveMdocKey(readerKey, deviceKey, sessionTranscriptBytes, 'SKReader'),
        tbm,
        m.signatureOrTag,
      ),
    ).toBe(false);
  });

  it('readerAuth verifies over ReaderAuthenticationBytes', () => {
    const request = asMap(decode(readHex('iso-18013-5-annex-d/device_request.hex')), 'DeviceRequest');
    const m = readCoseMessage(
      asMap(getArray(request, 'docRequests')[0], 'DocRequest').get('readerAuth'),
      'Sign1',
    );
    const tbs = sigStructure1Of(
      m.protectedBytes,
      none,
      readHex('iso-18013-5-annex-d/reader_authentication_bytes.hex'),
    );
    expect(
      verifySignature(signatureAlgorithm(protectedAlgorithm(m)), readerCert.publicKey, tbs, m.signatureOrTag),
    ).toBe(true);
  });
});
