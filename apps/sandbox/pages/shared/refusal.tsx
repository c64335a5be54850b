/**
 * What every relying party's refusal shows alike: what could not be done, the stable code in words with the
 * tries the phone has left when it counted a wrong secret, the phone that answered, the verifier's reason
 * and, when the verifier answered, its verdict and checks.
 */
import type { ComponentChildren } from 'preact';
import { type CheckData, type ChecksData, ChecksTable, Verdict } from './checks';
import { AnsweredBy, type BridgePhone } from './phones';

/** The members of a problem document the refusal shows. */
export interface RefusedAnswer {
  verdict?: string;
  errorCode?: string | null;
  checks?: CheckData[];
}

/** What could not be done, Japanese then English. */
export function RefusalHeading({ ja, en }: { ja: string; en: string }) {
  return (
    <p>
      <strong class="failed">{ja}</strong> <small>{en}</small>
    </p>
  );
}

/**
 * The code in words and the code itself (with the phone's own code, `walletCode`); when the phone `counted`
 * a wrong secret, the tries it has left.
 */
export function RefusalWords({
  code,
  words,
  counted = false,
  remainingTries,
  walletCode,
}: {
  code: string;
  words: readonly [string, string];
  counted?: boolean;
  remainingTries?: number | null | undefined;
  walletCode?: string | undefined;
}) {
  const [ja, en] = words;
  return (
    <p>
      {ja}
      {counted ? (
        <>
          {' '}
          — 残り <strong data-remaining-tries={String(remainingTries ?? '')}>{remainingTries ?? '?'}</strong>{' '}
          回
        </>
      ) : null}{' '}
      <small>
        {en}
        {counted ? ` — ${remainingTries ?? '?'} tries left` : ''}
      </small>{' '}
      <small>
        (<code>{code}</code>
        {walletCode ? (
          <>
            , <code>{walletCode}</code>
          </>
        ) : null}
        )
      </small>
    </p>
  );
}

/** The phone that answered, when the problem names one. */
export function AnsweredByLine({ phone }: { phone: BridgePhone | undefined }) {
  if (!phone) return null;
  return (
    <p class="small">
      応答した電話 <small>answered by</small>: <AnsweredBy phone={phone} />
    </p>
  );
}

/** The verifier's own reason code, when it gave one. */
export function ReasonLine({ reason }: { reason: string | undefined }) {
  if (!reason) return null;
  return (
    <p>
      理由 <small>reason</small>: <code data-reason-code={reason}>{reason}</code>
    </p>
  );
}

/** The verdict and checks a problem carries when the verifier answered, else `undefined`. */
export function refusedChecks(problem: RefusedAnswer): ChecksData | undefined {
  if (problem.verdict === undefined || problem.checks === undefined) return undefined;
  return { verdict: problem.verdict, errorCode: problem.errorCode ?? null, checks: problem.checks };
}

/** The verdict, what the page puts between, and the checks, when the verifier answered. */
export function RefusedChecks({
  problem,
  children,
}: {
  problem: RefusedAnswer;
  children?: ComponentChildren;
}) {
  const answer = refusedChecks(problem);
  if (answer === undefined) return null;
  return (
    <>
      <Verdict answer={answer} />
      {children}
      <ChecksTable answer={answer} />
    </>
  );
}
