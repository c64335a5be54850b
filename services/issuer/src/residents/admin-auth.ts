/**
 * The sandbox operator's bearer token (RFC 6750 §2.1) on the register's routes. The comparison is
 * constant-time: both sides are hashed to SHA-256 first, so neither the content nor the length of the
 * configured token leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { problem } from '../http/problem.js';

/** `Authorization: Bearer <token>` → the token, or undefined. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined || authorization.length > 1024) return undefined;
  const m = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(authorization.trim());
  return m?.[1];
}

/** Whether `given` is the configured token (constant time; never true without a configured token). */
export function isAdminToken(configured: string | undefined, given: string | undefined): boolean {
  if (configured === undefined || configured === '' || given === undefined) return false;
  const a = createHash('sha256').update(configured, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** Answers 401 ISSUER_UNAUTHORIZED unless the request carries the admin token. */
export function requireAdminToken(configured: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!isAdminToken(configured, bearerTokenOf(c.req.header('authorization')))) {
      c.header('WWW-Authenticate', 'Bearer realm="mynakit issuer operator"');
      return problem(
        c,
        401,
        'ISSUER_UNAUTHORIZED',
        'Authentication required',
        'send the operator token as Authorization: Bearer',
      );
    }
    await next();
  };
}
