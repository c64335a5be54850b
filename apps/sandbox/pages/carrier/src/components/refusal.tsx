/** Why a method could not go on: the stable code, the tries the phone has left, or the verifier's checks. */

import { AnsweredByLine, RefusalHeading, RefusalWords, RefusedChecks } from '../../../shared/refusal';
import type { Problem } from '../api';

const REFUSALS: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['CARRIER_NO_PHONE', ['電話を選んでください', 'choose a phone']],
  [
    'CARRIER_PASSWORD_FORMAT',
    [
      '署名用パスワードは英大文字と数字の 6〜16 文字です',
      'the signature password is 6–16 upper-case letters and digits',
    ],
  ],
  [
    'CARRIER_PASSWORD_WRONG',
    ['署名用パスワードが違います。電話が数えています', 'wrong signature password; the phone counts it'],
  ],
  [
    'CARRIER_PASSWORD_LOCKED',
    [
      '署名用パスワードがロックされています。搭載し直すまで使えません',
      'the signature password is locked; the certificate cannot be used until it is installed again',
    ],
  ],
  [
    'CARRIER_NOTHING_IN_FORCE',
    ['この電話には有効な記録・証明書がありません', 'this phone holds no record or certificate in force'],
  ],
  ['CARRIER_PHONE_REFUSED', ['この電話は応答できませんでした', 'the phone could not answer']],
  ['CARRIER_SESSION_UNAVAILABLE', ['セッションを開けません', 'the session could not be opened']],
  ['CARRIER_NOT_VERIFIED', ['本人確認できませんでした', 'the verification failed']],
]);

export function RefusalView({ code, problem }: { code: string; problem: Problem }) {
  return (
    <section class="refusal" role="alert" data-error={code}>
      <RefusalHeading ja="本人確認できません" en="Not verified" />
      <RefusalWords
        code={code}
        words={REFUSALS.get(code) ?? ['本人確認できません', 'could not verify']}
        counted={code === 'CARRIER_PASSWORD_WRONG'}
        remainingTries={problem.remainingTries}
      />
      <AnsweredByLine phone={problem.phone} />
      <RefusedChecks problem={problem} />
    </section>
  );
}
