/**
 * `/relying-parties` — the operator's routes (bearer operator token): create a relying party (its first API
 * key, role `rp`, is answered once and stored only as SHA-256), list, read, replace the configuration, and
 * issue further API keys (e.g. the `auditor` key that reads `/records`).
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { VerifierDeps } from '../context.js';
import { type VerifierEnv, requireOperator } from '../http/auth.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validated, validJson } from '../http/validate.js';
import { VerifierError } from '../errors.js';
import type { IssuedApiKey, RelyingParty } from '../store/relying-party-repository.js';
import { RelyingPartyConfigSchema } from './config.js';

const RelyingPartyViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    clientId: z.string(),
    config: RelyingPartyConfigSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'RelyingParty' });

const ApiKeySchema = z
  .object({
    credentialId: z.string(),
    role: z.enum(['rp', 'auditor']),
    apiKey: z.string().describe('shown once; the verifier keeps only its SHA-256'),
  })
  .meta({ id: 'ApiKey' });

const NewApiKeySchema = z
  .object({ role: z.enum(['rp', 'auditor']) })
  .strict()
  .meta({ id: 'NewApiKey' });

function view(rp: RelyingParty) {
  return {
    id: rp.id,
    name: rp.name,
    clientId: rp.clientId,
    config: rp.config,
    createdAt: new Date(rp.createdAt).toISOString(),
    updatedAt: new Date(rp.updatedAt).toISOString(),
  };
}

function keyView(key: IssuedApiKey) {
  return { credentialId: key.credentialId, role: key.role, apiKey: key.apiKey };
}

/** Registers the operator's relying-party routes. */
export function registerRelyingPartyRoutes(
  app: Hono<VerifierEnv>,
  registry: OpenApiRegistry,
  deps: VerifierDeps,
): void {
  const operator = requireOperator(deps.config.adminToken);
  const security = ['operatorToken'];
  const problems = {
    400: { description: 'Invalid body', mediaType: 'application/problem+json', schema: ProblemSchema },
    401: {
      description: 'No or wrong operator token',
      mediaType: 'application/problem+json',
      schema: ProblemSchema,
    },
  };
  const notFound = {
    404: {
      description: 'No such relying party',
      mediaType: 'application/problem+json',
      schema: ProblemSchema,
    },
  };

  registry.add({
    method: 'post',
    path: '/relying-parties',
    operationId: 'createRelyingParty',
    summary: 'Create a relying party; answers its first API key (role rp) once',
    tags: ['relying-parties'],
    requestBody: { mediaType: 'application/json', schema: RelyingPartyConfigSchema },
    responses: {
      201: {
        description: 'Created',
        schema: z.object({ relyingParty: RelyingPartyViewSchema, apiKey: ApiKeySchema }),
      },
      ...problems,
      409: {
        description: 'The client id is taken',
        mediaType: 'application/problem+json',
        schema: ProblemSchema,
      },
    },
    security,
  });
  app.post('/relying-parties', operator, validJson(RelyingPartyConfigSchema), async (c) => {
    const body = validated<z.output<typeof RelyingPartyConfigSchema>>(c);
    const { relyingParty, apiKey } = await deps.store.relyingParties.create(body, deps.clock().getTime());
    c.header('Location', `/relying-parties/${relyingParty.id}`);
    c.header('Cache-Control', 'no-store');
    return c.json({ relyingParty: view(relyingParty), apiKey: keyView(apiKey) }, 201);
  });

  registry.add({
    method: 'get',
    path: '/relying-parties',
    operationId: 'listRelyingParties',
    summary: 'List the relying parties',
    tags: ['relying-parties'],
    responses: {
      200: {
        description: 'The relying parties',
        schema: z.object({ relyingParties: z.array(RelyingPartyViewSchema) }),
      },
      ...problems,
    },
    security,
  });
  app.get('/relying-parties', operator, async (c) => {
    const all = await deps.store.relyingParties.list();
    return c.json({ relyingParties: all.map(view) });
  });

  registry.add({
    method: 'get',
    path: '/relying-parties/:id',
    operationId: 'getRelyingParty',
    summary: 'Read one relying party',
    tags: ['relying-parties'],
    responses: {
      200: { description: 'The relying party', schema: RelyingPartyViewSchema },
      ...problems,
      ...notFound,
    },
    security,
  });
  app.get('/relying-parties/:id', operator, async (c) => {
    const rp = await deps.store.relyingParties.get(c.req.param('id'));
    if (rp === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
    return c.json(view(rp));
  });

  registry.add({
    method: 'put',
    path: '/relying-parties/:id',
    operationId: 'updateRelyingParty',
    summary: "Replace a relying party's configuration",
    tags: ['relying-parties'],
    requestBody: { mediaType: 'application/json', schema: RelyingPartyConfigSchema },
    responses: { 200: { description: 'Updated', schema: RelyingPartyViewSchema }, ...problems, ...notFound },
    security,
  });
  app.put('/relying-parties/:id', operator, validJson(RelyingPartyConfigSchema), async (c) => {
    const body = validated<z.output<typeof RelyingPartyConfigSchema>>(c);
    const rp = await deps.store.relyingParties.updateConfig(c.req.param('id'), body, deps.clock().getTime());
    return c.json(view(rp));
  });

  registry.add({
    method: 'post',
    path: '/relying-parties/:id/api-keys',
    operationId: 'issueApiKey',
    summary: 'Issue another API key (rp or auditor); answered once',
    tags: ['relying-parties'],
    requestBody: { mediaType: 'application/json', schema: NewApiKeySchema },
    responses: { 201: { description: 'Issued', schema: ApiKeySchema }, ...problems, ...notFound },
    security,
  });
  app.post('/relying-parties/:id/api-keys', operator, validJson(NewApiKeySchema), async (c) => {
    const { role } = validated<z.output<typeof NewApiKeySchema>>(c);
    const key = await deps.store.relyingParties.issueKey(c.req.param('id'), role, deps.clock().getTime());
    c.header('Cache-Control', 'no-store');
    return c.json(keyView(key), 201);
  });
}
