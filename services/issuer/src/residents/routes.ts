/**
 * `/residents` — the sandbox's resident register, for its operator (bearer token `config.adminToken`):
 * list (keyset paging), read one with its cards, list their installations with the credentials' states,
 * and register one, which also issues the new resident's card and writes its card file. There is no route to a card file: the card's keys and PINs stay on the
 * issuer's disk, as a real card stays in its holder's pocket. Only in sandbox mode.
 *
 * Errors are problem+json; a problem never repeats a submitted name, address or birth date.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { issueCard } from '../cards/issue-card.js';
import type { IssuerDeps } from '../context.js';
import { IssuerError } from '../errors.js';
import { ProblemSchema, type OpenApiRegistry } from '../http/openapi.js';
import { validBody } from '../http/validate.js';
import type { Card } from '../store/card-repository.js';
import type { Credential } from '../store/credential-repository.js';
import type { Installation } from '../store/installation-repository.js';
import type { Resident } from '../store/resident-repository.js';
import { requireAdminToken } from './admin-auth.js';

const ResidentSchema = z
  .object({
    id: z.string(),
    fullName: z.string(),
    fullNameKana: z.string().nullable(),
    address: z.string(),
    birthDate: z.string(),
    sex: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(9)]),
    municipalityCode: z.string(),
    municipalityName: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Resident' });

const CardSummarySchema = z
  .object({
    id: z.string(),
    cardNumber: z.string(),
    state: z.enum(['active', 'revoked']),
    issuedAt: z.string(),
    expiresAt: z.string(),
    signatureCertificate: z.boolean().meta({ description: 'false for a holder under 15' }),
    revokedAt: z.string().optional(),
  })
  .meta({ id: 'CardSummary' });

/** What POST /residents takes: the card-face facts of a resident (ISO 5218-like sex code of the register). */
export const NewResidentSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional()
      .meta({ description: 'default: a random UUID' }),
    fullName: z.string().min(1).max(400).meta({ description: 'surname, U+3000, given name' }),
    fullNameKana: z.string().min(1).max(400).nullable().optional(),
    address: z.string().min(1).max(400).meta({ description: 'from the prefecture, at most 200 characters' }),
    birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    sex: z
      .union([z.literal(1), z.literal(2), z.literal(3), z.literal(9)])
      .meta({ description: '1 male, 2 female, 3 unknown, 9 not applicable' }),
    municipalityCode: z.string().regex(/^\d{5,6}$/),
    municipalityName: z.string().min(1).max(64),
  })
  .meta({ id: 'NewResident' });

const ResidentPageSchema = z
  .object({ residents: z.array(ResidentSchema), next: z.string().optional() })
  .meta({ id: 'ResidentPage' });

const ResidentDetailSchema = z
  .object({
    resident: ResidentSchema,
    cards: z.array(CardSummarySchema),
    activeInstallation: z
      .object({ id: z.string(), family: z.enum(['iphone', 'android']), completedAt: z.string() })
      .optional(),
  })
  .meta({ id: 'ResidentDetail' });

const CreatedResidentSchema = z
  .object({
    resident: ResidentSchema,
    card: CardSummarySchema,
    cardFile: z.string().meta({ description: "path of the new card file on the issuer's disk" }),
  })
  .meta({ id: 'CreatedResident' });

const iso = (ms: number) => new Date(ms).toISOString();

/** At most this many installations in GET /residents/:id/installations (the newest). */
export const MAX_LISTED_INSTALLATIONS = 50;

const CredentialSummarySchema = z
  .object({
    id: z.string(),
    kind: z.enum(['mdoc', 'jpki-sign', 'jpki-auth']),
    state: z.enum(['active', 'revoked']).meta({ description: 'a hold is revoked with certificateHold' }),
    serial: z.string().optional().meta({ description: 'a JPKI certificate’s serial, lower-case hex' }),
    msoDigest: z.string().optional().meta({ description: 'a record’s MSO digest (SHA-256, hex)' }),
    notAfter: z.string(),
    issuedAt: z.string(),
    revokedAt: z.string().optional(),
    revocationReason: z.string().optional().meta({ description: 'RFC 5280 CRLReason name' }),
    statusList: z.object({ partition: z.number().int(), index: z.number().int() }).optional(),
    crlPartition: z.string().optional(),
    issuerCertificate: z.string().optional(),
  })
  .meta({ id: 'CredentialSummary' });

const ResidentInstallationsSchema = z
  .object({
    installations: z.array(
      z.object({
        id: z.string(),
        family: z.enum(['iphone', 'android']),
        state: z.string().meta({ description: 'pending, active, superseded, failed …' }),
        createdAt: z.string(),
        completedAt: z.string().optional(),
        endedAt: z.string().optional(),
        credentials: z.array(CredentialSummarySchema),
        notices: z.array(z.object({ seq: z.number().int(), kind: z.string(), at: z.string() })).meta({
          description: 'the newest notices the phone was sent (at most 10, newest first), without detail',
        }),
      }),
    ),
    total: z.number().int().meta({ description: 'installations in all (at most 50 newest are listed)' }),
  })
  .meta({ id: 'ResidentInstallations' });

function residentView(r: Resident): z.infer<typeof ResidentSchema> {
  return {
    id: r.id,
    fullName: r.fullName,
    fullNameKana: r.fullNameKana,
    address: r.address,
    birthDate: r.birthDate,
    sex: r.sex,
    municipalityCode: r.municipalityCode,
    municipalityName: r.municipalityName,
    createdAt: iso(r.createdAt),
  };
}

function cardView(card: Card): z.infer<typeof CardSummarySchema> {
  return {
    id: card.id,
    cardNumber: card.cardNumber,
    state: card.state,
    issuedAt: iso(card.issuedAt),
    expiresAt: iso(card.expiresAt),
    signatureCertificate: card.signCert !== null,
    ...(card.revokedAt === null ? {} : { revokedAt: iso(card.revokedAt) }),
  };
}

function credentialSummaryView(cr: Credential): z.infer<typeof CredentialSummarySchema> {
  return {
    id: cr.id,
    kind: cr.kind,
    state: cr.state,
    ...(cr.serial === null ? {} : { serial: cr.serial }),
    ...(cr.msoDigest === null ? {} : { msoDigest: cr.msoDigest }),
    notAfter: iso(cr.notAfter),
    issuedAt: iso(cr.createdAt),
    ...(cr.revokedAt === null ? {} : { revokedAt: iso(cr.revokedAt) }),
    ...(cr.revocationReason === null ? {} : { revocationReason: cr.revocationReason }),
    ...(cr.statusListPartition === null || cr.statusListIndex === null
      ? {}
      : { statusList: { partition: cr.statusListPartition, index: cr.statusListIndex } }),
    ...(cr.crlPartition === null ? {} : { crlPartition: cr.crlPartition }),
    ...(cr.issuerCertificate === null ? {} : { issuerCertificate: cr.issuerCertificate }),
  };
}

function installationView(inst: Installation, credentials: readonly Credential[]) {
  return {
    id: inst.id,
    family: inst.family,
    state: inst.state,
    createdAt: iso(inst.createdAt),
    ...(inst.completedAt === null ? {} : { completedAt: iso(inst.completedAt) }),
    ...(inst.endedAt === null ? {} : { endedAt: iso(inst.endedAt) }),
    credentials: credentials.map(credentialSummaryView),
  };
}

/** The body a validBody middleware accepted. */
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

/** Registers /residents: the sandbox's resident register (nothing outside sandbox mode). */
export function registerResidentRoutes(app: Hono, registry: OpenApiRegistry, deps: IssuerDeps): void {
  if (!deps.config.sandbox) return;
  const admin = requireAdminToken(deps.config.adminToken);

  registry.add({
    method: 'get',
    path: '/residents',
    operationId: 'listResidents',
    summary: 'List the register, in id order (query: limit 1..1000, after = the previous page’s next)',
    tags: ['residents'],
    responses: { 200: { description: 'one page', schema: ResidentPageSchema }, ...unauthorized },
    security: ['sandboxAdmin'],
  });
  app.get('/residents', admin, async (c) => {
    const limitText = c.req.query('limit');
    const after = c.req.query('after');
    if (limitText !== undefined && !/^\d{1,4}$/.test(limitText))
      throw new IssuerError('ISSUER_INVALID_INPUT', 'limit must be an integer in 1..1000');
    if (after !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(after))
      throw new IssuerError('ISSUER_INVALID_INPUT', 'after must be a resident id');
    const page = await deps.store.residents.list({
      ...(limitText === undefined ? {} : { limit: Number(limitText) }),
      ...(after === undefined ? {} : { after }),
    });
    return c.json({
      residents: page.residents.map(residentView),
      ...(page.next === undefined ? {} : { next: page.next }),
    });
  });

  registry.add({
    method: 'get',
    path: '/residents/:id',
    operationId: 'getResident',
    summary: 'One resident with their cards and active installation',
    tags: ['residents'],
    responses: {
      200: { description: 'the resident', schema: ResidentDetailSchema },
      ...unauthorized,
      404: { description: 'no such resident', mediaType: 'application/problem+json', schema: ProblemSchema },
    },
    security: ['sandboxAdmin'],
  });
  app.get('/residents/:id', admin, async (c) => {
    const id = c.req.param('id');
    const resident = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await deps.store.residents.get(id) : undefined;
    if (!resident) throw new IssuerError('ISSUER_NOT_FOUND', 'no such resident');
    const cards = await deps.store.cards.listForResident(id);
    const active = await deps.store.installations.activeForResident(id);
    return c.json({
      resident: residentView(resident),
      cards: cards.map(cardView),
      ...(active?.completedAt == null
        ? {}
        : {
            activeInstallation: {
              id: active.id,
              family: active.family,
              completedAt: iso(active.completedAt),
            },
          }),
    });
  });

  registry.add({
    method: 'get',
    path: '/residents/:id/installations',
    operationId: 'listResidentInstallations',
    summary: "A resident's installations, newest first, each with its credentials and their states",
    tags: ['residents'],
    responses: {
      200: { description: 'the installations', schema: ResidentInstallationsSchema },
      ...unauthorized,
      404: { description: 'no such resident', mediaType: 'application/problem+json', schema: ProblemSchema },
    },
    security: ['sandboxAdmin'],
  });
  app.get('/residents/:id/installations', admin, async (c) => {
    const id = c.req.param('id');
    const resident = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await deps.store.residents.get(id) : undefined;
    if (!resident) throw new IssuerError('ISSUER_NOT_FOUND', 'no such resident');
    const all = await deps.store.installations.listForResident(id);
    // Newest first, bounded: a resident re-installing every day for years stays one answer.
    const shown = all.slice(-MAX_LISTED_INSTALLATIONS).reverse();
    const installations = [];
    for (const inst of shown) {
      const credentials = await deps.store.credentials.listByInstallation(inst.id);
      const notices = await deps.store.notices.latest(inst.id, 10);
      installations.push({
        ...installationView(inst, credentials),
        notices: notices.map((n) => ({ seq: n.seq, kind: n.kind, at: new Date(n.at).toISOString() })),
      });
    }
    c.header('Cache-Control', 'no-store');
    return c.json({ installations, total: all.length });
  });

  registry.add({
    method: 'post',
    path: '/residents',
    operationId: 'createResident',
    summary: 'Register a resident and issue their card (its keys and PINs go to a card file on disk)',
    tags: ['residents'],
    requestBody: { mediaType: 'application/json', schema: NewResidentSchema },
    responses: {
      201: { description: 'registered, card issued', schema: CreatedResidentSchema },
      400: { description: 'invalid field', mediaType: 'application/problem+json', schema: ProblemSchema },
      ...unauthorized,
      409: { description: 'the id is taken', mediaType: 'application/problem+json', schema: ProblemSchema },
    },
    security: ['sandboxAdmin'],
  });
  app.post('/residents', admin, validBody('json', NewResidentSchema), async (c) => {
    const body = validJson<z.infer<typeof NewResidentSchema>>(c);
    const now = deps.clock();
    const resident = await deps.store.residents.create(
      {
        ...(body.id === undefined ? {} : { id: body.id }),
        fullName: body.fullName,
        fullNameKana: body.fullNameKana ?? null,
        address: body.address,
        birthDate: body.birthDate,
        sex: body.sex,
        municipalityCode: body.municipalityCode,
        municipalityName: body.municipalityName,
      },
      now.getTime(),
    );
    const issued = await issueCard(deps, resident.id, { now });
    return c.json(
      { resident: residentView(resident), card: cardView(issued.card), cardFile: issued.cardFile },
      201,
    );
  });
}
