/**
 * The cross-device OpenID4VP routes (cross-device-session.ts): the relying party opens a session and reads
 * its result with its `rp` key; the wallet, which has none, fetches the request object and posts its answer
 * to URLs only that session's QR code names. The wallet-facing routes answer nothing about the
 * verification: `{}` once the answer was taken, a problem with a stable code when it was not (unknown,
 * used, expired, malformed).
 */

import { REQUEST_OBJECT_MEDIA_TYPE } from '@mynakit/oid4vp';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import { requireApiKey, type VerifierEnv } from '../http/auth.js';
import { limitBody } from '../http/body-limit.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validated, validJson } from '../http/validate.js';
import { StatusListCache } from '../revocation/status-list-cache.js';
import {
  createCrossDeviceSession,
  crossDeviceRequestObject,
  crossDeviceResult,
  type DirectPostForm,
  verifyCrossDeviceResponse,
} from './cross-device-session.js';
import { DEFAULT_MAX_RESPONSE_BYTES, NewSessionSchema, SESSION_ID, VerificationSchema } from './routes.js';

const CreatedCrossDeviceSessionSchema = z
  .object({
    sessionId: z.string(),
    requestUri: z.string(),
    walletUrl: z.string(),
    expiresAt: z.string(),
    elements: z.record(z.string(), z.array(z.string())),
  })
  .meta({ id: 'CreatedCrossDeviceSession' });

/** A compact JWE (RFC 7516 §7.1): five base64url parts. */
const COMPACT_JWE = /^[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*){4}$/;
/** An OAuth error code (RFC 6749 §4.1.2.1: printable ASCII without `"` and `\`). */
const ERROR_CODE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/;

/** The `direct_post.jwt` form, bounded and checked: `response`, or an error response (§8.5). */
function directPostForm(form: URLSearchParams): DirectPostForm {
  const response = form.get('response');
  if (response !== null) {
    if (!COMPACT_JWE.test(response))
      throw new VerifierError('VERIFIER_INVALID_INPUT', 'response must be a compact JWE');
    return { response };
  }
  const error = form.get('error');
  if (error !== null && ERROR_CODE.test(error)) {
    const state = form.get('state');
    return state !== null && state.length <= 256 ? { error, state } : { error };
  }
  throw new VerifierError('VERIFIER_INVALID_INPUT', 'the form carries no response');
}

/** The session id of the path, or VERIFIER_NOT_FOUND. */
function sessionIdOf(id: string): string {
  if (!SESSION_ID.test(id)) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
  return id;
}

/** Registers the cross-device routes. */
export function registerCrossDeviceRoutes(
  app: Hono<VerifierEnv>,
  registry: OpenApiRegistry,
  deps: VerifierDeps,
): void {
  const rp = requireApiKey(deps.store, 'rp');
  const cache = new StatusListCache(deps.config.cacheStatusLists === false ? 0 : undefined);
  const problem = (description: string) => ({
    description,
    mediaType: 'application/problem+json',
    schema: ProblemSchema,
  });
  const common = { 401: problem('No or unknown API key'), 403: problem('Not an rp key') };
  const gone = {
    404: problem('No such session'),
    409: problem('The session was already used (VERIFIER_SESSION_USED)'),
    410: problem('The session has expired (VERIFIER_SESSION_EXPIRED)'),
  };

  registry.add({
    method: 'post',
    path: '/sessions/cross-device',
    operationId: 'createCrossDeviceSession',
    summary:
      'Open a cross-device OpenID4VP session: the wallet URL for a QR code (request_uri, direct_post.jwt)',
    tags: ['sessions'],
    requestBody: { mediaType: 'application/json', schema: NewSessionSchema },
    responses: {
      201: {
        description: 'The wallet URL and where the result will be',
        schema: CreatedCrossDeviceSessionSchema,
      },
      400: problem(
        'Invalid body, origin not allowed, unknown element, My Number without a legal basis, or a 取引時確認 under 犯収法 without the purpose of the transaction or the occupation (VERIFIER_TRANSACTION_PURPOSE_REQUIRED, VERIFIER_OCCUPATION_REQUIRED)',
      ),
      422: problem('A declaration’s detail written like a My Number (VERIFIER_RECORD_FORBIDDEN_CONTENT)'),
      ...common,
      409: problem(
        'No reader key, or a client id the verifier cannot answer for (VERIFIER_CROSS_DEVICE_UNAVAILABLE)',
      ),
    },
    security: ['apiKey'],
  });
  app.post('/sessions/cross-device', rp, validJson(NewSessionSchema), async (c) => {
    const body = validated<z.output<typeof NewSessionSchema>>(c);
    const created = await createCrossDeviceSession(deps, c.get('caller'), body);
    c.header('Location', `/sessions/${created.sessionId}`);
    c.header('Cache-Control', 'no-store');
    return c.json(created, 201);
  });

  registry.add({
    method: 'get',
    path: '/sessions/:id/request-object',
    operationId: 'getCrossDeviceRequestObject',
    summary: 'The signed request object (JAR) the wallet fetches at request_uri; no API key',
    tags: ['sessions'],
    responses: {
      200: { description: 'The request object (application/oauth-authz-req+jwt)', schema: z.string() },
      ...gone,
    },
  });
  app.get('/sessions/:id/request-object', async (c) => {
    const jws = await crossDeviceRequestObject(deps, sessionIdOf(c.req.param('id')));
    c.header('Cache-Control', 'no-store');
    return c.body(jws, 200, { 'content-type': REQUEST_OBJECT_MEDIA_TYPE });
  });

  registry.add({
    method: 'post',
    path: '/sessions/:id/direct-post',
    operationId: 'postCrossDeviceResponse',
    summary: 'The wallet’s direct_post.jwt answer (form: response=<JWE>), verified once; no API key',
    tags: ['sessions'],
    responses: {
      200: { description: 'Taken: {} (the relying party reads the result)', schema: z.object({}) },
      400: problem('Not a form with a compact JWE'),
      ...gone,
      503: problem(
        'Revocation status unavailable and the policy says retry (VERIFIER_REVOCATION_UNAVAILABLE)',
      ),
    },
  });
  app.post(
    '/sessions/:id/direct-post',
    limitBody(deps.config.maxResponseBodyBytes ?? DEFAULT_MAX_RESPONSE_BYTES),
    async (c) => {
      const id = sessionIdOf(c.req.param('id'));
      const type = (c.req.header('content-type') ?? '').toLowerCase();
      if (!type.startsWith('application/x-www-form-urlencoded'))
        throw new VerifierError(
          'VERIFIER_INVALID_INPUT',
          'the answer is an application/x-www-form-urlencoded form',
        );
      const form = directPostForm(new URLSearchParams(await c.req.text()));
      try {
        await verifyCrossDeviceResponse(deps, id, form, cache);
      } catch (e) {
        if (e instanceof VerifierError && e.code === 'VERIFIER_REVOCATION_UNAVAILABLE')
          c.header('Retry-After', '30');
        throw e;
      }
      c.header('Cache-Control', 'no-store');
      // OpenID4VP 1.0 §8.2: processed; the verdict is the relying party's to read, not the wallet's.
      return c.json({});
    },
  );

  registry.add({
    method: 'get',
    path: '/sessions/:id/result',
    operationId: 'getCrossDeviceResult',
    summary: 'The verification of a cross-device session, as POST /sessions/{id}/response answers it',
    tags: ['sessions'],
    responses: {
      200: {
        description: 'The verification and its record; the disclosed values at the first read only',
        schema: VerificationSchema,
      },
      ...common,
      404: problem('No such session'),
      409: problem('Not answered yet (VERIFIER_SESSION_PENDING)'),
      410: problem('Expired without an answer (VERIFIER_SESSION_EXPIRED)'),
    },
    security: ['apiKey'],
  });
  app.get('/sessions/:id/result', rp, async (c) => {
    const result = await crossDeviceResult(deps, c.get('caller'), sessionIdOf(c.req.param('id')));
    c.header('Cache-Control', 'no-store');
    return c.json(result);
  });
}
