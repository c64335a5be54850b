/**
 * The JPKI channels of a relying party's sessions (API key with the `rp` role, as `/sessions`), DOMAIN.md §3:
 *
 *   POST /sessions/jpki-authentication       open: a 32-byte challenge for the phone's user-authentication key
 *   POST /sessions/{id}/jpki-authentication  answer once: {certificate, signature} → verification + record
 *   POST /sessions/jpki-signature            open: the document the holder signs (KYC カ / 新ヌ / ト)
 *   POST /sessions/{id}/jpki-signature       answer once: {cms} (CMS SignedData) → verification + record
 *   GET  /sessions/{id}/jpki                 the state of a JPKI session (open, verifying, done)
 *
 * With a reader key naming the verifier's host, both openings also answer a `walletUrl` (`mynakit-jpki://`)
 * the phone answers by itself, without the relying party's page (jpki/jpki-request-link.ts, jpki-link-routes.ts).
 *
 * Bodies are bounded by the app's limit (createVerifierApp's limitBody, 64 KiB by default: the largest
 * answer, a SignedData with a 16 KiB document attached, is ≈ 56 KiB in base64) and each field by its schema,
 * and zod-validated (a mismatch names paths, never values); failures are RFC 9457
 * problems with stable codes; the verification answers are jpki/verify-jpki-answer.ts's.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import { requireApiKey, type VerifierEnv } from '../http/auth.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validated, validJson } from '../http/validate.js';
import {
  createJpkiAuthenticationSession,
  createJpkiSignatureSession,
  MAX_SIGNED_DOCUMENT_BYTES,
} from '../jpki/create-jpki-session.js';
import { jpkiLinkOf } from '../jpki/jpki-request-link.js';
import { JpkiSessionRepository } from '../jpki/jpki-session-repository.js';
import { verifyJpkiAnswer } from '../jpki/verify-jpki-answer.js';
import { OccupationSchema, TransactionPurposeSchema } from './customer-declaration.js';

/** Largest DER certificate in an answer, bytes. */
const MAX_CERTIFICATE_BYTES = 16 * 1024;
/** Largest RSA signature, bytes (RSA-4096; JPKI uses RSA-2048). */
const MAX_SIGNATURE_BYTES = 512;
/** Largest CMS SignedData, bytes: the document attached, the signer and its CA certificates. */
const MAX_CMS_BYTES = MAX_SIGNED_DOCUMENT_BYTES + 24 * 1024;

const b64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;
/** Base64 (standard or URL-safe alphabet) of at most `bytes` bytes. */
const base64Of = (bytes: number) =>
  z
    .string()
    .min(1)
    .max(b64Length(bytes))
    .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'base64');

const Purpose = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case words joined by hyphens, e.g. account-opening');

const NewJpkiAuthenticationSchema = z
  .object({
    purpose: Purpose.default('user-authentication'),
    transactionPurpose: TransactionPurposeSchema.optional(),
    occupation: OccupationSchema.optional(),
  })
  .strict()
  .meta({ id: 'NewJpkiAuthenticationSession' });

const NewJpkiSignatureSchema = z
  .object({
    purpose: Purpose,
    /** The document as text, signed as its UTF-8 bytes. */
    text: z.string().min(1).max(MAX_SIGNED_DOCUMENT_BYTES).optional(),
    /** Or the document's bytes, base64. */
    content: base64Of(MAX_SIGNED_DOCUMENT_BYTES).optional(),
    /** What the customer declared: required under 犯収法 (sessions/customer-declaration.ts). */
    transactionPurpose: TransactionPurposeSchema.optional(),
    occupation: OccupationSchema.optional(),
  })
  .strict()
  .refine((b) => (b.text === undefined) !== (b.content === undefined), {
    message: 'give exactly one of text and content',
    path: ['text'],
  })
  .meta({
    id: 'NewJpkiSignatureSession',
    description: `The document to sign: text (signed as UTF-8) or content (base64 bytes), at most ${MAX_SIGNED_DOCUMENT_BYTES} bytes`,
  });

/** With a reader key: the link for the phone (jpki/jpki-request-link.ts). */
const LinkFields = {
  requestUri: z.string().optional(),
  walletUrl: z
    .string()
    .optional()
    .meta({ description: 'mynakit-jpki://?client_id=…&request_uri=… for a QR code' }),
};

const CreatedJpkiAuthenticationSchema = z
  .object({ sessionId: z.string(), challenge: z.string(), expiresAt: z.string(), ...LinkFields })
  .meta({ id: 'CreatedJpkiAuthenticationSession' });

const CreatedJpkiSignatureSchema = z
  .object({
    sessionId: z.string(),
    content: z.string(),
    contentSha256: z.string(),
    expiresAt: z.string(),
    ...LinkFields,
  })
  .meta({ id: 'CreatedJpkiSignatureSession' });

const JpkiAuthenticationAnswerSchema = z
  .object({ certificate: base64Of(MAX_CERTIFICATE_BYTES), signature: base64Of(MAX_SIGNATURE_BYTES) })
  .strict()
  .meta({
    id: 'JpkiAuthenticationAnswer',
    description: 'The user-authentication certificate (DER) and the signature over the challenge, base64',
  });

const JpkiSignatureAnswerSchema = z
  .object({ cms: base64Of(MAX_CMS_BYTES) })
  .strict()
  .meta({ id: 'JpkiSignatureAnswer', description: 'CMS SignedData (DER, base64), attached or detached' });

export const JpkiVerificationSchema = z
  .object({
    verdict: z.enum(['valid', 'invalid', 'undetermined']),
    checks: z.array(z.object({ id: z.string(), status: z.string(), detail: z.string() })),
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
    certificate: z
      .object({
        serialNumber: z.string(),
        issuer: z.string(),
        subjectCommonName: z.string().nullable(),
        fingerprint256: z.string(),
        notAfter: z.string(),
      })
      .optional(),
    identity: z
      .object({
        name: z.string(),
        address: z.string(),
        birthDate: z.string(),
        sex: z.enum(['male', 'female', 'unknown']),
      })
      .optional(),
    signingTime: z.string().optional(),
    recordId: z.string(),
    flags: z.array(z.string()),
    errorCode: z.string().optional(),
  })
  .meta({ id: 'JpkiVerification' });

const JpkiSessionStateSchema = z
  .object({
    sessionId: z.string(),
    kind: z.enum(['authentication', 'signature']),
    state: z.enum(['open', 'verifying', 'done']),
    purpose: z.string(),
    expiresAt: z.string(),
    verdict: z.string().nullable(),
    recordId: z.string().nullable(),
  })
  .meta({ id: 'JpkiSessionState' });

const SESSION_ID = /^[A-Za-z0-9-]{1,64}$/;

const bytesOf = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

/** Registers the JPKI session routes (see the file comment). */
export function registerJpkiSessionRoutes(
  app: Hono<VerifierEnv>,
  registry: OpenApiRegistry,
  deps: VerifierDeps,
): void {
  const rp = requireApiKey(deps.store, 'rp');
  const security = ['apiKey'];
  const problem = (description: string) => ({
    description,
    mediaType: 'application/problem+json',
    schema: ProblemSchema,
  });
  const common = {
    400: problem('Invalid body (VERIFIER_INVALID_BODY)'),
    401: problem('No or unknown API key'),
    403: problem('Not an rp key'),
    413: problem('Body too large (VERIFIER_BODY_TOO_LARGE)'),
  };
  const answerProblems = {
    ...common,
    404: problem('No such session of this channel (VERIFIER_NOT_FOUND)'),
    409: problem('The session was already answered (VERIFIER_SESSION_USED)'),
    410: problem('The session has expired (VERIFIER_SESSION_EXPIRED)'),
    503: problem('Revocation status unavailable and the policy says retry (VERIFIER_REVOCATION_UNAVAILABLE)'),
  };
  const answered = async (c: Context<VerifierEnv>, run: () => ReturnType<typeof verifyJpkiAnswer>) => {
    try {
      const result = await run();
      c.header('Cache-Control', 'no-store');
      return c.json(result);
    } catch (e) {
      if (e instanceof VerifierError && e.code === 'VERIFIER_REVOCATION_UNAVAILABLE')
        c.header('Retry-After', '30');
      throw e;
    }
  };
  const sessionIdOf = (id: string) => {
    if (!SESSION_ID.test(id)) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
    return id;
  };

  registry.add({
    method: 'post',
    path: '/sessions/jpki-authentication',
    operationId: 'createJpkiAuthenticationSession',
    summary: 'Open a JPKI user-authentication session: a 32-byte challenge for the phone’s auth key',
    tags: ['sessions'],
    requestBody: { mediaType: 'application/json', schema: NewJpkiAuthenticationSchema },
    responses: {
      201: { description: 'The challenge', schema: CreatedJpkiAuthenticationSchema },
      ...common,
      422: problem('A declaration’s detail written like a My Number (VERIFIER_RECORD_FORBIDDEN_CONTENT)'),
    },
    security,
  });
  app.post('/sessions/jpki-authentication', rp, validJson(NewJpkiAuthenticationSchema), async (c) => {
    const body = validated<z.output<typeof NewJpkiAuthenticationSchema>>(c);
    const created = await createJpkiAuthenticationSession(deps, c.get('caller'), body);
    const link = await jpkiLinkOf(deps, c.get('caller').relyingPartyId, created.sessionId);
    c.header('Cache-Control', 'no-store');
    return c.json({ ...created, ...link }, 201);
  });

  registry.add({
    method: 'post',
    path: '/sessions/:id/jpki-authentication',
    operationId: 'submitJpkiAuthentication',
    summary: 'Answer a user-authentication session once: signature, chain, profile, status and record',
    tags: ['sessions'],
    requestBody: { mediaType: 'application/json', schema: JpkiAuthenticationAnswerSchema },
    responses: {
      200: { description: 'The verification (valid or not) and its record', schema: JpkiVerificationSchema },
      ...answerProblems,
    },
    security,
  });
  app.post('/sessions/:id/jpki-authentication', rp, validJson(JpkiAuthenticationAnswerSchema), async (c) => {
    const id = sessionIdOf(c.req.param('id'));
    const body = validated<z.output<typeof JpkiAuthenticationAnswerSchema>>(c);
    return answered(c, () =>
      verifyJpkiAnswer(deps, c.get('caller'), id, {
        kind: 'authentication',
        answer: { certificate: bytesOf(body.certificate), signature: bytesOf(body.signature) },
      }),
    );
  });

  registry.add({
    method: 'post',
    path: '/sessions/jpki-signature',
    operationId: 'createJpkiSignatureSession',
    summary: 'Open a JPKI signature session over a document (KYC カ / 新ヌ under 犯収法, ト under 携帯法)',
    tags: ['sessions'],
    requestBody: { mediaType: 'application/json', schema: NewJpkiSignatureSchema },
    responses: {
      201: { description: 'What to sign', schema: CreatedJpkiSignatureSchema },
      ...common,
      400: problem(
        'Invalid body (VERIFIER_INVALID_BODY), or under 犯収法 no purpose of the transaction or occupation (VERIFIER_TRANSACTION_PURPOSE_REQUIRED, VERIFIER_OCCUPATION_REQUIRED)',
      ),
      422: problem('A declaration’s detail written like a My Number (VERIFIER_RECORD_FORBIDDEN_CONTENT)'),
    },
    security,
  });
  app.post('/sessions/jpki-signature', rp, validJson(NewJpkiSignatureSchema), async (c) => {
    const body = validated<z.output<typeof NewJpkiSignatureSchema>>(c);
    const document =
      body.text !== undefined ? new TextEncoder().encode(body.text) : bytesOf(body.content as string);
    const created = await createJpkiSignatureSession(deps, c.get('caller'), {
      purpose: body.purpose,
      document,
      transactionPurpose: body.transactionPurpose,
      occupation: body.occupation,
    });
    const link = await jpkiLinkOf(deps, c.get('caller').relyingPartyId, created.sessionId);
    c.header('Cache-Control', 'no-store');
    return c.json({ ...created, ...link }, 201);
  });

  registry.add({
    method: 'post',
    path: '/sessions/:id/jpki-signature',
    operationId: 'submitJpkiSignature',
    summary:
      'Answer a signature session once: CMS over exactly the document, chain, profile, status, KYC method, record',
    tags: ['sessions'],
    requestBody: { mediaType: 'application/json', schema: JpkiSignatureAnswerSchema },
    responses: {
      200: { description: 'The verification (valid or not) and its record', schema: JpkiVerificationSchema },
      ...answerProblems,
    },
    security,
  });
  app.post('/sessions/:id/jpki-signature', rp, validJson(JpkiSignatureAnswerSchema), async (c) => {
    const id = sessionIdOf(c.req.param('id'));
    const body = validated<z.output<typeof JpkiSignatureAnswerSchema>>(c);
    return answered(c, () =>
      verifyJpkiAnswer(deps, c.get('caller'), id, {
        kind: 'signature',
        answer: { cms: bytesOf(body.cms) },
      }),
    );
  });

  registry.add({
    method: 'get',
    path: '/sessions/:id/jpki',
    operationId: 'getJpkiSession',
    summary: 'The state of one JPKI session',
    tags: ['sessions'],
    responses: {
      200: { description: 'The session', schema: JpkiSessionStateSchema },
      401: common[401],
      403: common[403],
      404: problem('No such JPKI session (VERIFIER_NOT_FOUND)'),
    },
    security,
  });
  app.get('/sessions/:id/jpki', rp, async (c) => {
    const id = sessionIdOf(c.req.param('id'));
    const s = await new JpkiSessionRepository(deps.store.db).get(id, c.get('caller').relyingPartyId);
    if (s === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such session');
    c.header('Cache-Control', 'no-store');
    return c.json({
      sessionId: s.id,
      kind: s.kind,
      state: s.state,
      purpose: s.purpose,
      expiresAt: new Date(s.expiresAt).toISOString(),
      verdict: s.verdict,
      recordId: s.recordId,
    });
  });
}
