/**
 * Certificate status for platform operators (DOMAIN.md §3 "Status": only authorised signature verifiers
 * and platform operators may query J-LIS) — relying parties that hold a JPKI certificate but verify no
 * signature themselves and want a plain answer instead of CRL or OCSP machinery:
 *
 *   POST /platform/certificate-status    client role `platform-status` (HTTP Basic, src/clients)
 *     {"certificate": "<base64 DER>"}                      or
 *     {"issuer": "jpki-auth-ca-g0", "serialNumber": "<hex>"}   (the CA generation as GET /crl names it)
 *   → 200 {status: "good" | "revoked" | "unknown", reason?, revokedAt?, producedAt, issuer,
 *          source: "issuer-database"}
 *
 * The certificate must chain to one of the issuer's current JPKI CA generations (its AKI names the CA and
 * the CA's signature verifies). One that does not — or an `issuer` that names none — is 422
 * ISSUER_CERTIFICATE_UNKNOWN_ISSUER: the issuer cannot speak for another CA's certificates, and saying
 * `unknown` would blur "not ours" with "ours, but not on record". `unknown` is kept for a certificate of
 * our CA that the register does not hold in force (e.g. staged for a pending installation); like a failed
 * status fetch it is never "good" (DOMAIN.md §4). A register that cannot be read is 503
 * ISSUER_STATUS_UNAVAILABLE. Nothing of the certificate — no name, no serial — is repeated in the answer or
 * written to the log.
 */
import type { Context, Hono } from 'hono';
import { type Certificate, normaliseSerialNumber, parseCertificate } from '@mynakit/pki';
import { z } from 'zod';
import { requireClient } from '../clients/client-auth.js';
import type { IssuerDeps } from '../context.js';
import { issuingGenerationOf, type JpkiCaGeneration, jpkiCaIndexOf } from '../crl/jpki-scopes.js';
import { IssuerError } from '../errors.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validBody } from '../http/validate.js';
import { bytesFromBase64 } from '../installations/support.js';
import { type CertificateStatus, certificateStatusOf } from '../ocsp/certificate-status.js';

/** A certificate in base64 DER is at most this long (JPKI certificates are about 2 KB). */
const MAX_CERTIFICATE_BASE64 = 16 * 1024;

/** What POST /platform/certificate-status takes. */
export const CertificateStatusRequestSchema = z
  .union([
    z.object({ certificate: z.string().min(1).max(MAX_CERTIFICATE_BASE64) }).strict(),
    z
      .object({
        issuer: z
          .string()
          .regex(/^[a-z0-9-]{1,64}$/)
          .meta({ description: 'a JPKI CA generation, as GET /crl names it' }),
        serialNumber: z
          .string()
          .regex(/^[0-9A-Fa-f]{1,64}$/)
          .meta({ description: 'hex' }),
      })
      .strict(),
  ])
  .meta({ id: 'CertificateStatusRequest' });

const CertificateStatusSchema = z
  .object({
    status: z.enum(['good', 'revoked', 'unknown']),
    reason: z
      .string()
      .optional()
      .meta({ description: 'RFC 5280 §5.3.1 CRLReason name (certificateHold: suspended)' }),
    revokedAt: z.string().optional(),
    producedAt: z.string(),
    issuer: z.string().meta({ description: 'the issuing CA generation' }),
    source: z.literal('issuer-database'),
  })
  .meta({ id: 'CertificateStatus' });

type StatusRequest = { certificate: string } | { issuer: string; serialNumber: string };

/** Registers POST /platform/certificate-status. */
export function registerPlatformStatusRoutes(app: Hono, registry: OpenApiRegistry, deps: IssuerDeps): void {
  const problemOf = (description: string) => ({
    description,
    mediaType: 'application/problem+json',
    schema: ProblemSchema,
  });
  registry.add({
    method: 'post',
    path: '/platform/certificate-status',
    operationId: 'platformCertificateStatus',
    summary: 'The status of a certificate of the sandbox JPKI CAs, for platform operators',
    tags: ['revocation'],
    requestBody: { mediaType: 'application/json', schema: CertificateStatusRequestSchema },
    responses: {
      200: { description: 'the status', schema: CertificateStatusSchema },
      400: problemOf('not a certificate, or not base64'),
      401: problemOf('no or wrong client credentials'),
      403: problemOf('the client lacks the platform-status role'),
      422: problemOf('ISSUER_CERTIFICATE_UNKNOWN_ISSUER: not from a current JPKI CA of this issuer'),
      503: problemOf('ISSUER_STATUS_UNAVAILABLE: the register could not be read'),
    },
    security: ['rpClient'],
  });
  app.post(
    '/platform/certificate-status',
    requireClient(deps, 'platform-status'),
    validBody('json', CertificateStatusRequestSchema),
    async (c) => {
      const body = validated<StatusRequest>(c);
      const { generation, serial } = identify(deps, body);
      const producedAt = deps.clock();
      let s: CertificateStatus;
      try {
        s = await certificateStatusOf(deps, generation, serial);
      } catch {
        throw new IssuerError('ISSUER_STATUS_UNAVAILABLE', 'the certificate register could not be read');
      }
      return c.json({
        status: s.status,
        ...(s.status === 'revoked'
          ? { ...(s.reason === undefined ? {} : { reason: s.reason }), revokedAt: s.revokedAt.toISOString() }
          : {}),
        producedAt: producedAt.toISOString(),
        issuer: generation.name,
        source: 'issuer-database' as const,
      });
    },
  );
}

function validated<T>(c: Context): T {
  return (c.req.valid as (target: string) => unknown)('json') as T;
}

function identify(deps: IssuerDeps, body: StatusRequest): { generation: JpkiCaGeneration; serial: string } {
  const index = jpkiCaIndexOf(deps.hierarchy);
  if ('certificate' in body) {
    let certificate: Certificate;
    try {
      certificate = parseCertificate(bytesFromBase64(body.certificate, 'certificate'));
    } catch {
      throw new IssuerError('ISSUER_INVALID_INPUT', 'certificate must be a base64 DER X.509 certificate');
    }
    const generation = issuingGenerationOf(index, certificate);
    if (generation === undefined)
      throw new IssuerError(
        'ISSUER_CERTIFICATE_UNKNOWN_ISSUER',
        'the certificate is not from a current JPKI CA of this issuer',
      );
    return { generation, serial: certificate.serialNumber };
  }
  const generation = index.byName.get(body.issuer);
  if (generation === undefined)
    throw new IssuerError(
      'ISSUER_CERTIFICATE_UNKNOWN_ISSUER',
      'issuer names no current JPKI CA of this issuer',
    );
  return { generation, serial: normaliseSerialNumber(body.serialNumber) };
}
