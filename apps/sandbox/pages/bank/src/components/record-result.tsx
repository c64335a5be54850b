/**
 * A record verification's result (`result/<session>`): who answered (the browser's wallet through the
 * Digital Credentials API, or a phone through the labelled bridge and why), the verdict, what the record
 * disclosed (only when valid), the KYC method or why none applies — with the letter a certified program
 * would get —, every check, the verification record, what the customer declared, and for a valid
 * verification the passkey offer.
 */
import { ChecksSection, Verdict } from '../../../shared/checks';
import { Loading } from '../../../shared/page-frame';
import { PhoneName } from '../../../shared/phones';
import {
  CustomerDeclared,
  HANSHU_METHOD_PLACE,
  IdentityFacts,
  MethodIfCertified,
  MethodLine,
  RecordLine,
} from '../../../shared/result-parts';
import { bankUrl, getRecordResult, type RecordResult } from '../api';
import { FALLBACK_REASONS } from '../words';
import { NoSuchResult, useLoadedResult } from './loaded-result';
import { PasskeyOffer } from './passkey-offer';

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
      <p class="small" data-protocol={by.protocol}>
        プロトコル <small>protocol</small>:{' '}
        {by.protocol === 'openid4vp-v1-signed'
          ? 'OpenID4VP 1.0(DC API、署名付き要求 / signed request)'
          : 'ISO/IEC 18013-7 Annex C(org-iso-mdoc)'}
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
  const result = useLoadedResult(getRecordResult, session);
  if (result === undefined) return <Loading />;
  if ('error' in result) return <NoSuchResult error={result.error} back={bankUrl('')} />;
  const valid = result.verdict === 'valid';
  return (
    <section class="card" data-result="record">
      <h2>
        本人確認の結果 <small>Verification result</small>
      </h2>
      <AnsweredBy result={result} />
      <Verdict answer={result} />
      {result.identity !== null ? (
        <IdentityFacts identity={result.identity} attrs={{ 'data-record-identity': '' }} />
      ) : null}
      <h3>
        本人確認方法 <small>KYC method</small>
      </h3>
      <MethodLine result={result} law={HANSHU_METHOD_PLACE} />
      <MethodIfCertified method={result.methodIfCertified} />
      <ChecksSection answer={result} />
      <RecordLine result={result} />
      <CustomerDeclared declared={result.declared} />
      {valid ? <PasskeyOffer sessionId={result.sessionId} /> : null}
      <p>
        <a href={bankUrl('')}>もう一度 / again</a>
      </p>
    </section>
  );
}
