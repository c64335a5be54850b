/**
 * What relying parties see change: the Token Status List partitions (GET /status-lists: positions
 * allocated, when last signed) and the CRL partitions (GET /crl, each CRL's size and thisUpdate). Polled
 * while the page is visible, and reloaded after a life event; a row that changed since the last look is
 * marked.
 */
import { useRef } from 'preact/hooks';
import { type CrlIndex, fileFacts, type StatusListIndex, api } from '../api';
import { useInterval, useLoad } from '../hooks';
import { jst } from '../labels';
import { Spinner } from './progress';

/** How often the panels look again, ms. */
const POLL_MS = 5000;
/** At most this many CRLs are fetched per look. */
const MAX_CRLS = 32;

/** Remembers each row's last value; answers whether it differs from the one seen before. */
function useChanged() {
  const seen = useRef(new Map<string, string>());
  return (key: string, value: string): boolean => {
    const before = seen.current.get(key);
    seen.current.set(key, value);
    return before !== undefined && before !== value;
  };
}

/** The status list partitions. */
export function StatusListsPanel({ refreshKey }: { refreshKey: number }) {
  const lists = useLoad(() => api<StatusListIndex>('status-lists'), [refreshKey]);
  useInterval(lists.reload, POLL_MS);
  const changed = useChanged();
  return (
    <section class="card" aria-labelledby="status-h">
      <h2 id="status-h">
        ステータスリスト <small>Token Status Lists</small> {lists.loading && <Spinner label="" />}
      </h2>
      {lists.error && <p class="error">{lists.error}</p>}
      {lists.data && lists.data.statusLists.length === 0 && <p class="muted">まだありません None yet.</p>}
      {lists.data && lists.data.statusLists.length > 0 && (
        <table class="status-lists">
          <thead>
            <tr>
              <th>区画 Partition</th>
              <th>割当 Allocated</th>
              <th>署名時刻 Signed at</th>
            </tr>
          </thead>
          <tbody>
            {lists.data.statusLists.map((p) => {
              const isNew = changed(`sl-${p.partition}`, `${p.signedAt}|${p.allocated}`);
              return (
                <tr key={p.partition} class={isNew ? 'changed' : ''} data-partition={p.partition}>
                  <td>{p.partition}</td>
                  <td>
                    {p.allocated} / {p.capacity}
                  </td>
                  <td data-signed-at={p.signedAt ?? ''}>
                    {p.signedAt === null ? '未署名 not yet' : jst(p.signedAt)}
                    {isNew && <span class="badge">更新 updated</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface CrlRow {
  readonly key: string;
  readonly issuerCertificate: string;
  readonly purpose: string;
  readonly partition: string;
  readonly size: number | undefined;
  readonly lastModified: string | undefined;
}

async function loadCrls(): Promise<CrlRow[]> {
  const index = await api<CrlIndex>('crl');
  const rows: CrlRow[] = [];
  for (const p of index.partitions.slice(0, MAX_CRLS)) {
    const path = `crl/${encodeURIComponent(p.issuerCertificate)}/${encodeURIComponent(p.partition)}`;
    const facts = await fileFacts(path).catch(() => undefined);
    rows.push({
      key: `${p.issuerCertificate}/${p.partition}`,
      issuerCertificate: p.issuerCertificate,
      purpose: p.purpose,
      partition: p.partition,
      size: facts?.size,
      lastModified: facts?.lastModified,
    });
  }
  return rows;
}

/** The CRL partitions. */
export function CrlPanel({ refreshKey }: { refreshKey: number }) {
  const crls = useLoad(loadCrls, [refreshKey]);
  useInterval(crls.reload, POLL_MS * 2);
  const changed = useChanged();
  return (
    <section class="card" aria-labelledby="crl-h">
      <h2 id="crl-h">
        失効リスト <small>CRLs</small> {crls.loading && <Spinner label="" />}
      </h2>
      {crls.error && <p class="error">{crls.error}</p>}
      {crls.data && (
        <table class="crls">
          <thead>
            <tr>
              <th>CA</th>
              <th>区画 Partition</th>
              <th>大きさ Size</th>
              <th>発行 thisUpdate</th>
            </tr>
          </thead>
          <tbody>
            {crls.data.map((r) => {
              const isNew = changed(r.key, `${r.size}|${r.lastModified}`);
              return (
                <tr key={r.key} class={isNew ? 'changed' : ''} data-crl={r.key} data-crl-size={r.size ?? ''}>
                  <td>
                    {r.purpose === 'signature' ? '署名用' : '利用者証明用'}{' '}
                    <span class="muted small">{r.issuerCertificate}</span>
                  </td>
                  <td>{r.partition}</td>
                  <td>{r.size === undefined ? '—' : `${r.size} B`}</td>
                  <td>
                    {r.lastModified === undefined ? '—' : jst(new Date(r.lastModified).toISOString())}
                    {isNew && <span class="badge">更新 updated</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
