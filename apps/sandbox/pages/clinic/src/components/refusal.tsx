/**
 * Why the desk could not go on: the stable code, the phone's own code, the tries the phone has left. A
 * user authentication the verifier did not find valid is shown with its result instead (result.tsx).
 */

import { AnsweredByLine, RefusalHeading, RefusalWords } from '../../../shared/refusal';
import type { Problem } from '../api';

/** What each refusal says, Japanese then English. */
export const REFUSALS: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['CLINIC_NO_PHONE', ['電話を選んでください', 'choose a phone']],
  ['CLINIC_PIN_FORMAT', ['暗証番号は数字4桁です', 'the auth PIN is 4 digits']],
  ['CLINIC_PIN_WRONG', ['暗証番号が違います。電話が数えています', 'wrong auth PIN; the phone counts it']],
  [
    'CLINIC_PIN_LOCKED',
    [
      '利用者証明用暗証番号がロックされています。市区町村の窓口で解除が必要です',
      'the auth PIN is locked; the holder must have it reset',
    ],
  ],
  [
    'CLINIC_DECLINED',
    ['スマートフォンで本人確認が断られました', 'the user authentication was declined on the phone'],
  ],
  [
    'CLINIC_PHONE_NO_ANSWER',
    ['スマートフォンで時間内に確認されませんでした', 'nobody answered on the phone in time'],
  ],
  [
    'CLINIC_PHONE_BUSY',
    [
      'スマートフォンに確認待ちの依頼が多すぎます。画面を片付けてからもう一度お試しください',
      'the phone has too many requests waiting; clear its screen and try again',
    ],
  ],
  [
    'CLINIC_UNLOCK_ON_PHONE',
    [
      'iPhone の Face ID はスマートフォンの画面で使います。このリーダーには送れません',
      "the iPhone's Face ID is used on the phone, never sent to this reader",
    ],
  ],
  [
    'CLINIC_NO_CERTIFICATE',
    [
      'この電話には有効な利用者証明用電子証明書がありません',
      'this phone holds no user-authentication certificate in force',
    ],
  ],
  ['CLINIC_PHONE_REFUSED', ['この電話は応答できませんでした', 'the phone could not answer']],
  ['CLINIC_SESSION_UNAVAILABLE', ['セッションを開けません', 'the session could not be opened']],
  [
    'CLINIC_NOT_AUTHENTICATED',
    [
      '利用者証明用電子証明書を確かめられませんでした。失効した証明書(死亡・国外転出・カードの紛失などで失効します)では受付できません。保険の資格と記録は照会していません',
      'the user-authentication certificate could not be verified; a revoked certificate (death, moving abroad, a lost card …) is refused, and neither the insurer nor the record was asked',
    ],
  ],
]);

export function Refusal({ code, problem }: { code: string; problem: Problem }) {
  return (
    <section class="refusal" role="alert" data-error={code} data-wallet-code={problem.walletCode}>
      <RefusalHeading ja="受付できません" en="Refused at the desk" />
      <RefusalWords
        code={code}
        words={REFUSALS.get(code) ?? ['受付できません', 'refused at the desk']}
        counted={code === 'CLINIC_PIN_WRONG'}
        remainingTries={problem.remainingTries}
        walletCode={problem.walletCode}
      />
      <AnsweredByLine phone={problem.phone} />
    </section>
  );
}
