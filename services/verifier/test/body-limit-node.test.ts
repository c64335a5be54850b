import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitBody } from '../src/http/body-limit.js';

/** The body bound behind the Node adapter, as the server runs it: the routes read what the bound let through. */
describe('limitBody over HTTP (Node adapter)', () => {
  const app = new Hono();
  app.use('*', limitBody(32));
  app.post('/json', async (c) => c.json({ got: await c.req.json(), text: await c.req.text() }));
  app.get('/ping', (c) => c.text('pong'));
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** POSTs `parts` with Transfer-Encoding: chunked (no declared length). */
  const chunked = (parts: string[]) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        `${url}/json`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      for (const p of parts) req.write(p);
      req.end();
    });

  it('hands a declared body within the bound to json() and text()', async () => {
    const res = await fetch(`${url}/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":"こんにちは"}',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: { a: 'こんにちは' }, text: '{"a":"こんにちは"}' });
    expect(await (await fetch(`${url}/ping`)).text()).toBe('pong');
  });

  it('answers 413 VERIFIER_BODY_TOO_LARGE past the bound, declared or counted', async () => {
    const declared = await fetch(`${url}/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 'x'.repeat(40) }),
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ code: 'VERIFIER_BODY_TOO_LARGE' });
    const counted = await chunked(['{"a":"0123456789', '0123456789', '0123456789"}']);
    expect(counted.status).toBe(413);
    expect(JSON.parse(counted.body)).toMatchObject({ code: 'VERIFIER_BODY_TOO_LARGE' });
    const within = await chunked(['{"a":', '1}']);
    expect(within.status).toBe(200);
    expect(JSON.parse(within.body)).toEqual({ got: { a: 1 }, text: '{"a":1}' });
  });
});
