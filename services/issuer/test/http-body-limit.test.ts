import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { limitBody } from '../src/http/body-limit.js';

/** An app echoing what the routes read after the limit: JSON, text, and a form. */
function app(max: number): Hono {
  const a = new Hono();
  a.use('*', limitBody(max));
  a.post('/json', async (c) => c.json({ got: await c.req.json(), text: await c.req.text() }));
  a.post('/form', async (c) => {
    const buffer = await c.req.arrayBuffer();
    const form = new URLSearchParams(await c.req.text());
    return c.json({ a: form.get('a'), bytes: buffer.byteLength });
  });
  return a;
}

/** A body of unknown length (no Content-Length), delivered in chunks. */
function chunked(...parts: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const p of parts) controller.enqueue(new TextEncoder().encode(p));
      controller.close();
    },
  });
}

const post = (a: Hono, path: string, body: BodyInit, headers: Record<string, string>) =>
  a.request(path, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('limitBody', () => {
  it('hands a body of unknown length within the limit to json(), text() and arrayBuffer()', async () => {
    const res = await post(app(64), '/json', chunked('{"a":', '"こんにちは"}'), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: { a: 'こんにちは' }, text: '{"a":"こんにちは"}' });
    const form = await post(app(64), '/form', chunked('a=1', '&b=2'), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(await form.json()).toEqual({ a: '1', bytes: 7 });
  });

  it('answers 413 ISSUER_BODY_TOO_LARGE past the limit, declared or counted', async () => {
    const declared = await post(app(16), '/json', '{"a":"0123456789abcdef"}', {
      'content-type': 'application/json',
      'content-length': '24',
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ code: 'ISSUER_BODY_TOO_LARGE' });
    const counted = await post(app(16), '/json', chunked('{"a":"0123', '456789abcdef"}'), {
      'content-type': 'application/json',
    });
    expect(counted.status).toBe(413);
    expect(await counted.json()).toMatchObject({ code: 'ISSUER_BODY_TOO_LARGE' });
  });

  it('passes a body whose declared length is within the limit, and counts one whose length is malformed', async () => {
    const ok = await post(app(64), '/json', '{"a":1}', {
      'content-type': 'application/json',
      'content-length': '7',
    });
    expect(await ok.json()).toEqual({ got: { a: 1 }, text: '{"a":1}' });
    const malformed = await post(app(8), '/json', chunked('{"a":"0123456789"}'), {
      'content-type': 'application/json',
      'content-length': 'x',
    });
    expect(malformed.status).toBe(413);
  });
});
