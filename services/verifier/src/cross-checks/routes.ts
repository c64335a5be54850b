/**
 * The identity cross-check route of a relying party (API key with the `rp` role, as `/sessions`):
 *
 *   POST /sessions/cross-checks   {recordSessionId, signatureSessionId} → {verdict, checks, recordId, fields}
 *
 * For a person who presented both the card-substitute record and a JPKI signature: the basic four of the
 * two verifications are compared (run-cross-check.ts). The body is zod-validated (a mismatch names paths,
 * never values); failures are RFC 9457 problems with stable codes; the answer names fields, never values.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { VerifierDeps } from '../context.js';
import { requireApiKey, type VerifierEnv } from '../http/auth.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validated, validJson } from '../http/validate.js';
import { CROSS_CHECK_FIELDS } from './identity-cross-check.js';
import { runCrossCheck } from './run-cross-check.js';

const SessionId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a session id');

const NewCrossCheckSchema = z
  .object({
    /** The DC API session (`/sessions`) that verified the card-substitute record. */
    recordSessionId: SessionId,
    /** The JPKI signature session (`/sessions/jpki-signature`). */
    signatureSessionId: SessionId,
  })
  .strict()
  .meta({
    id: 'NewIdentityCrossCheck',
    description:
      'Two sessions of this relying party, both done with verdict valid, recent, and not cross-checked before',
  });

const Field = z.enum(CROSS_CHECK_FIELDS);

const CrossCheckSchema = z
  .object({
    verdict: z.enum(['valid', 'invalid', 'undetermined']),
    checks: z.array(z.object({ id: z.string(), status: z.string(), detail: z.string() })),
    recordId: z.string(),
    fields: z.object({
      matched: z.array(Field),
      mismatched: z.array(Field),
      undetermined: z.array(Field),
      notCompared: z.array(Field),
    }),
  })
  .meta({
    id: 'IdentityCrossCheck',
    description:
      'The check identity.cross_check names the fields that differ (never their values); the record links both verifications',
  });

/** Registers POST /sessions/cross-checks (see the file comment). */
export function registerCrossCheckRoutes(
  app: Hono<VerifierEnv>,
  registry: OpenApiRegistry,
  deps: VerifierDeps,
): void {
  const rp = requireApiKey(deps.store, 'rp');
  const problem = (description: string) => ({
    description,
    mediaType: 'application/problem+json',
    schema: ProblemSchema,
  });
  registry.add({
    method: 'post',
    path: '/sessions/cross-checks',
    operationId: 'crossCheckIdentity',
    summary:
      'Compare the basic four of a verified card-substitute record and a verified JPKI signature of one person',
    tags: ['sessions'],
    requestBody: { mediaType: 'application/json', schema: NewCrossCheckSchema },
    responses: {
      200: { description: 'The cross-check (valid or not) and its record', schema: CrossCheckSchema },
      400: problem('Invalid body (VERIFIER_INVALID_BODY)'),
      401: problem('No or unknown API key'),
      403: problem('Not an rp key'),
      404: problem('No such session of this relying party and channel (VERIFIER_NOT_FOUND)'),
      409: problem(
        'A session did not end valid (VERIFIER_CROSS_CHECK_SESSION_NOT_VALID) or was already cross-checked (VERIFIER_CROSS_CHECK_USED)',
      ),
      410: problem('A verification is older than the window (VERIFIER_CROSS_CHECK_EXPIRED)'),
      422: problem(
        'A verification record holds no identity facts (VERIFIER_CROSS_CHECK_IDENTITY_UNAVAILABLE)',
      ),
    },
    security: ['apiKey'],
  });
  app.post('/sessions/cross-checks', rp, validJson(NewCrossCheckSchema), async (c) => {
    const body = validated<z.output<typeof NewCrossCheckSchema>>(c);
    const answer = await runCrossCheck(deps, c.get('caller'), body);
    c.header('Cache-Control', 'no-store');
    return c.json(answer);
  });
}
