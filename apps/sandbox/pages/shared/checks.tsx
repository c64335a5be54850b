/** The verdict and every check of the verifier (check details never carry personal data). */

/** A check of the verifier's report. */
export interface CheckData {
  id: string;
  status: string;
  detail: string | null;
}

/** The verdict, the verifier's error code when it refused, and the checks. */
export interface ChecksData {
  verdict: string;
  errorCode: string | null;
  checks: CheckData[];
}

export function Verdict({ answer }: { answer: ChecksData }) {
  return (
    <p data-verdict={answer.verdict}>
      判定 <small>verdict</small>:{' '}
      <strong class={answer.verdict === 'valid' ? 'passed' : 'failed'}>{answer.verdict}</strong>
      {answer.errorCode ? (
        <span data-error-code={answer.errorCode}>
          {' '}
          — 理由 <small>reason</small>: <code>{answer.errorCode}</code>
        </span>
      ) : null}
    </p>
  );
}

export function ChecksTable({ answer }: { answer: ChecksData }) {
  return (
    <div class="scroll">
      <table class="checks">
        <thead>
          <tr>
            <th>
              検証 <small>check</small>
            </th>
            <th>
              結果 <small>status</small>
            </th>
            <th>
              詳細 <small>detail</small>
            </th>
          </tr>
        </thead>
        <tbody>
          {/* Keyed by position: an id may stand twice (a response's and its document's `decode`). */}
          {answer.checks.map((k, i) => (
            <tr key={`${i}:${k.id}`} data-check={k.id}>
              <td>
                <code>{k.id}</code>
              </td>
              <td class={k.status}>{k.status}</td>
              <td>
                <small>{k.detail ?? ''}</small>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The checks under their heading. */
export function ChecksSection({ answer }: { answer: ChecksData }) {
  return (
    <>
      <h3>
        検証 <small>Checks</small>
      </h3>
      <ChecksTable answer={answer} />
    </>
  );
}
