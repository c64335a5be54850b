/**
 * In-person reads over ISO/IEC 18013-5 proximity with the verifier as the reader (POST /sessions/proximity),
 * against a real issuer and the wallet engine's phone (startProximityPresentation) listening on a loopback
 * WebSocket, as the sandbox clinic and bank counter run it: a valid read writes its record (the portrait
 * answered for the face check, only its hash recorded, no KYC letter guessed for a face-to-face read), a
 * declining phone, a silent one and one sending too much get stable codes, an engagement naming a
 * non-loopback host is refused without a connection, an engagement is read once, a DeviceResponse replayed
 * from another session fails on its transcript, and a revoked record is invalid. With a reader key the
 * DeviceRequest carries readerAuthAll over the proximity transcript, and the phone names the relying party.
 */

import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { buildDeviceRequest, buildJpMncRequest, JP_MNC_DOCTYPE, JP_MNC_NAMESPACE } from '@mynakit/mdoc';
import {
  buildDeviceEngagement,
  deviceEngagementToUri,
  ProximityHolderSession,
  ProximityReaderSession,
  toP256PrivateJwk,
  toP256PublicJwk,
  webSocketRetrievalMethod,
  webSocketTransport,
} from '@mynakit/oid4vp';
import { startProximityPresentation, WalletError } from '@mynakit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { createVerifierApp } from '../src/app.js';
import { proximitySessionId } from '../src/proximity/proximity-session.js';
import { getRecord } from '../src/records/record-chains.js';
import type { StatusListFetcher } from '../src/revocation/status-list-fetcher.js';
import type { VerifierStore } from '../src/store/index.js';
import {
  BIOMETRIC,
  type IssuerAndPhone,
  issuerAndPhone,
  type TestClock,
  testClock,
} from './helpers/issuer-and-phone.js';
import { certifyReaderKey } from './helpers/reader-key-party.js';
import {
  expectBothUndetermined,
  expectListThenInquiryValid,
  INQUIRY_ALWAYS,
  inquiryAnswering503,
  listDown,
  recordInquiryOf,
  registerInquiryClient,
} from './helpers/record-inquiry-client.js';
import {
  ADMIN,
  createRelyingParty,
  statusOf,
  type VerificationAnswer,
  type VerifierApp,
  verifierApp,
  verifierStore,
} from './helpers/verifier-fixture.js';

const START = new Date('2027-04-02T01:00:00Z');

/** A loopback WebSocket server standing in for the radio; counts the readers that connected. */
async function radio(): Promise<{
  server: WebSocketServer;
  port: number;
  connections: () => number;
  next: () => Promise<WebSocket>;
  close: () => Promise<void>;
}> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  let count = 0;
  const sockets: WebSocket[] = [];
  server.on('connection', (s: WebSocket) => {
    count++;
    sockets.push(s);
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    next: async () => ((await once(server, 'connection')) as [WebSocket])[0],
    close: async () => {
      for (const s of sockets) s.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The phone shows its engagement; when the reader connects it consents to everything asked, or declines. */
async function phoneOnRadio(
  env: IssuerAndPhone,
  options: { decline?: boolean } = {},
): Promise<{ qr: string; outcome: Promise<string>; close: () => Promise<void>; connections: () => number }> {
  const r = await radio();
  const handle = startProximityPresentation({
    device: env.phone,
    retrievalMethods: [webSocketRetrievalMethod(`ws://127.0.0.1:${r.port}`)],
  });
  const outcome = (async () => {
    const socket = await r.next();
    try {
      const summary = await handle.accept(webSocketTransport(socket));
      if (options.decline) {
        await handle.decline();
        return 'declined';
      }
      const consent = Object.fromEntries(
        summary.documents.map((d) => {
          const approved = new Map<string, string[]>();
          for (const e of d.elements)
            if (e.held && e.withheld === undefined)
              approved.set(e.namespace, [...(approved.get(e.namespace) ?? []), e.identifier]);
          return [d.docType, Object.fromEntries(approved)];
        }),
      );
      await handle.answer({ consent, userAuthentication: BIOMETRIC });
      return 'answered';
    } catch (e) {
      await handle.decline().catch(() => undefined);
      return e instanceof WalletError ? e.code : String(e);
    }
  })();
  return { qr: handle.qr, outcome, close: r.close, connections: r.connections };
}

/** What the customer declares at the counter (取引時確認 under 犯収法). */
const DECLARED = {
  transactionPurpose: { code: 'living-expenses' },
  occupation: { code: 'company-employee' },
} as const;

function read(app: VerifierApp, apiKey: string, body: Record<string, unknown>) {
  return app.request('/sessions/proximity', {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ purpose: 'account-opening', ...DECLARED, ...body }),
  });
}

async function problemCode(res: Response): Promise<string> {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return ((await res.json()) as { code: string }).code;
}

/** A fresh engagement naming `url`, with no phone behind it. */
function engagementNaming(url: string): string {
  const key = toP256PrivateJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  return deviceEngagementToUri(
    buildDeviceEngagement({
      eDeviceKey: toP256PublicJwk({ kty: 'EC', crv: 'P-256', x: key.x, y: key.y }),
      retrievalMethods: [webSocketRetrievalMethod(url)],
    }),
  );
}

describe('in-person reads over proximity (POST /sessions/proximity)', () => {
  let clock: TestClock;
  let env: IssuerAndPhone;
  let store: VerifierStore;
  let removeStore: () => Promise<void>;
  let app: VerifierApp;

  beforeAll(async () => {
    clock = testClock(START);
    env = await issuerAndPhone(clock);
    ({ store, remove: removeStore } = await verifierStore());
    app = verifierApp(store, clock, env.fetchFromIssuer);
  }, 180_000);
  afterAll(async () => {
    await removeStore?.();
    await env?.close();
  });

  it('reads the phone, answers the portrait for the face check and records the verification without it', async () => {
    const rp = await createRelyingParty(app, env, { name: 'サンプル銀行 本店窓口' });
    const phone = await phoneOnRadio(env);
    try {
      const res = await read(app, rp.apiKey, { engagement: phone.qr });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as VerificationAnswer & {
        sessionId: string;
        readerAuthentication: { form: string };
      };
      expect(await phone.outcome).toBe('answered');
      expect(answer.verdict).toBe('valid');
      expect(statusOf(answer, 'response.decrypt')).toBe('passed');
      expect(statusOf(answer, 'device.signature')).toBe('passed');
      expect(statusOf(answer, 'status.revocation')).toBe('passed');
      expect(statusOf(answer, 'request.elements')).toBe('passed');
      expect(answer.readerAuthentication.form).toBe('none');
      const values = answer.elements?.[JP_MNC_NAMESPACE] ?? {};
      expect(typeof values.full_name_unicode).toBe('string');
      expect(typeof values.portrait).toBe('string');
      expect((values.portrait as string).length).toBeGreaterThan(100);
      // No letter is guessed for a face-to-face read: @mynakit/kyc tabulates only the 送信 methods.
      expect(answer.method).toBeNull();
      expect(answer.methodReasons).toEqual(['KYC_IN_PERSON_NOT_TABULATED']);
      expect(statusOf(answer, 'kyc.method')).toBe('warning');

      const record = (await getRecord(store, answer.recordId))?.content as Record<string, unknown>;
      expect(record).toMatchObject({
        outcome: 'verified',
        channel: 'iso-18013-5-proximity',
        origin: 'in-person',
        sessionId: answer.sessionId,
        transactionType: 'account-opening',
        method: null,
        methodReasons: ['KYC_IN_PERSON_NOT_TABULATED'],
        name: values.full_name_unicode,
        transactionPurpose: { code: 'living-expenses' },
        occupation: { code: 'company-employee' },
      });
      expect(typeof record.portraitSha256).toBe('string');
      expect(JSON.stringify(record)).not.toContain(values.portrait as string);
      expect(JSON.stringify(record)).not.toContain('individual_number');

      const state = await app.request(`/sessions/${answer.sessionId}`, {
        headers: { authorization: `Bearer ${rp.apiKey}` },
      });
      expect(await state.json()).toMatchObject({
        state: 'done',
        verdict: 'valid',
        recordId: answer.recordId,
      });

      // The same engagement again: refused before any connection (the phone shows a new one each time).
      const before = phone.connections();
      const again = await read(app, rp.apiKey, { engagement: phone.qr });
      expect(again.status).toBe(409);
      expect(await problemCode(again)).toBe('VERIFIER_SESSION_USED');
      expect(phone.connections()).toBe(before);
    } finally {
      await phone.close();
    }
  }, 60_000);

  it('refuses a 取引時確認 under 犯収法 without the customer’s declaration, before connecting', async () => {
    const rp = await createRelyingParty(app, env);
    const phone = await phoneOnRadio(env);
    try {
      const noPurpose = await read(app, rp.apiKey, { engagement: phone.qr, transactionPurpose: undefined });
      expect(noPurpose.status).toBe(400);
      expect(await problemCode(noPurpose)).toBe('VERIFIER_TRANSACTION_PURPOSE_REQUIRED');
      const noOccupation = await read(app, rp.apiKey, { engagement: phone.qr, occupation: undefined });
      expect(await problemCode(noOccupation)).toBe('VERIFIER_OCCUPATION_REQUIRED');
      expect(phone.connections()).toBe(0);
    } finally {
      await phone.close();
    }
  }, 60_000);

  it('answers VERIFIER_PROXIMITY_DECLINED when the holder declines, and writes no record', async () => {
    const rp = await createRelyingParty(app, env);
    const phone = await phoneOnRadio(env, { decline: true });
    try {
      const res = await read(app, rp.apiKey, { engagement: phone.qr });
      expect(res.status).toBe(409);
      expect(await problemCode(res)).toBe('VERIFIER_PROXIMITY_DECLINED');
      expect(await phone.outcome).toBe('declined');
      // Nothing was verified: the session was given back unrecorded (it expires unused).
      const id = proximitySessionId(Buffer.from(phone.qr.slice('mdoc:'.length), 'base64url'));
      const state = await app.request(`/sessions/${id}`, {
        headers: { authorization: `Bearer ${rp.apiKey}` },
      });
      expect(await state.json()).toMatchObject({ state: 'open', verdict: null, recordId: null });
    } finally {
      await phone.close();
    }
  }, 60_000);

  it('refuses an engagement naming a host that is neither loopback nor allowed, without connecting', async () => {
    const rp = await createRelyingParty(app, env);
    const r = await radio();
    try {
      for (const url of [`ws://localhost:${r.port}`, 'ws://192.0.2.10:8080', 'wss://phone.example/']) {
        const res = await read(app, rp.apiKey, { engagement: engagementNaming(url) });
        expect(res.status).toBe(400);
        expect(await problemCode(res)).toBe('VERIFIER_PROXIMITY_HOST_NOT_ALLOWED');
      }
      expect(r.connections()).toBe(0);
      const odd = await read(app, rp.apiKey, { engagement: engagementNaming('http://127.0.0.1:1/') });
      expect(await problemCode(odd)).toBe('VERIFIER_PROXIMITY_ENGAGEMENT_INVALID');
      const garbage = await read(app, rp.apiKey, { engagement: 'mdoc:AAAA' });
      expect(await problemCode(garbage)).toBe('VERIFIER_PROXIMITY_ENGAGEMENT_INVALID');
      // An allow-listed host is connected to (here nothing answers there: unreachable, not refused).
      const listed = createVerifierApp({
        store,
        config: {
          origin: 'http://127.0.0.1:8403',
          adminToken: ADMIN,
          proximityTransportHosts: ['localhost'],
          proximityTimeoutSeconds: 1,
        },
        clock: clock.read,
        writerId: 'test-writer',
      });
      const res = await read(listed, rp.apiKey, { engagement: engagementNaming(`ws://localhost:${r.port}`) });
      // The silent listener times out (or localhost is ::1 here and nothing listens: unreachable).
      expect(['VERIFIER_PROXIMITY_TIMEOUT', 'VERIFIER_PROXIMITY_UNREACHABLE']).toContain(
        await problemCode(res),
      );
    } finally {
      await r.close();
    }
  }, 60_000);

  it('answers VERIFIER_PROXIMITY_TIMEOUT for a silent phone and VERIFIER_PROXIMITY_MESSAGE_INVALID for an oversized message', async () => {
    const rp = await createRelyingParty(app, env);
    const quick = createVerifierApp({
      store,
      config: { origin: 'http://127.0.0.1:8403', adminToken: ADMIN, proximityTimeoutSeconds: 1 },
      clock: clock.read,
      writerId: 'test-writer',
    });
    const r = await radio();
    try {
      const silent = read(quick, rp.apiKey, { engagement: engagementNaming(`ws://127.0.0.1:${r.port}`) });
      await r.next();
      const res = await silent;
      expect(res.status).toBe(504);
      expect(await problemCode(res)).toBe('VERIFIER_PROXIMITY_TIMEOUT');

      const flooding = read(app, rp.apiKey, { engagement: engagementNaming(`ws://127.0.0.1:${r.port}`) });
      const socket = await r.next();
      socket.send(new Uint8Array(3 * 1024 * 1024));
      const flooded = await flooding;
      expect(await problemCode(flooded)).toBe('VERIFIER_PROXIMITY_MESSAGE_INVALID');
    } finally {
      await r.close();
    }
  }, 60_000);

  it('fails a DeviceResponse replayed from another session on its transcript', async () => {
    const rp = await createRelyingParty(app, env);
    // Session 1: someone reads the phone with a reader of their own and keeps the plaintext DeviceResponse.
    const first = await radio();
    const handle = startProximityPresentation({
      device: env.phone,
      retrievalMethods: [webSocketRetrievalMethod(`ws://127.0.0.1:${first.port}`)],
    });
    const { WebSocket } = await import('ws');
    const client = new WebSocket(`ws://127.0.0.1:${first.port}`);
    const phoneSocket = first.next();
    await once(client, 'open');
    const thief = new ProximityReaderSession({
      transport: webSocketTransport(client),
      deviceEngagement: Buffer.from(handle.qr.slice(5), 'base64url'),
    });
    const asking = thief.request(
      buildDeviceRequest({
        docRequests: [
          buildJpMncRequest({
            elements: {
              [JP_MNC_NAMESPACE]: [
                'full_name_unicode',
                'resident_address_unicode',
                'birth_date_unicode',
                'portrait',
              ],
            },
          }),
        ],
      }),
    );
    const summary = await handle.accept(webSocketTransport(await phoneSocket));
    await handle.answer({
      consent: {
        [JP_MNC_DOCTYPE]:
          summary.documents[0]?.elements.reduce<Record<string, string[]>>((a, e) => {
            a[e.namespace] = [...(a[e.namespace] ?? []), e.identifier];
            return a;
          }, {}) ?? {},
      },
      userAuthentication: BIOMETRIC,
    });
    const stolen = await asking;
    await thief.terminate().catch(() => undefined);
    await first.close();

    // Session 2: a fake phone answers the verifier with the stolen DeviceResponse.
    const second = await radio();
    try {
      const eDeviceKey = toP256PrivateJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
      const engagement = buildDeviceEngagement({
        eDeviceKey: toP256PublicJwk({ kty: 'EC', crv: 'P-256', x: eDeviceKey.x, y: eDeviceKey.y }),
        retrievalMethods: [webSocketRetrievalMethod(`ws://127.0.0.1:${second.port}`)],
      });
      const fake = (async () => {
        const socket = await second.next();
        const session = await ProximityHolderSession.accept({
          transport: webSocketTransport(socket),
          deviceEngagement: engagement.bytes,
          eDeviceKey,
        });
        await session.nextRequest();
        await session.respond(stolen, { terminate: true });
      })();
      const res = await read(app, rp.apiKey, { engagement: deviceEngagementToUri(engagement) });
      await fake;
      expect(res.status).toBe(200);
      const answer = (await res.json()) as VerificationAnswer;
      expect(answer.verdict).toBe('invalid');
      expect(statusOf(answer, 'issuer.signature')).toBe('passed');
      expect(statusOf(answer, 'session.transcript')).toBe('failed');
      expect(answer.errorCode).toBe('TRANSCRIPT_MISMATCH');
      expect(answer.elements).toBeUndefined();
      expect((await getRecord(store, answer.recordId))?.content).toMatchObject({
        outcome: 'rejected',
        channel: 'iso-18013-5-proximity',
      });
    } finally {
      await second.close();
    }
  }, 60_000);

  it("asks the issuer's record inquiry of a proximity read when the relying party chooses `always`", async () => {
    const client = await registerInquiryClient(env);
    /** A verifier app (its own status-list cache) asking the issuer's inquiry through `inquiryFetch`. */
    const asking = (
      fetchStatusList: StatusListFetcher,
      inquiryFetch?: (request: Request) => Promise<Response>,
    ): VerifierApp =>
      createVerifierApp({
        store,
        config: { origin: 'http://127.0.0.1:8403', adminToken: ADMIN },
        clock: clock.read,
        writerId: 'test-writer',
        fetchStatusList,
        recordInquiry: recordInquiryOf(env, client, inquiryFetch),
      });
    const rp = await createRelyingParty(app, env, { name: '照会する窓口', revocation: INQUIRY_ALWAYS });
    /** The phone read once by `verifier`. */
    const readPhone = async (verifier: VerifierApp): Promise<VerificationAnswer> => {
      const phone = await phoneOnRadio(env);
      try {
        const res = await read(verifier, rp.apiKey, { engagement: phone.qr });
        expect(res.status).toBe(200);
        expect(await phone.outcome).toBe('answered');
        return (await res.json()) as VerificationAnswer;
      } finally {
        await phone.close();
      }
    };

    const answer = await readPhone(asking(env.fetchFromIssuer));
    expect(answer.verdict).toBe('valid');
    expect(statusOf(answer, 'status.revocation')).toBe('passed');
    expect((await getRecord(store, answer.recordId))?.content).toMatchObject({
      channel: 'iso-18013-5-proximity',
    });
    await expectListThenInquiryValid(store, answer.recordId);

    // The list down and the issuer answering 503: nothing to rely on, rejected under the default policy.
    const unavailable = inquiryAnswering503();
    const refused = await readPhone(asking(listDown, unavailable.fetch));
    expect(refused.verdict).toBe('invalid');
    expect(statusOf(refused, 'status.revocation')).toBe('undetermined');
    expect(refused.errorCode).toBe('VERIFIER_REVOCATION_UNDETERMINED');
    expect(refused.elements).toBeUndefined();
    expect(unavailable.asked()).toBe(1);
    await expectBothUndetermined(store, refused.recordId);
  }, 60_000);

  it('finds a revoked record invalid (VERIFIER_REVOKED) and records the rejection', async () => {
    const rp = await createRelyingParty(app, env);
    await env.issuer.deps.store.lifeEvents.record(
      {
        residentId: env.residentId,
        event: 'addressChanged',
        changes: { address: '東京都千代田区試験町三丁目' },
      },
      clock.now.getTime(),
    );
    const fresh = verifierApp(store, clock, env.fetchFromIssuer);
    const phone = await phoneOnRadio(env);
    try {
      const res = await read(fresh, rp.apiKey, { engagement: phone.qr });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as VerificationAnswer;
      expect(answer.verdict).toBe('invalid');
      expect(statusOf(answer, 'status.revocation')).toBe('failed');
      expect(answer.errorCode).toBe('VERIFIER_REVOKED');
      expect(answer.elements).toBeUndefined();
      const content = (await getRecord(store, answer.recordId))?.content as Record<string, unknown>;
      expect(content).toMatchObject({ outcome: 'rejected', revocationCheck: { result: 'failed' } });
      expect(content.name).toBeUndefined();
    } finally {
      await phone.close();
    }
  }, 60_000);
});

describe('reader authentication of proximity reads', () => {
  const READER_KEK = new Uint8Array(32).fill(0x5a);
  let clock: TestClock;
  let env: IssuerAndPhone;
  let store: VerifierStore;
  let removeStore: () => Promise<void>;
  let app: VerifierApp;

  beforeAll(async () => {
    clock = testClock(START);
    env = await issuerAndPhone(clock);
    ({ store, remove: removeStore } = await verifierStore());
    app = createVerifierApp({
      store,
      config: { origin: 'http://127.0.0.1:8403', adminToken: ADMIN, readerKeyEncryptionKey: READER_KEK },
      clock: clock.read,
      writerId: 'test-writer',
      fetchStatusList: env.fetchFromIssuer,
    });
  }, 180_000);
  afterAll(async () => {
    await removeStore?.();
    await env?.close();
  });

  it('signs the DeviceRequest with readerAuthAll over the proximity transcript; the phone names the bank', async () => {
    const rp = await createRelyingParty(app, env, { name: 'サンプル銀行 本店窓口' });
    const operator = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    await certifyReaderKey(app, {
      relyingPartyId: rp.id,
      operator: operator,
      ca: env.issuer.deps.hierarchy.reader.root,
      notBefore: new Date(START.getTime() - 86_400_000),
      notAfter: new Date(START.getTime() + 90 * 86_400_000),
    });

    const r = await radio();
    try {
      const handle = startProximityPresentation({
        device: env.phone,
        retrievalMethods: [webSocketRetrievalMethod(`ws://127.0.0.1:${r.port}`)],
        readerTrustAnchors: [env.issuer.deps.hierarchy.reader.root.der],
      });
      const phone = (async () => {
        const summary = await handle.accept(webSocketTransport(await r.next()));
        const consent = Object.fromEntries(
          summary.documents.map((d) => [
            d.docType,
            Object.fromEntries(
              [...new Set(d.elements.map((e) => e.namespace))].map((ns) => [
                ns,
                d.elements.filter((e) => e.namespace === ns && e.held).map((e) => e.identifier),
              ]),
            ),
          ]),
        );
        const presented = await handle.answer({ consent, userAuthentication: BIOMETRIC });
        return { summary, presented };
      })();
      const res = await read(app, rp.apiKey, { engagement: handle.qr });
      const { summary, presented } = await phone;
      expect(summary.readerAuthentication).toBe('readerAuthAll');
      expect(summary.reader.authentication).toBe('verified');
      expect(summary.reader.subject).toContain('サンプル銀行');
      expect(presented.relyingParty).toContain('サンプル銀行');
      expect(res.status).toBe(200);
      const answer = (await res.json()) as VerificationAnswer & {
        readerAuthentication: { form: string; readerCertificateSubject?: string };
      };
      expect(answer.verdict).toBe('valid');
      expect(answer.readerAuthentication.form).toBe('readerAuthAll');
      expect(answer.readerAuthentication.readerCertificateSubject).toContain('サンプル銀行');
    } finally {
      await r.close();
    }
  }, 60_000);
});
