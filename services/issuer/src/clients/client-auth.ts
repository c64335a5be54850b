/**
 * Relying-party client authentication: HTTP Basic (RFC 7617) carrying the client id and secret, as
 * RFC 6749 §2.3.1 uses it for client passwords (each part form-urlencoded before base64; the issuer's ids
 * and secrets are URL-safe, so the decoding changes nothing for them). Base64url is accepted as well as
 * base64, since some clients send it.
 *
 * A missing header, an unknown client, a wrong secret and a disabled client all give the same 401 (with
 * `WWW-Authenticate: Basic`, RFC 7235 §3.1): the answer does not tell which client ids exist. The secret
 * comparison is constant-time (RpClientRepository.authenticate). A known client without the role gets 403
 * ISSUER_FORBIDDEN.
 */
import type { MiddlewareHandler } from 'hono';
import type { IssuerDeps } from '../context.js';
import { problem } from '../http/problem.js';
import type { RpClientRole } from '../store/rp-client-repository.js';

/** The authenticated client a route sees as `c.get('client')`. */
export interface AuthenticatedClient {
  readonly clientId: string;
  readonly name: string;
  readonly roles: readonly RpClientRole[];
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by requireClient. */
    client: AuthenticatedClient;
  }
}

/** The realm of the Basic challenge. */
export const CLIENT_REALM = 'mynakit issuer';

/** Longest Authorization header considered (an id of ≤ 128 and a secret of ≤ 256 characters fit). */
const MAX_AUTHORIZATION_LENGTH = 1024;

function formDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/** `Authorization: Basic …` → client id and secret, or undefined when absent or malformed. */
export function basicCredentialsOf(
  authorization: string | undefined,
): { clientId: string; clientSecret: string } | undefined {
  if (authorization === undefined || authorization.length > MAX_AUTHORIZATION_LENGTH) return undefined;
  const m = /^Basic ([A-Za-z0-9+/\-_]+={0,2})$/i.exec(authorization.trim());
  if (m?.[1] === undefined) return undefined;
  const encoded = m[1].replaceAll('-', '+').replaceAll('_', '/');
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const clientId = formDecode(text.slice(0, colon));
  const clientSecret = formDecode(text.slice(colon + 1));
  if (clientId === undefined || clientSecret === undefined || clientSecret === '') return undefined;
  return { clientId, clientSecret };
}

/**
 * Hono middleware: the request must come from an enabled relying-party client that holds `role`.
 * 401 ISSUER_UNAUTHORIZED otherwise (the same answer for every reason), 403 ISSUER_FORBIDDEN for a
 * client without the role; sets `c.set('client', …)`.
 */
export function requireClient(deps: Pick<IssuerDeps, 'store'>, role: RpClientRole): MiddlewareHandler {
  return async (c, next) => {
    const credentials = basicCredentialsOf(c.req.header('authorization'));
    const client =
      credentials === undefined
        ? undefined
        : await deps.store.rpClients.authenticate(credentials.clientId, credentials.clientSecret);
    if (client === undefined) {
      c.header('WWW-Authenticate', `Basic realm="${CLIENT_REALM}", charset="UTF-8"`);
      return problem(
        c,
        401,
        'ISSUER_UNAUTHORIZED',
        'Authentication required',
        'send the client id and secret as Authorization: Basic',
      );
    }
    if (!client.roles.includes(role)) {
      return problem(c, 403, 'ISSUER_FORBIDDEN', 'The client may not use this endpoint');
    }
    c.set('client', { clientId: client.clientId, name: client.name, roles: client.roles });
    await next();
  };
}
