/**
 * The phone hears the issuer: installing the card on a second phone invalidates everything on the first;
 * a move (life event) invalidates the record and the signature certificate but not the user-auth one; a
 * suspension is lifted again; a reconnect hears only what it missed. Against the real issuer (its
 * /notices routes, subscriptions proved with the phone's keys), through app.fetch.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type InstallInput,
  installCredentials,
  readServerSentEvents,
  type ServerSentEvent,
  syncNotices,
  type WalletDevice,
  WalletError,
} from '../src/index.js';
import { cardPinsOf, type IssuerEnvironment, issuerEnvironment } from './helpers/issuer-fixture.js';

const MNC = 'org.iso.23220.1.jp.mnc';
const BIOMETRIC = { method: 'biometric', matched: true } as const;

function streamOf(chunks: readonly string[]): ReadableStream<Uint8Array> {
  const bytes = chunks.map((c) => new TextEncoder().encode(c));
  return new ReadableStream({
    start(controller) {
      for (const b of bytes) controller.enqueue(b);
      controller.close();
    },
  });
}

async function eventsOf(chunks: readonly string[]): Promise<ServerSentEvent[]> {
  const out: ServerSentEvent[] = [];
  for await (const e of readServerSentEvents(streamOf(chunks))) out.push(e);
  return out;
}

describe('reading an event stream (WHATWG HTML §9.2.6)', () => {
  const text =
    '\uFEFF: heartbeat\r\nretry: 1000\r\nevent: ready\r\ndata: {}\r\n\r\nid: 1\nevent: credential.revoked\ndata: {"a":\ndata: 1}\n\nid: 2\rdata:x\r\rid: bad\0id\ndata: y\n\nevent: empty\n\n';
  it('handles CR LF, LF and CR, comments, a BOM, multi-line data and ids with NULL', async () => {
    expect(await eventsOf([text])).toEqual([
      { event: 'ready', data: '{}', lastEventId: '' },
      { event: 'credential.revoked', data: '{"a":\n1}', lastEventId: '1' },
      { event: 'message', data: 'x', lastEventId: '2' },
      { event: 'message', data: 'y', lastEventId: '2' },
    ]);
  });

  it('gives the same events however the stream is cut into chunks', async () => {
    const whole = await eventsOf([text]);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 8 }),
        async (cuts) => {
          const at = [0, ...[...cuts].sort((a, b) => a - b), text.length];
          const chunks = at.slice(1).map((end, i) => text.slice(at[i], end));
          expect(await eventsOf(chunks)).toEqual(whole);
        },
      ),
      { seed: 20261202, numRuns: 60 },
    );
  });

  it('refuses a line longer than its bound', async () => {
    const long = `data: ${'x'.repeat(200)}\n\n`;
    const read = (async () => {
      for await (const _ of readServerSentEvents(streamOf([long]), { maxLineChars: 100 })) void _;
    })();
    await expect(read).rejects.toMatchObject({ code: 'WALLET_ISSUER_RESPONSE' });
  });
});

describe('notices from the issuer', () => {
  let env: IssuerEnvironment;
  beforeAll(async () => {
    env = await issuerEnvironment();
  }, 120_000);
  afterAll(async () => {
    await env?.close();
  });

  async function install(phone: WalletDevice, residentId: string) {
    return installCredentials({
      device: phone,
      issuer: env.client,
      card: await env.card(residentId),
      cardPins: await cardPinsOf(env, residentId),
      liveness: { confirmed: true },
      newAuthPin: ['2468', '2468'],
      newSignaturePassword: ['PHONE2026', 'PHONE2026'],
      biometric: BIOMETRIC,
      trustAnchors: env.trustAnchors,
    } as InstallInput);
  }

  const states = async (phone: WalletDevice) => ({
    documents: (await phone.store.documents.list(phone.id, MNC)).map(
      (d) => `${d.state}:${d.invalidationReason ?? ''}`,
    ),
    certificates: Object.fromEntries(
      (await phone.store.certificates.list(phone.id)).map((c) => [
        c.purpose,
        `${c.state}:${c.invalidationReason ?? ''}`,
      ]),
    ),
  });

  it('the first phone loses everything when the card goes to the second, and hears it only once', async () => {
    const first = await env.phone('notices-first', 'iphone');
    const second = await env.phone('notices-second', 'iphone');
    await install(first, 'sandbox-ordinary-male');
    await install(second, 'sandbox-ordinary-male');
    // Before it syncs, the first phone still holds an active record (offline: it would still present).
    expect((await states(first)).documents).toEqual(['active:']);

    const heard = await syncNotices({ device: first, issuer: env.client, userAuthentication: BIOMETRIC });
    expect(heard).toHaveLength(1);
    expect(heard[0]?.applied.map((a) => a.kind)).toEqual(['credential.revoked', 'installation.superseded']);
    expect(await states(first)).toEqual({
      documents: ['invalidated:superseded'],
      certificates: { sign: 'invalidated:superseded', auth: 'invalidated:superseded' },
    });
    // The superseded installation has nothing more to say; the second phone heard nothing.
    const again = await syncNotices({ device: first, issuer: env.client, userAuthentication: BIOMETRIC });
    expect(again.every((s) => s.applied.length === 0)).toBe(true);
    const quiet = await syncNotices({ device: second, issuer: env.client, userAuthentication: BIOMETRIC });
    expect(quiet.flatMap((s) => s.applied)).toEqual([]);
    expect((await states(second)).documents).toEqual(['active:']);
  }, 120_000);

  it('a move revokes the record and the signature certificate; a suspension is lifted again', async () => {
    const phone = await env.phone('notices-move', 'iphone');
    const installed = await install(phone, 'sandbox-ordinary-female');
    const store = env.issuer.deps.store;
    const now = Date.now();
    await store.lifeEvents.record(
      {
        residentId: 'sandbox-ordinary-female',
        event: 'addressChanged',
        changes: { address: '東京都千代田区試験町二丁目' },
      },
      now,
    );
    const moved = await syncNotices({ device: phone, issuer: env.client, userAuthentication: BIOMETRIC });
    expect(moved.flatMap((s) => s.applied.map((a) => a.kind))).toEqual(['credential.revoked']);
    expect(await states(phone)).toEqual({
      documents: ['invalidated:affiliationChanged'],
      certificates: { sign: 'invalidated:affiliationChanged', auth: 'active:' },
    });

    const auth = (await store.credentials.listByInstallation(installed.installationId)).find(
      (c) => c.kind === 'jpki-auth',
    );
    await store.revocations.revoke([auth?.id as string], 'certificateHold', now + 1);
    await syncNotices({ device: phone, issuer: env.client, userAuthentication: BIOMETRIC });
    expect((await states(phone)).certificates.auth).toBe('invalidated:certificateHold');
    await store.revocations.reinstate([auth?.id as string], now + 2);
    const lifted = await syncNotices({ device: phone, issuer: env.client, userAuthentication: BIOMETRIC });
    expect(lifted.flatMap((s) => s.applied.map((a) => [a.kind, a.reactivated]))).toEqual([
      ['credential.reinstated', 1],
    ]);
    expect((await states(phone)).certificates.auth).toBe('active:');
    // A revoked record is never brought back by a reinstatement.
    expect((await states(phone)).documents).toEqual(['invalidated:affiliationChanged']);
  }, 120_000);

  it('needs the owner: a failed biometric subscribes to nothing and changes nothing', async () => {
    const phone = await env.phone('notices-owner', 'iphone');
    await install(phone, 'sandbox-long-address');
    const before = await states(phone);
    let code = 'resolved';
    try {
      await syncNotices({
        device: phone,
        issuer: env.client,
        userAuthentication: { method: 'biometric', matched: false },
      });
    } catch (e) {
      code = e instanceof WalletError ? e.code : 'other';
    }
    expect(code).toBe('WALLET_BIOMETRIC_FAILED');
    expect(await states(phone)).toEqual(before);
  }, 120_000);
});
