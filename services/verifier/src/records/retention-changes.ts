/**
 * An auditor's two decisions about how long a verification record is kept (DOMAIN.md §5):
 *
 * - a **legal hold** (an investigation, a court order): the record is never purged while held;
 * - the **end of the relationship** the law counts from (犯収法: 7 years after the business relationship or
 *   transaction ends; 携帯電話不正利用防止法: 3 years after the contract ends): the record is then kept until
 *   that day's end in Japan plus the relying party's retention years — never shorter than it already was, so
 *   an early or mistaken date cannot shorten what the law requires at the time of recording.
 *
 * Each decision is written, with who made it and a case reference (never personal data), to the append-only
 * `record_retention_changes` (migration 0006) in the same transaction as the change itself. A record already
 * purged (tombstoned) cannot be held or extended: its content is gone.
 */
import type { Generated, Kysely } from 'kysely';
import { VerifierError } from '../errors.js';
import { retainUntilOf, retentionYearsOf } from '../relying-parties/config.js';
import type { VerifierDatabase } from '../store/schema.js';
import { checkInstant } from '../store/store-support.js';
import type { VerifierStore } from '../store/verifier-store.js';
import { startOfJapanDay } from './export.js';

/** A row of `record_retention_changes`. */
export interface RecordRetentionChangeTable {
  id: Generated<number>;
  record_id: string;
  relying_party_id: string;
  /** `credential:<id>` for an API key, `operator` for the CLI. */
  actor: string;
  change: 'hold' | 'release' | 'relationship-end';
  /** The case or contract reference the decision was made under ([A-Za-z0-9._:/-]{1,100}). */
  reference: string;
  /** For `relationship-end`: the day it ended (YYYY-MM-DD, Japan). */
  ended_on: string | null;
  retain_until_before: number;
  retain_until_after: number;
  at: number;
}

type RetentionDatabase = VerifierDatabase & { record_retention_changes: RecordRetentionChangeTable };

/** A case reference: short, printable, and no room for personal data. */
export const RETENTION_REFERENCE = /^[A-Za-z0-9._:/-]{1,100}$/;

const DAY_MS = 86_400_000;

/** What a decision answered. */
export interface RetentionState {
  readonly id: string;
  readonly legalHold: boolean;
  readonly retainUntil: number;
}

/** One decision as read back. */
export interface RetentionChange {
  readonly recordId: string;
  readonly actor: string;
  readonly change: 'hold' | 'release' | 'relationship-end';
  readonly reference: string;
  readonly endedOn: string | null;
  readonly retainUntilBefore: number;
  readonly retainUntilAfter: number;
  readonly at: number;
}

interface Decision {
  readonly relyingPartyId: string;
  readonly recordId: string;
  readonly actor: string;
  readonly reference: string;
  readonly now: number;
}

function checkReference(reference: string): void {
  if (!RETENTION_REFERENCE.test(reference))
    throw new VerifierError(
      'VERIFIER_INVALID_INPUT',
      'reference: 1..100 characters of A-Z a-z 0-9 . _ : / -',
    );
}

async function change(
  store: VerifierStore,
  d: Decision,
  decide: (row: { retain_until: number; legal_hold: number; config: string }) => {
    change: RecordRetentionChangeTable['change'];
    legalHold: boolean;
    retainUntil: number;
    endedOn: string | null;
  },
): Promise<RetentionState> {
  checkReference(d.reference);
  checkInstant(d.now, 'now');
  const db = store.db as unknown as Kysely<RetentionDatabase>;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('verification_records')
      .innerJoin('relying_parties', 'relying_parties.id', 'verification_records.relying_party_id')
      .select([
        'verification_records.retain_until as retain_until',
        'verification_records.legal_hold as legal_hold',
        'verification_records.tombstoned_at as tombstoned_at',
        'relying_parties.config as config',
      ])
      .where('verification_records.id', '=', d.recordId)
      .where('verification_records.relying_party_id', '=', d.relyingPartyId)
      .executeTakeFirst();
    if (row === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such record');
    if (row.tombstoned_at !== null)
      throw new VerifierError(
        'VERIFIER_INVALID_INPUT',
        'the record was purged after its retention; nothing is left to keep',
      );
    const before = Number(row.retain_until);
    const next = decide({ retain_until: before, legal_hold: Number(row.legal_hold), config: row.config });
    await trx
      .updateTable('verification_records')
      .set({ legal_hold: next.legalHold ? 1 : 0, retain_until: next.retainUntil })
      .where('id', '=', d.recordId)
      .execute();
    await trx
      .insertInto('record_retention_changes')
      .values({
        record_id: d.recordId,
        relying_party_id: d.relyingPartyId,
        actor: d.actor,
        change: next.change,
        reference: d.reference,
        ended_on: next.endedOn,
        retain_until_before: before,
        retain_until_after: next.retainUntil,
        at: d.now,
      })
      .execute();
    return { id: d.recordId, legalHold: next.legalHold, retainUntil: next.retainUntil };
  });
}

/** Puts a record on legal hold (`hold` true) or lifts the hold, recording who and under which reference. */
export function setRecordLegalHold(
  store: VerifierStore,
  d: Decision & { readonly hold: boolean },
): Promise<RetentionState> {
  return change(store, d, (row) => ({
    change: d.hold ? 'hold' : 'release',
    legalHold: d.hold,
    retainUntil: row.retain_until,
    endedOn: null,
  }));
}

/**
 * Declares the day the relationship ended (YYYY-MM-DD, Japan): the record is kept until the end of that day
 * plus the relying party's retention years, or longer if it already was.
 */
export function endRecordRelationship(
  store: VerifierStore,
  d: Decision & { readonly endedOn: string },
): Promise<RetentionState> {
  const start = startOfJapanDay(d.endedOn);
  if (start === undefined)
    throw new VerifierError('VERIFIER_INVALID_INPUT', 'endedOn must be a date, YYYY-MM-DD');
  if (start > d.now + DAY_MS) throw new VerifierError('VERIFIER_INVALID_INPUT', 'endedOn is in the future');
  return change(store, d, (row) => {
    const config = JSON.parse(row.config) as Parameters<typeof retentionYearsOf>[0];
    const byLaw = retainUntilOf(start + DAY_MS, retentionYearsOf(config));
    return {
      change: 'relationship-end',
      legalHold: row.legal_hold === 1,
      retainUntil: Math.max(row.retain_until, byLaw),
      endedOn: d.endedOn,
    };
  });
}

/** The decisions about one record, oldest first (at most 1000). */
export async function retentionChangesOf(store: VerifierStore, recordId: string): Promise<RetentionChange[]> {
  const db = store.db as unknown as Kysely<RetentionDatabase>;
  const rows = await db
    .selectFrom('record_retention_changes')
    .selectAll()
    .where('record_id', '=', recordId)
    .orderBy('id')
    .limit(1000)
    .execute();
  return rows.map((r) => ({
    recordId: r.record_id,
    actor: r.actor,
    change: r.change,
    reference: r.reference,
    endedOn: r.ended_on,
    retainUntilBefore: Number(r.retain_until_before),
    retainUntilAfter: Number(r.retain_until_after),
    at: Number(r.at),
  }));
}
