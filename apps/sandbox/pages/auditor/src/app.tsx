/**
 * The auditor's view of the sandbox bank's verification records (確認記録): the records of a Japan-day
 * range, one record in full, the chain check and the export as CSV or JSON. Every read is itself written to
 * the verifier's access log. The open record is named in the URL's fragment (`#record=<id>`), so a record
 * can be linked and the fragment never reaches a server.
 */
import { useEffect, useState } from 'preact/hooks';
import { apiUrl, type ChainReport, getJson, type RecordList as RecordListData } from './api';
import { ChainCheck } from './components/chain-check';
import { type Range, RangeForm } from './components/range-form';
import { RecordDetail } from './components/record-detail';
import { RecordList } from './components/record-list';
import { useLoad } from './hooks';

const RECORD_ID = /^[A-Za-z0-9-]{1,64}$/;

function recordOfHash(): string | undefined {
  const m = /^#record=([A-Za-z0-9-]{1,64})$/.exec(location.hash);
  return m?.[1];
}

export function App() {
  // Undefined: the sandbox picks today in Japan and says which days it used.
  const [range, setRange] = useState<Range | undefined>(undefined);
  const [selected, setSelected] = useState<string | undefined>(recordOfHash());
  const [chains, setChains] = useState<ChainReport | undefined>(undefined);
  const list = useLoad(
    () => getJson<RecordListData>('records', range === undefined ? {} : { from: range.from, to: range.to }),
    [range?.from, range?.to],
  );
  useEffect(() => {
    const onHash = () => setSelected(recordOfHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const select = (id: string | undefined) => {
    if (id !== undefined && !RECORD_ID.test(id)) return;
    setSelected(id);
    history.replaceState(null, '', id === undefined ? location.pathname + location.search : `#record=${id}`);
  };
  const shown: Range | undefined =
    list.data === undefined ? range : { from: list.data.from, to: list.data.to };
  const broken = chains?.firstBroken?.recordId ?? undefined;

  return (
    <>
      <header class="top">
        <a href="../" class="back">
          ← 依拠当事者 <small>Relying parties</small>
        </a>
        <h1>
          確認記録の監査 <small>Auditing the verification records</small>
        </h1>
        <p class="muted small">
          サンドボックス銀行の確認記録(犯収法)。閲覧と出力はすべてアクセスログに残ります。 Sandbox Bank's
          verification records; every read and export is itself written to the access log.
        </p>
      </header>
      <main class="layout">
        <div class="column">
          <section class="card" aria-labelledby="list-h">
            <h2 id="list-h">
              記録 <small>Records</small>
            </h2>
            <RangeForm range={shown} onSearch={setRange} />
            {list.error && (
              <p class="error" data-error={list.error.code}>
                記録を読めません <small>The records could not be read</small>: <code>{list.error.code}</code>
              </p>
            )}
            {list.data !== undefined && (
              <>
                <p class="summary">
                  <span data-record-count={list.data.records.length}>
                    {list.data.records.length} 件 <small>records</small>
                    {list.data.more && (
                      <>
                        {' '}
                        — 表示は先頭のみ、期間を狭めてください{' '}
                        <small>first ones only: narrow the range</small>
                      </>
                    )}
                  </span>
                  <span class="exports">
                    <a
                      class="button"
                      data-export="csv"
                      href={apiUrl('export', { from: list.data.from, to: list.data.to, format: 'csv' })}
                      download
                    >
                      CSV 出力 <small>Export CSV</small>
                    </a>
                    <a
                      class="button"
                      data-export="json"
                      href={apiUrl('export', { from: list.data.from, to: list.data.to, format: 'json' })}
                      download
                    >
                      JSON 出力 <small>Export JSON</small>
                    </a>
                  </span>
                </p>
                <RecordList
                  records={list.data.records}
                  selected={selected}
                  broken={broken}
                  onSelect={select}
                />
              </>
            )}
            {list.loading && list.data === undefined && <p class="muted">読み込み中… Loading…</p>}
          </section>
        </div>
        <div class="column">
          {selected !== undefined && <RecordDetail id={selected} onClose={() => select(undefined)} />}
          <ChainCheck onReport={setChains} onOpen={select} />
        </div>
      </main>
    </>
  );
}
