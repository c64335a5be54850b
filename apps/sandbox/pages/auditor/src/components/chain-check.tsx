/** The chain check: every hash chain and signed checkpoint of the verifier, the first broken record named. */
import { useState } from 'preact/hooks';
import { type ChainReport, getJson } from '../api';
import { useLoad } from '../hooks';
import { checkStatusLabel } from '../labels';

const VERDICT_TEXT: ReadonlyMap<string, string> = new Map([
  ['valid', '改ざんなし intact'],
  ['invalid', '改ざんあり broken'],
  ['undetermined', '判定不能 undetermined'],
]);

export function ChainCheck({
  onReport,
  onOpen,
}: {
  /** The report after each run (the list marks the broken record). */
  onReport: (report: ChainReport | undefined) => void;
  /** Opens a record by id. */
  onOpen: (id: string) => void;
}) {
  const [run, setRun] = useState(0);
  const report = useLoad(
    async () => {
      const r = await getJson<ChainReport>('chains');
      onReport(r);
      return r;
    },
    [run],
    run > 0,
  );
  const r = report.data;
  const broken = r?.firstBroken ?? null;
  return (
    <section class="card chain" aria-labelledby="chain-h">
      <h2 id="chain-h">
        チェーン検証 <small>Chain check</small>
      </h2>
      <p class="muted small">
        すべてのハッシュチェーンと署名済みチェックポイントを検証します。 Checks every hash chain and signed
        checkpoint.
      </p>
      <button
        type="button"
        name="check-chains"
        disabled={report.loading}
        onClick={() => setRun((n) => n + 1)}
      >
        {run === 0 ? '検証する Check the chains' : '再検証 Check again'}
      </button>
      {report.error && (
        <p class="error" data-error={report.error.code}>
          検証できません <small>The check could not run</small>: <code>{report.error.code}</code>
        </p>
      )}
      {r !== undefined && !report.loading && (
        <div class="chain-result" data-chain-verdict={r.verdict}>
          <p class={`verdict ${r.verdict}`}>
            <strong>{VERDICT_TEXT.get(r.verdict) ?? r.verdict}</strong> — {r.counts.chains} チェーン chains,{' '}
            {r.counts.records} 件 records, {r.counts.checkpoints} チェックポイント checkpoints
          </p>
          {broken !== null && (
            <p class="error first-broken" data-first-broken={broken.recordId ?? ''}>
              最初の破損 <small>First broken</small>: <code>{broken.chainId}</code> #{broken.seq} —{' '}
              {broken.reason}
              {broken.recordId !== null && (
                <>
                  {' '}
                  <button
                    type="button"
                    class="link"
                    data-open-broken
                    onClick={() => onOpen(broken.recordId as string)}
                  >
                    記録を開く Open the record
                  </button>
                </>
              )}
            </p>
          )}
          <table class="checks">
            <thead>
              <tr>
                <th>検査 Check</th>
                <th>結果 Status</th>
              </tr>
            </thead>
            <tbody>
              {r.checks.map((k) => (
                <tr key={k.id} data-check={k.id} data-status={k.status}>
                  <td>
                    <code>{k.id}</code>
                    <div class="small muted">{k.detail}</div>
                  </td>
                  <td>
                    <span class={`state ${k.status}`}>{checkStatusLabel(k.status)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="small muted">
            サンドボックスではこの画面が検証者のチェックポイント公開鍵で直接確かめます。運用では{' '}
            <code>mynakit records verify</code> を使います。 Here the check uses the verifier's checkpoint
            public key directly; in operation, run <code>mynakit records verify</code>.
          </p>
        </div>
      )}
    </section>
  );
}
