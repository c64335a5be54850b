/** Why the page could not go on: its stable code, and the verifier's own code when it refused. */
import { ReasonLine, RefusalHeading, RefusalWords } from '../../../shared/refusal';
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
  return (
    <section class="refusal" role="alert" data-error={code} data-reason={problem.reason}>
      <RefusalHeading ja="本人確認できません" en="Not verified" />
      <RefusalWords code={code} words={REFUSALS.get(code) ?? ['本人確認できません', 'could not verify']} />
      <ReasonLine reason={problem.reason} />
      <p>
        <a href={again}>もう一度 / again</a>
      </p>
    </section>
  );
}
