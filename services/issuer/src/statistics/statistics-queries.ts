/**
 * The issuer's statistics as aggregate SQL that runs the same on SQLite and PostgreSQL: counts only,
 * grouped by day, phone family, reason or kind — never an id, a name or a municipality.
 *
 * Days are Japan Standard Time calendar days (UTC+9, no daylight saving): instants are epoch ms, so the day
 * number is `(at + 9 h) / 1 day` in integer division, which both dialects compute the same way on integer
 * columns (SQLite INTEGER, PostgreSQL bigint). The constants are written into the SQL (not bound) so the
 * grouped expression is the same text in SELECT and GROUP BY.
 */
import { type Kysely, sql } from 'kysely';
import type { CredentialKind, InstallationFamily, IssuerDatabase } from '../store/schema.js';

const DAY_MS = 86_400_000;
const JST_OFFSET_MS = 9 * 3_600_000;

/** A day range: `fromDay` and `toDay` inclusive, as JST day numbers (days since 1970-01-01 JST). */
export interface DayRange {
  readonly fromDay: number;
  readonly toDay: number;
}

/** Completed installations of one family on one day. */
export interface InstallationsPerDay {
  readonly day: number;
  readonly family: InstallationFamily;
  readonly count: number;
}

/** Completions that superseded an installation, by day and the two families. */
export interface DeviceChangesPerDay {
  readonly day: number;
  readonly from: InstallationFamily;
  readonly to: InstallationFamily;
  readonly count: number;
}

/** Credentials revoked (and still revoked) in the range, by reason and kind. */
export interface RevocationsByReason {
  readonly reason: string;
  readonly kind: CredentialKind;
  readonly count: number;
}

/** Credentials in force now, by kind. */
export interface ActiveCredentialsByKind {
  readonly kind: CredentialKind;
  readonly count: number;
}

/** The JST day number of an instant. */
export function jstDayNumber(at: number): number {
  return Math.floor((at + JST_OFFSET_MS) / DAY_MS);
}

/** The first instant (epoch ms) of a JST day number. */
export function jstDayStart(day: number): number {
  return day * DAY_MS - JST_OFFSET_MS;
}

/** The JST day number of an instant column, as SQL (integer division on both dialects). */
function dayOf(column: string) {
  return sql<
    number | string
  >`(${sql.ref(column)} + ${sql.raw(String(JST_OFFSET_MS))}) / ${sql.raw(String(DAY_MS))}`;
}

const count = (v: unknown) => Number(v);

/** Completed installations per JST day and family. */
export async function installationsPerDay(
  db: Kysely<IssuerDatabase>,
  range: DayRange,
): Promise<InstallationsPerDay[]> {
  const rows = await db
    .selectFrom('installations')
    .select([dayOf('completed_at').as('day'), 'family', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('completed_at', 'is not', null)
    .where('completed_at', '>=', jstDayStart(range.fromDay))
    .where('completed_at', '<', jstDayStart(range.toDay + 1))
    .groupBy([sql`1`, 'family'])
    .orderBy(sql`1`)
    .orderBy('family')
    .execute();
  return rows.map((r) => ({ day: count(r.day), family: r.family, count: count(r.n) }));
}

/**
 * Completions that superseded the resident's previous installation (device slot g − 1 → g), per JST day of
 * the completion and the families of the two: `from` = `to` is a re-install on the same family, otherwise a
 * switch between families.
 */
export async function deviceChangesPerDay(
  db: Kysely<IssuerDatabase>,
  range: DayRange,
): Promise<DeviceChangesPerDay[]> {
  const rows = await db
    .selectFrom('device_slots as cur')
    .innerJoin('device_slots as prev', (j) =>
      j
        .onRef('prev.resident_id', '=', 'cur.resident_id')
        .on('prev.generation', '=', sql<number>`${sql.ref('cur.generation')} - 1`),
    )
    .innerJoin('installations as ci', 'ci.id', 'cur.installation_id')
    .innerJoin('installations as pi', 'pi.id', 'prev.installation_id')
    .select([
      dayOf('ci.completed_at').as('day'),
      'pi.family as from_family',
      'ci.family as to_family',
      (eb) => eb.fn.countAll<number | string>().as('n'),
    ])
    .where('ci.completed_at', '>=', jstDayStart(range.fromDay))
    .where('ci.completed_at', '<', jstDayStart(range.toDay + 1))
    .groupBy([sql`1`, 'pi.family', 'ci.family'])
    .orderBy(sql`1`)
    .orderBy('pi.family')
    .orderBy('ci.family')
    .execute();
  return rows.map((r) => ({
    day: count(r.day),
    from: r.from_family,
    to: r.to_family,
    count: count(r.n),
  }));
}

/** Credentials revoked in the range (by revoked_at) and still revoked, by reason and kind. */
export async function revocationsByReason(
  db: Kysely<IssuerDatabase>,
  range: DayRange,
): Promise<RevocationsByReason[]> {
  const rows = await db
    .selectFrom('credentials')
    .select(['revocation_reason', 'kind', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('state', '=', 'revoked')
    .where('revoked_at', '>=', jstDayStart(range.fromDay))
    .where('revoked_at', '<', jstDayStart(range.toDay + 1))
    .groupBy(['revocation_reason', 'kind'])
    .orderBy('revocation_reason')
    .orderBy('kind')
    .execute();
  return rows.map((r) => ({
    reason: r.revocation_reason ?? 'unspecified',
    kind: r.kind,
    count: count(r.n),
  }));
}

/** Credentials in force at `now` (active and not past their end), by kind. */
export async function activeCredentialsByKind(
  db: Kysely<IssuerDatabase>,
  now: number,
): Promise<ActiveCredentialsByKind[]> {
  const rows = await db
    .selectFrom('credentials')
    .select(['kind', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('state', '=', 'active')
    .where('not_after', '>', now)
    .groupBy('kind')
    .orderBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, count: count(r.n) }));
}
