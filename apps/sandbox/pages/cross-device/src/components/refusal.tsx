/** Why the page could not go on: its stable code, and the verifier's own code when it refused. */
import type { Problem } from '../api';

const REFUSALS: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['CROSS_DEVICE_NOT_OPENED', ['セッションを開けません', 'the session could not be opened']],
  ['CROSS_DEVICE_NO_SESSION', ['このセッションはありません', 'no such session']],
  [
    'CROSS_DEVICE_EXPIRED',
    ['電話から応答がないまま期限が切れました', 'the session expired without an answer'],
  ],
  ['CROSS_DEVICE_NO_RESULT', ['このセッションの結果を読めません', "the session's result cannot be read"]],
  [
    'CROSS_DEVICE_UNAVAILABLE',
    ['このサンドボックスでは QR コードの要求を作れません', 'no QR-code request can be made in this sandbox'],
  ],
  ['CROSS_DEVICE_INVALID_REQUEST', ['要求が正しくありません', 'invalid request']],
]);

export function RefusalView({ code, problem, again }: { code: string; problem: Problem; again: string }) {
  const [ja, en] = REFUSALS.get(code) ?? ['本人確認できません', 'could not verify'];
  return (
    <section class="refusal" role="alert" data-error={code} data-reason={problem.reason}>
      <p>
        <strong class="failed">本人確認できません</strong> <small>Not verified</small>
      </p>
      <p>
        {ja} <small>{en}</small>{' '}
        <small>
          (<code>{code}</code>)
        </small>
      </p>
      {problem.reason ? (
        <p>
          理由 <small>reason</small>: <code data-reason-code={problem.reason}>{problem.reason}</code>
        </p>
      ) : null}
      <p>
        <a href={again}>もう一度 / again</a>
      </p>
    </section>
  );
}
