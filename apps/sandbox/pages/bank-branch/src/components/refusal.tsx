/** Why the counter could not go on: the stable code, the phone's or the verifier's reason, the checks. */
import { ChecksTable, Verdict } from '../../../shared/checks';
import type { Problem } from '../api';
import { AnsweredBy, NextCustomer, RecordLine } from './parts';

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
  const [ja, en] = REFUSALS.get(code) ?? ['読み取れません', 'could not read'];
  return (
    <section class="refusal" role="alert" data-error={code} data-reason={problem.reason}>
      <p>
        <strong class="failed">読み取れません</strong> <small>Not read</small>
      </p>
      <p>
        {ja} <small>{en}</small>{' '}
        <small>
          (<code>{code}</code>)
        </small>
      </p>
      {problem.reason ? (
        <p>
          理由 <small>reason</small>: <code data-reason-code={problem.reason}>{problem.reason}</code>
        </p>
      ) : null}
      {problem.phone ? (
        <p class="small">
          電話 <small>phone</small>: <AnsweredBy phone={problem.phone} />
        </p>
      ) : null}
      {problem.verdict !== undefined && problem.checks !== undefined ? (
        <>
          <p data-face-check="not-shown">
            顔写真は表示できません — 取引を進めないでください <small>no photo to show — do not proceed</small>
          </p>
          <Verdict
            answer={{
              verdict: problem.verdict,
              errorCode: problem.errorCode ?? null,
              checks: problem.checks,
            }}
          />
          <RecordLine
            answer={{
              verdict: problem.verdict,
              errorCode: problem.errorCode ?? null,
              checks: problem.checks,
              method: problem.method ?? null,
              methodReasons: problem.methodReasons ?? [],
              recordId: problem.recordId ?? null,
              flags: problem.flags ?? [],
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
      <NextCustomer />
    </section>
  );
}
