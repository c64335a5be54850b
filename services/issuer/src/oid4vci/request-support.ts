/**
 * What the Credential and Notification Endpoints share: the access token (RFC 6750 §2.1) resolved to the
 * installation it was granted for, and a JSON body checked against its zod schema with the endpoint's own
 * error code (§8.3.1.1 `invalid_credential_request`, §11.3 `invalid_notification_request` — not the Token
 * Endpoint's `invalid_request`). Neither echoes what was sent.
 */
import type { Context } from 'hono';
import {
  invalidAccessToken,
  type Oid4vciCheck,
  Oid4vciError,
  type Oid4vciErrorCode,
  readBearerToken,
} from '@mynakit/oid4vci';
import type { z } from 'zod';
import type { IssuerDeps } from '../context.js';
import type { AccessTokenGrant } from '../store/index.js';

/** The grant behind the request's bearer token; `invalid_token` when missing, malformed, unknown or expired. */
export async function accessTokenGrant(c: Context, deps: IssuerDeps, now: Date): Promise<AccessTokenGrant> {
  const token = readBearerToken(c.req.header('authorization'));
  const grant = await deps.store.accessTokens.find(token, now.getTime());
  if (grant === undefined) throw invalidAccessToken();
  return grant;
}

const FIELD = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * The request body as JSON, shaped as `schema` says. Anything else — another media type, text that is not
 * JSON, a body of the wrong shape — is `code` with `check`, naming at most the schema's field names.
 */
export async function jsonBody(
  c: Context,
  schema: z.ZodType,
  code: Extract<Oid4vciErrorCode, 'invalid_credential_request' | 'invalid_notification_request'>,
  check: Extract<Oid4vciCheck, 'credential_request.decode' | 'notification_request.decode'>,
): Promise<unknown> {
  const fail = (message: string): never => {
    throw new Oid4vciError(code, check, message);
  };
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) fail('the body must be application/json');
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    return fail('the body is not JSON');
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    const fields = [
      ...new Set(
        result.error.issues
          .slice(0, 10)
          .map((i) =>
            i.path.map((p) => (typeof p === 'number' || FIELD.test(String(p)) ? String(p) : '*')).join('.'),
          ),
      ),
    ].filter((p) => p !== '');
    fail(fields.length === 0 ? 'the body is not a JSON object' : `invalid or missing: ${fields.join(', ')}`);
  }
  return body;
}
