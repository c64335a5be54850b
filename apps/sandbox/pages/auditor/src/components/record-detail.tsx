/** One record in full: its place in the chain, its retention, and the content as recorded. */
import { getJson, type RecordFull } from '../api';
import { useLoad } from '../hooks';
import { japanTime, lawLabel, outcomeLabel, transactionLabel, verdictLabel } from '../labels';
import { declaredText } from './record-list';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function declared(v: unknown): string | null {
  if (v === null || typeof v !== 'object') return null;
  const o = v as { code?: unknown; name_ja?: unknown; detail?: unknown };
  if (typeof o.code !== 'string') return null;
  return declaredText({
    code: o.code,
    name_ja: str(o.name_ja),
    ...(typeof o.detail === 'string' ? { detail: o.detail } : {}),
  });
}

export function RecordDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const record = useLoad(() => getJson<RecordFull>(`records/${encodeURIComponent(id)}`), [id]);
  return (
    <section class="card detail" aria-labelledby="detail-h" data-detail-for={id}>
      <div class="head">
        <h2 id="detail-h">
          確認記録 <small>Verification record</small>
        </h2>
        <button type="button" class="link" onClick={onClose}>
          閉じる Close
        </button>
      </div>
      {record.loading && record.data === undefined && <p class="muted">読み込み中… Loading…</p>}
      {record.error && (
        <p class="error" data-error={record.error.code}>
          記録を読めません <small>The record could not be read</small>: <code>{record.error.code}</code>
        </p>
      )}
      {record.data !== undefined && record.data.id === id && <Facts r={record.data} />}
    </section>
  );
}

function Facts({ r }: { r: RecordFull }) {
  const c = r.content;
  const method = c?.method as { law?: unknown; letter?: unknown; name_ja?: unknown } | null | undefined;
  const purpose = declared(c?.transactionPurpose);
  const occupation = declared(c?.occupation);
  return (
    <>
      <dl class="facts">
        <dt>ID</dt>
        <dd>
          <code data-record-id-shown>{r.id}</code>
        </dd>
        <dt>記録日時 Recorded</dt>
        <dd>{japanTime(r.recordedAt)}</dd>
        <dt>保存期限 Kept until</dt>
        <dd>{japanTime(r.retainUntil)}</dd>
        <dt>チェーン Chain</dt>
        <dd>
          <code>{r.chainId}</code> #{r.seq}
        </dd>
        <dt>ハッシュ Hash</dt>
        <dd>
          <code>{r.hash}</code>
        </dd>
        <dt>法的保全 Legal hold</dt>
        <dd>{r.legalHold ? 'はい yes' : 'いいえ no'}</dd>
        {c !== null && (
          <>
            <dt>結果 Outcome</dt>
            <dd data-outcome={str(c.outcome) ?? ''}>
              {outcomeLabel(str(c.outcome))} · {verdictLabel(str(c.verdict))}
            </dd>
            <dt>方法 Method</dt>
            <dd>
              {method?.letter
                ? `${lawLabel(str(method.law))} ${String(method.letter)} ${String(method.name_ja ?? '')}`
                : `— ${lawLabel(str(c.law))}`}
            </dd>
            <dt>取引 Transaction</dt>
            <dd data-transaction-type={str(c.transactionType) ?? ''}>
              {transactionLabel(str(c.transactionType))} {str(c.transactionDate) ?? ''}
            </dd>
            {purpose !== null && (
              <>
                <dt>取引の目的 Purpose</dt>
                <dd>{purpose}</dd>
              </>
            )}
            {occupation !== null && (
              <>
                <dt>職業 Occupation</dt>
                <dd>{occupation}</dd>
              </>
            )}
          </>
        )}
      </dl>
      <h3>
        内容 <small>Content as recorded</small>
      </h3>
      {c === null ? (
        <p data-tombstone>
          <em>保存期間の経過により消去済み(ハッシュは残ります)</em>{' '}
          <small>Purged after retention; its hash remains</small>
        </p>
      ) : (
        <pre class="json" data-record-content>
          {JSON.stringify(c, null, 2)}
        </pre>
      )}
    </>
  );
}
