/**
 * `GET /statistics?from=YYYY-MM-DD&to=YYYY-MM-DD` — how the service is used, for the operator: completed
 * installations per phone family and day, device changes (switches between families and re-installs on the
 * same family), revocations by reason, and credentials in force by kind. Days are JST; `from`/`to` are
 * inclusive, at most MAX_STATISTICS_DAYS apart (default: the 30 days up to today).
 *
 * Operator only (the sandbox admin token), not public. Every figure is an aggregate, but small cells single
 * people out: in a register of a few residents, "one revocation for affiliationChanged on 3 December" says
 * that someone moved that day, and with a day and a family one completion is one person's new phone.
 * Publishing would need cell suppression or noise (k-anonymity, differential privacy); the operator's
 * console needs neither, so the figures stay behind the operator token.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { IssuerDeps } from '../context.js';
import { type OpenApiRegistry, ProblemSchema } from '../http/openapi.js';
import { problem } from '../http/problem.js';
import { requireAdminToken } from '../residents/admin-auth.js';
import {
  activeCredentialsByKind,
  deviceChangesPerDay,
  installationsPerDay,
  jstDayNumber,
  revocationsByReason,
} from './statistics-queries.js';

/** The longest range asked at once, in days (a leap year). */
export const MAX_STATISTICS_DAYS = 366;
/** The range when none is asked: the 30 days up to today. */
export const DEFAULT_STATISTICS_DAYS = 30;

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` (a real calendar day) → JST day number, or undefined. */
export function dayNumberOf(text: string): number | undefined {
  if (!DAY.test(text)) return undefined;
  const t = Date.parse(`${text}T00:00:00Z`);
  if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== text) return undefined;
  return t / DAY_MS;
}

/** A JST day number → `YYYY-MM-DD`. */
export function dayTextOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const Family = z.enum(['iphone', 'android']);
const Kind = z.enum(['mdoc', 'jpki-sign', 'jpki-auth']);

const StatisticsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    timeZone: z.literal('Asia/Tokyo'),
    installations: z.array(z.object({ day: z.string(), family: Family, count: z.number().int() })),
    deviceChanges: z.array(
      z.object({
        day: z.string(),
        from: Family,
        to: Family,
        change: z.enum(['switch', 'reinstall']),
        count: z.number().int(),
      }),
    ),
    revocations: z.array(z.object({ reason: z.string(), kind: Kind, count: z.number().int() })),
    activeCredentials: z.array(z.object({ kind: Kind, count: z.number().int() })),
    generatedAt: z.string(),
  })
  .meta({ id: 'Statistics' });

/** Registers GET /statistics (operator token). */
export function registerStatisticsRoutes(app: Hono, registry: OpenApiRegistry, deps: IssuerDeps): void {
  registry.add({
    method: 'get',
    path: '/statistics',
    operationId: 'getStatistics',
    summary: 'Aggregate counts per JST day: installations, device changes, revocations, credentials in force',
    tags: ['statistics'],
    responses: {
      200: { description: 'the counts', schema: StatisticsSchema },
      400: problemResponse('from/to not days, reversed, or more than 366 days apart'),
      401: problemResponse('no or wrong operator token'),
    },
    security: ['sandboxAdmin'],
  });
  app.get('/statistics', requireAdminToken(deps.config.adminToken), async (c) => {
    const now = deps.clock().getTime();
    const today = jstDayNumber(now);
    const fromText = c.req.query('from');
    const toText = c.req.query('to');
    const toDay = toText === undefined ? today : dayNumberOf(toText);
    const fromDay =
      fromText === undefined
        ? toDay === undefined
          ? undefined
          : toDay - (DEFAULT_STATISTICS_DAYS - 1)
        : dayNumberOf(fromText);
    if (fromDay === undefined || toDay === undefined)
      return problem(
        c,
        400,
        'ISSUER_INVALID_INPUT',
        'Invalid input',
        'from and to must be days (YYYY-MM-DD)',
      );
    if (fromDay > toDay || toDay - fromDay + 1 > MAX_STATISTICS_DAYS)
      return problem(
        c,
        400,
        'ISSUER_INVALID_INPUT',
        'Invalid input',
        `from must not be after to, and the range at most ${MAX_STATISTICS_DAYS} days`,
      );
    const range = { fromDay, toDay };
    const db = deps.store.db;
    const [installations, changes, revocations, active] = await Promise.all([
      installationsPerDay(db, range),
      deviceChangesPerDay(db, range),
      revocationsByReason(db, range),
      activeCredentialsByKind(db, now),
    ]);
    c.header('Cache-Control', 'no-store');
    return c.json({
      from: dayTextOf(fromDay),
      to: dayTextOf(toDay),
      timeZone: 'Asia/Tokyo',
      installations: installations.map((r) => ({ day: dayTextOf(r.day), family: r.family, count: r.count })),
      deviceChanges: changes.map((r) => ({
        day: dayTextOf(r.day),
        from: r.from,
        to: r.to,
        change: r.from === r.to ? 'reinstall' : 'switch',
        count: r.count,
      })),
      revocations,
      activeCredentials: active,
      generatedAt: new Date(now).toISOString(),
    });
  });
}

function problemResponse(description: string) {
  return { description, mediaType: 'application/problem+json', schema: ProblemSchema };
}
