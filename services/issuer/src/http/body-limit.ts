import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { problem } from './problem.js';

/**
 * Request bodies are bounded before anything parses them (a CMS signature over an installation request and
 * two CSRs with their attestations fit comfortably in 64 KiB). Beyond the limit: 413 with a stable code,
 * the body unread.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      problem(c, 413, 'ISSUER_BODY_TOO_LARGE', 'Request body too large', `the limit is ${maxBytes} bytes`),
  });
}
