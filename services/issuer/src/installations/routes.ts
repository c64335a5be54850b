/**
 * `/installations` — putting a resident's credentials on one phone (DOMAIN.md §1):
 *
 *   POST /installations/challenges                 a single-use challenge (nonce) for the card step / record offer
 *   POST /installations                            the card step: a signature (CMS) or user authentication by the
 *                                                  plastic card → a pending installation, its token, what it needs,
 *                                                  the key-attestation nonce and (iPhone, 15+) the record's offer
 *   POST /installations/{id}/jpki-certificates     (Bearer installationToken) CSRs + key attestations → the
 *                                                  smartphone JPKI certificates; completes Android / under-15
 *                                                  installations, stages an iPhone's until the record arrives
 *   POST /installations/{id}/record-offer          user authentication by the phone's JPKI key → a new offer of
 *                                                  the record for the active installation (Android)
 *
 * Responses carrying secrets (tokens, offers, tx_codes) are `Cache-Control: no-store`.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { IssuerDeps } from '../context.js';
import { ProblemSchema, type OpenApiRegistry } from '../http/openapi.js';
import { problem } from '../http/problem.js';
import { validBody } from '../http/validate.js';
import { bearerTokenOf } from '../residents/admin-auth.js';
import { type CardStepRequest, startInstallation } from './card-step.js';
import {
  type CertificateRequests,
  type DeviceCertificate,
  issueDeviceCertificates,
} from './certificate-requests.js';
import { issueChallenge } from './challenges.js';
import { DEVICE_INFO_NAME, MAX_DEVICE_INFO_MEMBERS } from './installation-request.js';
import type { RecordOffer } from './offer.js';
import { offerRecordToInstallation, type RecordOfferRequest } from './record-offer.js';
import { base64Of, randomOf, validJson } from './support.js';

const problemResponse = (description: string) => ({
  description,
  mediaType: 'application/problem+json',
  schema: ProblemSchema,
});

const ChallengeSchema = z
  .object({
    challengeId: z.string().meta({
      description: 'the nonce of a signed installation request; the challengeId of a user authentication',
    }),
    challenge: z.string().meta({
      description:
        'base64url of the 32 bytes a user-authentication key signs (DigestInfo(SHA-256, challenge))',
    }),
    expiresAt: z.string(),
  })
  .meta({ id: 'InstallationChallenge' });

const DeviceInfoSchema = z
  .record(z.string().regex(DEVICE_INFO_NAME), z.string().max(256))
  .refine((o) => Object.keys(o).length <= MAX_DEVICE_INFO_MEMBERS, {
    message: `at most ${MAX_DEVICE_INFO_MEMBERS} members`,
  })
  .meta({ description: 'model, OS, app version… — no personal data; string values' });

/** The card step's body. */
export const CardStepSchema = z
  .object({
    family: z.enum(['iphone', 'android']),
    nonce: z
      .string()
      .max(64)
      .optional()
      .meta({ description: 'the challengeId the card signed (required with a signature proof)' }),
    deviceInfo: DeviceInfoSchema.optional(),
    proof: z.discriminatedUnion('type', [
      z.object({
        type: z.literal('signature'),
        cms: z.string().min(1).max(32768).meta({
          description:
            'base64 DER CMS SignedData by the card’s signature key over the canonical JSON {deviceInfo, family, nonce} (RFC 8785), attached or detached',
        }),
      }),
      z.object({
        type: z.literal('user-authentication'),
        challengeId: z.string().max(64),
        signature: z
          .string()
          .min(1)
          .max(2048)
          .meta({ description: 'base64 RSA PKCS #1 v1.5 over DigestInfo(SHA-256, challenge)' }),
        certificate: z
          .string()
          .min(1)
          .max(16384)
          .meta({ description: 'base64 DER of the card’s user-authentication certificate' }),
      }),
    ]),
  })
  .meta({ id: 'CardStep' });

const CredentialOfferSchema = z.record(z.string(), z.unknown()).meta({ id: 'CredentialOffer' });

const StartedSchema = z
  .object({
    installationId: z.string(),
    installationToken: z
      .string()
      .meta({ description: 'Bearer token for POST /installations/{id}/jpki-certificates' }),
    family: z.enum(['iphone', 'android']),
    needs: z.array(z.enum(['mdoc', 'jpki-sign', 'jpki-auth'])),
    keyAttestationNonce: z.string().meta({ description: 'the nonce the CSRs’ key attestations carry' }),
    expiresAt: z.string(),
    credentialOffer: CredentialOfferSchema.optional(),
    credentialOfferUri: z.string().optional(),
    txCode: z.string().optional().meta({
      description:
        'the offer’s Transaction Code; in reality shown by the card-reading app, returned here by the sandbox',
    }),
    offerExpiresAt: z.string().optional(),
  })
  .meta({ id: 'StartedInstallation' });

/** The CSR step's body. */
export const CertificateRequestsSchema = z
  .object({
    signCsr: z
      .string()
      .min(1)
      .max(16384)
      .optional()
      .meta({ description: 'base64 DER PKCS #10, RSA-2048 (15+ only)' }),
    signKeyAttestation: z.string().min(1).max(16384).optional(),
    authCsr: z.string().min(1).max(16384).meta({ description: 'base64 DER PKCS #10, RSA-2048' }),
    authKeyAttestation: z
      .string()
      .min(1)
      .max(16384)
      .meta({ description: 'key attestation JWT (OpenID4VCI Appendix D.1)' }),
  })
  .meta({ id: 'CertificateRequests' });

const DeviceCertificateSchema = z.object({
  certificate: z.string().meta({ description: 'base64 DER' }),
  issuer: z.string().meta({ description: 'base64 DER of the issuing sandbox JPKI CA' }),
  serialNumber: z.string(),
  notAfter: z.string(),
});

const IssuedCertificatesSchema = z
  .object({
    installationId: z.string(),
    state: z.enum(['pending', 'active']),
    certificates: z.object({
      userAuthentication: DeviceCertificateSchema,
      signature: DeviceCertificateSchema.optional(),
    }),
    waitingFor: z.array(z.string()),
    supersededInstallationId: z.string().optional(),
  })
  .meta({ id: 'IssuedDeviceCertificates' });

/** The record offer's body. */
export const RecordOfferRequestSchema = z
  .object({
    challengeId: z.string().max(64),
    signature: z.string().min(1).max(2048),
    certificate: z
      .string()
      .min(1)
      .max(16384)
      .meta({ description: 'base64 DER of the smartphone user-authentication certificate' }),
  })
  .meta({ id: 'RecordOfferRequest' });

const RecordOfferSchema = z
  .object({
    credentialOffer: CredentialOfferSchema,
    credentialOfferUri: z.string(),
    txCode: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'RecordOffer' });

function offerView(offer: RecordOffer) {
  return {
    credentialOffer: offer.credentialOffer,
    credentialOfferUri: offer.credentialOfferUri,
    txCode: offer.txCode,
  };
}

function certificateView(c: DeviceCertificate) {
  return {
    certificate: base64Of(c.der),
    issuer: base64Of(c.issuer),
    serialNumber: c.serialNumber,
    notAfter: c.notAfter.toISOString(),
  };
}

const INSTALLATION_ID = /^[A-Za-z0-9-]{1,64}$/;

/** 401 with `WWW-Authenticate` (RFC 6750 §3) unless the request's bearer token is installation `id`'s. */
async function installationTokenProblem(
  c: Context,
  deps: IssuerDeps,
  id: string,
): Promise<Response | undefined> {
  const token = bearerTokenOf(c.req.header('authorization'));
  const owner =
    token === undefined ? undefined : await deps.store.installationTokens.find(token, deps.clock().getTime());
  if (owner !== undefined && owner === id) return undefined;
  c.header('WWW-Authenticate', `Bearer realm="mynakit issuer", error="invalid_token"`);
  return problem(
    c,
    401,
    'ISSUER_INSTALLATION_TOKEN_INVALID',
    'Invalid installation token',
    'send the installationToken of the card step as Authorization: Bearer',
  );
}

/** Registers /installations: the card step, the JPKI certificates, and the record added later. */
export function registerInstallationRoutes(app: Hono, registry: OpenApiRegistry, deps: IssuerDeps): void {
  registry.add({
    method: 'post',
    path: '/installations/challenges',
    operationId: 'createInstallationChallenge',
    summary: 'A single-use challenge (5 minutes) for the card step or a record offer',
    tags: ['installations'],
    responses: { 201: { description: 'a fresh challenge', schema: ChallengeSchema } },
  });
  app.post('/installations/challenges', async (c) => {
    const ch = await issueChallenge(deps.store, randomOf(deps), deps.clock());
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        challengeId: ch.challengeId,
        challenge: Buffer.from(ch.challenge).toString('base64url'),
        expiresAt: ch.expiresAt.toISOString(),
      },
      201,
    );
  });

  registry.add({
    method: 'post',
    path: '/installations',
    operationId: 'startInstallation',
    summary: 'The card step: prove with the My Number Card, start a pending installation',
    tags: ['installations'],
    requestBody: { mediaType: 'application/json', schema: CardStepSchema },
    responses: {
      201: { description: 'a pending installation', schema: StartedSchema },
      400: problemResponse('invalid body, signature or challenge'),
      403: problemResponse('the card is not trusted, unknown, revoked or expired'),
      409: problemResponse('the challenge was used before'),
    },
  });
  app.post('/installations', validBody('json', CardStepSchema), async (c) => {
    const started = await startInstallation(deps, validJson<CardStepRequest>(c));
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        installationId: started.installationId,
        installationToken: started.installationToken,
        family: started.family,
        needs: started.needs,
        keyAttestationNonce: started.keyAttestationNonce,
        expiresAt: started.expiresAt.toISOString(),
        ...(started.recordOffer === undefined
          ? {}
          : {
              ...offerView(started.recordOffer),
              offerExpiresAt: started.recordOffer.expiresAt.toISOString(),
            }),
      },
      201,
    );
  });

  registry.add({
    method: 'post',
    path: '/installations/:id/jpki-certificates',
    operationId: 'issueDeviceCertificates',
    summary:
      'The smartphone JPKI certificates from attested CSRs; completes (Android, under 15) or stages (iPhone)',
    tags: ['installations'],
    requestBody: { mediaType: 'application/json', schema: CertificateRequestsSchema },
    responses: {
      200: { description: 'the certificates', schema: IssuedCertificatesSchema },
      400: problemResponse('invalid CSR or key attestation'),
      401: problemResponse('no or wrong installation token'),
      409: problemResponse('the installation is not pending, or another installation completed first'),
    },
    security: ['installationToken'],
  });
  app.post(
    '/installations/:id/jpki-certificates',
    validBody('json', CertificateRequestsSchema),
    async (c) => {
      const id = c.req.param('id');
      const refused = await installationTokenProblem(c, deps, INSTALLATION_ID.test(id) ? id : '');
      if (refused) return refused;
      const issued = await issueDeviceCertificates(deps, id, validJson<CertificateRequests>(c));
      return c.json({
        installationId: issued.installationId,
        state: issued.state,
        certificates: {
          userAuthentication: certificateView(issued.userAuthentication),
          ...(issued.signature === undefined ? {} : { signature: certificateView(issued.signature) }),
        },
        waitingFor: issued.waitingFor,
        ...(issued.supersededInstallationId === undefined
          ? {}
          : { supersededInstallationId: issued.supersededInstallationId }),
      });
    },
  );

  registry.add({
    method: 'post',
    path: '/installations/:id/record-offer',
    operationId: 'offerRecord',
    summary:
      'A new offer of the record for the active installation, on a user authentication by the phone’s JPKI key',
    tags: ['installations'],
    requestBody: { mediaType: 'application/json', schema: RecordOfferRequestSchema },
    responses: {
      201: { description: 'the offer', schema: RecordOfferSchema },
      400: problemResponse('invalid signature or challenge'),
      403: problemResponse('not a certificate of this installation, revoked, or no record for this holder'),
      409: problemResponse('the installation is not active or holds a record'),
    },
  });
  app.post('/installations/:id/record-offer', validBody('json', RecordOfferRequestSchema), async (c) => {
    const id = c.req.param('id');
    const offer = await offerRecordToInstallation(
      deps,
      INSTALLATION_ID.test(id) ? id : '',
      validJson<RecordOfferRequest>(c),
    );
    c.header('Cache-Control', 'no-store');
    return c.json({ ...offerView(offer), expiresAt: offer.expiresAt.toISOString() }, 201);
  });
}
