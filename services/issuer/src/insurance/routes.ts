/**
 * `/insurance` — the sandbox insurer registry's online qualification confirmation (DOMAIN.md §3):
 *
 *   POST /insurance/qualification-confirmations   (relying-party client with role `insurance`, HTTP Basic)
 *        the holder's user authentication (certificate, the clinic's challenge, signature) → the
 *        qualification in force today, and nothing else about the person
 *
 * Answers are `Cache-Control: no-store` (they concern one person).
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { requireClient } from '../clients/client-auth.js';
import type { IssuerDeps } from '../context.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validBody } from '../http/validate.js';
import { validJson } from '../installations/support.js';
import { confirmQualification, type QualificationConfirmationRequest } from './confirm-qualification.js';

const problemResponse = (description: string) => ({
  description,
  mediaType: 'application/problem+json',
  schema: ProblemSchema,
});

/** The confirmation's body. */
export const QualificationConfirmationSchema = z
  .object({
    certificate: z
      .string()
      .min(1)
      .max(16384)
      .meta({ description: 'base64 DER of the holder’s smartphone user-authentication certificate' }),
    challenge: z
      .string()
      .min(1)
      .max(64)
      .meta({ description: 'base64url of the 32 bytes the clinic drew (the clinic keeps it single use)' }),
    signature: z
      .string()
      .min(1)
      .max(2048)
      .meta({ description: 'base64 RSA PKCS #1 v1.5 over DigestInfo(SHA-256, challenge)' }),
  })
  .meta({ id: 'QualificationConfirmationRequest' });

const QualificationSchema = z
  .object({
    insurerNumber: z.string().meta({ description: '保険者番号 (sandbox numbers start with 99)' }),
    symbol: z.string().meta({ description: '記号' }),
    number: z.string().meta({ description: '番号' }),
    branch: z.string().nullable().meta({ description: '枝番' }),
    copaymentPercent: z.number().int().meta({ description: '一部負担金割合 (10, 20, 30)' }),
    validFrom: z.string(),
    validUntil: z.string().nullable(),
  })
  .meta({ id: 'Qualification' });

const ConfirmationSchema = z
  .object({
    qualification: QualificationSchema,
    confirmedFor: z.string().meta({ description: 'the day (JST, YYYY-MM-DD) the qualification holds' }),
  })
  .meta({ id: 'QualificationConfirmation' });

/** Registers /insurance/qualification-confirmations. */
export function registerInsuranceRoutes(app: Hono, registry: OpenApiRegistry, deps: IssuerDeps): void {
  registry.add({
    method: 'post',
    path: '/insurance/qualification-confirmations',
    operationId: 'confirmQualification',
    summary: 'Online qualification confirmation: the holder’s user authentication → their qualification',
    tags: ['insurance'],
    requestBody: { mediaType: 'application/json', schema: QualificationConfirmationSchema },
    responses: {
      200: { description: 'the qualification in force today', schema: ConfirmationSchema },
      400: problemResponse('invalid body or signature (ISSUER_PROOF_INVALID)'),
      401: problemResponse('no or wrong client credentials'),
      403: problemResponse(
        'client without the insurance role; certificate untrusted, expired, unknown or revoked',
      ),
      404: problemResponse('no qualification in force (ISSUER_INSURANCE_NOT_QUALIFIED)'),
    },
    security: ['rpClient'],
  });
  app.post(
    '/insurance/qualification-confirmations',
    requireClient(deps, 'insurance'),
    validBody('json', QualificationConfirmationSchema),
    async (c) => {
      const { qualification: q, day } = await confirmQualification(
        deps,
        validJson<QualificationConfirmationRequest>(c),
        c.get('client').clientId,
      );
      c.header('Cache-Control', 'no-store');
      return c.json({
        qualification: {
          insurerNumber: q.insurerNumber,
          symbol: q.symbol,
          number: q.number,
          branch: q.branch,
          copaymentPercent: q.copaymentPercent,
          validFrom: q.validFrom,
          validUntil: q.validUntil,
        },
        confirmedFor: day,
      });
    },
  );
}
