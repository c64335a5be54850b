/**
 * `/relying-parties/{id}/reader-key` — the operator's routes for a relying party's reader-authentication
 * key (relying-parties/reader-key.ts; ISO/IEC 18013-5 §9.1.4): make a new key (its public key and a PKCS #10
 * request out), install the certificate chain a reader CA issued for it (in), and read what is installed.
 * The private key never leaves the verifier and is never answered.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { VerifierDeps } from '../context.js';
import { requireOperator, type VerifierEnv } from '../http/auth.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validated, validJson } from '../http/validate.js';
import { MAX_READER_CHAIN } from '../store/reader-key-repository.js';
import { createReaderKey, installReaderCertificate, readerKeyView } from './reader-key.js';

const ReaderKeyRequestSchema = z
  .object({
    keyId: z.string(),
    publicKey: z.string().describe('SubjectPublicKeyInfo DER, base64'),
    csr: z.string().describe('PKCS #10 certification request signed by the new key, DER base64'),
    dnsName: z
      .string()
      .optional()
      .describe('the dNSName the certificate must carry (x509_san_dns client id)'),
  })
  .meta({ id: 'ReaderKeyRequest' });

const ReaderKeyViewSchema = z
  .object({
    active: z
      .object({
        keyId: z.string(),
        subject: z.string(),
        notAfter: z.string(),
        myNumberLegalBasisDeclared: z.boolean(),
        certificateChain: z.array(z.string()),
      })
      .optional(),
    pending: z.object({ keyId: z.string(), publicKey: z.string() }).optional(),
  })
  .meta({ id: 'ReaderKey' });

const ReaderCertificateSchema = z
  .object({
    certificateChain: z
      .array(
        z
          .string()
          .max(22_000)
          .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
      )
      .min(1)
      .max(MAX_READER_CHAIN),
  })
  .strict()
  .meta({ id: 'ReaderCertificate', description: 'DER certificates in base64, the reader certificate first' });

/** Registers the operator's reader-key routes. */
export function registerReaderKeyRoutes(
  app: Hono<VerifierEnv>,
  registry: OpenApiRegistry,
  deps: VerifierDeps,
): void {
  const operator = requireOperator(deps.config.adminToken);
  const security = ['operatorToken'];
  const problem = (description: string) => ({
    description,
    mediaType: 'application/problem+json',
    schema: ProblemSchema,
  });
  const common = { 401: problem('No or wrong operator token'), 404: problem('No such relying party') };

  registry.add({
    method: 'post',
    path: '/relying-parties/:id/reader-key',
    operationId: 'createReaderKey',
    summary: 'Make a new reader-authentication key; answers its public key and a CSR for the reader CA',
    tags: ['relying-parties'],
    responses: {
      201: { description: 'The pending key', schema: ReaderKeyRequestSchema },
      ...common,
      500: problem('No reader key-encryption key is configured (VERIFIER_READER_KEY_UNAVAILABLE)'),
    },
    security,
  });
  app.post('/relying-parties/:id/reader-key', operator, async (c) => {
    const created = await createReaderKey(deps, c.req.param('id'));
    c.header('Cache-Control', 'no-store');
    return c.json(created, 201);
  });

  registry.add({
    method: 'put',
    path: '/relying-parties/:id/reader-key/certificate',
    operationId: 'installReaderCertificate',
    summary: 'Install the certificate chain the reader CA issued for the pending key; it then signs requests',
    tags: ['relying-parties'],
    requestBody: { mediaType: 'application/json', schema: ReaderCertificateSchema },
    responses: {
      200: { description: 'The installed key', schema: ReaderKeyViewSchema },
      400: problem('Invalid body'),
      ...common,
      422: problem('The chain does not fit the pending key (VERIFIER_READER_CERTIFICATE_INVALID)'),
    },
    security,
  });
  app.put(
    '/relying-parties/:id/reader-key/certificate',
    operator,
    validJson(ReaderCertificateSchema),
    async (c) => {
      const body = validated<z.output<typeof ReaderCertificateSchema>>(c);
      const chain = body.certificateChain.map((b) => new Uint8Array(Buffer.from(b, 'base64')));
      return c.json(await installReaderCertificate(deps, c.req.param('id'), chain));
    },
  );

  registry.add({
    method: 'get',
    path: '/relying-parties/:id/reader-key',
    operationId: 'getReaderKey',
    summary: "The relying party's active and pending reader keys (public parts only)",
    tags: ['relying-parties'],
    responses: { 200: { description: 'The reader keys', schema: ReaderKeyViewSchema }, ...common },
    security,
  });
  app.get('/relying-parties/:id/reader-key', operator, async (c) =>
    c.json(await readerKeyView(deps, c.req.param('id'))),
  );
}
