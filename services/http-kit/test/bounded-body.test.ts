import { describe, expect, it } from 'vitest';
import { readBoundedBody } from '../src/index.js';

/** A response whose body arrives in `chunks` of `size` bytes, with no declared length; counts what was pulled. */
function chunked(chunks: number, size: number) {
  let pulled = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(size).fill(pulled));
    },
    cancel() {
      cancelled = true;
    },
  });
  return {
    response: new Response(body),
    get pulled() {
      return pulled;
    },
    get cancelled() {
      return cancelled;
    },
  };
}

describe('readBoundedBody', () => {
  it('returns a body within the bound, whole and in order', async () => {
    const source = chunked(3, 100);
    const bytes = await readBoundedBody(source.response, 300);
    expect(bytes?.length).toBe(300);
    expect([bytes?.[0], bytes?.[100], bytes?.[299]]).toEqual([1, 2, 3]);
  });

  it('abandons a body of unknown length as soon as it passes the bound, and cancels the stream', async () => {
    const source = chunked(1_000_000, 1024);
    expect(await readBoundedBody(source.response, 10 * 1024)).toBeUndefined();
    expect(source.pulled).toBeLessThanOrEqual(12);
    expect(source.cancelled).toBe(true);
  });

  it('refuses a declared length above the bound before reading anything', async () => {
    const source = chunked(5, 10);
    const response = new Response(source.response.body, { headers: { 'content-length': '5000' } });
    expect(await readBoundedBody(response, 1000)).toBeUndefined();
    expect(source.pulled).toBeLessThanOrEqual(1);
  });

  it('reads an empty body as no bytes', async () => {
    expect(await readBoundedBody(new Response(null), 10)).toEqual(new Uint8Array(0));
  });
});
