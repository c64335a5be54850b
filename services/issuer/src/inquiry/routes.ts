/**
 * POST /inquiry — a relying party's per-record status inquiry (DOMAIN.md §4), for clients with the role
 * `inquiry` (HTTP Basic, clients/client-auth.ts). The record is named by the SHA-256 of its
 * MobileSecurityObjectBytes (the MSO has no identifier of its own), which the relying party computes from
 * the presentation it verified.
 *
 *   { msoDigest: 64 hex }  →  { status, checkedAt, answer }
 *     status: valid      an active record within its validity
 *             invalid    revoked, or past its validity (MSO validUntil = the row's not_after)
 *             suspended  on hold (certificateHold)
 *             unknown    no record of this issuer has that digest — not "invalid": the issuer cannot
 *                        speak for what it did not issue (DOMAIN.md §4: no statement is not revocation)
 *     answer: base64url of the signed evidence (inquiry-evidence.ts), to keep
 *
 * The body is bounded by the app's limit and must be exactly this one field. Neither answers nor log
 * lines carry personal data; the digest itself is not logged.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { requireClient } from '../clients/client-auth.js';
import type { IssuerDeps } from '../context.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validBody } from '../http/validate.js';
import type { Credential } from '../store/index.js';
import { type InquiryStatus, signInquiryEvidence } from './inquiry-evidence.js';

/** What POST /inquiry takes. */
export const InquiryRequestSchema = z
  .strictObject({
    msoDigest: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/)
      .meta({ description: 'SHA-256 of the MobileSecurityObjectBytes, hex' }),
  })
  .meta({ id: 'InquiryRequest' });

const InquiryResponseSchema = z
  .object({
    status: z.enum(['valid', 'invalid', 'suspended', 'unknown']),
    checkedAt: z.string(),
    answer: z.string().meta({
      description:
        'base64url COSE_Sign1 (CWT: iss, aud = client id, iat, mso_digest, status), signed by the status-list signer',
    }),
  })
  .meta({ id: 'InquiryResponse' });

/** The status a credential row gives at `now` (undefined row: no such record). */
export function inquiryStatusOf(credential: Credential | undefined, now: number): InquiryStatus {
  if (credential === undefined || credential.kind !== 'mdoc') return 'unknown';
  if (credential.state === 'revoked')
    return credential.revocationReason === 'certificateHold' ? 'suspended' : 'invalid';
  return credential.notAfter <= now ? 'invalid' : 'valid';
}

function validJson<T>(c: Context): T {
  return (c.req.valid as (target: string) => unknown)('json') as T;
}

/** Registers POST /inquiry. */
export function registerInquiryRoutes(app: Hono, registry: OpenApiRegistry, deps: IssuerDeps): void {
  const problemOf = (description: string) => ({
    description,
    mediaType: 'application/problem+json',
    schema: ProblemSchema,
  });
  registry.add({
    method: 'post',
    path: '/inquiry',
    operationId: 'inquireRecordStatus',
    summary: "A record's status by the SHA-256 of its MobileSecurityObjectBytes, with signed evidence",
    tags: ['inquiry'],
    requestBody: { mediaType: 'application/json', schema: InquiryRequestSchema },
    responses: {
      200: { description: 'the status and its evidence', schema: InquiryResponseSchema },
      400: problemOf('not one 64-hex msoDigest'),
      401: problemOf('no or wrong client credentials'),
      403: problemOf('the client lacks the inquiry role'),
      413: problemOf('body too large'),
    },
    security: ['rpClient'],
  });
  app.post('/inquiry', requireClient(deps, 'inquiry'), validBody('json', InquiryRequestSchema), async (c) => {
    const { msoDigest } = validJson<z.infer<typeof InquiryRequestSchema>>(c);
    const digest = msoDigest.toLowerCase();
    const checkedAt = deps.clock();
    const credential = await deps.store.credentials.getByMsoDigest(digest);
    const status = inquiryStatusOf(credential, checkedAt.getTime());
    const evidence = await signInquiryEvidence(deps.hierarchy, {
      msoDigest: Buffer.from(digest, 'hex'),
      status,
      checkedAt,
      clientId: c.get('client').clientId,
      issuer: deps.config.origin,
    });
    c.header('Cache-Control', 'no-store');
    return c.json({
      status,
      checkedAt: new Date(Math.floor(checkedAt.getTime() / 1000) * 1000).toISOString(),
      answer: Buffer.from(evidence).toString('base64url'),
    });
  });
}
