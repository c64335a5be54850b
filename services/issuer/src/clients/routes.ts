/**
 * `/rp-clients` — the operator registers relying parties' clients (bearer token `config.adminToken`):
 * POST creates one and answers its secret once (it is kept only as SHA-256), GET lists them without
 * secrets. The clients then authenticate with HTTP Basic (client-auth.ts) on the endpoints of their roles.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { IssuerDeps } from '../context.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validBody } from '../http/validate.js';
import { requireAdminToken } from '../residents/admin-auth.js';
import { RP_CLIENT_ROLES, type RpClient, type RpClientRole } from '../store/rp-client-repository.js';

const RoleSchema = z.enum(RP_CLIENT_ROLES as [RpClientRole, ...RpClientRole[]]);

/** What POST /rp-clients takes. */
export const NewRpClientSchema = z
  .object({
    name: z.string().min(1).max(200).meta({ description: "the operator's label for the relying party" }),
    roles: z.array(RoleSchema).min(1).max(RP_CLIENT_ROLES.length),
  })
  .meta({ id: 'NewRpClient' });

const RpClientSchema = z
  .object({
    clientId: z.string(),
    name: z.string(),
    roles: z.array(RoleSchema),
    createdAt: z.string(),
    disabledAt: z.string().optional(),
  })
  .meta({ id: 'RpClient' });

const CreatedRpClientSchema = z
  .object({
    clientId: z.string(),
    clientSecret: z.string().meta({ description: 'shown once; send as HTTP Basic with the clientId' }),
    roles: z.array(RoleSchema),
  })
  .meta({ id: 'CreatedRpClient' });

const iso = (ms: number) => new Date(ms).toISOString();

function clientView(client: RpClient): z.infer<typeof RpClientSchema> {
  return {
    clientId: client.clientId,
    name: client.name,
    roles: client.roles,
    createdAt: iso(client.createdAt),
    ...(client.disabledAt === null ? {} : { disabledAt: iso(client.disabledAt) }),
  };
}

function validJson<T>(c: Context): T {
  return (c.req.valid as (target: string) => unknown)('json') as T;
}

const unauthorized = {
  401: {
    description: 'no or wrong operator token',
    mediaType: 'application/problem+json',
    schema: ProblemSchema,
  },
};

/** Registers POST and GET /rp-clients (operator only). */
export function registerRpClientRoutes(app: Hono, registry: OpenApiRegistry, deps: IssuerDeps): void {
  const admin = requireAdminToken(deps.config.adminToken);

  registry.add({
    method: 'post',
    path: '/rp-clients',
    operationId: 'createRpClient',
    summary: "Register a relying party's client; the secret is answered once",
    tags: ['rp-clients'],
    requestBody: { mediaType: 'application/json', schema: NewRpClientSchema },
    responses: {
      201: { description: 'created', schema: CreatedRpClientSchema },
      400: { description: 'invalid field', mediaType: 'application/problem+json', schema: ProblemSchema },
      ...unauthorized,
    },
    security: ['sandboxAdmin'],
  });
  app.post('/rp-clients', admin, validBody('json', NewRpClientSchema), async (c) => {
    const body = validJson<z.infer<typeof NewRpClientSchema>>(c);
    const created = await deps.store.rpClients.create(
      { name: body.name, roles: body.roles },
      deps.clock().getTime(),
    );
    c.header('Cache-Control', 'no-store');
    return c.json(
      { clientId: created.clientId, clientSecret: created.clientSecret, roles: created.roles },
      201,
    );
  });

  registry.add({
    method: 'get',
    path: '/rp-clients',
    operationId: 'listRpClients',
    summary: "The relying parties' clients, oldest first (no secrets)",
    tags: ['rp-clients'],
    responses: {
      200: { description: 'the clients', schema: z.object({ clients: z.array(RpClientSchema) }) },
      ...unauthorized,
    },
    security: ['sandboxAdmin'],
  });
  app.get('/rp-clients', admin, async (c) => {
    const clients = await deps.store.rpClients.list();
    return c.json({ clients: clients.map(clientView) });
  });
}
