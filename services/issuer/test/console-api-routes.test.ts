/**
 * The operator routes the console reads besides the existing ones: a resident's installations with their
 * credentials' states (GET /residents/{id}/installations) and the life-event table (GET
 * /life-events/rules). Both need the operator token; the first shows a life event's revocations.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIFE_EVENT_NAMES, lifeEventRule } from '../src/life-events/life-event-rules.js';
import {
  ADMIN_TOKEN,
  type Attester,
  phoneKeys,
  post,
  residentWithCard,
  sandboxAttester,
  type TestIssuer,
  testIssuer,
} from './helpers/installation-fixtures.js';
import { cardStep, FLOW_NOW, sendCsrs } from './installations-flow.cases.js';

type Json = Record<string, unknown>;
const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('operator routes of the console', () => {
  let t: TestIssuer;
  let app: Hono;
  let attester: Attester;

  beforeAll(async () => {
    t = await testIssuer({ now: FLOW_NOW });
    app = t.app;
    attester = await sandboxAttester(t.hierarchy);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (path: string, headers: Record<string, string> = AUTH) => {
    const res = await app.request(path, { headers });
    return { status: res.status, json: (await res.json()) as Json };
  };

  it("GET /residents/{id}/installations: the phones, newest first, each with its credentials' states", async () => {
    const holder = await residentWithCard(t);
    const empty = await get(`/residents/${holder.residentId}/installations`);
    expect(empty).toEqual({ status: 200, json: { installations: [], total: 0 } });

    const started = await cardStep(t, holder.card, 'android');
    const csrs = await sendCsrs(t, started, attester, phoneKeys(), true);
    expect(csrs.status).toBe(200);
    const before = await get(`/residents/${holder.residentId}/installations`);
    expect(before.status).toBe(200);
    const [inst] = before.json.installations as Json[];
    expect(inst).toMatchObject({ id: started.installationId, family: 'android', state: 'active' });
    const credentials = (inst as { credentials: Json[] }).credentials;
    expect(credentials.map((c) => c.kind).sort()).toEqual(['jpki-auth', 'jpki-sign']);
    for (const c of credentials) {
      expect(c).toMatchObject({
        state: 'active',
        crlPartition: expect.any(String),
        serial: expect.any(String),
      });
      expect(c).not.toHaveProperty('bytes');
    }

    // A move ends what the table says (the signature certificate; the user-authentication one survives).
    const rule = lifeEventRule('addressChanged');
    const moved = await post(
      app,
      '/life-events',
      {
        residentId: holder.residentId,
        event: 'addressChanged',
        changes: { address: '東京都試験区新町1', municipalityCode: '131016', municipalityName: '千代田区' },
      },
      AUTH,
    );
    expect(moved.status).toBe(201);
    const after = await get(`/residents/${holder.residentId}/installations`);
    const shown = ((after.json.installations as Json[])[0] as { credentials: Json[] }).credentials;
    expect(shown.some((c) => c.state === 'revoked')).toBe(true);
    for (const c of shown) {
      const reason = rule.revokes[c.kind as 'jpki-sign' | 'jpki-auth'];
      if (reason === null) expect(c).toMatchObject({ state: 'active' });
      else
        expect(c).toMatchObject({
          state: 'revoked',
          revocationReason: reason,
          revokedAt: FLOW_NOW.toISOString(),
        });
    }
    // The phone was told, and the operator sees that it was (kind and time, no detail).
    const notices = ((after.json.installations as Json[])[0] as { notices: Json[] }).notices;
    expect(notices).toEqual([{ seq: 1, kind: 'credential.revoked', at: FLOW_NOW.toISOString() }]);
    // Nothing of the register comes back: no name, no address.
    expect(JSON.stringify(after.json)).not.toContain('東京都');
  });

  it('GET /residents/{id}/installations: operator token, 404 for an unknown or malformed id', async () => {
    const holder = await residentWithCard(t);
    expect((await get(`/residents/${holder.residentId}/installations`, {})).status).toBe(401);
    expect(
      (await get(`/residents/${holder.residentId}/installations`, { authorization: 'Bearer wrong' })).status,
    ).toBe(401);
    const unknown = await get('/residents/no-such-resident/installations');
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('ISSUER_NOT_FOUND');
    expect((await get('/residents/bad%20id/installations')).status).toBe(404);
  });

  it('GET /life-events/rules: every event of the table with its basis, revocations and changed facts', async () => {
    expect((await get('/life-events/rules', {})).status).toBe(401);
    const r = await get('/life-events/rules');
    expect(r.status).toBe(200);
    const rules = r.json.rules as Json[];
    expect(rules.map((x) => x.event)).toEqual([...LIFE_EVENT_NAMES]);
    for (const row of rules) {
      const rule = lifeEventRule(row.event);
      expect(row).toEqual({
        event: rule.event,
        since: rule.since,
        legalBasis: rule.legalBasis,
        action: rule.action,
        revokes: { ...rule.revokes },
        endsCard: rule.endsCard,
        changes: [...rule.changes],
      });
    }
    expect(r.json.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/residents/{id}/installations', '/life-events/rules']),
    );
  });
});
