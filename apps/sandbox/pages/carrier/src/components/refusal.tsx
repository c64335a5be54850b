/** Why a method could not go on: the stable code, the tries the phone has left, or the verifier's checks. */
import type { Problem } from '../api';
import { ChecksTable, Verdict } from '../../../shared/checks';
import { AnsweredBy } from './phones';

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
  const [ja, en] = REFUSALS.get(code) ?? ['本人確認できません', 'could not verify'];
  const wrong = code === 'CARRIER_PASSWORD_WRONG';
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
            — 残り{' '}
            <strong data-remaining-tries={String(problem.remainingTries ?? '')}>
              {problem.remainingTries ?? '?'}
            </strong>{' '}
            回
          </>
        ) : null}{' '}
        <small>
          {en}
          {wrong ? ` — ${problem.remainingTries ?? '?'} tries left` : ''}
        </small>{' '}
        <small>
          (<code>{code}</code>)
        </small>
      </p>
      {problem.phone ? (
        <p class="small">
          応答した電話 <small>answered by</small>: <AnsweredBy phone={problem.phone} />
        </p>
      ) : null}
      {problem.verdict !== undefined && problem.checks !== undefined ? (
        <>
          <Verdict
            answer={{
              verdict: problem.verdict,
              errorCode: problem.errorCode ?? null,
              checks: problem.checks,
            }}
          />
          <ChecksTable
            answer={{
              verdict: problem.verdict,
              errorCode: problem.errorCode ?? null,
              checks: problem.checks,
            }}
          />
        </>
      ) : null}
    </section>
  );
}
