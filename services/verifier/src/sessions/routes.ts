/**
 * `/sessions` — a relying party's verification sessions (API key with the `rp` role): open a Digital
 * Credentials API session (`org-iso-mdoc`, ISO/IEC 18013-7 Annex C) for one of its page origins, read its
 * state, and submit the holder's answer once for verification, revocation, the KYC method and the
 * verification record (verification/verify-session-response.ts).
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import { requireApiKey, type VerifierEnv } from '../http/auth.js';
import { limitBody } from '../http/body-limit.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validated, validJson } from '../http/validate.js';
import { StatusListCache } from '../revocation/status-list-cache.js';
import { verifySessionResponse } from '../verification/verify-session-response.js';
import { createAnnexCSession } from './create-session.js';
import { OccupationSchema, TransactionPurposeSchema } from './customer-declaration.js';

/** Default bound on a submitted answer: a DeviceResponse with a portrait JPEG, HPKE-sealed, base64url. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** The body of POST /sessions (and of POST /sessions/cross-device). */
export const NewSessionSchema = z
  .object({
    purpose: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case words joined by hyphens, e.g. account-opening'),
    origin: z.string().min(1).max(300),
    elements: z
      .record(
        z.string().regex(/^[A-Za-z0-9._-]{1,100}$/),
        z
          .array(z.string().regex(/^[A-Za-z0-9_]{1,100}$/))
          .min(1)
          .max(32),
      )
      .optional(),
    /** What the customer declared: required under 犯収法 for a 取引時確認 (customer-declaration.ts). */
    transactionPurpose: TransactionPurposeSchema.optional(),
    occupation: OccupationSchema.optional(),
  })
  .strict()
  .meta({ id: 'NewSession' });

const CreatedSessionSchema = z
  .object({
    sessionId: z.string(),
    request: z.object({
      protocol: z.literal('org-iso-mdoc'),
      data: z.object({ deviceRequest: z.string(), encryptionInfo: z.string() }),
    }),
    expiresAt: z.string(),
    elements: z.record(z.string(), z.array(z.string())),
    readerAuthentication: z.discriminatedUnion('form', [
      z.object({
        form: z.literal('readerAuthAll'),
        readerCertificateSubject: z.string(),
        myNumberLegalBasisDeclared: z.boolean(),
      }),
      z.object({ form: z.literal('none'), reason: z.string() }),
    ]),
    requests: z.array(
      z.discriminatedUnion('protocol', [
        z.object({
          protocol: z.literal('org-iso-mdoc'),
          data: z.object({ deviceRequest: z.string(), encryptionInfo: z.string() }),
        }),
        z.object({ protocol: z.literal('openid4vp-v1-signed'), data: z.object({ request: z.string() }) }),
      ]),
    ),
  })
  .meta({ id: 'CreatedSession' });

const AnnexCResponseSchema = z
  .object({
    response: z
      .string()
      .min(1)
      .max(DEFAULT_MAX_RESPONSE_BYTES)
      .regex(/^[A-Za-z0-9_-]+$/, 'base64url'),
  })
  .strict();

/** A compact JWE (RFC 7516 §7.1): five base64url parts. */
const OpenId4VpResponseSchema = z
  .object({
    response: z
      .string()
      .min(1)
      .max(DEFAULT_MAX_RESPONSE_BYTES)
      .regex(/^[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*){4}$/, 'a compact JWE'),
  })
  .strict();

const SessionResponseSchema = z
  .union([
    // The Annex C data alone, as before.
    AnnexCResponseSchema,
    // The DigitalCredential as the browser returned it, in the protocol the wallet chose.
    z.object({ protocol: z.literal('org-iso-mdoc'), data: AnnexCResponseSchema }).strict(),
    z.object({ protocol: z.literal('openid4vp-v1-signed'), data: OpenId4VpResponseSchema }).strict(),
  ])
  .meta({
    id: 'SessionResponse',
    description:
      'The DigitalCredential the browser returned: {protocol, data} for either request of the session, or the org-iso-mdoc data alone',
  });

const CheckSchema = z.object({ id: z.string(), status: z.string(), detail: z.string() });

/** The verification report (POST /sessions/{id}/response, GET /sessions/{id}/result). */
export const VerificationSchema = z
  .object({
    verdict: z.enum(['valid', 'invalid', 'undetermined']),
    checks: z.array(CheckSchema),
    method: z
      .object({
        id: z.string(),
        law: z.string(),
        letter: z.string(),
        name_ja: z.string(),
        name_en: z.string(),
      })
      .nullable(),
    methodReasons: z.array(z.string()),
    elements: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    recordId: z.string(),
    flags: z.array(z.string()),
    errorCode: z.string().optional(),
  })
  .meta({ id: 'SessionVerification' });

const SessionStateSchema = z
  .object({
    sessionId: z.string(),
    state: z.enum(['open', 'verifying', 'done']),
    purpose: z.string(),
    origin: z.string(),
    expiresAt: z.string(),
    verdict: z.string().nullable(),
    recordId: z.string().nullable(),
  })
  .meta({ id: 'SessionState' });

/** What a session id looks like (anything else is no session). */
export const SESSION_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Registers the relying party's session routes. */
export function registerSessionRoutes(
  app: Hono<VerifierEnv>,
  registry: OpenApiRegistry,
  deps: VerifierDeps,
): void {
  const rp = requireApiKey(deps.store, 'rp');
  const security = ['apiKey'];
  // Max 0 entries: nothing is kept, every verification fetches the list afresh.
  const cache = new StatusListCache(deps.config.cacheStatusLists === false ? 0 : undefined);
  const problem = (description: string) => ({
    description,
    mediaType: 'application/problem+json',
    schema: ProblemSchema,
  });
  const common = { 401: problem('No or unknown API key'), 403: problem('Not an rp key') };

  registry.add({
    method: 'post',
    path: '/sessions',
    operationId: 'createSession',
    summary: 'Open a Digital Credentials API session (org-iso-mdoc) for one of the relying party’s origins',
    tags: ['sessions'],
    requestBody: { mediaType: 'application/json', schema: NewSessionSchema },
    responses: {
      201: { description: 'The request for navigator.credentials.get', schema: CreatedSessionSchema },
      400: problem(
        'Invalid body, origin not allowed, unknown element, My Number without a legal basis (VERIFIER_MY_NUMBER_WITHOUT_LEGAL_BASIS), or a 取引時確認 under 犯収法 without the purpose of the transaction or the occupation (VERIFIER_TRANSACTION_PURPOSE_REQUIRED, VERIFIER_OCCUPATION_REQUIRED)',
      ),
      422: problem('A declaration’s detail written like a My Number (VERIFIER_RECORD_FORBIDDEN_CONTENT)'),
      ...common,
    },
    security,
  });
  app.post('/sessions', rp, validJson(NewSessionSchema), async (c) => {
    const body = validated<z.output<typeof NewSessionSchema>>(c);
    const created = await createAnnexCSession(deps, c.get('caller'), body);
    c.header('Location', `/sessions/${created.sessionId}`);
    c.header('Cache-Control', 'no-store');
    return c.json(created, 201);
  });

  registry.add({
    method: 'get',
    path: '/sessions/:id',
    operationId: 'getSession',
    summary: 'The state of one session',
    tags: ['sessions'],
    responses: {
      200: { description: 'The session', schema: SessionStateSchema },
      ...common,
      404: problem('No such session'),
    },
    security,
  });
  app.get('/sessions/:id', rp, async (c) => {
    const id = c.req.param('id');
    const s = SESSION_ID.test(id)
      ? await deps.store.sessions.get(id, c.get('caller').relyingPartyId)
      : undefined;
    if (s === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
    c.header('Cache-Control', 'no-store');
    return c.json({
      sessionId: s.id,
      state: s.state,
      purpose: s.purpose,
      origin: s.origin,
      expiresAt: new Date(s.expiresAt).toISOString(),
      verdict: s.verdict,
      recordId: s.recordId,
    });
  });

  registry.add({
    method: 'post',
    path: '/sessions/:id/response',
    operationId: 'submitSessionResponse',
    summary: 'Submit the holder’s answer once: verification, revocation, KYC method and verification record',
    tags: ['sessions'],
    requestBody: { mediaType: 'application/json', schema: SessionResponseSchema },
    responses: {
      200: { description: 'The verification (valid or not) and its record', schema: VerificationSchema },
      400: problem('Invalid body'),
      ...common,
      404: problem('No such session'),
      409: problem('The session was already used (VERIFIER_SESSION_USED)'),
      410: problem('The session has expired (VERIFIER_SESSION_EXPIRED)'),
      503: problem(
        'Revocation status unavailable and the policy says retry (VERIFIER_REVOCATION_UNAVAILABLE)',
      ),
    },
    security,
  });
  app.post(
    '/sessions/:id/response',
    limitBody(deps.config.maxResponseBodyBytes ?? DEFAULT_MAX_RESPONSE_BYTES),
    rp,
    validJson(SessionResponseSchema),
    async (c) => {
      const id = c.req.param('id');
      if (!SESSION_ID.test(id)) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
      const body = validated<z.output<typeof SessionResponseSchema>>(c);
      try {
        const result = await verifySessionResponse(deps, c.get('caller'), id, body, cache);
        c.header('Cache-Control', 'no-store');
        return c.json(result);
      } catch (e) {
        if (e instanceof VerifierError && e.code === 'VERIFIER_REVOCATION_UNAVAILABLE')
          c.header('Retry-After', '30');
        throw e;
      }
    },
  );
}
