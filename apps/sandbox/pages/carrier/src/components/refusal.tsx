/**
 * Why a method could not go on: the stable code (with the phone's own), the tries the phone has left, or the
 * verifier's checks — and, where asking the phone again may end otherwise (the holder declined, nobody
 * answered), a button to try again.
 */

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
  [
    'CARRIER_DECLINED',
    [
      'お客さまがスマートフォンで送信を断りました。携帯会社には何も送られていません',
      'the customer declined on the phone: nothing was sent to the carrier',
    ],
  ],
  [
    'CARRIER_PHONE_NO_ANSWER',
    [
      'スマートフォンで時間内に応答がありませんでした。何も送られていません',
      'nobody answered on the phone in time: nothing was sent',
    ],
  ],
  [
    'CARRIER_PHONE_BUSY',
    [
      'この電話には応答待ちの要求が多すぎます。電話の画面で片付けてから、もう一度お試しください',
      'too many requests are waiting on this phone: clear its screen, then try again',
    ],
  ],
  ['CARRIER_SESSION_UNAVAILABLE', ['セッションを開けません', 'the session could not be opened']],
  ['CARRIER_NOT_VERIFIED', ['本人確認できませんでした', 'the verification failed']],
]);

export function RefusalView({
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
        words={REFUSALS.get(code) ?? ['本人確認できません', 'could not verify']}
        counted={code === 'CARRIER_PASSWORD_WRONG'}
        remainingTries={problem.remainingTries}
        walletCode={problem.walletCode}
      />
      <AnsweredByLine phone={problem.phone} />
      <RefusedChecks problem={problem} />
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
