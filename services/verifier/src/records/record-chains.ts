/**
 * Verification records (確認記録, DOMAIN.md §5) in hash chains — tamper-evident without a global
 * bottleneck. Each chain belongs to one relying party and one writer (a verifier instance id): chain id
 * `<relyingPartyId>/<writerId>`. Instances of one deployment write to their own chains, so N instances on
 * one PostgreSQL never serialise on one chain head; within a chain the append is a compare-and-set on the
 * unique (chain_id, seq): the writer reads the head, inserts seq + 1 linked to it, and when another insert of
 * the same seq won it reads the new head and tries again.
 *
 * Retention: a record past `retain_until` and not on legal hold loses its content (set to null, a
 * tombstone) but keeps `content_hash`, over which its hash was computed (record-hash.ts): the chain still
 * verifies, and the record's existence, time and place in the chain stay provable.
 */

import { isUniqueViolation, reusableQuery } from '@mynakit/db';
import type { Insertable, Kysely } from 'kysely';
import { VerifierError } from '../errors.js';
import { retainUntilOf, retentionYearsOf } from '../relying-parties/config.js';
import type { RelyingParty } from '../store/relying-party-repository.js';
import type { VerifierDatabase } from '../store/schema.js';
import { check, checkInstant, newId } from '../store/store-support.js';
import type { VerifierStore } from '../store/verifier-store.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';
import { refuseForbiddenContent } from './content-guard.js';
import { contentHashOfCanonical, GENESIS_PREV_HASH, recordHashOf } from './record-hash.js';

/** Largest canonical content of one record, bytes (a JPKI signature with its certificate fits). */
export const MAX_RECORD_CONTENT_BYTES = 64 * 1024;

/** Attempts of one append before VERIFIER_RECORD_CONFLICT (only writers sharing a writer id contend). */
const MAX_APPEND_ATTEMPTS = 50;

/** Writer ids (and relying-party ids inside chain ids): URL-safe, so a chain id never needs escaping. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

// Every verification reads its chain's head and appends: built and compiled once (@mynakit/db reusableQuery).
const CHAIN_HEAD = reusableQuery((db: Kysely<VerifierDatabase>, chainId: string) =>
  db
    .selectFrom('verification_records')
    .select(['seq', 'hash'])
    .where('chain_id', '=', chainId)
    .orderBy('seq', 'desc')
    .limit(1),
);
const INSERT_RECORD = reusableQuery(
  (db: Kysely<VerifierDatabase>, row: Insertable<VerifierDatabase['verification_records']>) =>
    db.insertInto('verification_records').values(row),
);

/** What an append takes. */
export interface AppendRecordInput {
  readonly relyingPartyId: string;
  /**
   * That relying party as the appending request already read it (its retention), when it did: it is not read
   * again. Never one read by another request.
   */
  readonly relyingParty?: RelyingParty;
  /** The verifier instance that writes (its own chain); [A-Za-z0-9_-]{1,64}. */
  readonly writerId: string;
  /** The record's facts: a JSON object (never a My Number, PIN or password). */
  readonly content: { readonly [key: string]: JsonValue };
  /** The instant it is made (epoch ms). */
  readonly now: number;
  /**
   * Keep at least until (epoch ms); default `now` + the relying party's retention (config.ts). A caller that
   * knows the relationship ends later passes the later date (the laws count from its end).
   */
  readonly retainUntil?: number;
}

/** A record as stored and read back. */
export interface VerificationRecord {
  readonly id: string;
  readonly chainId: string;
  readonly seq: number;
  readonly relyingPartyId: string;
  readonly writerId: string;
  readonly prevHash: string;
  readonly contentHash: string;
  readonly hash: string;
  /** The content; null once tombstoned. */
  readonly content: { readonly [key: string]: JsonValue } | null;
  readonly recordedAt: number;
  readonly retainUntil: number;
  readonly tombstonedAt: number | null;
  readonly legalHold: boolean;
}

/** The chain id of a relying party's records written by one writer. */
export function chainIdOf(relyingPartyId: string, writerId: string): string {
  return `${relyingPartyId}/${writerId}`;
}

/** Validates and encodes content: the canonical text, or throws VERIFIER_RECORD_INVALID / _FORBIDDEN_CONTENT. */
export function canonicalRecordContent(content: unknown): string {
  return checkedRecordContent(content).text;
}

/**
 * canonicalRecordContent, with the content as the text reads back (what the guard judged, and what the
 * appended record holds): the text is encoded once and parsed once.
 */
function checkedRecordContent(content: unknown): {
  readonly text: string;
  readonly parsed: { [key: string]: JsonValue };
} {
  if (typeof content !== 'object' || content === null || Array.isArray(content))
    throw new VerifierError('VERIFIER_RECORD_INVALID', 'record content must be a JSON object');
  const text = canonicalJson(content);
  if (Buffer.byteLength(text, 'utf8') > MAX_RECORD_CONTENT_BYTES)
    throw new VerifierError(
      'VERIFIER_RECORD_INVALID',
      `record content exceeds ${MAX_RECORD_CONTENT_BYTES} bytes`,
    );
  const parsed = JSON.parse(text) as { [key: string]: JsonValue };
  refuseForbiddenContent(parsed);
  return { text, parsed };
}

/**
 * Appends a verification record to the chain of (relying party, writer) — see the file comment. Refuses
 * content holding a My Number or a PIN / password (VERIFIER_RECORD_FORBIDDEN_CONTENT); VERIFIER_NOT_FOUND
 * for an unknown relying party; VERIFIER_RECORD_CONFLICT when the compare-and-set kept losing.
 */
export async function appendVerificationRecord(
  store: VerifierStore,
  input: AppendRecordInput,
): Promise<VerificationRecord> {
  checkInstant(input.now, 'now');
  check(ID_PATTERN.test(input.writerId), 'writerId must be [A-Za-z0-9_-]{1,64}');
  check(ID_PATTERN.test(input.relyingPartyId), 'relyingPartyId must be [A-Za-z0-9_-]{1,64}');
  if (input.retainUntil !== undefined) checkInstant(input.retainUntil, 'retainUntil');
  const { text, parsed } = checkedRecordContent(input.content);
  const party =
    input.relyingParty?.id === input.relyingPartyId
      ? input.relyingParty
      : await store.relyingParties.get(input.relyingPartyId);
  if (party === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
  const retainUntil = Math.max(
    retainUntilOf(input.now, retentionYearsOf(party.config)),
    input.retainUntil ?? 0,
  );
  const chainId = chainIdOf(input.relyingPartyId, input.writerId);
  const contentHash = contentHashOfCanonical(text);
  for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
    const head = await chainHead(store.db, chainId);
    const seq = (head?.seq ?? 0) + 1;
    const prevHash = head?.hash ?? GENESIS_PREV_HASH;
    const hash = recordHashOf({ chainId, seq, prevHash, contentHash, recordedAt: input.now });
    const id = newId();
    try {
      await INSERT_RECORD(store.db, {
        id,
        chain_id: chainId,
        seq,
        relying_party_id: input.relyingPartyId,
        writer_id: input.writerId,
        prev_hash: prevHash,
        content_hash: contentHash,
        hash,
        content: text,
        recorded_at: input.now,
        retain_until: retainUntil,
        tombstoned_at: null,
        legal_hold: 0,
      });
    } catch (e) {
      if (isUniqueViolation(e)) continue; // another append took this seq: read the new head
      throw e;
    }
    return {
      id,
      chainId,
      seq,
      relyingPartyId: input.relyingPartyId,
      writerId: input.writerId,
      prevHash,
      contentHash,
      hash,
      content: parsed,
      recordedAt: input.now,
      retainUntil,
      tombstonedAt: null,
      legalHold: false,
    };
  }
  throw new VerifierError('VERIFIER_RECORD_CONFLICT', 'the chain head kept moving; retry the record');
}

/** The last record of a chain (its seq and hash), or undefined for an empty chain. */
export async function chainHead(
  db: Kysely<VerifierDatabase>,
  chainId: string,
): Promise<{ seq: number; hash: string } | undefined> {
  const [row] = (await CHAIN_HEAD(db, chainId)).rows;
  return row === undefined ? undefined : { seq: Number(row.seq), hash: row.hash };
}

/**
 * Tombstones every record past its retention that is not on legal hold: the content is removed, the
 * content hash and the record hash stay (see the file comment). Returns how many records were purged.
 */
export async function purgeExpiredRecords(store: VerifierStore, now: number): Promise<number> {
  checkInstant(now, 'now');
  const r = await store.db
    .updateTable('verification_records')
    .set({ content: null, tombstoned_at: now })
    .where('tombstoned_at', 'is', null)
    .where('retain_until', '<=', now)
    .where('legal_hold', '=', 0)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Puts a record on legal hold (or lifts it): a held record is never purged, whatever its retention.
 * VERIFIER_NOT_FOUND when there is no such record (of that relying party, when one is named).
 */
export async function setLegalHold(
  store: VerifierStore,
  recordId: string,
  hold: boolean,
  options: { relyingPartyId?: string } = {},
): Promise<void> {
  let q = store.db
    .updateTable('verification_records')
    .set({ legal_hold: hold ? 1 : 0 })
    .where('id', '=', recordId);
  if (options.relyingPartyId !== undefined) q = q.where('relying_party_id', '=', options.relyingPartyId);
  const r = await q.executeTakeFirst();
  if (r.numUpdatedRows === 0n) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such record');
}

/** A stored row as a VerificationRecord. */
export function toVerificationRecord(row: VerifierDatabase['verification_records']): VerificationRecord {
  return {
    id: row.id,
    chainId: row.chain_id,
    seq: Number(row.seq),
    relyingPartyId: row.relying_party_id,
    writerId: row.writer_id,
    prevHash: row.prev_hash,
    contentHash: row.content_hash,
    hash: row.hash,
    content: row.content === null ? null : JSON.parse(row.content),
    recordedAt: Number(row.recorded_at),
    retainUntil: Number(row.retain_until),
    tombstonedAt: row.tombstoned_at === null ? null : Number(row.tombstoned_at),
    legalHold: Number(row.legal_hold) === 1,
  };
}

/** A page of records (recorded_at, id order) and the cursor of the next page. */
export interface RecordPage {
  readonly records: VerificationRecord[];
  /** Pass as `after` for the next page; absent on the last page. */
  readonly next?: string;
}

/** Options of listRecords. */
export interface ListRecordsOptions {
  /** Only this relying party's records (absent: every relying party — the operator's export). */
  readonly relyingPartyId?: string;
  /** Recorded at or after (epoch ms). */
  readonly from: number;
  /** Recorded before (epoch ms). */
  readonly to: number;
  /** Page size, 1..1000. */
  readonly limit: number;
  /** The cursor of the previous page. */
  readonly after?: string;
}

/** Largest page of listRecords. */
export const MAX_RECORD_PAGE = 1000;

function decodeCursor(cursor: string): { at: number; id: string } {
  const m = /^(\d{1,15})\.([A-Za-z0-9-]{1,64})$/.exec(cursor);
  if (m === null) throw new VerifierError('VERIFIER_INVALID_INPUT', 'after is not a cursor of this list');
  return { at: Number(m[1]), id: m[2] as string };
}

/** Records made in [from, to), oldest first, keyset-paged. */
export async function listRecords(store: VerifierStore, options: ListRecordsOptions): Promise<RecordPage> {
  checkInstant(options.from, 'from');
  checkInstant(options.to, 'to');
  check(
    Number.isInteger(options.limit) && options.limit >= 1 && options.limit <= MAX_RECORD_PAGE,
    `limit must be an integer in 1..${MAX_RECORD_PAGE}`,
  );
  let q = store.db
    .selectFrom('verification_records')
    .selectAll()
    .where('recorded_at', '>=', options.from)
    .where('recorded_at', '<', options.to);
  if (options.relyingPartyId !== undefined) q = q.where('relying_party_id', '=', options.relyingPartyId);
  if (options.after !== undefined) {
    const { at, id } = decodeCursor(options.after);
    q = q.where((eb) =>
      eb.or([eb('recorded_at', '>', at), eb.and([eb('recorded_at', '=', at), eb('id', '>', id)])]),
    );
  }
  const rows = await q
    .orderBy('recorded_at')
    .orderBy('id')
    .limit(options.limit + 1)
    .execute();
  const records = rows.slice(0, options.limit).map(toVerificationRecord);
  const last = records.at(-1);
  return rows.length > options.limit && last !== undefined
    ? { records, next: `${last.recordedAt}.${last.id}` }
    : { records };
}

/** One record (of that relying party, when one is named), or undefined. */
export async function getRecord(
  store: VerifierStore,
  id: string,
  options: { relyingPartyId?: string } = {},
): Promise<VerificationRecord | undefined> {
  let q = store.db.selectFrom('verification_records').selectAll().where('id', '=', id);
  if (options.relyingPartyId !== undefined) q = q.where('relying_party_id', '=', options.relyingPartyId);
  const row = await q.executeTakeFirst();
  return row === undefined ? undefined : toVerificationRecord(row);
}
