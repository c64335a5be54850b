/**
 * The body of a response a service fetched (a status list, a CRL, an OCSP answer, a request object), read
 * with a bound: a declared Content-Length above it is refused before anything is read, and a body of unknown
 * length is read chunk by chunk and abandoned as soon as it passes the bound — so at most `maxBytes` is ever
 * held, whatever the other side sends. The incoming-request counterpart is body-limit.ts.
 */

/** The body of `response`, or undefined when it is longer than `maxBytes` (the stream is then cancelled). */
export async function readBoundedBody(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = response.headers.get('content-length');
  if (declared !== null && /^\d{1,15}$/.test(declared) && Number(declared) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : new Uint8Array(Buffer.concat(chunks, size));
}
