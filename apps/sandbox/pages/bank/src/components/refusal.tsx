/** Why a step could not go on: the stable code in words, the tries the phone has left, the phone. */

import { PhoneName } from '../../../shared/phones';
import { RefusalHeading, RefusalWords } from '../../../shared/refusal';
import type { Problem } from '../api';
import { REFUSALS, say } from '../words';

export function Refusal({ code, problem }: { code: string; problem: Problem }) {
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
    </section>
  );
}
