/**
 * What the JSON routes of the sandbox's Vite + Preact relying-party pages share (portal-pages.ts,
 * carrier-pages.ts): problems (RFC 9457) with extension members written by the service only, and bounded
 * reading of a JSON object body into a Map (received keys never index a plain object). POST routes take
 * `application/json` only, which a cross-site HTML form cannot send.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The largest JSON body a page's POST route reads. */
export const MAX_PAGE_BODY = 1024;

/** A problem (RFC 9457 §3) with a stable `code` and extension members; never echoes what was submitted. */
export function pageProblem(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  title: string,
  extensions: Record<string, unknown> = {},
): Response {
  return c.body(
    JSON.stringify({
      type: `https://mynakit.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
      title,
      status,
      code,
      ...extensions,
    }),
    status,
    { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
  );
}

/** Whether the request says its body is JSON. */
export function isJsonRequest(c: Context): boolean {
  return (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** The members of a JSON object body (bounded in size and count); undefined when it is none. */
export async function jsonObjectBody(c: Context): Promise<Map<string, unknown> | undefined> {
  const text = (await c.req.text()).slice(0, MAX_PAGE_BODY + 1);
  if (text.length > MAX_PAGE_BODY) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    return new Map(Object.entries(v).slice(0, 8));
  } catch {
    return undefined;
  }
}
