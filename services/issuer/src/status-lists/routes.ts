/**
 * `/status-lists` — the records' Token Status Lists (draft-ietf-oauth-status-list §8 Status List Request
 * and Response), public like a CRL: the list tells nothing about anyone without a record's `idx`.
 *
 *   GET /status-lists/:partition → 200 application/statuslist+cwt (§8.2), ETag (strong, SHA-256 of the
 *     bytes), Cache-Control public, max-age = seconds until iat + ttl, Last-Modified = iat;
 *     If-None-Match with that ETag → 304 (RFC 9110 §13.1.2). An unknown or malformed partition → 404.
 *   GET /status-lists → the partitions: uri, capacity, allocated, signedAt.
 *
 * The token is signed by partition-publisher.ts; this file only serves it.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { matchesIfNoneMatch, STATUS_LIST_CWT_MEDIA_TYPE } from '@mynakit/status-list';
import type { IssuerDeps } from '../context.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { problem } from '../http/problem.js';
import { PartitionPublisher, type ServedStatusList } from './partition-publisher.js';
import { statusListUri } from './record-status.js';

/** Largest partition number accepted in a path (9 digits; 10^8 records need fewer than 100). */
const PARTITION_PATTERN = /^(0|[1-9][0-9]{0,8})$/;

/** Most partitions handed to the eager signer from one hub event. */
const MAX_EAGER_PARTITIONS = 64;

const StatusListIndexSchema = z
  .object({
    statusLists: z.array(
      z.object({
        partition: z.number().int(),
        uri: z.string(),
        capacity: z.number().int(),
        allocated: z.number().int(),
        signedAt: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'StatusListIndex' });

/** `max-age` for a token served at `now`: whole seconds until iat + ttl, never negative. */
export function maxAgeOf(served: ServedStatusList, now: number): number {
  return Math.max(0, Math.floor((served.refreshAt - now) / 1000));
}

/** Registers GET /status-lists and GET /status-lists/:partition, and the eager re-signing on the hub. */
export function registerStatusListRoutes(app: Hono, registry: OpenApiRegistry, deps: IssuerDeps): void {
  const publisher = new PartitionPublisher(deps);
  deps.hub?.on((change) => {
    for (const partition of change.statusListPartitions.slice(0, MAX_EAGER_PARTITIONS)) {
      publisher.refresh(partition).catch(() => {
        // The next GET signs (lazily) what this attempt could not; nothing personal to log.
        deps.log?.(`status list ${partition}: eager signing failed`);
      });
    }
  });

  registry.add({
    method: 'get',
    path: '/status-lists/:partition',
    operationId: 'getStatusList',
    summary: 'The Token Status List of one partition (CWT, draft-ietf-oauth-status-list §5.2)',
    tags: ['status-lists'],
    responses: {
      200: { description: 'the signed Status List Token', mediaType: STATUS_LIST_CWT_MEDIA_TYPE },
      304: { description: 'not modified (If-None-Match)' },
      404: { description: 'no such partition', mediaType: 'application/problem+json', schema: ProblemSchema },
    },
  });
  app.get('/status-lists/:partition', async (c) => {
    const text = c.req.param('partition');
    const served = PARTITION_PATTERN.test(text) ? await publisher.current(Number(text)) : undefined;
    if (served === undefined) return problem(c, 404, 'ISSUER_NOT_FOUND', 'Not found', 'no such status list');
    const headers = {
      ETag: served.etag,
      'Cache-Control': `public, max-age=${maxAgeOf(served, deps.clock().getTime())}`,
      'Last-Modified': new Date(served.signedAt).toUTCString(),
    };
    if (matchesIfNoneMatch(c.req.header('if-none-match'), served.etag)) return c.body(null, 304, headers);
    return c.body(served.token as Uint8Array<ArrayBuffer>, 200, {
      ...headers,
      'Content-Type': STATUS_LIST_CWT_MEDIA_TYPE,
    });
  });

  registry.add({
    method: 'get',
    path: '/status-lists',
    operationId: 'listStatusLists',
    summary: 'The Token Status List partitions: URI, capacity, positions allocated, when last signed',
    tags: ['status-lists'],
    responses: { 200: { description: 'the partitions', schema: StatusListIndexSchema } },
  });
  app.get('/status-lists', async (c) => {
    const partitions = await deps.store.statusLists.list();
    return c.json({
      statusLists: partitions.map((p) => ({
        partition: p.partition,
        uri: statusListUri(deps.config.origin, p.partition),
        capacity: p.capacity,
        allocated: p.allocated,
        signedAt: p.signedAt === null ? null : new Date(p.signedAt).toISOString(),
      })),
    });
  });
}
