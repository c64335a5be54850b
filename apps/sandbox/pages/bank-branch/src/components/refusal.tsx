/**
 * Why the counter could not go on: the stable code, the phone's or the verifier's reason, the checks. A
 * customer who declined on the phone is shown as exactly that, with the way to read the phone again.
 */

import { AnsweredBy } from '../../../shared/phones';
import {
  ReasonLine,
  RefusalHeading,
  RefusalWords,
  RefusedChecks,
  refusedChecks,
} from '../../../shared/refusal';
import { RecordLine } from '../../../shared/result-parts';
import type { Problem } from '../api';
import { NextCustomer } from './parts';

const REFUSALS: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['BRANCH_NO_PHONE', ['電話を選んでください', 'choose a phone']],
  ['BRANCH_NOT_READ', ['電話を読み取れませんでした', 'the phone could not be read']],
  [
    'BRANCH_NOT_VERIFIED',
    ['記録を検証できません — 取引を進めないでください', 'the record was not verified — do not proceed'],
  ],
  [
    'BRANCH_READ_UNKNOWN',
    [
      'この読み取りは確認済みか、見つかりません — もう一度読み取ってください',
      'this read was already confirmed or is unknown — read the phone again',
    ],
  ],
  ['BRANCH_INVALID_REQUEST', ['要求が正しくありません', 'invalid request']],
  [
    'BRANCH_BIOMETRIC_ON_PHONE',
    [
      'お客様が電話の画面で承認します。窓口から生体認証は送れません',
      'the customer approves on the phone; the counter sends no biometric',
    ],
  ],
]);

const READER_TIME_OVER: readonly [string, string] = [
  '読み取り機の待ち時間内に電話で応答がなく、電話の要求も終了しました',
  'nobody answered on the phone while the reader waited; the request on the phone ended with it',
];

/** What the phone's or the verifier's reason means at the counter, when it is one staff can act on. */
const REASONS: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['WALLET_DECLINED', ['お客さまがスマートフォンで提示を断りました', 'the customer declined on the phone']],
  // The reader's time ran out (the verifier's proximity timeout), or the request on the phone, shown until
  // then, lapsed at the same moment: one end, said the same way.
  ['VERIFIER_PROXIMITY_TIMEOUT', READER_TIME_OVER],
  ['WALLET_REQUEST_EXPIRED', READER_TIME_OVER],
  ['WALLET_PHONE_BUSY', ['電話に応答待ちの要求が多すぎます', 'too many requests wait on the phone']],
  ['WALLET_DOCUMENT_NOT_HELD', ['この電話には有効な記録がありません', 'the phone holds no record in force']],
]);

/** The refusals after which reading the phone again is the way on. */
const READ_AGAIN: ReadonlySet<string> = new Set(['BRANCH_NOT_READ', 'BRANCH_READ_UNKNOWN']);

export function RefusalView({
  code,
  problem,
  onReadAgain,
}: {
  code: string;
  problem: Problem;
  /** Back to the counter, with what the customer declared still filled in. */
  onReadAgain: () => void;
}) {
  const reason = problem.reason === undefined ? undefined : REASONS.get(problem.reason);
  return (
    <section class="refusal" role="alert" data-error={code} data-reason={problem.reason}>
      <RefusalHeading ja="読み取れません" en="Not read" />
      {reason ? (
        <p {...(problem.reason === 'WALLET_DECLINED' ? { 'data-declined': '' } : {})}>
          <strong>{reason[0]}</strong> <small>{reason[1]}</small>
        </p>
      ) : null}
      <RefusalWords code={code} words={REFUSALS.get(code) ?? ['読み取れません', 'could not read']} />
      <ReasonLine reason={problem.reason} />
      {problem.phone ? (
        <p class="small">
          電話 <small>phone</small>: <AnsweredBy phone={problem.phone} unmarked />
        </p>
      ) : null}
      {refusedChecks(problem) ? (
        <p data-face-check="not-shown">
          顔写真は表示できません — 取引を進めないでください <small>no photo to show — do not proceed</small>
        </p>
      ) : null}
      <RefusedChecks problem={problem}>
        <RecordLine result={{ recordId: problem.recordId ?? null, flags: problem.flags ?? [] }} />
      </RefusedChecks>
      {READ_AGAIN.has(code) ? (
        <p>
          <button type="button" data-read-again onClick={onReadAgain}>
            もう一度読み取る / Read the phone again
          </button>
        </p>
      ) : null}
      <NextCustomer />
    </section>
  );
}
