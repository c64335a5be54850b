/**
 * The auditor's view of the bank's verification records (確認記録, DOMAIN.md §5) in the sandbox: the records
 * of a Japan-day range, one record in full, the chain check (every hash chain and signed checkpoint, the
 * first broken record named) and the export as CSV or JSON. Every read goes through the verifier's own
 * `/records` routes with an auditor key of the bank's — so each one lands in the verifier's access log as it
 * would for a real auditor — and the key stays on the server. Server-rendered: it works without scripts.
 */
import { html, type SafeHtml } from '@mynakit/page-html';
import type { OpenedVerifier } from '@mynakit/verifier';
import { verifyRecordChains } from '@mynakit/verifier';
import type { Hono } from 'hono';

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

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const RECORD_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Today in Japan (UTC+9, no daylight saving), YYYY-MM-DD. */
function japanToday(now: Date): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

function frame(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body{font-family:"IPAGothic","Hiragino Sans",system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1b1b1b}
h1{font-size:1.5rem}.en,small{color:#555}table{border-collapse:collapse;font-size:.9rem;max-width:100%}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}.wrap{overflow-x:auto}
.valid,.passed{color:#176f2c}.invalid,.failed{color:#a4161a}.undetermined{color:#8a4b00}
code{font-size:.8rem;word-break:break-all}pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;padding:.5rem}
</style>
</head>
<body>
<p><a href="/verifier/">← 依拠当事者 / relying parties</a></p>
${body}
</body>
</html>
`.value;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : v === null || v === undefined ? '—' : JSON.stringify(v);
}

function rangeForm(from: string, to: string): SafeHtml {
  return html`<form method="get" action="/verifier/auditor/">
<label>開始日 <span class="en">from</span> <input type="date" name="from" value="${from}" required></label>
<label>終了日 <span class="en">to</span> <input type="date" name="to" value="${to}" required></label>
<button type="submit">表示 / Show</button>
</form>`;
}

function recordRow(r: RecordView): SafeHtml {
  const c = r.content ?? {};
  const method = c.method as { letter?: string; law?: string } | null | undefined;
  const outcome = text(c.outcome);
  return html`<tr>
<td><a href="/verifier/auditor/records/${r.id}">${r.recordedAt}</a></td>
<td class="${text(c.verdict)}">${r.content === null ? html`<em>消去済み / tombstone</em>` : outcome}</td>
<td>${method?.letter ? `${method.law ?? ''} ${method.letter}` : '—'}</td>
<td>${text(c.transactionType)}</td>
<td>${text(c.name)}</td>
<td><small>${r.chainId.split('/').pop() ?? ''} #${String(r.seq)}</small></td>
<td>${r.legalHold ? '保全 / hold' : ''}</td>
</tr>`;
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
  const records = async (path: string) =>
    parts.verifierFetch(
      new Request(`${parts.url}/verifier${path}`, {
        headers: { authorization: `Bearer ${await keyOnce()}` },
      }),
    );

  app.get('/verifier/auditor', (c) => c.redirect('/verifier/auditor/'));
  app.get('/verifier/auditor/', async (c) => {
    const today = japanToday(parts.verifier.deps.clock());
    const from = c.req.query('from') ?? today;
    const to = c.req.query('to') ?? today;
    if (!DAY.test(from) || !DAY.test(to))
      return c.html(
        frame(
          '監査 — mynakit sandbox',
          html`<h1>日付が正しくありません <span class="en">Invalid dates</span></h1>`,
        ),
        400,
      );
    const r = await records(`/records?from=${from}&to=${to}&limit=200`);
    const body = (await r.json()) as { records?: RecordView[]; code?: string; detail?: string };
    const list = body.records ?? [];
    const query = `from=${from}&to=${to}`;
    return c.html(
      frame(
        '監査 — mynakit sandbox',
        html`<h1>確認記録の監査 <span class="en">Auditing the verification records</span></h1>
<p>サンドボックス銀行の確認記録(犯収法)。閲覧と出力はすべてアクセスログに残ります。<br>
<span class="en">Sandbox Bank's verification records. Every read and export is itself written to the access log.</span></p>
${rangeForm(from, to)}
${
  r.ok
    ? html`<p>${String(list.length)} 件 <span class="en">records</span> —
<a href="/verifier/auditor/export?${query}&amp;format=csv">CSV</a> ·
<a href="/verifier/auditor/export?${query}&amp;format=json">JSON</a> ·
<a href="/verifier/auditor/chains">チェーン検証 <span class="en">check the chains</span></a></p>
<div class="wrap"><table>
<thead><tr><th>記録日時 <span class="en">recorded</span></th><th>結果 <span class="en">outcome</span></th><th>方法 <span class="en">method</span></th><th>取引 <span class="en">transaction</span></th><th>氏名 <span class="en">name</span></th><th>チェーン <span class="en">chain</span></th><th></th></tr></thead>
<tbody>${list.map(recordRow)}</tbody>
</table></div>`
    : html`<p class="failed">記録を読めません <span class="en">the records could not be read</span>: <code>${String(body.code)}</code></p>`
}`,
      ),
      r.ok ? 200 : 502,
    );
  });

  app.get('/verifier/auditor/records/:id', async (c) => {
    const id = c.req.param('id');
    const r = RECORD_ID.test(id) ? await records(`/records/${id}`) : undefined;
    if (r === undefined || !r.ok)
      return c.html(
        frame(
          '監査 — mynakit sandbox',
          html`<h1>記録がありません <span class="en">No such record</span></h1>`,
        ),
        404,
      );
    const rec = (await r.json()) as RecordView;
    return c.html(
      frame(
        '確認記録 — mynakit sandbox',
        html`<h1>確認記録 <span class="en">Verification record</span></h1>
<p><a href="/verifier/auditor/">← 一覧 / all records</a></p>
<table>
<tr><th>ID</th><td><code>${rec.id}</code></td></tr>
<tr><th>記録日時 <span class="en">recorded</span></th><td>${rec.recordedAt}</td></tr>
<tr><th>保存期限 <span class="en">kept until</span></th><td>${rec.retainUntil}</td></tr>
<tr><th>チェーン <span class="en">chain</span></th><td><code>${rec.chainId}</code> #${String(rec.seq)}</td></tr>
<tr><th>ハッシュ <span class="en">hash</span></th><td><code>${rec.hash}</code></td></tr>
<tr><th>法的保全 <span class="en">legal hold</span></th><td>${rec.legalHold ? 'はい / yes' : 'いいえ / no'}</td></tr>
</table>
<h2>内容 <span class="en">Content</span></h2>
${rec.content === null ? html`<p><em>保存期間の経過により消去済み(ハッシュは残ります) / purged after retention; its hash remains</em></p>` : html`<pre>${JSON.stringify(rec.content, null, 2)}</pre>`}`,
      ),
    );
  });

  app.get('/verifier/auditor/export', async (c) => {
    const today = japanToday(parts.verifier.deps.clock());
    const from = c.req.query('from') ?? today;
    const to = c.req.query('to') ?? today;
    const format = c.req.query('format') === 'json' ? 'json' : 'csv';
    if (!DAY.test(from) || !DAY.test(to)) return c.text('invalid dates', 400);
    const r = await records(`/records/export?from=${from}&to=${to}&format=${format}`);
    return new Response(r.body, {
      status: r.status,
      headers: {
        'content-type': r.headers.get('content-type') ?? 'application/octet-stream',
        'content-disposition': r.headers.get('content-disposition') ?? 'attachment',
        'cache-control': 'no-store',
      },
    });
  });

  app.get('/verifier/auditor/chains', async (c) => {
    const report = await verifyRecordChains(parts.verifier.store, {
      checkpointPublicKey: parts.verifier.checkpointKey.publicKey,
    });
    const broken = report.firstBroken;
    return c.html(
      frame(
        'チェーン検証 — mynakit sandbox',
        html`<h1>チェーン検証 <span class="en">Chain check</span></h1>
<p><a href="/verifier/auditor/">← 一覧 / all records</a></p>
<p class="verdict ${report.verdict}"><strong>${report.verdict === 'valid' ? '改ざんなし / intact' : report.verdict === 'invalid' ? '改ざんあり / broken' : '判定不能 / undetermined'}</strong>
— ${String(report.counts.chains)} チェーン <span class="en">chains</span>, ${String(report.counts.records)} 件 <span class="en">records</span>, ${String(report.counts.checkpoints)} 署名済みチェックポイント <span class="en">signed checkpoints</span></p>
${broken === undefined ? html`` : html`<p class="failed">最初の破損 <span class="en">first broken</span>: <code>${broken.chainId}</code> #${String(broken.seq)} — ${broken.reason}</p>`}
<table><thead><tr><th>check</th><th>status</th><th>detail</th></tr></thead>
<tbody>${report.checks.map((k) => html`<tr><td><code>${k.id}</code></td><td class="${k.status}">${k.status}</td><td>${k.detail}</td></tr>`)}</tbody></table>
<p><small>サンドボックスではこの画面が検証者の署名鍵の公開鍵で直接確かめます。運用では <code>mynakit records verify</code> を使います。<br>
<span class="en">Here the page checks with the verifier's checkpoint public key directly; in operation, run <code>mynakit records verify</code>.</span></small></p>`,
      ),
    );
  });
}
