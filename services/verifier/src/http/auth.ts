/**
 * Who may call the verifier: the operator with its bearer token (RFC 6750 §2.1) on `/relying-parties`, and a
 * relying party with one of its API keys (also a bearer token) on `/records` — the auditor role only.
 *
 * A missing header, an unknown key and a revoked key all give the same 401 (with `WWW-Authenticate: Bearer`,
 * RFC 6750 §3): the answer does not tell which keys exist. The operator-token comparison is constant-time
 * (both sides hashed first); an API key is found by its SHA-256 (RelyingPartyRepository.authenticate).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { RpCaller, RpCredentialRole } from '../store/relying-party-repository.js';
import type { VerifierStore } from '../store/verifier-store.js';
import { problem } from './problem.js';

/** The Hono environment of the verifier's routes: the authenticated API key, when one was required. */
export interface VerifierEnv {
  Variables: {
    /** Set by requireApiKey. */
    caller: RpCaller;
  };
}

/** `Authorization: Bearer <token>` → the token, or undefined. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined || authorization.length > 1024) return undefined;
  const m = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(authorization.trim());
  return m?.[1];
}

/** Whether `given` is the configured token (constant time; never true without a configured token). */
export function isOperatorToken(configured: string | undefined, given: string | undefined): boolean {
  if (configured === undefined || configured === '' || given === undefined) return false;
  const a = createHash('sha256').update(configured, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b);
}

function unauthorized(c: Context, realm: string, detail: string): Response {
  c.header('WWW-Authenticate', `Bearer realm="${realm}"`);
  return problem(c, 401, 'VERIFIER_UNAUTHORIZED', 'Authentication required', detail);
}

/** Answers 401 VERIFIER_UNAUTHORIZED unless the request carries the operator token. */
export function requireOperator(configured: string | undefined): MiddlewareHandler<VerifierEnv> {
  return async (c, next) => {
    if (!isOperatorToken(configured, bearerTokenOf(c.req.header('authorization'))))
      return unauthorized(c, 'mynakit verifier operator', 'send the operator token as Authorization: Bearer');
    await next();
  };
}

/**
 * Answers 401 VERIFIER_UNAUTHORIZED unless the request carries an API key, 403 VERIFIER_FORBIDDEN when the
 * key's role is not `role`; sets `c.get('caller')`.
 */
export function requireApiKey(store: VerifierStore, role: RpCredentialRole): MiddlewareHandler<VerifierEnv> {
  return async (c, next) => {
    const key = bearerTokenOf(c.req.header('authorization'));
    const caller = key === undefined ? undefined : await store.relyingParties.authenticate(key);
    if (caller === undefined)
      return unauthorized(c, 'mynakit verifier', "send the relying party's API key as Authorization: Bearer");
    if (caller.role !== role)
      return problem(
        c,
        403,
        'VERIFIER_FORBIDDEN',
        'The API key may not use this route',
        `this route needs the ${role} role`,
      );
    c.set('caller', caller);
    await next();
  };
}
