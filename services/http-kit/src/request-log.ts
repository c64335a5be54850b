import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';

/**
 * One log line per request: method, the route *pattern* (`/residents/:id`, never the concrete path, which
 * may carry identifiers), status and duration. No query string, no body, no header values: nothing a
 * person submitted reaches the log.
 */
export function requestLog(write: (line: string) => void): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    let pattern = '(unmatched)';
    try {
      const p = routePath(c);
      if (p !== '' && p !== '/*' && p !== '*') pattern = p;
    } catch {
      // no route matched (404 from the router): keep the placeholder
    }
    const ms = (performance.now() - started).toFixed(1);
    write(`${c.req.method} ${pattern} ${c.res.status} ${ms}ms`);
  };
}
