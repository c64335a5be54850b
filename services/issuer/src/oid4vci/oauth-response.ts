/**
 * How the OpenID4VCI endpoints answer: JSON with `Cache-Control: no-store` (§6.2, §7.2, §8.3 — tokens,
 * nonces and credentials must not be cached), and errors as OAuth error objects (RFC 6749 §5.2,
 * OpenID4VCI §8.3.1.1, §11.3) with the status the error's definition gives. `invalid_token` adds the
 * RFC 6750 §3 `WWW-Authenticate` challenge. Descriptions come from @mynakit/oid4vci's messages, which never
 * carry a value the client sent.
 */
import type { Context } from 'hono';
import { CACHE_CONTROL_NO_STORE, type Oid4vciError, oauthErrorBody } from '@mynakit/oid4vci';

/** A JSON answer that no cache may keep. */
export function noStoreJson(c: Context, body: unknown, status: 200 | 201 = 200): Response {
  return c.body(JSON.stringify(body), status, {
    'content-type': 'application/json',
    'cache-control': CACHE_CONTROL_NO_STORE,
  });
}

/**
 * The error answer for an Oid4vciError. RFC 6750 §3: a request without any authentication information gets
 * a bare `Bearer` challenge ("SHOULD NOT include an error code"); a rejected token gets `error="invalid_token"`.
 * The body is the same `{error, error_description}` either way.
 */
export function oauthError(c: Context, error: Oid4vciError): Response {
  const body = oauthErrorBody(error);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'cache-control': CACHE_CONTROL_NO_STORE,
  };
  if (error.code === 'invalid_token') {
    headers['www-authenticate'] =
      error.check === 'access_token.missing'
        ? 'Bearer'
        : `Bearer error="invalid_token", error_description="${body.error_description}"`;
  }
  return c.body(JSON.stringify(body), error.httpStatus, headers);
}
