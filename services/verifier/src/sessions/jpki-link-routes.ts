/**
 * The wallet-facing routes of JPKI sessions opened by link or QR code (jpki/jpki-request-link.ts): no API
 * key — the phone has none; only the session's link names these URLs.
 *
 *   GET  /sessions/{id}/jpki-request-object  the signed request object (application/jpki-request+jwt)
 *   POST /sessions/{id}/jpki-response        the phone's answer: {certificate, signature} or {cms}; `{}`
 *
 * and, for the relying party (its `rp` key), the verification the phone's answer led to:
 *
 *   GET  /sessions/{id}/jpki-result          as POST /sessions/{id}/jpki-* answers it; `identity` once
 *
 * Bodies are bounded by the app's limit (64 KiB by default, as the API's answer routes) and zod-validated
 * (a mismatch names paths, never values); failures are RFC 9457 problems with stable codes.
 */
import { JPKI_REQUEST_MEDIA_TYPE } from '@mynakit/oid4vp';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import { requireApiKey, type VerifierEnv } from '../http/auth.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validated, validJson } from '../http/validate.js';
import { MAX_SIGNED_DOCUMENT_BYTES } from '../jpki/create-jpki-session.js';
import { answerJpkiByLink, jpkiLinkResult, jpkiRequestObject } from '../jpki/jpki-request-link.js';
import { JpkiVerificationSchema } from './jpki-routes.js';

/** The bounds of the API's answer routes (jpki-routes.ts). */
const MAX_CERTIFICATE_BYTES = 16 * 1024;
const MAX_SIGNATURE_BYTES = 512;
const MAX_CMS_BYTES = MAX_SIGNED_DOCUMENT_BYTES + 24 * 1024;
const base64Of = (bytes: number) =>
  z
    .string()
    .min(1)
    .max(Math.ceil(bytes / 3) * 4)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');

const JpkiLinkAnswerSchema = z
  .union([
    z
      .object({ certificate: base64Of(MAX_CERTIFICATE_BYTES), signature: base64Of(MAX_SIGNATURE_BYTES) })
      .strict(),
    z.object({ cms: base64Of(MAX_CMS_BYTES) }).strict(),
  ])
  .meta({
    id: 'JpkiLinkAnswer',
    description:
      'A user authentication: the certificate and the signature over the challenge; a signature: CMS SignedData. Standard base64 DER',
  });

const SESSION_ID = /^[A-Za-z0-9-]{1,64}$/;
const sessionIdOf = (id: string) => {
  if (!SESSION_ID.test(id)) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
  return id;
};
const bytesOf = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

/** Registers the wallet-facing JPKI link routes (see the file comment). */
export function registerJpkiLinkRoutes(
  app: Hono<VerifierEnv>,
  registry: OpenApiRegistry,
  deps: VerifierDeps,
): void {
  const problem = (description: string) => ({
    description,
    mediaType: 'application/problem+json',
    schema: ProblemSchema,
  });
  const gone = {
    404: problem('No such session (VERIFIER_NOT_FOUND)'),
    409: problem('The session was already answered (VERIFIER_SESSION_USED)'),
    410: problem('The session has expired (VERIFIER_SESSION_EXPIRED)'),
  };

  registry.add({
    method: 'get',
    path: '/sessions/:id/jpki-request-object',
    operationId: 'getJpkiRequestObject',
    summary: 'The signed JPKI request object the phone fetches from the link’s request_uri; no API key',
    tags: ['sessions'],
    responses: {
      200: { description: 'The request object (application/jpki-request+jwt)', schema: z.string() },
      ...gone,
      409: problem(
        'Answered already (VERIFIER_SESSION_USED), or the relying party has no reader key naming the verifier’s host (VERIFIER_JPKI_LINK_UNAVAILABLE)',
      ),
    },
  });
  app.get('/sessions/:id/jpki-request-object', async (c) => {
    const jws = await jpkiRequestObject(deps, sessionIdOf(c.req.param('id')));
    c.header('Cache-Control', 'no-store');
    return c.body(jws, 200, { 'content-type': JPKI_REQUEST_MEDIA_TYPE });
  });

  registry.add({
    method: 'post',
    path: '/sessions/:id/jpki-response',
    operationId: 'postJpkiLinkResponse',
    summary: 'The phone’s answer to a JPKI request by link, verified once; no API key',
    tags: ['sessions'],
    requestBody: { mediaType: 'application/json', schema: JpkiLinkAnswerSchema },
    responses: {
      200: { description: 'Taken: {} (the relying party reads the result)', schema: z.object({}) },
      400: problem('Invalid body (VERIFIER_INVALID_BODY)'),
      413: problem('Body too large (VERIFIER_BODY_TOO_LARGE)'),
      ...gone,
      503: problem(
        'Revocation status unavailable and the policy says retry (VERIFIER_REVOCATION_UNAVAILABLE)',
      ),
    },
  });
  app.post('/sessions/:id/jpki-response', validJson(JpkiLinkAnswerSchema), async (c) => {
    const id = sessionIdOf(c.req.param('id'));
    const body = validated<z.output<typeof JpkiLinkAnswerSchema>>(c);
    try {
      const answer =
        'cms' in body
          ? await answerJpkiByLink(deps, id, { kind: 'signature', answer: { cms: bytesOf(body.cms) } })
          : await answerJpkiByLink(deps, id, {
              kind: 'authentication',
              answer: { certificate: bytesOf(body.certificate), signature: bytesOf(body.signature) },
            });
      c.header('Cache-Control', 'no-store');
      return c.json(answer);
    } catch (e) {
      if (e instanceof VerifierError && e.code === 'VERIFIER_REVOCATION_UNAVAILABLE')
        c.header('Retry-After', '30');
      throw e;
    }
  });

  const rp = requireApiKey(deps.store, 'rp');
  registry.add({
    method: 'get',
    path: '/sessions/:id/jpki-result',
    operationId: 'getJpkiLinkResult',
    summary:
      'The verification of a JPKI session the phone answered by link, as POST /sessions/{id}/jpki-* answers it',
    tags: ['sessions'],
    responses: {
      200: {
        description:
          'The verification and its record; the identity facts of a signature at the first read only',
        schema: JpkiVerificationSchema,
      },
      401: problem('No or unknown API key'),
      403: problem('Not an rp key'),
      404: problem('No such session of this relying party (VERIFIER_NOT_FOUND)'),
      409: problem('Not answered by link yet (VERIFIER_SESSION_PENDING)'),
      410: problem('Expired without an answer (VERIFIER_SESSION_EXPIRED)'),
    },
    security: ['apiKey'],
  });
  app.get('/sessions/:id/jpki-result', rp, async (c) => {
    const result = await jpkiLinkResult(deps, c.get('caller').relyingPartyId, sessionIdOf(c.req.param('id')));
    c.header('Cache-Control', 'no-store');
    return c.json(result);
  });
}
