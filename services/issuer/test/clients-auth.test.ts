/**
 * Relying-party clients: the operator creates them (secret answered once, stored as SHA-256) and lists
 * them; requireClient lets through an enabled client with the role, answers one and the same 401 for a
 * missing header, an unknown client, a wrong secret and a disabled client, and 403 ISSUER_FORBIDDEN for a
 * client without the role.
 */
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicCredentialsOf, requireClient } from '../src/clients/client-auth.js';
import { ADMIN_TOKEN, post, type TestIssuer, testIssuer } from './helpers/installation-fixtures.js';
import { basicAuthorization, createRpClient } from './helpers/rp-client.js';

const NOW = new Date('2026-05-10T03:00:00Z');
let t: TestIssuer;
let probe: Hono;
beforeAll(async () => {
  t = await testIssuer({ now: NOW });
  probe = new Hono();
  probe.get('/probe', requireClient(t.deps, 'inquiry'), (c) => c.json(c.get('client')));
});
afterAll(async () => t.close());

const call = async (authorization?: string) => {
  const res = await probe.request('/probe', {
    headers: authorization === undefined ? {} : { authorization },
  });
  return { status: res.status, body: await res.text(), headers: res.headers };
};

describe('POST and GET /rp-clients', () => {
  it('needs the operator token', async () => {
    const res = await post(t.app, '/rp-clients', { name: 'bank', roles: ['inquiry'] });
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('ISSUER_UNAUTHORIZED');
    const list = await t.app.request('/rp-clients', { headers: { authorization: 'Bearer nope' } });
    expect(list.status).toBe(401);
  });

  it('creates a client whose secret is shown once and stored only as SHA-256', async () => {
    const res = await post(
      t.app,
      '/rp-clients',
      { name: 'example bank', roles: ['insurance', 'inquiry', 'inquiry'] },
      { authorization: `Bearer ${ADMIN_TOKEN}` },
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { clientId, clientSecret, roles } = res.json as {
      clientId: string;
      clientSecret: string;
      roles: string[];
    };
    expect(roles).toEqual(['inquiry', 'insurance']);
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await t.store.db
      .selectFrom('rp_clients')
      .selectAll()
      .where('client_id', '=', clientId)
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(createHash('sha256').update(clientSecret).digest('hex'));

    const listed = await t.app.request('/rp-clients', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(text).not.toContain(clientSecret);
    const { clients } = JSON.parse(text) as { clients: { clientId: string; roles: string[] }[] };
    expect(clients.find((c) => c.clientId === clientId)?.roles).toEqual(['inquiry', 'insurance']);

    expect((await call(basicAuthorization(clientId, clientSecret))).status).toBe(200);
  });

  it('rejects unknown roles without echoing them', async () => {
    const res = await post(
      t.app,
      '/rp-clients',
      { name: 'x', roles: ['admin-of-everything'] },
      { authorization: `Bearer ${ADMIN_TOKEN}` },
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).not.toContain('admin-of-everything');
  });
});

describe('requireClient', () => {
  it('lets an enabled client with the role through and names it', async () => {
    const client = await createRpClient(t.store, ['inquiry']);
    const res = await call(client.authorization);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ clientId: client.clientId, roles: ['inquiry'] });
    // base64url is accepted as well as base64.
    const url = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64url')}`;
    expect((await call(url)).status).toBe(200);
  });

  it('answers the same 401 for a missing header, unknown client, wrong secret and disabled client', async () => {
    const client = await createRpClient(t.store, ['inquiry']);
    const disabled = await createRpClient(t.store, ['inquiry']);
    await t.store.rpClients.disable(disabled.clientId, NOW.getTime());
    const answers = await Promise.all([
      call(),
      call('Bearer something'),
      call('Basic !!!'),
      call(basicAuthorization('00000000-0000-4000-8000-000000000000', client.clientSecret)),
      call(basicAuthorization(client.clientId, `${client.clientSecret}x`)),
      call(basicAuthorization(client.clientId, '')),
      call(disabled.authorization),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(a.headers.get('www-authenticate')).toBe('Basic realm="mynakit issuer", charset="UTF-8"');
      expect(a.body).toBe(answers[0]?.body);
      expect(JSON.parse(a.body).code).toBe('ISSUER_UNAUTHORIZED');
    }
  });

  it('answers 403 ISSUER_FORBIDDEN to a client without the role', async () => {
    const client = await createRpClient(t.store, ['insurance', 'platform-status']);
    const res = await call(client.authorization);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).code).toBe('ISSUER_FORBIDDEN');
  });

  it('reads Basic credentials with form-decoding (RFC 6749 §2.3.1) and refuses oversized headers', () => {
    expect(basicCredentialsOf(`Basic ${Buffer.from('a%3Ab:c+d').toString('base64')}`)).toEqual({
      clientId: 'a:b',
      clientSecret: 'c d',
    });
    expect(basicCredentialsOf(`Basic ${'A'.repeat(2000)}`)).toBeUndefined();
    expect(basicCredentialsOf(`Basic ${Buffer.from(':secret').toString('base64')}`)).toBeUndefined();
  });
});
