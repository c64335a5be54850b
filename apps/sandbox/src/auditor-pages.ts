/**
 * The auditor's view of the bank's verification records (確認記録, DOMAIN.md §5) in the sandbox: a Vite +
 * Preact page (`apps/sandbox/pages/auditor`, built by scripts/build-pages.mjs into `dist-pages/auditor`)
 * served at `/verifier/auditor/` (built-page.ts), and the JSON routes it reads under
 * `/verifier/auditor/api/`:
 *
 *   GET api/records?from&to          → `{from, to, records: RecordSummary[], more}` — the records of a
 *                                      Japan-day range (both default to today in Japan, UTC+9)
 *   GET api/records/:id              → the record in full, as the verifier shows it
 *   GET api/chains                   → the chain check: every hash chain and signed checkpoint, the first
 *                                      broken record named (with its id when it is one of the bank's)
 *   GET api/export?from&to&format    → the range as a CSV or JSON download
 *
 * Every read of records goes through the verifier's own `/records` routes with an auditor key of the bank's —
 * so each one lands in the verifier's access log as it would for a real auditor — and the key stays on the
 * server. Errors are RFC 9457 problems with stable codes; a submitted date or id is never echoed.
 */
import { problem } from '@mynakit/http-kit';
import type { OpenedVerifier } from '@mynakit/verifier';
import { verifyRecordChains } from '@mynakit/verifier';
import type { Context, Hono } from 'hono';
import { defaultPageDir, registerBuiltPage } from './built-page.js';

/** What the auditor pages need. */
export interface AuditorPagesParts {
  /** The sandbox's own URL (the verifier is under `/verifier`). */
  readonly url: string;
  readonly verifier: OpenedVerifier;
  /** The verifier's routes as mounted in the sandbox (under `/verifier`). */
  readonly verifierFetch: (request: Request) => Response | Promise<Response>;
  /** The verifier's operator token (to issue the auditor key once). */
  readonly adminToken: string;
  /** The bank's relying-party id. */
  readonly relyingPartyId: string;
  /** The page's build folder (default `apps/sandbox/dist-pages/auditor`). */
  readonly pageDir?: string;
}

/** A record as the verifier's `/records` routes show it. */
interface RecordView {
  readonly id: string;
  readonly seq: number;
  readonly chainId: string;
  readonly recordedAt: string;
  readonly retainUntil: string;
  readonly tombstonedAt: string | null;
  readonly legalHold: boolean;
  readonly hash: string;
  readonly content: Record<string, unknown> | null;
}

/** A declared item as records hold it (`{code, name_ja, detail?}`). */
export interface DeclaredItemSummary {
  readonly code: string;
  readonly name_ja: string | null;
  readonly detail?: string;
}

/** One line of the list: what an auditor scans for, without the identity facts. */
export interface RecordSummary {
  readonly id: string;
  readonly chainId: string;
  readonly seq: number;
  readonly recordedAt: string;
  readonly legalHold: boolean;
  /** The content was purged after retention (its hash remains). */
  readonly tombstoned: boolean;
  readonly outcome: string | null;
  readonly verdict: string | null;
  readonly channel: string | null;
  readonly law: string | null;
  readonly method: {
    readonly letter: string | null;
    readonly law: string | null;
    readonly name_ja: string | null;
  } | null;
  /** Why no method applies (codes of @mynakit/kyc), when `method` is null. */
  readonly methodReasons: readonly string[];
  readonly transactionType: string | null;
  readonly transactionPurpose: DeclaredItemSummary | null;
  readonly occupation: DeclaredItemSummary | null;
}

/** At most this many records are listed for one range (the verifier's page size limit is larger). */
const LIST_LIMIT = 200;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const RECORD_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Today in Japan (UTC+9, no daylight saving), YYYY-MM-DD. */
export function japanToday(now: Date): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** Whether `day` is a calendar date YYYY-MM-DD that exists (no 2026-13-01, no 2026-02-30). */
export function isCalendarDay(day: string): boolean {
  const m = DAY.exec(day);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function declared(v: unknown): DeclaredItemSummary | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const code = str(o.code);
  if (code === null) return null;
  const detail = str(o.detail);
  return { code, name_ja: str(o.name_ja), ...(detail === null ? {} : { detail }) };
}

/** The list line of a record. */
export function summaryOf(r: RecordView): RecordSummary {
  const c = r.content;
  const m = c?.method;
  const method =
    m !== null && typeof m === 'object' && !Array.isArray(m)
      ? {
          letter: str((m as Record<string, unknown>).letter),
          law: str((m as Record<string, unknown>).law),
          name_ja: str((m as Record<string, unknown>).name_ja),
        }
      : null;
  return {
    id: r.id,
    chainId: r.chainId,
    seq: r.seq,
    recordedAt: r.recordedAt,
    legalHold: r.legalHold,
    tombstoned: c === null,
    outcome: str(c?.outcome),
    verdict: str(c?.verdict),
    channel: str(c?.channel),
    law: str(c?.law),
    method,
    methodReasons: Array.isArray(c?.methodReasons)
      ? c.methodReasons.filter((x): x is string => typeof x === 'string').slice(0, 20)
      : [],
    transactionType: str(c?.transactionType),
    transactionPurpose: declared(c?.transactionPurpose),
    occupation: declared(c?.occupation),
  };
}

/** The range of a request: both days, defaulting to today in Japan; undefined when not valid. */
function rangeOf(c: Context, today: string): { from: string; to: string } | undefined {
  const from = c.req.query('from') || today;
  const to = c.req.query('to') || today;
  if (!isCalendarDay(from) || !isCalendarDay(to) || to < from) return undefined;
  return { from, to };
}

const badRange = (c: Context) =>
  problem(
    c,
    400,
    'AUDITOR_INVALID_RANGE',
    'Invalid day range',
    'from and to must be calendar dates YYYY-MM-DD, from not after to',
  );

/** The verifier's problem code of an answer that was not 2xx (a stable code, no personal data). */
async function upstreamCode(r: Response): Promise<string> {
  try {
    const body = (await r.json()) as { code?: unknown };
    return typeof body.code === 'string' && /^[A-Z0-9_]{1,64}$/.test(body.code)
      ? body.code
      : `HTTP_${r.status}`;
  } catch {
    return `HTTP_${r.status}`;
  }
}

/** Registers `/verifier/auditor/…` (before the verifier's own routes). */
export function registerAuditorPages(app: Hono, parts: AuditorPagesParts): void {
  let auditorKey: Promise<string> | undefined;
  const keyOnce = () => {
    auditorKey ??= (async () => {
      const r = await parts.verifierFetch(
        new Request(
          `${parts.url}/verifier/relying-parties/${encodeURIComponent(parts.relyingPartyId)}/api-keys`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${parts.adminToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ role: 'auditor' }),
          },
        ),
      );
      const body = (await r.json()) as { apiKey?: { apiKey?: string } | string; code?: string };
      const key = typeof body.apiKey === 'string' ? body.apiKey : body.apiKey?.apiKey;
      if (!r.ok || key === undefined) {
        auditorKey = undefined;
        throw new Error(`the auditor key could not be issued (HTTP ${r.status} ${String(body.code)})`);
      }
      return key;
    })();
    return auditorKey;
  };
  /** A GET of the verifier's records routes with the auditor key; a key that cannot be had answers 502. */
  const records = async (path: string): Promise<Response> => {
    let key: string;
    try {
      key = await keyOnce();
    } catch {
      return new Response(JSON.stringify({ code: 'AUDITOR_KEY_UNAVAILABLE' }), {
        status: 502,
        headers: { 'content-type': 'application/problem+json' },
      });
    }
    return parts.verifierFetch(
      new Request(`${parts.url}/verifier${path}`, { headers: { authorization: `Bearer ${key}` } }),
    );
  };
  const unavailable = (c: Context, code: string) =>
    problem(
      c,
      502,
      'AUDITOR_RECORDS_UNAVAILABLE',
      'The records could not be read',
      `the verifier answered ${code}`,
    );
  const today = () => japanToday(parts.verifier.deps.clock());

  app.get('/verifier/auditor/api/records', async (c) => {
    const range = rangeOf(c, today());
    if (range === undefined) return badRange(c);
    const r = await records(`/records?from=${range.from}&to=${range.to}&limit=${LIST_LIMIT}`);
    if (!r.ok) return unavailable(c, await upstreamCode(r));
    const body = (await r.json()) as { records?: RecordView[]; next?: string };
    c.header('Cache-Control', 'no-store');
    return c.json({
      ...range,
      records: (body.records ?? []).slice(0, LIST_LIMIT).map(summaryOf),
      more: body.next !== undefined,
    });
  });

  app.get('/verifier/auditor/api/records/:id', async (c) => {
    const id = c.req.param('id');
    const r = RECORD_ID.test(id) ? await records(`/records/${id}`) : undefined;
    if (r === undefined || r.status === 404)
      return problem(c, 404, 'AUDITOR_NO_SUCH_RECORD', 'No such record');
    if (!r.ok) return unavailable(c, await upstreamCode(r));
    c.header('Cache-Control', 'no-store');
    return c.json((await r.json()) as RecordView);
  });

  app.get('/verifier/auditor/api/export', async (c) => {
    const range = rangeOf(c, today());
    if (range === undefined) return badRange(c);
    const format = c.req.query('format') ?? 'csv';
    if (format !== 'csv' && format !== 'json')
      return problem(c, 400, 'AUDITOR_INVALID_FORMAT', 'Invalid format', 'format must be csv or json');
    const r = await records(`/records/export?from=${range.from}&to=${range.to}&format=${format}`);
    if (!r.ok) return unavailable(c, await upstreamCode(r));
    return new Response(r.body, {
      status: 200,
      headers: {
        'content-type': r.headers.get('content-type') ?? 'application/octet-stream',
        'content-disposition': `attachment; filename="verification-records-${range.from}-${range.to}.${format}"`,
        'cache-control': 'no-store',
      },
    });
  });

  app.get('/verifier/auditor/api/chains', async (c) => {
    const report = await verifyRecordChains(parts.verifier.store, {
      checkpointPublicKey: parts.verifier.checkpointKey.publicKey,
    });
    const broken = report.firstBroken;
    // The broken point is a chain and a seq; when it is a record of the bank's, name it by id too.
    const row =
      broken === undefined
        ? undefined
        : await parts.verifier.store.db
            .selectFrom('verification_records')
            .select('id')
            .where('chain_id', '=', broken.chainId)
            .where('seq', '=', broken.seq)
            .where('relying_party_id', '=', parts.relyingPartyId)
            .executeTakeFirst();
    c.header('Cache-Control', 'no-store');
    return c.json({
      verdict: report.verdict,
      counts: report.counts,
      checks: report.checks.map((k) => ({ id: k.id, status: k.status, detail: k.detail })),
      firstBroken:
        broken === undefined
          ? null
          : { chainId: broken.chainId, seq: broken.seq, reason: broken.reason, recordId: row?.id ?? null },
    });
  });

  app.all('/verifier/auditor/api/*', (c) => problem(c, 404, 'AUDITOR_NOT_FOUND', 'Not found'));

  registerBuiltPage(app, {
    prefix: '/verifier/auditor',
    dir: parts.pageDir ?? defaultPageDir('auditor'),
    titleJa: '確認記録の監査',
    titleEn: 'Auditing the verification records',
    notFoundCode: 'AUDITOR_NOT_FOUND',
  });
}
