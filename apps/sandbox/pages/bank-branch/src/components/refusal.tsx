/** Why the counter could not go on: the stable code, the phone's or the verifier's reason, the checks. */

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
]);

export function RefusalView({ code, problem }: { code: string; problem: Problem }) {
  return (
    <section class="refusal" role="alert" data-error={code} data-reason={problem.reason}>
      <RefusalHeading ja="読み取れません" en="Not read" />
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
      <NextCustomer />
    </section>
  );
}
