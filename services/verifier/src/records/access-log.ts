/**
 * The access log of verification records: who read or exported which records, and when. It is itself
 * append-only — this module only inserts, and database triggers (migration 0001) refuse UPDATE and DELETE
 * on `record_access_log` to whoever tries. An entry is written before the records are handed out, so no
 * read leaves without its trace.
 */
import type { VerifierStore } from '../store/verifier-store.js';
import { checkInstant } from '../store/store-support.js';

/** One access. */
export interface RecordAccess {
  /** The relying party whose records were read; null for an operator export over every relying party. */
  readonly relyingPartyId: string | null;
  /** `credential:<id>` for an API key, `operator` for the CLI. */
  readonly actor: string;
  readonly action: 'list' | 'read' | 'export';
  /** What was asked (the date range, or `record <id>`); never personal data. */
  readonly scope: string;
  /** The ids of the records handed out. */
  readonly recordIds: readonly string[];
  readonly at: number;
}

/** An access as read back. */
export interface RecordAccessEntry extends RecordAccess {
  readonly id: number;
  readonly recordCount: number;
}

/** Appends one entry to the access log. */
export async function logRecordAccess(store: VerifierStore, access: RecordAccess): Promise<void> {
  checkInstant(access.at, 'at');
  await store.db
    .insertInto('record_access_log')
    .values({
      relying_party_id: access.relyingPartyId,
      actor: access.actor,
      action: access.action,
      scope: access.scope,
      record_count: access.recordIds.length,
      record_ids: JSON.stringify(access.recordIds),
      at: access.at,
    })
    .execute();
}

/** The access log, oldest first (at most `limit`, default 1000), optionally of one relying party. */
export async function listRecordAccess(
  store: VerifierStore,
  options: { relyingPartyId?: string; limit?: number } = {},
): Promise<RecordAccessEntry[]> {
  let q = store.db.selectFrom('record_access_log').selectAll();
  if (options.relyingPartyId !== undefined) q = q.where('relying_party_id', '=', options.relyingPartyId);
  const rows = await q
    .orderBy('id')
    .limit(Math.min(Math.max(options.limit ?? 1000, 1), 10_000))
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    relyingPartyId: r.relying_party_id,
    actor: r.actor,
    action: r.action,
    scope: r.scope,
    recordIds: JSON.parse(r.record_ids) as string[],
    recordCount: Number(r.record_count),
    at: Number(r.at),
  }));
}
