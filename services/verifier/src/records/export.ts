/**
 * Reading records out: a day range in Japan time, the JSON view of a record, and exports as JSON or CSV
 * (RFC 4180) — each export written to the access log before it is handed out. The JSON export holds each
 * record's content whole; the CSV holds it as JSON in `content` and, after it, the customer's declaration
 * of 取引時確認 (the purpose of the transaction and the occupation: code and detail) in columns of their own
 * (sessions/customer-declaration.ts), empty when the record has none.
 */
import { VerifierError } from '../errors.js';
import type { VerifierStore } from '../store/verifier-store.js';
import { logRecordAccess } from './access-log.js';
import { listRecords, type VerificationRecord } from './record-chains.js';

/** Most records one export holds; narrow the range beyond it (VERIFIER_EXPORT_TOO_LARGE). */
export const MAX_EXPORT_RECORDS = 50_000;

/**
 * Japan Standard Time, UTC+09:00 without daylight saving: the laws' days are Japanese calendar days, so a
 * range `2026-04-01..2026-04-30` means those days in Japan [I].
 */
const JST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` → the instant its day starts in Japan, or undefined when it is no calendar date. */
export function startOfJapanDay(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  if (y < 1970) return undefined;
  return utc - JST_OFFSET_MS;
}

/**
 * The instants [from, to) of an inclusive day range `from..to` (Japan days). VERIFIER_INVALID_INPUT when a
 * date is malformed or `to` is before `from`.
 */
export function japanDayRange(from: string, to: string): { from: number; to: number } {
  const a = startOfJapanDay(from);
  const b = startOfJapanDay(to);
  if (a === undefined || b === undefined)
    throw new VerifierError('VERIFIER_INVALID_INPUT', 'from and to must be calendar dates YYYY-MM-DD');
  if (b < a) throw new VerifierError('VERIFIER_INVALID_INPUT', 'to is before from');
  return { from: Math.max(a, 0), to: b + DAY_MS };
}

/** A record as the API and the exports show it. */
export interface RecordView {
  readonly id: string;
  readonly relyingPartyId: string;
  readonly chainId: string;
  readonly seq: number;
  readonly recordedAt: string;
  readonly retainUntil: string;
  readonly tombstonedAt: string | null;
  readonly legalHold: boolean;
  readonly prevHash: string;
  readonly contentHash: string;
  readonly hash: string;
  /** The facts recorded; null once tombstoned. */
  readonly content: VerificationRecord['content'];
}

/** The view of a record. */
export function recordView(r: VerificationRecord): RecordView {
  return {
    id: r.id,
    relyingPartyId: r.relyingPartyId,
    chainId: r.chainId,
    seq: r.seq,
    recordedAt: new Date(r.recordedAt).toISOString(),
    retainUntil: new Date(r.retainUntil).toISOString(),
    tombstonedAt: r.tombstonedAt === null ? null : new Date(r.tombstonedAt).toISOString(),
    legalHold: r.legalHold,
    prevHash: r.prevHash,
    contentHash: r.contentHash,
    hash: r.hash,
    content: r.content,
  };
}

/** The CSV columns, in order. */
export const CSV_COLUMNS = [
  'id',
  'relying_party_id',
  'chain_id',
  'seq',
  'recorded_at',
  'retain_until',
  'tombstoned_at',
  'legal_hold',
  'prev_hash',
  'content_hash',
  'hash',
  'content',
  'transaction_purpose',
  'transaction_purpose_detail',
  'occupation',
  'occupation_detail',
] as const;

/** `content[member]` of a declared item (`{code, detail?}`), as its code and its detail ('' when none). */
function declaredColumns(content: VerificationRecord['content'], member: string): [string, string] {
  const v = content !== null && Object.hasOwn(content, member) ? content[member] : null;
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) return ['', ''];
  const item = v as { readonly [key: string]: unknown };
  const text = (name: string) =>
    Object.hasOwn(item, name) && typeof item[name] === 'string' ? (item[name] as string) : '';
  return [text('code'), text('detail')];
}

/**
 * One CSV field (RFC 4180 §2): quoted when it holds a comma, quote, CR or LF, quotes doubled. A field that a
 * spreadsheet would take for a formula (=, +, -, @ first) is quoted and prefixed with `'` (OWASP CSV
 * injection) — no field of ours starts so except by tampering, but the content column is relying-party data.
 */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The records as CSV: a header line, then one line per record, CRLF line ends (RFC 4180 §2). */
export function recordsCsv(records: readonly VerificationRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records) {
    const v = recordView(r);
    lines.push(
      [
        v.id,
        v.relyingPartyId,
        v.chainId,
        String(v.seq),
        v.recordedAt,
        v.retainUntil,
        v.tombstonedAt ?? '',
        v.legalHold ? '1' : '0',
        v.prevHash,
        v.contentHash,
        v.hash,
        v.content === null ? '' : JSON.stringify(v.content),
        ...declaredColumns(v.content, 'transactionPurpose'),
        ...declaredColumns(v.content, 'occupation'),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Options of exportRecords. */
export interface ExportRecordsOptions {
  /** Only this relying party's records (absent: every relying party — the operator). */
  readonly relyingPartyId?: string;
  /** Inclusive day range, `YYYY-MM-DD` (Japan days). */
  readonly from: string;
  readonly to: string;
  readonly format: 'json' | 'csv';
  /** Who exports, for the access log. */
  readonly actor: string;
  readonly now: number;
}

/**
 * Every record of the range (at most MAX_EXPORT_RECORDS) as JSON (`{from, to, records: [...]}`) or CSV,
 * after writing the export to the access log.
 */
export async function exportRecords(
  store: VerifierStore,
  options: ExportRecordsOptions,
): Promise<{ body: string; contentType: string; count: number }> {
  const range = japanDayRange(options.from, options.to);
  const records: VerificationRecord[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listRecords(store, {
      ...(options.relyingPartyId === undefined ? {} : { relyingPartyId: options.relyingPartyId }),
      from: range.from,
      to: range.to,
      limit: 1000,
      ...(after === undefined ? {} : { after }),
    });
    records.push(...page.records);
    if (records.length > MAX_EXPORT_RECORDS)
      throw new VerifierError(
        'VERIFIER_EXPORT_TOO_LARGE',
        `more than ${MAX_EXPORT_RECORDS} records in the range; export a shorter range`,
      );
    if (page.next === undefined) break;
    after = page.next;
  }
  await logRecordAccess(store, {
    relyingPartyId: options.relyingPartyId ?? null,
    actor: options.actor,
    action: 'export',
    scope: `${options.from}..${options.to} ${options.format}`,
    recordIds: records.map((r) => r.id),
    at: options.now,
  });
  if (options.format === 'csv')
    return {
      body: recordsCsv(records),
      contentType: 'text/csv; charset=utf-8; header=present',
      count: records.length,
    };
  const body = JSON.stringify({ from: options.from, to: options.to, records: records.map(recordView) });
  return { body, contentType: 'application/json', count: records.length };
}
