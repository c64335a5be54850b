/**
 * `/life-events` through app.request(): every event of the table against a resident installed end to end
 * (real card, card step, attested CSRs, the record), the under-15 holder, suspension and its lifting,
 * unknown events, the operator token, and no personal data in answers, errors or log lines.
 */
import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssuerApp } from '../src/app.js';
import { completeInstallationWithRecord } from '../src/installations/complete.js';
import {
  LIFE_EVENT_NAMES,
  LIFE_EVENT_RULES,
  type LifeEventName,
  lifeEventRule,
} from '../src/life-events/life-event-rules.js';
import { type StatusesChanged, RevocationHub } from '../src/revocation/revocation-hub.js';
import type { CredentialKind } from '../src/store/index.js';
import {
  ADMIN_TOKEN,
  type Attester,
  type PhoneKeys,
  phoneKeys,
  post,
  residentWithCard,
  sandboxAttester,
  type TestIssuer,
  testIssuer,
} from './helpers/installation-fixtures.js';
import { cardStep, FLOW_NOW, recordCredential, sendCsrs } from './installations-flow.cases.js';

type Json = Record<string, unknown>;
const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** New register facts per basic-four event; each carries a marker that must never come back. */
function changesFor(event: LifeEventName, marker: string): Json | undefined {
  switch (event) {
    case 'addressChanged':
      return {
        address: `東京都試験区新町${marker}`,
        municipalityCode: '131016',
        municipalityName: '千代田区',
      };
    case 'nameChanged':
      return { fullName: `新姓${marker}\u3000花子` };
    case 'sexChanged':
      return { sex: 1 };
    case 'birthDateChanged':
      return { birthDate: '1990-01-03' };
    default:
      return undefined;
  }
}

describe('/life-events', () => {
  let t: TestIssuer;
  let app: Hono;
  let attester: Attester;
  let keys: PhoneKeys;
  const heard: StatusesChanged[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await testIssuer({ now: FLOW_NOW });
    const hub = new RevocationHub();
    hub.on((c) => heard.push(c));
    app = createIssuerApp({ ...t.deps, hub, log: (line) => logLines.push(line) });
    attester = await sandboxAttester(t.hierarchy);
    keys = phoneKeys();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A resident installed on an iPhone: both certificates and the record (under 15: the auth certificate). */
  async function installed(overrides: { birthDate?: string } = {}) {
    const holder = await residentWithCard(t, overrides);
    const withSign = holder.card.signature !== undefined && holder.card.signature !== null;
    const started = await cardStep(t, holder.card, 'iphone');
    const installationId = started.installationId as string;
    const r = await sendCsrs(t, started, attester, keys, withSign);
    if (r.status !== 200) throw new Error(`CSR step: ${r.status} ${JSON.stringify(r.json)}`);
    if (withSign) await completeInstallationWithRecord(t.deps, installationId, recordCredential(t.clock()));
    const credentials = await t.store.credentials.listByInstallation(installationId);
    return { residentId: holder.residentId, installationId, credentials };
  }

  const record = (body: unknown, headers: Record<string, string> = AUTH) =>
    post(app, '/life-events', body, headers);

  const get = async (path: string, headers: Record<string, string> = AUTH) => {
    const res = await app.request(path, { headers });
    return { status: res.status, json: (await res.json()) as Json, text: '' };
  };

  for (const event of LIFE_EVENT_NAMES) {
    it(`${event}: revokes exactly what the table says, with its reason`, async () => {
      const rule = lifeEventRule(event);
      const h = await installed();
      expect(h.credentials.map((c) => c.kind).sort()).toEqual(['jpki-auth', 'jpki-sign', 'mdoc']);
      const marker = `M${randomBytes(6).toString('hex')}`;
      const changes = changesFor(event, marker);
      const heardBefore = heard.length;
      const r = await record({ residentId: h.residentId, event, ...(changes ? { changes } : {}) });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      const expected = h.credentials
        .filter((c) => rule.revokes[c.kind] !== null)
        .map((c) => ({ id: c.id, kind: c.kind, reason: rule.revokes[c.kind] }))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(r.json).toMatchObject({
        event,
        residentId: h.residentId,
        legalBasis: rule.legalBasis,
        revoked: expected,
        reinstated: [],
        recordedAt: FLOW_NOW.toISOString(),
      });
      // The register: revoked ones with their reason, the spared ones still in force.
      for (const c of h.credentials) {
        const now = await t.store.credentials.get(c.id);
        const reason = rule.revokes[c.kind];
        if (reason === null) expect(now).toMatchObject({ state: 'active', revocationReason: null });
        else expect(now).toMatchObject({ state: 'revoked', revocationReason: reason });
      }
      const cards = await t.store.cards.listForResident(h.residentId);
      expect(cards.map((c) => c.state)).toEqual([rule.endsCard ? 'revoked' : 'active']);
      if (rule.endsCard) expect(r.json.endedCardId).toBe(cards[0]?.id);
      else expect(r.json.endedCardId).toBeUndefined();
      // The phone hears of it, and the hub carried the committed change.
      const notices = await t.store.db
        .selectFrom('notices')
        .select(['seq', 'kind'])
        .where('installation_id', '=', h.installationId)
        .orderBy('seq')
        .execute();
      if (expected.length > 0) {
        expect(notices.length).toBeGreaterThan(0);
        expect(heard.slice(heardBefore).map((c) => c.installationIds)).toEqual([[h.installationId]]);
      } else {
        expect(notices).toEqual([]);
        expect(heard.length).toBe(heardBefore);
      }
      // The resident's facts changed, and the change is named by field only.
      const resident = await t.store.residents.get(h.residentId);
      if (changes) {
        expect(resident).toMatchObject(changes);
        expect((r.json.changedFields as string[]).length).toBeGreaterThan(0);
      }
      const text = JSON.stringify(r.json);
      expect(text).not.toContain(marker);
      expect(text).not.toContain(resident?.address as string);
      expect(text).not.toContain(resident?.fullName as string);
      const stored = await t.store.db
        .selectFrom('life_events')
        .select('detail')
        .where('id', '=', r.json.id as string)
        .executeTakeFirstOrThrow();
      expect(stored.detail).not.toContain(marker);
      // The same event read back.
      const back = await get(`/life-events/${r.json.id as string}`);
      expect(back.status).toBe(200);
      expect(back.json).toEqual(r.json);
    });
  }

  it('the table covers the certificate events of @mynakit/jpki that fit one resident', () => {
    for (const [name, rule] of LIFE_EVENT_RULES) {
      expect(rule.event).toBe(name);
      if (rule.action === 'revoke') {
        // The record goes whenever the signature certificate goes (DOMAIN.md §4), with its reason.
        expect(rule.revokes.mdoc).toBe(rule.revokes['jpki-sign']);
        expect(rule.revokes['jpki-sign']).not.toBeNull();
      }
    }
    expect(lifeEventRule('addressChanged').revokes['jpki-auth']).toBeNull();
    expect(lifeEventRule('death').revokes).toEqual({
      'jpki-sign': 'cessationOfOperation',
      'jpki-auth': 'cessationOfOperation',
      mdoc: 'cessationOfOperation',
    });
  });

  it('a holder under 15 loses only what exists: nothing on a move, the auth certificate on death', async () => {
    const h = await installed({ birthDate: '2016-05-05' });
    expect(h.credentials.map((c) => c.kind)).toEqual(['jpki-auth']);
    const moved = await record({
      residentId: h.residentId,
      event: 'addressChanged',
      changes: { address: '東京都試験区別町一丁目' },
    });
    expect(moved.status).toBe(201);
    expect(moved.json.revoked).toEqual([]);
    expect((await t.store.credentials.get(h.credentials[0]?.id as string))?.state).toBe('active');
    const died = await record({ residentId: h.residentId, event: 'death' });
    expect(died.json.revoked).toEqual([
      { id: h.credentials[0]?.id, kind: 'jpki-auth', reason: 'cessationOfOperation' },
    ]);
  });

  it('suspends and lifts: everything held comes back, a hold made final does not', async () => {
    const h = await installed();
    const ids = h.credentials.map((c) => c.id).sort();
    const held = await record({ residentId: h.residentId, event: 'cardSuspended' });
    expect((held.json.revoked as Json[]).map((c) => [c.id, c.reason])).toEqual(
      ids.map((id) => [id, 'certificateHold']),
    );
    // Held twice is held once.
    const again = await record({ residentId: h.residentId, event: 'cardSuspended' });
    expect(again.json.revoked).toEqual([]);
    const lifted = await record({ residentId: h.residentId, event: 'cardSuspensionLifted' });
    expect(lifted.status).toBe(201);
    expect(lifted.json.revoked).toEqual([]);
    expect((lifted.json.reinstated as Json[]).map((c) => c.id)).toEqual(ids);
    for (const id of ids) expect((await t.store.credentials.get(id))?.state).toBe('active');
    const kinds = (
      await t.store.db
        .selectFrom('notices')
        .select('kind')
        .where('installation_id', '=', h.installationId)
        .orderBy('seq')
        .execute()
    ).map((n) => n.kind);
    expect(kinds).toEqual(['credential.suspended', 'credential.reinstated']);

    // Held, then an address change: the signature certificate and the record go for good, the auth
    // certificate stays held and is the only one lifted.
    await record({ residentId: h.residentId, event: 'cardSuspended' });
    await record({
      residentId: h.residentId,
      event: 'addressChanged',
      changes: { address: '東京都試験区三番町' },
    });
    const partly = await record({ residentId: h.residentId, event: 'cardSuspensionLifted' });
    const byKind = new Map<CredentialKind, string>(h.credentials.map((c) => [c.kind, c.id]));
    expect((partly.json.reinstated as Json[]).map((c) => c.id)).toEqual([byKind.get('jpki-auth')]);
    expect((await t.store.credentials.get(byKind.get('mdoc') as string))?.revocationReason).toBe(
      'affiliationChanged',
    );
  });

  it('fails the resident’s pending installation: its card step vouched for facts that changed', async () => {
    const holder = await residentWithCard(t);
    const started = await cardStep(t, holder.card, 'iphone');
    const r = await record({ residentId: holder.residentId, event: 'phoneLost' });
    expect(r.json.failedInstallationIds).toEqual([started.installationId]);
    expect((await t.store.installations.get(started.installationId as string))?.state).toBe('failed');
  });

  it('refuses unknown events, own-property lookups only, and changes that do not fit', async () => {
    const h = await installed({ birthDate: '2016-05-06' });
    for (const event of [
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'reissuedToAnotherDevice',
      'caCompromise',
      '',
    ]) {
      const r = await record({ residentId: h.residentId, event });
      expect(r.status, event).toBe(400);
      expect(r.json.code).toBe('ISSUER_INVALID_INPUT');
    }
    const bad = [
      { event: 'death', changes: { address: '東京都' } },
      { event: 'addressChanged' },
      { event: 'addressChanged', changes: { fullName: '別\u3000名' } },
      { event: 'addressChanged', changes: { address: '東京都', municipalityCode: '131016' } },
      { event: 'birthDateChanged', changes: { birthDate: '1990-02-30' } },
    ];
    for (const b of bad) {
      const r = await record({ residentId: h.residentId, ...b });
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(r.json.code).toBe('ISSUER_INVALID_INPUT');
    }
    expect((await record({ residentId: h.residentId, event: 'death', extra: 1 })).json.code).toBe(
      'ISSUER_INVALID_BODY',
    );
    expect((await record({ residentId: 'no-such-resident', event: 'death' })).status).toBe(404);
    // Nothing of the refused requests was written.
    expect((await get(`/life-events?residentId=${h.residentId}`)).json.lifeEvents).toEqual([]);
    expect((await t.store.credentials.get(h.credentials[0]?.id as string))?.state).toBe('active');
  });

  it('answers 401 without the operator token, on every route', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }]) {
      const r = await record({ residentId: 'x', event: 'death' }, headers);
      expect(r.status).toBe(401);
      expect(r.json.code).toBe('ISSUER_UNAUTHORIZED');
      expect((await get('/life-events?residentId=x', headers)).status).toBe(401);
      expect((await get('/life-events/x', headers)).status).toBe(401);
    }
  });

  it('lists a resident’s events newest first, one bounded page at a time', async () => {
    const h = await installed();
    const ids: string[] = [];
    for (const event of ['cardSuspended', 'cardSuspensionLifted', 'phoneLost']) {
      t.clock.now = new Date(t.clock.now.getTime() + 1000);
      ids.push((await record({ residentId: h.residentId, event })).json.id as string);
    }
    t.clock.now = FLOW_NOW;
    const first = await get(`/life-events?residentId=${h.residentId}&limit=2`);
    expect((first.json.lifeEvents as Json[]).map((e) => e.id)).toEqual([ids[2], ids[1]]);
    const second = await get(
      `/life-events?residentId=${h.residentId}&limit=2&before=${encodeURIComponent(first.json.next as string)}`,
    );
    expect((second.json.lifeEvents as Json[]).map((e) => e.id)).toEqual([ids[0]]);
    expect(second.json.next).toBeUndefined();
    expect((await get('/life-events')).status).toBe(400);
    expect((await get(`/life-events?residentId=${h.residentId}&limit=101`)).json.code).toBe(
      'ISSUER_INVALID_INPUT',
    );
    expect((await get(`/life-events?residentId=${h.residentId}&before=nonsense`)).status).toBe(400);
    expect((await get('/life-events/no-such-event')).status).toBe(404);
  });

  it('never repeats personal data in errors or log lines', async () => {
    const h = await installed({ birthDate: '2016-05-07' });
    const marker = `P${randomBytes(6).toString('hex')}`;
    const attempts = [
      {
        residentId: h.residentId,
        event: 'addressChanged',
        changes: { address: `${marker}${'長'.repeat(260)}` },
      },
      { residentId: h.residentId, event: 'nameChanged', changes: { fullName: `${marker}\u0007` } },
      { residentId: h.residentId, event: marker, changes: { fullName: marker } },
      { residentId: h.residentId, event: 'death', changes: { address: marker } },
    ];
    for (const body of attempts) {
      const r = await record(body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.json)).not.toContain(marker);
    }
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(marker);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Json };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/life-events', '/life-events/{id}']));
  });
});
