/**
 * `/records` — a relying party's auditor reads its own verification records (API key with the `auditor`
 * role; another relying party's records do not exist for it): a page by Japan-day range, one record, and an
 * export as JSON or CSV. Every read and export is written to the access log (access-log.ts) before the
 * records leave.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import { requireApiKey, type VerifierEnv } from '../http/auth.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { validated, validJson } from '../http/validate.js';
import { logRecordAccess } from './access-log.js';
import { exportRecords, japanDayRange, recordView } from './export.js';
import { getRecord, listRecords, MAX_RECORD_PAGE } from './record-chains.js';
import {
  endRecordRelationship,
  RETENTION_REFERENCE,
  type RetentionState,
  setRecordLegalHold,
} from './retention-changes.js';

const LegalHoldSchema = z
  .object({
    hold: z.boolean(),
    reference: z.string().regex(RETENTION_REFERENCE, 'the case reference: 1..100 of A-Z a-z 0-9 . _ : / -'),
  })
  .strict()
  .meta({ id: 'LegalHold' });

const RelationshipEndSchema = z
  .object({
    endedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD (Japan)'),
    reference: z
      .string()
      .regex(RETENTION_REFERENCE, 'the contract reference: 1..100 of A-Z a-z 0-9 . _ : / -'),
  })
  .strict()
  .meta({ id: 'RelationshipEnd' });

const RetentionStateSchema = z
  .object({ id: z.string(), legalHold: z.boolean(), retainUntil: z.string() })
  .meta({ id: 'RecordRetention' });

const retentionView = (r: RetentionState) => ({
  id: r.id,
  legalHold: r.legalHold,
  retainUntil: new Date(r.retainUntil).toISOString(),
});

const RecordViewSchema = z
  .object({
    id: z.string(),
    relyingPartyId: z.string(),
    chainId: z.string(),
    seq: z.number().int(),
    recordedAt: z.string(),
    retainUntil: z.string(),
    tombstonedAt: z.string().nullable(),
    legalHold: z.boolean(),
    prevHash: z.string(),
    contentHash: z.string(),
    hash: z.string(),
    content: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'VerificationRecord' });

const RANGE_QUERY = {
  from: 'first day, YYYY-MM-DD (Japan time), inclusive',
  to: 'last day, YYYY-MM-DD (Japan time), inclusive',
};

/** Registers the auditor's record routes. */
export function registerRecordRoutes(
  app: Hono<VerifierEnv>,
  registry: OpenApiRegistry,
  deps: VerifierDeps,
): void {
  const auditor = requireApiKey(deps.store, 'auditor');
  const security = ['apiKey'];
  const problems = {
    400: { description: 'Invalid query', mediaType: 'application/problem+json', schema: ProblemSchema },
    401: {
      description: 'No or unknown API key',
      mediaType: 'application/problem+json',
      schema: ProblemSchema,
    },
    403: { description: 'Not an auditor key', mediaType: 'application/problem+json', schema: ProblemSchema },
  };
  const actorOf = (credentialId: string) => `credential:${credentialId}`;

  registry.add({
    method: 'get',
    path: '/records',
    operationId: 'listRecords',
    summary: 'A page of verification records made in a day range',
    tags: ['records'],
    query: {
      ...RANGE_QUERY,
      limit: `page size, 1..${MAX_RECORD_PAGE} (default 100)`,
      after: 'the `next` of the previous page',
    },
    responses: {
      200: {
        description: 'The page',
        schema: z.object({ records: z.array(RecordViewSchema), next: z.string().optional() }),
      },
      ...problems,
    },
    security,
  });
  app.get('/records', auditor, async (c) => {
    const caller = c.get('caller');
    const from = c.req.query('from') ?? '';
    const to = c.req.query('to') ?? '';
    const range = japanDayRange(from, to);
    const limitText = c.req.query('limit') ?? '100';
    if (!/^\d{1,4}$/.test(limitText))
      throw new VerifierError('VERIFIER_INVALID_INPUT', 'limit must be an integer');
    const after = c.req.query('after');
    const page = await listRecords(deps.store, {
      relyingPartyId: caller.relyingPartyId,
      from: range.from,
      to: range.to,
      limit: Number(limitText),
      ...(after === undefined ? {} : { after }),
    });
    await logRecordAccess(deps.store, {
      relyingPartyId: caller.relyingPartyId,
      actor: actorOf(caller.credentialId),
      action: 'list',
      scope: `${from}..${to}`,
      recordIds: page.records.map((r) => r.id),
      at: deps.clock().getTime(),
    });
    c.header('Cache-Control', 'no-store');
    return c.json({
      records: page.records.map(recordView),
      ...(page.next === undefined ? {} : { next: page.next }),
    });
  });

  registry.add({
    method: 'get',
    path: '/records/export',
    operationId: 'exportRecords',
    summary: 'Every verification record of a day range, as JSON or CSV',
    tags: ['records'],
    query: { ...RANGE_QUERY, format: 'json (default) or csv' },
    responses: {
      200: { description: 'The export (application/json or text/csv)' },
      ...problems,
      422: {
        description: 'Too many records: narrow the range',
        mediaType: 'application/problem+json',
        schema: ProblemSchema,
      },
    },
    security,
  });
  app.get('/records/export', auditor, async (c) => {
    const caller = c.get('caller');
    const format = c.req.query('format') ?? 'json';
    if (format !== 'json' && format !== 'csv')
      throw new VerifierError('VERIFIER_INVALID_INPUT', 'format must be json or csv');
    const out = await exportRecords(deps.store, {
      relyingPartyId: caller.relyingPartyId,
      from: c.req.query('from') ?? '',
      to: c.req.query('to') ?? '',
      format,
      actor: actorOf(caller.credentialId),
      now: deps.clock().getTime(),
    });
    return c.body(out.body, 200, {
      'content-type': out.contentType,
      'cache-control': 'no-store',
      'content-disposition': `attachment; filename="verification-records.${format}"`,
    });
  });

  registry.add({
    method: 'get',
    path: '/records/:id',
    operationId: 'getRecord',
    summary: 'One verification record',
    tags: ['records'],
    responses: {
      200: { description: 'The record', schema: RecordViewSchema },
      ...problems,
      404: {
        description: 'No such record of this relying party',
        mediaType: 'application/problem+json',
        schema: ProblemSchema,
      },
    },
    security,
  });
  app.get('/records/:id', auditor, async (c) => {
    const caller = c.get('caller');
    const id = c.req.param('id');
    const record = /^[A-Za-z0-9-]{1,64}$/.test(id)
      ? await getRecord(deps.store, id, { relyingPartyId: caller.relyingPartyId })
      : undefined;
    if (record === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such record');
    await logRecordAccess(deps.store, {
      relyingPartyId: caller.relyingPartyId,
      actor: actorOf(caller.credentialId),
      action: 'read',
      scope: `record ${record.id}`,
      recordIds: [record.id],
      at: deps.clock().getTime(),
    });
    c.header('Cache-Control', 'no-store');
    return c.json(recordView(record));
  });

  const RECORD_ID = /^[A-Za-z0-9-]{1,64}$/;
  const retentionResponses = {
    200: { description: 'The record’s hold and retention now', schema: RetentionStateSchema },
    ...problems,
    404: {
      description: 'No such record of this relying party',
      mediaType: 'application/problem+json',
      schema: ProblemSchema,
    },
  };
  registry.add({
    method: 'put',
    path: '/records/:id/legal-hold',
    operationId: 'setLegalHold',
    summary: 'Put a record on legal hold, or lift the hold (never purged while held); the decision is logged',
    tags: ['records'],
    requestBody: { mediaType: 'application/json', schema: LegalHoldSchema },
    responses: retentionResponses,
    security,
  });
  app.put('/records/:id/legal-hold', auditor, validJson(LegalHoldSchema), async (c) => {
    const caller = c.get('caller');
    const id = c.req.param('id');
    if (!RECORD_ID.test(id)) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such record');
    const body = validated<z.output<typeof LegalHoldSchema>>(c);
    const state = await setRecordLegalHold(deps.store, {
      relyingPartyId: caller.relyingPartyId,
      recordId: id,
      actor: actorOf(caller.credentialId),
      reference: body.reference,
      hold: body.hold,
      now: deps.clock().getTime(),
    });
    c.header('Cache-Control', 'no-store');
    return c.json(retentionView(state));
  });

  registry.add({
    method: 'put',
    path: '/records/:id/relationship-end',
    operationId: 'endRelationship',
    summary:
      'The day the relationship ended: kept until then plus the law’s retention years, never shorter than before',
    tags: ['records'],
    requestBody: { mediaType: 'application/json', schema: RelationshipEndSchema },
    responses: retentionResponses,
    security,
  });
  app.put('/records/:id/relationship-end', auditor, validJson(RelationshipEndSchema), async (c) => {
    const caller = c.get('caller');
    const id = c.req.param('id');
    if (!RECORD_ID.test(id)) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such record');
    const body = validated<z.output<typeof RelationshipEndSchema>>(c);
    const state = await endRecordRelationship(deps.store, {
      relyingPartyId: caller.relyingPartyId,
      recordId: id,
      actor: actorOf(caller.credentialId),
      reference: body.reference,
      endedOn: body.endedOn,
      now: deps.clock().getTime(),
    });
    c.header('Cache-Control', 'no-store');
    return c.json(retentionView(state));
  });
}
