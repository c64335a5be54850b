/**
 * `/life-events` — the operator records a resident's life event (a move, a death, a lost phone …); the
 * issuer does what life-event-rules.ts says in one durable transaction (LifeEventRepository.record) and
 * then tells this process's publishers and phone streams (deps.hub). Bearer token `config.adminToken`.
 *
 * The body may carry new register facts (a new name or address): they go into the resident row only —
 * never into the stored event, the answer, an error, or the log line.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { IssuerDeps } from '../context.js';
import { IssuerError } from '../errors.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validBody } from '../http/validate.js';
import { requireAdminToken } from '../residents/admin-auth.js';
import type { LifeEvent, LifeEventCredential } from '../store/life-event-repository.js';
import { LEGAL_BASES, LIFE_EVENT_NAMES, LIFE_EVENT_RULES_AS_OF, lifeEventRule } from './life-event-rules.js';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What POST /life-events takes. */
export const NewLifeEventSchema = z
  .object({
    residentId: z.string().regex(ID),
    // Checked against the table by own-entry lookup (400 ISSUER_INVALID_INPUT), not by the schema.
    event: z
      .string()
      .max(64)
      .meta({ description: `one of ${LIFE_EVENT_NAMES.join(', ')}` }),
    occurredAt: z.iso.datetime({ offset: true }).optional().meta({ description: 'default: now' }),
    changes: z
      .object({
        fullName: z.string().min(1).max(400),
        fullNameKana: z.string().min(1).max(400).nullable(),
        address: z.string().min(1).max(400),
        municipalityCode: z.string().regex(/^\d{5,6}$/),
        municipalityName: z.string().min(1).max(64),
        sex: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(9)]),
        birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      })
      .partial()
      .strict()
      .optional()
      .meta({ description: 'the new register facts of a basic-four event (nameChanged: fullName …)' }),
  })
  .strict()
  .meta({ id: 'NewLifeEvent' });

const LegalBasisSchema = z
  .object({ code: z.string(), ja: z.string(), en: z.string() })
  .meta({ id: 'LegalBasis' });

const CredentialChangeSchema = z.object({
  id: z.string(),
  kind: z.enum(['mdoc', 'jpki-sign', 'jpki-auth']),
  reason: z.string().meta({ description: 'RFC 5280 CRLReason name' }),
});

const LifeEventSchema = z
  .object({
    id: z.string(),
    residentId: z.string(),
    event: z.string(),
    legalBasis: LegalBasisSchema,
    revoked: z.array(CredentialChangeSchema),
    reinstated: z.array(CredentialChangeSchema),
    endedCardId: z.string().optional(),
    failedInstallationIds: z.array(z.string()),
    changedFields: z.array(z.string()).meta({ description: 'names of the register fields changed' }),
    occurredAt: z.string(),
    recordedAt: z.string(),
  })
  .meta({ id: 'LifeEvent' });

const LifeEventPageSchema = z
  .object({ lifeEvents: z.array(LifeEventSchema), next: z.string().optional() })
  .meta({ id: 'LifeEventPage' });

const LifeEventRulesSchema = z
  .object({
    asOf: z.string().meta({ description: 'when the table was last checked (YYYY-MM-DD)' }),
    rules: z.array(
      z.object({
        event: z.string(),
        since: z.string(),
        legalBasis: LegalBasisSchema,
        action: z.enum(['revoke', 'reinstate']),
        revokes: z
          .record(z.enum(['mdoc', 'jpki-sign', 'jpki-auth']), z.string().nullable())
          .meta({ description: 'per credential kind: the CRLReason it is revoked with, or null' }),
        endsCard: z.boolean(),
        changes: z
          .array(z.string())
          .meta({ description: 'register facts the event changes (body `changes`)' }),
      }),
    ),
  })
  .meta({ id: 'LifeEventRules' });

const iso = (ms: number) => new Date(ms).toISOString();

function credentialView(c: LifeEventCredential) {
  return { id: c.id, kind: c.kind, reason: c.reason };
}

function lifeEventView(e: LifeEvent): z.infer<typeof LifeEventSchema> {
  return {
    id: e.id,
    residentId: e.residentId,
    event: e.event,
    legalBasis: LEGAL_BASES.get(e.legalBasis) ?? { code: e.legalBasis, ja: '', en: '' },
    revoked: e.revoked.map(credentialView),
    reinstated: e.reinstated.map(credentialView),
    ...(e.endedCardId === null ? {} : { endedCardId: e.endedCardId }),
    failedInstallationIds: e.failedInstallationIds,
    changedFields: e.changedFields,
    occurredAt: iso(e.occurredAt),
    recordedAt: iso(e.recordedAt),
  };
}

/** The body a validBody middleware accepted. */
function validJson<T>(c: Context): T {
  return (c.req.valid as (target: string) => unknown)('json') as T;
}

const problems = {
  400: { description: 'invalid input', mediaType: 'application/problem+json', schema: ProblemSchema },
  401: {
    description: 'no or wrong operator token',
    mediaType: 'application/problem+json',
    schema: ProblemSchema,
  },
  404: {
    description: 'no such resident / event',
    mediaType: 'application/problem+json',
    schema: ProblemSchema,
  },
};

/** Registers /life-events (operator token). */
export function registerLifeEventRoutes(app: Hono, registry: OpenApiRegistry, deps: IssuerDeps): void {
  const admin = requireAdminToken(deps.config.adminToken);

  registry.add({
    method: 'post',
    path: '/life-events',
    operationId: 'recordLifeEvent',
    summary: "Record a resident's life event and revoke (or hold, or restore) what its rule names",
    tags: ['life-events'],
    requestBody: { mediaType: 'application/json', schema: NewLifeEventSchema },
    responses: { 201: { description: 'recorded', schema: LifeEventSchema }, ...problems },
    security: ['sandboxAdmin'],
  });
  app.post('/life-events', admin, validBody('json', NewLifeEventSchema), async (c) => {
    const body = validJson<z.infer<typeof NewLifeEventSchema>>(c);
    const now = deps.clock().getTime();
    const recorded = await deps.store.lifeEvents.record(
      {
        residentId: body.residentId,
        event: body.event,
        ...(body.occurredAt === undefined ? {} : { occurredAt: Date.parse(body.occurredAt) }),
        ...(body.changes === undefined ? {} : { changes: body.changes }),
      },
      now,
    );
    // Committed: the publishers re-sign, the old phones hear of it.
    if (recorded.change.installationIds.length > 0) deps.hub?.emit(recorded.change);
    return c.json(lifeEventView(recorded.lifeEvent), 201);
  });

  registry.add({
    method: 'get',
    path: '/life-events',
    operationId: 'listLifeEvents',
    summary: "A resident's life events, newest first (query: residentId, limit 1..100, before = next)",
    tags: ['life-events'],
    responses: { 200: { description: 'one page', schema: LifeEventPageSchema }, ...problems },
    security: ['sandboxAdmin'],
  });
  app.get('/life-events', admin, async (c) => {
    const residentId = c.req.query('residentId');
    const limitText = c.req.query('limit');
    const before = c.req.query('before');
    if (residentId === undefined || !ID.test(residentId))
      throw new IssuerError('ISSUER_INVALID_INPUT', 'residentId must be a resident id');
    if (limitText !== undefined && !/^\d{1,3}$/.test(limitText))
      throw new IssuerError('ISSUER_INVALID_INPUT', 'limit must be an integer in 1..100');
    if (before !== undefined && before.length > 100)
      throw new IssuerError('ISSUER_INVALID_INPUT', 'before must be a cursor from a previous page');
    const page = await deps.store.lifeEvents.listForResident(residentId, {
      ...(limitText === undefined ? {} : { limit: Number(limitText) }),
      ...(before === undefined ? {} : { before }),
    });
    return c.json({
      lifeEvents: page.lifeEvents.map(lifeEventView),
      ...(page.next === undefined ? {} : { next: page.next }),
    });
  });

  registry.add({
    method: 'get',
    path: '/life-events/rules',
    operationId: 'listLifeEventRules',
    summary: 'The life-event table: per event its legal basis, what it revokes and which facts it changes',
    tags: ['life-events'],
    responses: { 200: { description: 'the table', schema: LifeEventRulesSchema }, ...problems },
    security: ['sandboxAdmin'],
  });
  // Before /life-events/:id, which would take `rules` for an id.
  app.get('/life-events/rules', admin, (c) =>
    c.json({
      asOf: LIFE_EVENT_RULES_AS_OF,
      rules: LIFE_EVENT_NAMES.map((name) => {
        const r = lifeEventRule(name);
        return {
          event: r.event,
          since: r.since,
          legalBasis: r.legalBasis,
          action: r.action,
          revokes: {
            mdoc: r.revokes.mdoc,
            'jpki-sign': r.revokes['jpki-sign'],
            'jpki-auth': r.revokes['jpki-auth'],
          },
          endsCard: r.endsCard,
          changes: [...r.changes],
        };
      }),
    }),
  );

  registry.add({
    method: 'get',
    path: '/life-events/:id',
    operationId: 'getLifeEvent',
    summary: 'One life event and what it did',
    tags: ['life-events'],
    responses: { 200: { description: 'the life event', schema: LifeEventSchema }, ...problems },
    security: ['sandboxAdmin'],
  });
  app.get('/life-events/:id', admin, async (c) => {
    const id = c.req.param('id');
    const found = ID.test(id) ? await deps.store.lifeEvents.get(id) : undefined;
    if (!found) throw new IssuerError('ISSUER_NOT_FOUND', 'no such life event');
    return c.json(lifeEventView(found));
  });
}
