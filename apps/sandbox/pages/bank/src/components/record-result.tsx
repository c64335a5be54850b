/**
 * A record verification's result (`result/<session>`): who answered (the browser's wallet through the
 * Digital Credentials API, or a phone through the labelled bridge and why), the verdict, what the record
 * disclosed (only when valid), the KYC method or why none applies — with the letter a certified program
 * would get —, every check, the verification record, what the customer declared, and for a valid
 * verification the passkey offer.
 */
import { useEffect, useState } from 'preact/hooks';
import { ChecksTable, Verdict } from '../../../shared/checks';
import { DeclaredTable } from '../../../shared/declaration-fields';
import { ApiError, bankUrl, getRecordResult, type RecordResult } from '../api';
import { FALLBACK_REASONS } from '../words';
import { PasskeyOffer } from './passkey-offer';
import { PhoneName } from './phones';
import { Fact, Facts, MethodLine, RecordLine } from './result-parts';

function AnsweredBy({ result }: { result: RecordResult }) {
  const by = result.answeredBy;
  if (by.kind === 'dc-api')
    return (
      <p class="dc-api" data-answered-by="dc-api">
        応答 <small>answered by</small>: このブラウザのウォレット(Digital Credentials API, org-iso-mdoc){' '}
        <small>this browser's wallet through the Digital Credentials API</small>
      </p>
    );
  const why = by.fallback === null ? undefined : FALLBACK_REASONS.get(by.fallback);
  return (
    <>
      <p class="bridge" data-answered-by="bridge">
        応答した電話 <small>answered by</small>: <PhoneName phone={by.phone} />
      </p>
      {why !== undefined && by.fallback !== null ? (
        <p data-fallback={by.fallback}>
          ブリッジに切り替えた理由 <small>why the bridge</small>: {why[0]} <small>{why[1]}</small>
        </p>
      ) : null}
    </>
  );
}

export function RecordResultView({ session }: { session: string }) {
  const [result, setResult] = useState<RecordResult | { error: string } | undefined>(undefined);
  useEffect(() => {
    getRecordResult(session).then(setResult, (e: unknown) =>
      setResult({ error: e instanceof ApiError ? e.code : 'NETWORK' }),
    );
  }, [session]);
  if (result === undefined) return <p class="muted">読み込み中… Loading…</p>;
  if ('error' in result)
    return (
      <p class="error" role="alert" data-error={result.error}>
        この結果はありません <small>no such result</small> (<code>{result.error}</code>) —{' '}
        <a href={bankUrl('')}>戻る / back</a>
      </p>
    );
  const valid = result.verdict === 'valid';
  return (
    <section class="card" data-result="record">
      <h2>
        本人確認の結果 <small>Verification result</small>
      </h2>
      <AnsweredBy result={result} />
      <Verdict answer={result} />
      {result.identity !== null ? (
        <Facts marker="data-record-identity">
          <Fact ja="氏名" en="name" field="name">
            {result.identity.name}
          </Fact>
          <Fact ja="住所" en="address" field="address">
            {result.identity.address}
          </Fact>
          <Fact ja="生年月日" en="birth date" field="birthDate">
            {result.identity.birthDate}
          </Fact>
          {result.identity.portrait !== null ? (
            <Fact ja="顔写真" en="photo">
              <img
                class="portrait"
                alt="portrait"
                src={`data:image/jpeg;base64,${result.identity.portrait}`}
              />
            </Fact>
          ) : null}
        </Facts>
      ) : null}
      <h3>
        本人確認方法 <small>KYC method</small>
      </h3>
      <MethodLine result={result} />
      {result.methodIfCertified !== null ? (
        <p data-method-if-certified={result.methodIfCertified.id}>
          認定を受けたプログラムなら 犯収法施行規則 第6条第1項第1号{' '}
          <strong>{result.methodIfCertified.letter}</strong> {result.methodIfCertified.name_ja}{' '}
          <small>
            — a certified program would satisfy {result.methodIfCertified.letter} (
            {result.methodIfCertified.name_en}) today
          </small>
        </p>
      ) : null}
      <h3>
        検証 <small>Checks</small>
      </h3>
      <ChecksTable answer={result} />
      <RecordLine result={result} />
      <h3>
        お客さまの申告 <small>What the customer declared</small>
      </h3>
      <DeclaredTable declared={result.declared} />
      {valid ? <PasskeyOffer sessionId={result.sessionId} /> : null}
      <p>
        <a href={bankUrl('')}>もう一度 / again</a>
      </p>
    </section>
  );
}
