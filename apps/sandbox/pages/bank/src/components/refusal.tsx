/** Why a step could not go on: the stable code in words, the tries the phone has left, the phone. */
import type { Problem } from '../api';
import { REFUSALS, say } from '../words';
import { PhoneName } from './phones';

export function Refusal({ code, problem }: { code: string; problem: Problem }) {
  const [ja, en] = say(REFUSALS, code, ['本人確認できません', 'Could not verify.']);
  const wrong = code === 'WALLET_SECRET_WRONG';
  const tries = problem.remainingTries ?? null;
  return (
    <section class="refusal" role="alert" data-error={code}>
      <p>
        <strong class="failed">本人確認できません</strong> <small>Not verified</small>
      </p>
      <p>
        {ja}
        {wrong ? (
          <>
            {' '}
            — 残り <strong data-remaining-tries={tries === null ? '' : String(tries)}>{tries ?? '?'}</strong>{' '}
            回
          </>
        ) : null}{' '}
        <small>
          {en}
          {wrong ? ` — ${tries ?? '?'} tries left` : ''}
        </small>{' '}
        <small>
          (<code>{code}</code>)
        </small>
      </p>
      {problem.phone ? (
        <p class="small">
          電話 <small>phone</small>: <PhoneName phone={problem.phone} />
        </p>
      ) : null}
    </section>
  );
}
