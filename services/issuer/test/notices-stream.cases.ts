/**
 * The phones' notices: challenges, device-key subscriptions (ES256 by the record's device key, RS256 by the
 * smartphone user-authentication key), and the server-sent events stream — replay after Last-Event-ID, live
 * notices woken by the hub and found by polling, heartbeats, the end at token expiry, bounds, and the
 * superseded phone that still hears it lost its record. Real keys and signatures throughout; notices are
 * produced by the store's RevocationRepository, as in production.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssuerApp } from '../src/app.js';
import type { NoticeSettings } from '../src/notices/notice-settings.js';
import { RevocationHub } from '../src/revocation/revocation-hub.js';
import { post, residentWithCard, type TestIssuer } from './helpers/installation-fixtures.js';
import {
  es256Proof,
  installationWithAuthCertificate,
  installationWithRecord,
  rs256Proof,
  SseReader,
} from './helpers/notice-fixtures.js';
import { CA_EPOCH } from './helpers/sandbox-ca.js';

const NOW = new Date(CA_EPOCH.getTime() + 86_400_000);
const ORIGIN = 'https://issuer.example';

/** The instant the notices cases start at (their issuer's clock). */
export const NOTICES_NOW = NOW;

let t: TestIssuer;

/** Defines the notices cases on an issuer made by `openIssuer` (SQLite: notices-stream.test.ts; PostgreSQL: notices-stream.pg.test.ts). */
export function defineNoticeStreamCases(name: string, openIssuer: () => Promise<TestIssuer>): void {
  beforeAll(async () => {
    t = await openIssuer();
  });
  afterAll(async () => {
    await t.close();
  });

  /** An app over the test issuer's store with its own hub and notice settings. */
  function appWith(notices: NoticeSettings = {}): { app: Hono; hub: RevocationHub } {
    const hub = new RevocationHub();
    const app = createIssuerApp({ ...t.deps, hub, config: { ...t.deps.config, notices } });
    return { app, hub };
  }

  async function challengeFor(app: Hono, installationId: string): Promise<string> {
    const r = await post(app, '/notices/challenges', { installationId });
    expect(r.status).toBe(201);
    return r.json.challenge as string;
  }

  async function subscribe(
    app: Hono,
    installationId: string,
    proofOf: (challenge: string) => { alg: string; signature: string },
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const challenge = await challengeFor(app, installationId);
    return post(app, '/notices/subscriptions', { installationId, challenge, proof: proofOf(challenge) });
  }

  async function tokenFor(
    app: Hono,
    inst: { installationId: string; privateKey: import('node:crypto').KeyObject },
  ) {
    const r = await subscribe(app, inst.installationId, (ch) =>
      es256Proof(inst.privateKey, ORIGIN, inst.installationId, ch),
    );
    expect(r.status).toBe(201);
    return r.json.token as string;
  }

  function open(app: Hono, token: string, headers: Record<string, string> = {}, query = '') {
    return app.request(`/notices${query}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  }

  describe(`notices: subscription (${name})`, () => {
    it('a record holder subscribes with its device key (ES256); the token is stored only as SHA-256', async () => {
      const { app } = appWith();
      const { residentId } = await residentWithCard(t);
      const inst = await installationWithRecord(t, residentId);
      const r = await subscribe(app, inst.installationId, (ch) =>
        es256Proof(inst.privateKey, ORIGIN, inst.installationId, ch),
      );
      expect(r.status).toBe(201);
      expect(r.json.tokenType).toBe('Bearer');
      const rows = await t.store.db.selectFrom('notice_subscriptions').select('token_hash').execute();
      expect(rows.some((row) => row.token_hash === r.json.token)).toBe(false);
    });

    it('an installation without a record subscribes with its JPKI user-authentication key (RS256)', async () => {
      const { app } = appWith();
      const { residentId } = await residentWithCard(t);
      const inst = await installationWithAuthCertificate(t, residentId);
      const r = await subscribe(app, inst.installationId, (ch) =>
        rs256Proof(inst.privateKey, ORIGIN, inst.installationId, ch),
      );
      expect(r.status).toBe(201);
      // The same key with the other algorithm's label does not pass: no record, no device key.
      const es = await subscribe(app, inst.installationId, (ch) => ({
        alg: 'ES256',
        signature: rs256Proof(inst.privateKey, ORIGIN, inst.installationId, ch).signature,
      }));
      expect(es.status).toBe(401);
      expect(es.json.code).toBe('ISSUER_NOTICES_PROOF_INVALID');
    });

    it('refuses a wrong signature, another installation’s key, other signed bytes, an unknown installation', async () => {
      const { app } = appWith();
      const a = await installationWithRecord(t, (await residentWithCard(t)).residentId);
      const b = await installationWithRecord(t, (await residentWithCard(t)).residentId);
      const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

      const wrongKey = await subscribe(app, a.installationId, (ch) =>
        es256Proof(stranger, ORIGIN, a.installationId, ch),
      );
      expect([wrongKey.status, wrongKey.json.code]).toEqual([401, 'ISSUER_NOTICES_PROOF_INVALID']);
      const othersKey = await subscribe(app, a.installationId, (ch) =>
        es256Proof(b.privateKey, ORIGIN, a.installationId, ch),
      );
      expect([othersKey.status, othersKey.json.code]).toEqual([401, 'ISSUER_NOTICES_PROOF_INVALID']);
      const otherOrigin = await subscribe(app, a.installationId, (ch) =>
        es256Proof(a.privateKey, 'https://elsewhere.example', a.installationId, ch),
      );
      expect([otherOrigin.status, otherOrigin.json.code]).toEqual([401, 'ISSUER_NOTICES_PROOF_INVALID']);
      const garbage = await subscribe(app, a.installationId, () => ({ alg: 'ES256', signature: 'AAAA' }));
      expect([garbage.status, garbage.json.code]).toEqual([401, 'ISSUER_NOTICES_PROOF_INVALID']);
      const unknown = await subscribe(app, 'no-such-installation', (ch) =>
        es256Proof(a.privateKey, ORIGIN, 'no-such-installation', ch),
      );
      expect([unknown.status, unknown.json.code]).toEqual([401, 'ISSUER_NOTICES_PROOF_INVALID']);
    });

    it('a challenge is single use, bound to its installation, and short-lived', async () => {
      const { app } = appWith({ challengeTtlSeconds: 30 });
      const a = await installationWithRecord(t, (await residentWithCard(t)).residentId);
      const b = await installationWithRecord(t, (await residentWithCard(t)).residentId);
      const challenge = await challengeFor(app, a.installationId);
      const body = {
        installationId: a.installationId,
        challenge,
        proof: es256Proof(a.privateKey, ORIGIN, a.installationId, challenge),
      };
      expect((await post(app, '/notices/subscriptions', body)).status).toBe(201);
      const again = await post(app, '/notices/subscriptions', body);
      expect([again.status, again.json.code]).toEqual([409, 'ISSUER_CHALLENGE_REPLAYED']);

      // A's challenge used by B (signed by B's own key): it was handed out for A.
      const forA = await challengeFor(app, a.installationId);
      const crossed = await post(app, '/notices/subscriptions', {
        installationId: b.installationId,
        challenge: forA,
        proof: es256Proof(b.privateKey, ORIGIN, b.installationId, forA),
      });
      expect([crossed.status, crossed.json.code]).toEqual([400, 'ISSUER_CHALLENGE_UNKNOWN']);

      const late = await challengeFor(app, a.installationId);
      t.clock.now = new Date(NOW.getTime() + 31_000);
      try {
        const expired = await post(app, '/notices/subscriptions', {
          installationId: a.installationId,
          challenge: late,
          proof: es256Proof(a.privateKey, ORIGIN, a.installationId, late),
        });
        expect([expired.status, expired.json.code]).toEqual([400, 'ISSUER_CHALLENGE_EXPIRED']);
      } finally {
        t.clock.now = NOW;
      }

      const bad = await post(app, '/notices/challenges', { installationId: 'not/an id' });
      expect([bad.status, bad.json.code]).toEqual([400, 'ISSUER_INVALID_BODY']);
    });
  });

  describe(`notices: the stream (${name})`, () => {
    it('replays after Last-Event-ID and delivers live notices woken by the hub', async () => {
      // A poll interval far beyond the test: what arrives was woken by the hub.
      const { app, hub } = appWith({ pollIntervalMs: 600_000 });
      const inst = await installationWithRecord(t, (await residentWithCard(t)).residentId);
      const token = await tokenFor(app, inst);

      const res = await open(app, token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const sse = new SseReader(res.body as ReadableStream<Uint8Array>);
      const ready = await sse.next();
      expect(ready?.event).toBe('ready');
      expect(ready?.retry).toBe(3000);

      const held = await t.store.revocations.revoke([inst.credentialId], 'certificateHold', NOW.getTime());
      hub.emit(held.change);
      const first = await sse.nextNotice();
      expect(first?.id).toBe('1');
      expect(first?.event).toBe('credential.suspended');
      const data = JSON.parse(first?.data ?? '{}');
      expect(data).toMatchObject({ seq: 1, kind: 'credential.suspended', at: NOW.toISOString() });
      expect(JSON.stringify(data.detail)).toContain(inst.credentialId);

      const lifted = await t.store.revocations.reinstate([inst.credentialId], NOW.getTime());
      hub.emit(lifted.change);
      expect((await sse.nextNotice())?.event).toBe('credential.reinstated');
      await sse.cancel();

      // Reconnect with Last-Event-ID: 1 → only the later notice.
      const again = new SseReader(
        (await open(app, token, { 'last-event-id': '1' })).body as ReadableStream<Uint8Array>,
      );
      expect((await again.next())?.event).toBe('ready');
      const replayed = await again.nextNotice();
      expect([replayed?.id, replayed?.event]).toEqual(['2', 'credential.reinstated']);
      await again.cancel();

      // The same by URL (an EventSource that reconnects by URL): lastEventId=2 → nothing yet, then the next.
      const byUrl = new SseReader(
        (await open(app, token, {}, '?lastEventId=2')).body as ReadableStream<Uint8Array>,
      );
      expect((await byUrl.next())?.event).toBe('ready');
      const revoked = await t.store.revocations.revoke([inst.credentialId], 'keyCompromise', NOW.getTime());
      hub.emit(revoked.change);
      const third = await byUrl.nextNotice();
      expect([third?.id, third?.event]).toEqual(['3', 'credential.revoked']);
      await byUrl.cancel();

      const malformed = await open(app, token, { 'last-event-id': 'x1' });
      expect(malformed.status).toBe(400);
    });

    it('finds notices committed elsewhere by polling (no hub event), and keeps idle streams open with heartbeats', async () => {
      const { app } = appWith({ pollIntervalMs: 20, heartbeatMs: 20 });
      const inst = await installationWithRecord(t, (await residentWithCard(t)).residentId);
      const token = await tokenFor(app, inst);
      // A Last-Event-ID beyond every notice (never sent by this issuer) resumes after the last one there is.
      const sse = new SseReader(
        (await open(app, token, { 'last-event-id': '999' })).body as ReadableStream<Uint8Array>,
      );
      expect(JSON.parse((await sse.next())?.data ?? '{}')).toEqual({ lastEventId: 0 });
      // Another instance's commit: nothing is emitted on this app's hub.
      await t.store.revocations.revoke([inst.credentialId], 'keyCompromise', NOW.getTime());
      const notice = await sse.nextNotice();
      expect([notice?.id, notice?.event]).toEqual(['1', 'credential.revoked']);
      // Wait for a heartbeat comment: the stream stays open while idle.
      await new Promise((r) => setTimeout(r, 100));
      const chunkCheck = sse.next(200).catch(() => undefined);
      await chunkCheck;
      expect(sse.comments).toBeGreaterThan(0);
      await sse.cancel();
    });

    it('ends the stream when the token expires; an expired or missing token is 401', async () => {
      const { app } = appWith({ pollIntervalMs: 20, tokenTtlSeconds: 60 });
      const inst = await installationWithRecord(t, (await residentWithCard(t)).residentId);
      const token = await tokenFor(app, inst);
      const sse = new SseReader((await open(app, token)).body as ReadableStream<Uint8Array>);
      expect((await sse.next())?.event).toBe('ready');
      t.clock.now = new Date(NOW.getTime() + 61_000);
      try {
        expect((await sse.next())?.event).toBe('subscription.expired');
        expect(await sse.next()).toBeUndefined();
        const late = await open(app, token);
        expect(late.status).toBe(401);
        expect(((await late.json()) as { code: string }).code).toBe('ISSUER_NOTICES_TOKEN_INVALID');
        expect(late.headers.get('www-authenticate')).toMatch(/^Bearer /);
      } finally {
        t.clock.now = NOW;
      }
      const none = await app.request('/notices');
      expect(none.status).toBe(401);
      const wrong = await open(app, 'A'.repeat(43));
      expect(((await wrong.json()) as { code: string }).code).toBe('ISSUER_NOTICES_TOKEN_INVALID');
    });

    it('bounds streams per installation (429) and per process (503), and frees a slot when a client leaves', async () => {
      const { app } = appWith({ maxStreamsPerInstallation: 1, maxStreams: 2 });
      const a = await installationWithRecord(t, (await residentWithCard(t)).residentId);
      const b = await installationWithRecord(t, (await residentWithCard(t)).residentId);
      const c = await installationWithRecord(t, (await residentWithCard(t)).residentId);
      const [ta, tb, tc] = [await tokenFor(app, a), await tokenFor(app, b), await tokenFor(app, c)];
      const first = new SseReader((await open(app, ta)).body as ReadableStream<Uint8Array>);
      expect((await first.next())?.event).toBe('ready');
      const second = await open(app, ta);
      expect([second.status, ((await second.json()) as { code: string }).code]).toEqual([
        429,
        'ISSUER_NOTICES_TOO_MANY_STREAMS',
      ]);
      const other = new SseReader((await open(app, tb)).body as ReadableStream<Uint8Array>);
      expect((await other.next())?.event).toBe('ready');
      const full = await open(app, tc);
      expect([full.status, ((await full.json()) as { code: string }).code]).toEqual([
        503,
        'ISSUER_NOTICES_UNAVAILABLE',
      ]);
      await first.cancel();
      // The slot comes back once the stream noticed the client left.
      let reopened: Response | undefined;
      for (let i = 0; i < 50; i++) {
        reopened = await open(app, ta);
        if (reopened.status === 200) break;
        await reopened.body?.cancel();
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(reopened?.status).toBe(200);
      await reopened?.body?.cancel();
      await other.cancel();
    });

    it('a superseded phone still subscribes, hears it lost its record, and is told 410 once it heard everything', async () => {
      const { app } = appWith({ pollIntervalMs: 20 });
      const { residentId } = await residentWithCard(t);
      const old = await installationWithRecord(t, residentId, 'iphone');
      await installationWithRecord(t, residentId, 'android');
      expect((await t.store.installations.get(old.installationId))?.state).toBe('superseded');

      const token = await tokenFor(app, old);
      const sse = new SseReader((await open(app, token)).body as ReadableStream<Uint8Array>);
      const events: string[] = [];
      let lastId = '0';
      for (;;) {
        const e = await sse.nextNotice();
        if (e === undefined) break;
        events.push(e.event ?? '');
        lastId = e.id ?? lastId;
      }
      // The stream ended by itself once caught up: nothing more can come to a superseded installation.
      expect(events).toContain('installation.superseded');
      const after = await open(app, token, { 'last-event-id': lastId });
      expect([after.status, ((await after.json()) as { code: string }).code]).toEqual([
        410,
        'ISSUER_NOTICES_ENDED',
      ]);
    });
  });

  describe(`notices over a real server (${name})`, () => {
    it('streams to fetch over 127.0.0.1 and resumes with Last-Event-ID', async () => {
      const { app, hub } = appWith({ pollIntervalMs: 50 });
      const inst = await installationWithRecord(t, (await residentWithCard(t)).residentId);
      const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const ch = (await (
          await fetch(`${base}/notices/challenges`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ installationId: inst.installationId }),
          })
        ).json()) as { challenge: string };
        const sub = await fetch(`${base}/notices/subscriptions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            installationId: inst.installationId,
            challenge: ch.challenge,
            proof: es256Proof(inst.privateKey, ORIGIN, inst.installationId, ch.challenge),
          }),
        });
        expect(sub.status).toBe(201);
        const { token } = (await sub.json()) as { token: string };

        const controller = new AbortController();
        const res = await fetch(`${base}/notices`, {
          headers: { authorization: `Bearer ${token}` },
          signal: controller.signal,
        });
        expect(res.status).toBe(200);
        const sse = new SseReader(res.body as ReadableStream<Uint8Array>);
        expect((await sse.next())?.event).toBe('ready');
        hub.emit(
          (await t.store.revocations.revoke([inst.credentialId], 'certificateHold', NOW.getTime())).change,
        );
        expect((await sse.nextNotice())?.id).toBe('1');
        hub.emit((await t.store.revocations.reinstate([inst.credentialId], NOW.getTime())).change);
        expect((await sse.nextNotice())?.id).toBe('2');
        controller.abort();
        await sse.cancel();

        const resumed = await fetch(`${base}/notices`, {
          headers: { authorization: `Bearer ${token}`, 'last-event-id': '1' },
        });
        const again = new SseReader(resumed.body as ReadableStream<Uint8Array>);
        const replay = await again.nextNotice();
        expect([replay?.id, replay?.event]).toEqual(['2', 'credential.reinstated']);
        await again.cancel();
      } finally {
        server.close();
      }
    });
  });
}
