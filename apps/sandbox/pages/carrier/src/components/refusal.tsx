/**
 * Why a method could not go on: the stable code (with the phone's own) or the verifier's checks — and, where
 * asking the phone again may end otherwise (the holder declined, nobody answered), a button to try again;
 * for ト's password locked on the phone, what the customer can do instead. ト's signature password is typed
 * on the phone's screen only: a wrong one stays there (the phone counts it), so the carrier hears only how
 * the signing ended.
 */

import { AnsweredByLine, RefusalHeading, RefusalWords, RefusedChecks } from '../../../shared/refusal';
import type { Problem } from '../api';

const REFUSALS: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['CARRIER_NO_PHONE', ['電話を選んでください', 'choose a phone']],
  [
    'CARRIER_PASSWORD_ON_PHONE',
    [
      '署名用パスワードはスマートフォンの画面で入力します。携帯会社には送れません(電話には何も届いていません)',
      'the signature password is typed on the phone, never sent to the carrier (nothing reached the phone)',
    ],
  ],
  [
    'CARRIER_PASSWORD_LOCKED',
    [
      '署名用パスワードがスマートフォンでロックされました(5回の誤り)。この電話の署名用電子証明書は、搭載し直すまで使えません',
      "the signature password is locked on the phone (five wrong tries): the phone's signature certificate cannot be used until it is installed again",
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

/** ト's refusals where they differ from チ's: the holder signs (or not) rather than sends. */
const SIGNATURE_REFUSALS: ReadonlyMap<string, readonly [string, string]> = new Map([
  [
    'CARRIER_DECLINED',
    [
      'お客さまがスマートフォンで署名を断りました。何も署名されていません',
      'the customer declined to sign on the phone: nothing was signed',
    ],
  ],
  [
    'CARRIER_PHONE_NO_ANSWER',
    [
      'スマートフォンで時間内に署名されませんでした。何も署名されていません',
      'nobody signed on the phone in time: nothing was signed',
    ],
  ],
  [
    'CARRIER_NOTHING_IN_FORCE',
    ['この電話には有効な署名用電子証明書がありません', 'this phone holds no signature certificate in force'],
  ],
]);

export function RefusalView({
  code,
  problem,
  method,
  onTryAgain,
}: {
  code: string;
  problem: Problem;
  /** The method refused: チ (the record) or ト (the signature). */
  method: 'chi' | 'to';
  onTryAgain?: () => void;
}) {
  const words = (method === 'to' ? SIGNATURE_REFUSALS.get(code) : undefined) ??
    REFUSALS.get(code) ?? ['本人確認できません', 'could not verify'];
  return (
    <section class="refusal" role="alert" data-error={code} data-method={method}>
      <RefusalHeading ja="本人確認できません" en="Not verified" />
      <RefusalWords code={code} words={words} walletCode={problem.walletCode} />
      <AnsweredByLine phone={problem.phone} />
      <RefusedChecks problem={problem} />
      {code === 'CARRIER_PASSWORD_LOCKED' ? (
        <p data-locked-next>
          別の電話を選んで、もう一度署名できます。この電話で署名するには、
          <a href="/wallet/">電話の画面</a>で署名用電子証明書を搭載し直してください。{' '}
          <small>
            Choose another phone to sign again; to sign with this phone, install the signature certificate
            again on <a href="/wallet/">the phone's screen</a>.
          </small>
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
