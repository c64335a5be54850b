/**
 * Why a step could not go on: the stable code in words, the tries the phone has left, the phone — and, where
 * asking the phone again may end otherwise (the holder declined, nobody answered), a button to try again.
 */

import { PhoneName } from '../../../shared/phones';
import { RefusalHeading, RefusalWords } from '../../../shared/refusal';
import type { Problem } from '../api';
import { REFUSALS, say } from '../words';

export function Refusal({
  code,
  problem,
  onTryAgain,
}: {
  code: string;
  problem: Problem;
  onTryAgain?: () => void;
}) {
  return (
    <section class="refusal" role="alert" data-error={code}>
      <RefusalHeading ja="本人確認できません" en="Not verified" />
      <RefusalWords
        code={code}
        words={say(REFUSALS, code, ['本人確認できません', 'Could not verify.'])}
        counted={code === 'WALLET_SECRET_WRONG'}
        remainingTries={problem.remainingTries}
      />
      {problem.phone ? (
        <p class="small">
          電話 <small>phone</small>: <PhoneName phone={problem.phone} />
        </p>
      ) : null}
      {onTryAgain !== undefined ? (
        <p>
          <button type="button" data-try-again onClick={onTryAgain}>
            もう一度電話に送る / Ask the phone again
          </button>
        </p>
      ) : null}
    </section>
  );
}
