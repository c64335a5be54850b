import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { EventsTable, IssuerDatabase } from './schema.js';
import { check, checkInstant, PreparedQuery, pageLimit } from './store-support.js';

/** An event to append. `detail` must hold no personal data (ids, kinds, counts — never names or addresses). */
export interface NewEvent {
  kind: string;
  residentId?: string | null;
  detail?: Record<string, unknown>;
  at: number;
}

/** A logged event. */
export interface IssuerEvent {
  id: string;
  residentId: string | null;
  kind: string;
  detail: Record<string, unknown>;
  at: number;
}

const MAX_DETAIL_CHARS = 4096;

const insertEvent = new PreparedQuery<
  [id: string, residentId: string | null, kind: string, detail: string, at: number],
  never
>((db, slot) =>
  db
    .insertInto('events')
    .values({ id: slot(0), resident_id: slot(1), kind: slot(2), detail: slot(3), at: slot(4) }),
);

function fromRow(row: Selectable<EventsTable>): IssuerEvent {
  return {
    id: row.id,
    residentId: row.resident_id,
    kind: row.kind,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    at: Number(row.at),
  };
}

/** The append-only event log (installations, supersessions, later revocations). No update, no delete. */
export class EventRepository {
  constructor(private readonly db: Kysely<IssuerDatabase>) {}

  /** Appends an event. ISSUER_INVALID_INPUT for a kind outside [a-z0-9._-]{1,64} or a detail over 4096 characters of JSON. */
  async append(input: NewEvent): Promise<IssuerEvent> {
    checkInstant(input.at, 'at');
    check(/^[a-z0-9._-]{1,64}$/.test(input.kind), 'kind must be [a-z0-9._-], at most 64');
    const detail = JSON.stringify(input.detail ?? {});
    check(detail.length <= MAX_DETAIL_CHARS, `detail must be at most ${MAX_DETAIL_CHARS} characters of JSON`);
    const row: EventsTable = {
      id: randomUUID(),
      resident_id: input.residentId ?? null,
      kind: input.kind,
      detail,
      at: input.at,
    };
    await insertEvent.run(this.db, row.id, row.resident_id, row.kind, row.detail, row.at);
    // The detail read back as stored, when someone asks: appending is on every step's path, reading it not.
    let stored: Record<string, unknown> | undefined;
    return {
      id: row.id,
      residentId: row.resident_id,
      kind: row.kind,
      get detail(): Record<string, unknown> {
        stored ??= JSON.parse(detail) as Record<string, unknown>;
        return stored;
      },
      set detail(value: Record<string, unknown>) {
        stored = value;
      },
      at: input.at,
    };
  }

  /** The resident's events, newest first (at most `limit`, default 100, at most 1000). */
  async listForResident(residentId: string, options: { limit?: number } = {}): Promise<IssuerEvent[]> {
    const limit = pageLimit(options.limit, 100, 1000);
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('resident_id', '=', residentId)
      .orderBy('at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(fromRow);
  }
}
