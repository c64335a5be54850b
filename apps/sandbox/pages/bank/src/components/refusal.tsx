/**
 * Why a step could not go on: the stable code in words (`words` first, where a view says it its own way),
 * the phone — and, where asking the phone again may end otherwise (the holder declined, nobody answered), a
 * button to try again.
 */

import type { ComponentChildren } from 'preact';
import { PhoneName } from '../../../shared/phones';
import { RefusalHeading, RefusalWords } from '../../../shared/refusal';
import type { Problem } from '../api';
import { REFUSALS, say, type Words } from '../words';

export function Refusal({
  code,
  problem,
  words,
  onTryAgain,
  children,
}: {
  code: string;
  problem: Problem;
  words?: ReadonlyMap<string, Words>;
  onTryAgain?: () => void;
  /** What the view adds under the words (what the customer can do next). */
  children?: ComponentChildren;
}) {
  return (
    <section class="refusal" role="alert" data-error={code}>
      <RefusalHeading ja="本人確認できません" en="Not verified" />
      <RefusalWords
        code={code}
        words={words?.get(code) ?? say(REFUSALS, code, ['本人確認できません', 'Could not verify.'])}
      />
      {problem.phone ? (
        <p class="small">
          電話 <small>phone</small>: <PhoneName phone={problem.phone} />
        </p>
      ) : null}
      {children}
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
