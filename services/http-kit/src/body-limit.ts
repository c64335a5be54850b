import type { MiddlewareHandler } from 'hono';
import { problem } from './problem.js';

/**
 * Request bodies are bounded before anything parses them; beyond the limit: 413 with the service's stable
 * code (`ISSUER_BODY_TOO_LARGE`, `VERIFIER_BODY_TOO_LARGE`).
 *
 * A request that declares its length (Content-Length, RFC 9110 §8.6, without Transfer-Encoding) is judged
 * by it; the HTTP layer delivers no more than it declares. A body of unknown length is read here, chunk by
 * chunk, and refused as soon as it passes the limit — so at most the limit is ever held. What was read is
 * then handed to the routes through Hono's body cache (`c.req.text()`, `c.req.json()`,
 * `c.req.arrayBuffer()` all read from it) instead of being wrapped into a new Request, whose stream
 * machinery would cost more than the handling of most requests.
 */
export function limitBody(maxBytes: number, code: string): MiddlewareHandler {
  const tooLarge = (c: Parameters<MiddlewareHandler>[0]) =>
    problem(c, 413, code, 'Request body too large', `the limit is ${maxBytes} bytes`);
  return async (c, next) => {
    const raw = c.req.raw;
    // Judged by the headers first: `raw.body` of the Node adapter's request builds a whole web Request with a
    // stream over the socket, where reading the body through Hono's `c.req.json()` / `text()` later takes the
    // adapter's direct path. A GET or HEAD request has no body (a Request refuses one).
    if (raw.method === 'GET' || raw.method === 'HEAD') return next();
    const declared = raw.headers.get('content-length');
    if (declared !== null && /^\d{1,15}$/.test(declared) && !raw.headers.has('transfer-encoding'))
      return Number(declared) > maxBytes && raw.body !== null ? tooLarge(c) : next();
    if (raw.body === null) return next();
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = raw.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return tooLarge(c);
      }
      chunks.push(value);
    }
    const bytes = chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks, size);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    // Hono keeps promises in its body cache (its type says values; request.js stores and chains promises).
    const cache = c.req.bodyCache as unknown as {
      arrayBuffer?: Promise<ArrayBuffer>;
      text?: Promise<string>;
    };
    cache.arrayBuffer = Promise.resolve(buffer);
    cache.text = Promise.resolve(new TextDecoder().decode(bytes));
    return next();
  };
}
