/**
 * A JPKI signature's result (`jpki/result/<session>`): the phone that signed, the verdict, the basic four
 * read from the signature certificate (only when valid), the certificate, the KYC method or why none applies
 * (the sandbox bank is no signature verifier), every check, the record, what the customer declared, the
 * passkey offer for a valid signature, and the application exactly as signed.
 */
import { ChecksSection, Verdict } from '../../../shared/checks';
import { Loading } from '../../../shared/page-frame';
import { PhoneName } from '../../../shared/phones';
import {
  CertificateFacts,
  CustomerDeclared,
  Fact,
  HANSHU_METHOD_PLACE,
  IdentityFacts,
  MethodLine,
  RecordLine,
  SEX,
} from '../../../shared/result-parts';
import { bankUrl, getJpkiResult } from '../api';
import { NoSuchResult, useLoadedResult } from './loaded-result';
import { PasskeyOffer } from './passkey-offer';

export function JpkiResultView({ session }: { session: string }) {
  const result = useLoadedResult(getJpkiResult, session);
  if (result === undefined) return <Loading />;
  if ('error' in result) return <NoSuchResult error={result.error} back={bankUrl('jpki/')} />;
  const sex = result.identity === null ? undefined : SEX.get(result.identity.sex);
  const cert = result.certificate;
  return (
    <section class="card" data-result="jpki-signature">
      <h2>
        本人確認の結果 — 電子署名 <small>Verification result — JPKI signature</small>
      </h2>
      <p class="bridge" data-answered-by="bridge">
        署名した電話 <small>signed by</small>: <PhoneName phone={result.phone} />
      </p>
      <Verdict answer={result} />
      {result.identity !== null ? (
        <>
          <h3>
            基本4情報(署名用電子証明書から) <small>The basic four, from the signature certificate</small>
          </h3>
          <IdentityFacts identity={result.identity} attrs={{ 'data-basic-four': '' }}>
            <Fact ja="性別" en="sex" field="sex">
              {sex === undefined ? result.identity.sex : `${sex[0]} ${sex[1]}`}
            </Fact>
          </IdentityFacts>
        </>
      ) : null}
      {result.signingTime !== null ? (
        <p>
          署名日時 <small>signing time</small>: {result.signingTime}
        </p>
      ) : null}
      {cert !== null ? (
        <>
          <h3>
            署名用電子証明書 <small>Signature certificate</small>
          </h3>
          <CertificateFacts cert={cert} attrs={{ 'data-certificate': '' }} />
        </>
      ) : null}
      <h3>
        本人確認方法 <small>KYC method</small>
      </h3>
      <MethodLine result={result} law={HANSHU_METHOD_PLACE} />
      {result.method === null ? (
        <p class="small">
          サンドボックス銀行は署名検証者(公的個人認証法
          第17条)の認定を受けていない架空の銀行なので、電子署名による方法(犯収法施行規則 第6条第1項第1号
          カ、2027年4月1日から
          新ヌ)を名乗りません。検証はすべて実際に行い、確認記録も残します。認定を受けた銀行なら同じ署名で
          カ(新ヌ)になります。{' '}
          <small>
            The sandbox bank is a fictional bank without the authorization of a signature verifier
            (公的個人認証法 §17), so it claims no signature method (カ; 新ヌ from 2027-04-01). Every check
            runs for real and the record is written; an authorized bank would get カ (新ヌ) for the same
            signature.
          </small>
        </p>
      ) : null}
      <ChecksSection answer={result} />
      <RecordLine result={result} />
      <CustomerDeclared declared={result.declared} />
      {result.verdict === 'valid' ? <PasskeyOffer sessionId={result.sessionId} /> : null}
      <h3>
        署名した申込書 <small>The signed application</small>
      </h3>
      <pre class="document">{result.application}</pre>
      <p>
        <a href={bankUrl('jpki/')}>もう一度 / again</a>
      </p>
    </section>
  );
}
