/**
 * `POST /sessions/proximity` — a relying party's in-person read over ISO/IEC 18013-5 proximity (API key with
 * the `rp` role): the verifier is the reader at the counter, reads the phone whose engagement the staff
 * scanned, and answers the verification with its record (proximity/proximity-session.ts). The answer holds
 * the disclosed values, the portrait included, for the face check at the counter; the record keeps the
 * portrait's SHA-256 only, and never My Number.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { VerifierDeps } from '../context.js';
import { requireApiKey, type VerifierEnv } from '../http/auth.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validated, validJson } from '../http/validate.js';
import { StatusListCache } from '../revocation/status-list-cache.js';
import { NewSessionSchema, VerificationSchema } from '../sessions/routes.js';
import { readOverProximity } from './proximity-session.js';

/** The body of POST /sessions/proximity. */
export const ProximityReadSchema = z
  .object({
    purpose: NewSessionSchema.shape.purpose,
    elements: NewSessionSchema.shape.elements,
    /** What the customer declared at the counter: required under 犯収法 for a 取引時確認 (customer-declaration.ts). */
    transactionPurpose: NewSessionSchema.shape.transactionPurpose,
    occupation: NewSessionSchema.shape.occupation,
    engagement: z
      .string()
      .min(6)
      .max(4096)
      .regex(/^mdoc:[A-Za-z0-9_-]+$/, 'the mdoc: URI the phone shows (ISO/IEC 18013-5 §8.2.2.3)'),
  })
  .strict()
  .meta({ id: 'ProximityRead' });

const ProximityVerificationSchema = VerificationSchema.extend({
  sessionId: z.string(),
  requested: z.record(z.string(), z.array(z.string())),
  readerAuthentication: z.discriminatedUnion('form', [
    z.object({
      form: z.literal('readerAuthAll'),
      readerCertificateSubject: z.string(),
      myNumberLegalBasisDeclared: z.boolean(),
    }),
    z.object({ form: z.literal('none'), reason: z.string() }),
  ]),
}).meta({ id: 'ProximityVerification' });

/** Registers POST /sessions/proximity. */
export function registerProximityRoutes(
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
  registry.add({
    method: 'post',
    path: '/sessions/proximity',
    operationId: 'readOverProximity',
    summary:
      'Read the holder’s phone in person over ISO/IEC 18013-5 proximity: the verifier is the reader, verifies the answer and records it',
    tags: ['sessions'],
    requestBody: { mediaType: 'application/json', schema: ProximityReadSchema },
    responses: {
      200: {
        description:
          'The verification (valid or not) and its record; the disclosed values (portrait included) when valid',
        schema: ProximityVerificationSchema,
      },
      400: problem(
        'Invalid body or element, My Number without a legal basis, a 取引時確認 under 犯収法 without the purpose of the transaction or the occupation (VERIFIER_TRANSACTION_PURPOSE_REQUIRED, VERIFIER_OCCUPATION_REQUIRED), an unreadable engagement (VERIFIER_PROXIMITY_ENGAGEMENT_INVALID), or a transport neither loopback nor allowed (VERIFIER_PROXIMITY_HOST_NOT_ALLOWED)',
      ),
      401: problem('No or unknown API key'),
      403: problem('Not an rp key'),
      422: problem('A declaration’s detail written like a My Number (VERIFIER_RECORD_FORBIDDEN_CONTENT)'),
      409: problem(
        'The phone ended the session without answering (VERIFIER_PROXIMITY_DECLINED), or the engagement was already read (VERIFIER_SESSION_USED)',
      ),
      502: problem(
        'The phone could not be reached (VERIFIER_PROXIMITY_UNREACHABLE) or sent an unreadable or too large message (VERIFIER_PROXIMITY_MESSAGE_INVALID)',
      ),
      503: problem(
        'Revocation status unavailable and the policy says retry (VERIFIER_REVOCATION_UNAVAILABLE): show a new engagement',
      ),
      504: problem('The phone did not answer in time (VERIFIER_PROXIMITY_TIMEOUT)'),
    },
    security: ['apiKey'],
  });
  app.post('/sessions/proximity', rp, validJson(ProximityReadSchema), async (c) => {
    const body = validated<z.output<typeof ProximityReadSchema>>(c);
    const result = await readOverProximity(deps, c.get('caller'), body, cache);
    c.header('Cache-Control', 'no-store');
    return c.json(result);
  });
}
