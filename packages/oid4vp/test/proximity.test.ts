import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { EncodedCbor } from '@mynakit/cbor';
import { presentMdoc, verifyDeviceResponse } from '@mynakit/mdoc';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { toP256PrivateJwk, toP256PublicJwk } from '../src/ec-keys.js';
import {
  buildDeviceEngagement,
  deviceEngagementToUri,
  parseDeviceEngagement,
  parseDeviceEngagementUri,
  webSocketRetrievalMethod,
  webSocketUrlOf,
} from '../src/proximity/device-engagement.js';
import { deviceEngagementFromHandoverSelect, parseNdefMessage } from '../src/proximity/nfc-handover.js';
import { ProximityHolderSession, ProximityReaderSession } from '../src/proximity/proximity-session.js';
import { deriveSessionKeys, SessionEncryption } from '../src/proximity/session-encryption.js';
import {
  decodeSessionData,
  decodeSessionEstablishment,
  encodeSessionData,
  encodeSessionEstablishment,
} from '../src/proximity/session-messages.js';
import { webSocketTransport } from '../src/proximity/transport.js';
import { simpleDeviceRequest } from './helpers/device-request.js';
import { issueHolder, JP_MNC, NOW, p256 } from './helpers/fixtures.js';
import { scriptedTransport } from './helpers/memory-transport.js';
import { fixtureHex, hex, unhex, vectorHex, vectorJson, vectorText } from './helpers/vectors.js';

interface Keys {
  EReaderKey: { x: string; y: string; d: string };
  EDeviceKey: { x: string; y: string; d: string };
}
const keys = vectorJson<Keys>('iso-18013-5-annex-d/keys.json');
const jwk = (k: { x: string; y: string }) => toP256PublicJwk(unhex(`04${k.x}${k.y}`));
const eReader = toP256PrivateJwk(unhex(keys.EReaderKey.d));
const eDevice = toP256PrivateJwk(unhex(keys.EDeviceKey.d));
const transcriptBytes = unhex(vectorHex('iso-18013-5-annex-d/session_transcript_bytes.hex'));
const deviceRequest = vectorHex('iso-18013-5-annex-d/device_request.hex');
const deviceResponse = vectorHex('iso-18013-5-annex-d/device_response.hex');
const sessionEstablishment = unhex(fixtureHex('annex-d-session/session_establishment.hex'));
const sessionData = unhex(fixtureHex('annex-d-session/session_data.hex'));
const termination = unhex(fixtureHex('annex-d-session/session_termination.hex'));

/** The NFC handover messages of Annex D (see packages/mdoc/test/transcripts/fixtures). */
const nfc = JSON.parse(
  (await import('node:fs')).readFileSync(
    new URL('../../mdoc/test/transcripts/fixtures/annex-d-nfc-handover.json', import.meta.url),
    'utf8',
  ),
) as { handoverSelectHex: string; handoverRequestHex: string };
/** DeviceEngagement {0: "1.0", 1: [1, EDeviceKeyBytes]}, assembled by hand from the vector's EDeviceKeyBytes. */
const annexDEngagement = unhex(
  `a20063312e30018201${vectorHex('iso-18013-5-annex-d/e_device_key_bytes.hex')}`,
);

describe('session encryption (ISO/IEC 18013-5 §9.1.1.5) against Annex D', () => {
  it('the key files match the engagement and EReaderKey of the vector', () => {
    expect(toP256PrivateJwk(unhex(keys.EReaderKey.d)).x).toBe(jwk(keys.EReaderKey).x);
    expect(parseDeviceEngagement(annexDEngagement).eDeviceKey).toEqual(jwk(keys.EDeviceKey));
  });

  it('reader: SKReader encrypts the Annex D DeviceRequest to the published SessionEstablishment data', () => {
    const reader = new SessionEncryption(
      'reader',
      deriveSessionKeys(eReader, jwk(keys.EDeviceKey), transcriptBytes),
    );
    const se = decodeSessionEstablishment(sessionEstablishment);
    expect(hex(reader.encrypt(unhex(deviceRequest)))).toBe(hex(se.data));
    expect(hex(reader.decrypt(decodeSessionData(sessionData).data!))).toBe(deviceResponse);
    expect(decodeSessionData(termination)).toEqual({ status: 20 });
  });

  it('mdoc: SKDevice decrypts the request and encrypts the response to the published SessionData', () => {
    const mdoc = new SessionEncryption(
      'mdoc',
      deriveSessionKeys(eDevice, jwk(keys.EReaderKey), transcriptBytes),
    );
    expect(hex(mdoc.decrypt(decodeSessionEstablishment(sessionEstablishment).data))).toBe(deviceRequest);
    const data = mdoc.encrypt(unhex(deviceResponse));
    expect(hex(encodeSessionData({ data }))).toBe(hex(sessionData));
  });

  it('our SessionEstablishment has the same members; Annex D orders its keys non-canonically', () => {
    const se = decodeSessionEstablishment(sessionEstablishment);
    const ours = encodeSessionEstablishment(se);
    expect(decodeSessionEstablishment(ours).eReaderKeyBytes.raw).toEqual(se.eReaderKeyBytes.raw);
    expect(ours.length).toBe(sessionEstablishment.length);
    // deterministic order puts "data" (64 64617461) before "eReaderKey" (6a …); Annex D writes eReaderKey first
    expect(hex(ours.subarray(0, 6))).toBe('a26464617461');
    expect(hex(sessionEstablishment.subarray(0, 12))).toBe('a26a655265616465724b6579');
  });

  it('holder session: from the Annex D SessionEstablishment to the Annex D SessionData, byte for byte', async () => {
    const transport = scriptedTransport([sessionEstablishment, termination]);
    const holder = await ProximityHolderSession.accept({
      transport,
      deviceEngagement: annexDEngagement,
      eDeviceKey: eDevice,
      handover: {
        kind: 'nfc',
        handoverSelect: unhex(nfc.handoverSelectHex),
        handoverRequest: unhex(nfc.handoverRequestHex),
      },
    });
    expect(hex(holder.sessionTranscriptBytes)).toBe(hex(transcriptBytes));
    expect(hex((await holder.nextRequest())!)).toBe(deviceRequest);
    await holder.respond(unhex(deviceResponse));
    expect(hex(transport.sent[0]!)).toBe(hex(sessionData));
    expect(await holder.nextRequest()).toBeNull();
    // The DeviceResponse's deviceMac verifies against the transcript the session derived.
    const v = await verifyDeviceResponse(unhex(deviceResponse), {
      sessionTranscriptBytes: holder.sessionTranscriptBytes,
      readerPrivateKey: unhex(keys.EReaderKey.d),
      trustAnchors: [vectorText('iso-18013-5-annex-d/iaca_cert.pem')],
      now: new Date('2021-01-01T00:00:00Z'),
    });
    expect(v.checks.find((c) => c.id === 'device.mac')?.status).toBe('passed');
  });

  describe('counters', () => {
    const pair = () => {
      const k = deriveSessionKeys(eReader, jwk(keys.EDeviceKey), transcriptBytes);
      return { reader: new SessionEncryption('reader', k), mdoc: new SessionEncryption('mdoc', k) };
    };

    it('start at 1 and advance once per message in each direction', () => {
      const { reader, mdoc } = pair();
      expect([reader.sendCounter, mdoc.receiveCounter]).toEqual([1, 1]);
      for (let i = 0; i < 3; i++) expect(hex(mdoc.decrypt(reader.encrypt(unhex('0102'))))).toBe('0102');
      expect([reader.sendCounter, mdoc.receiveCounter]).toEqual([4, 4]);
    });

    it('SESSION_COUNTER_REPLAYED: a message received twice', () => {
      const { reader, mdoc } = pair();
      const m1 = reader.encrypt(unhex('aa'));
      mdoc.decrypt(m1);
      expect(() => mdoc.decrypt(m1)).toThrow(expect.objectContaining({ code: 'SESSION_COUNTER_REPLAYED' }));
      // The failure did not advance the counter: the genuine next message still opens.
      expect(hex(mdoc.decrypt(reader.encrypt(unhex('bb'))))).toBe('bb');
    });

    it('SESSION_COUNTER_OUT_OF_ORDER: a later message before the expected one', () => {
      const { reader, mdoc } = pair();
      reader.encrypt(unhex('01'));
      const m2 = reader.encrypt(unhex('02'));
      expect(() => mdoc.decrypt(m2)).toThrow(
        expect.objectContaining({ code: 'SESSION_COUNTER_OUT_OF_ORDER' }),
      );
    });

    it('SESSION_DECRYPT_FAILED: a tampered message, or one for the other direction', () => {
      const { reader, mdoc } = pair();
      const m = reader.encrypt(unhex('0102030405'));
      const bad = Uint8Array.from(m);
      bad[0] = (bad[0] as number) ^ 1;
      expect(() => mdoc.decrypt(bad)).toThrow(expect.objectContaining({ code: 'SESSION_DECRYPT_FAILED' }));
      expect(() => reader.decrypt(m)).toThrow(expect.objectContaining({ code: 'SESSION_DECRYPT_FAILED' }));
    });
  });
});

describe('device engagement (§8.2.1.1) and the mdoc: URI (§8.2.2.3)', () => {
  it('NFC engagement: the Annex D Handover Select message carries the DeviceEngagement record', () => {
    const hs = unhex(nfc.handoverSelectHex);
    const records = parseNdefMessage(hs);
    expect(records.map((r) => [r.tnf, r.type, r.id])).toEqual([
      [1, 'Hs', ''],
      [2, 'application/vnd.bluetooth.le.oob', '0'],
      [4, 'iso.org:18013:deviceengagement', 'mdoc'],
    ]);
    expect(hex(deviceEngagementFromHandoverSelect(hs))).toBe(hex(annexDEngagement));
    expect(() => deviceEngagementFromHandoverSelect(unhex(nfc.handoverRequestHex))).toThrow(
      expect.objectContaining({ code: 'DECODE' }),
    );
    expect(() => parseNdefMessage(hs.subarray(0, 30))).toThrow(expect.objectContaining({ code: 'DECODE' }));
  });

  it('reads the Annex D QR engagement: cipher suite 1, EDeviceKey, a BLE retrieval method', () => {
    const de = parseDeviceEngagement(unhex(vectorHex('iso-18013-5-annex-d/device_engagement.hex')));
    expect(de.version).toBe('1.0');
    expect(de.eDeviceKey).toEqual(jwk(keys.EDeviceKey));
    expect(de.retrievalMethods.map((r) => [r.type, r.version])).toEqual([[2, 1]]);
    expect(hex(de.eDeviceKeyBytes.raw)).toBe(vectorHex('iso-18013-5-annex-d/e_device_key_bytes.hex'));
  });

  it('builds a deterministic engagement that encodes the Annex D one exactly when given its key', () => {
    const de = buildDeviceEngagement({ eDeviceKey: jwk(keys.EDeviceKey) });
    expect(hex(de.bytes)).toBe(hex(annexDEngagement));
    const uri = deviceEngagementToUri(de);
    expect(uri.startsWith('mdoc:')).toBe(true);
    expect(hex(parseDeviceEngagementUri(uri).bytes)).toBe(hex(de.bytes));
    expect(() => parseDeviceEngagementUri('https://x')).toThrow(expect.objectContaining({ code: 'DECODE' }));
  });
});

describe('proximity presentation over a real WebSocket on 127.0.0.1', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function holderServer() {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const { port } = server.address() as AddressInfo;
    const connection = once(server, 'connection').then(([socket]) => {
      cleanups.push(() => (socket as WebSocket).terminate());
      return socket as WebSocket;
    });
    return { url: `ws://127.0.0.1:${port}`, connection };
  }

  async function readerConnects(url: string) {
    const socket = new WebSocket(url);
    await once(socket, 'open');
    cleanups.push(() => socket.terminate());
    return socket;
  }

  it('engagement by QR, session establishment, encrypted request and response, termination; mdoc verifies', async () => {
    const holder = await issueHolder();
    const eDeviceKey = toP256PrivateJwk(p256().privateKey);
    const server = await holderServer();
    const engagement = buildDeviceEngagement({
      eDeviceKey: toP256PublicJwk({ kty: 'EC', crv: 'P-256', x: eDeviceKey.x, y: eDeviceKey.y }),
      retrievalMethods: [webSocketRetrievalMethod(server.url)],
    });
    const qr = deviceEngagementToUri(engagement);

    // Holder side runs concurrently: accept, answer with a device-signed response, terminate.
    const holderDone = (async () => {
      const session = await ProximityHolderSession.accept({
        transport: webSocketTransport(await server.connection),
        deviceEngagement: engagement.bytes,
        eDeviceKey,
      });
      const request = await session.nextRequest();
      const response = await presentMdoc({
        documents: [holder.issuerSigned],
        request: request!,
        sessionTranscriptBytes: session.sessionTranscriptBytes,
        deviceKey: holder.deviceKey,
        mode: 'signature',
      });
      await session.respond(response, { terminate: true });
      return session.sessionTranscriptBytes;
    })();
    holderDone.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled

    // Reader side: scan the QR code, connect to the URL it names, request.
    const scanned = parseDeviceEngagementUri(qr);
    const socket = await readerConnects(webSocketUrlOf(scanned)!);
    const reader = new ProximityReaderSession({
      transport: webSocketTransport(socket),
      deviceEngagement: scanned.bytes,
    });
    const response = await reader.request(
      simpleDeviceRequest(JP_MNC.docType, {
        [JP_MNC.jp]: { full_name_unicode: false, portrait: false },
        [JP_MNC.iso]: { age_over_18: false },
      }),
    );
    const holderTranscript = await holderDone;
    expect(hex(holderTranscript)).toBe(hex(reader.sessionTranscriptBytes));
    const v = await verifyDeviceResponse(response, {
      sessionTranscriptBytes: reader.sessionTranscriptBytes,
      trustAnchors: [holder.chain.iaca],
      now: NOW,
      docType: JP_MNC.docType,
    });
    expect(v.verdict).toBe('valid');
    expect(Object.keys(v.documents[0]!.elements[JP_MNC.jp]!).sort()).toEqual([
      'full_name_unicode',
      'portrait',
    ]);
    await expect(reader.request(unhex('a0'))).rejects.toMatchObject({ code: 'SESSION_TERMINATED' });
    await reader.terminate();
  });

  it('a replayed SessionData over the wire is refused (SESSION_COUNTER_REPLAYED) and answered with status 10', async () => {
    const eDeviceKey = toP256PrivateJwk(p256().privateKey);
    const server = await holderServer();
    const engagement = buildDeviceEngagement({
      eDeviceKey: toP256PublicJwk({ kty: 'EC', crv: 'P-256', x: eDeviceKey.x, y: eDeviceKey.y }),
    });
    const holderSide = (async () => {
      const session = await ProximityHolderSession.accept({
        transport: webSocketTransport(await server.connection),
        deviceEngagement: engagement.bytes,
        eDeviceKey,
      });
      await session.nextRequest(); // the request inside SessionEstablishment
      await session.respond(unhex('a0'));
      await session.nextRequest(); // a second, genuine request
      await session.respond(unhex('a1'));
      return session.nextRequest(); // the replay
    })();
    holderSide.catch(() => undefined);

    // A reader that records its own second SessionData and sends it again.
    const socket = await readerConnects(server.url);
    const sent: Uint8Array[] = [];
    const base = webSocketTransport(socket);
    const recording = {
      ...base,
      send: async (m: Uint8Array) => {
        sent.push(m);
        await base.send(m);
      },
    };
    const reader = new ProximityReaderSession({ transport: recording, deviceEngagement: engagement.bytes });
    await reader.request(unhex('a0'));
    await reader.request(unhex('a1'));
    await base.send(sent[1]!);
    await expect(holderSide).rejects.toMatchObject({ code: 'SESSION_COUNTER_REPLAYED' });
    expect(decodeSessionData(await base.receive())).toEqual({ status: 10 });
  });

  it('TRANSPORT_CLOSED when the peer goes away', async () => {
    const server = await holderServer();
    const socket = await readerConnects(server.url);
    const t = webSocketTransport(socket);
    (await server.connection).close();
    await expect(t.receive()).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
  });

  it('the tag-24 EReaderKeyBytes of the SessionEstablishment go into the transcript verbatim', () => {
    const se = decodeSessionEstablishment(sessionEstablishment);
    expect(se.eReaderKeyBytes).toBeInstanceOf(EncodedCbor);
    expect(hex(transcriptBytes)).toContain(hex(se.eReaderKeyBytes.raw));
  });
});
