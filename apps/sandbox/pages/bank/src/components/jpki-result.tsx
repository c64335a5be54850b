/**
 * A JPKI signature's result (`jpki/result/<session>`): the phone that signed, the verdict, the basic four
 * read from the signature certificate (only when valid), the certificate, the KYC method or why none applies
 * (the sandbox bank is no signature verifier), every check, the record, what the customer declared, the
 * passkey offer for a valid signature, and the application exactly as signed.
 */
import { useEffect, useState } from 'preact/hooks';
import { ChecksTable, Verdict } from '../../../shared/checks';
import { DeclaredTable } from '../../../shared/declaration-fields';
import { ApiError, bankUrl, getJpkiResult, type JpkiResult } from '../api';
import { PasskeyOffer } from './passkey-offer';
import { PhoneName } from './phones';
import { Fact, Facts, MethodLine, RecordLine } from './result-parts';

/** The sex code of the certificate, in words (DOMAIN.md §3: 1 male, 2 female, 3 unknown). */
const SEX: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['male', ['男性', 'male']],
  ['female', ['女性', 'female']],
  ['unknown', ['不明', 'unknown']],
]);

export function JpkiResultView({ session }: { session: string }) {
  const [result, setResult] = useState<JpkiResult | { error: string } | undefined>(undefined);
  useEffect(() => {
    getJpkiResult(session).then(setResult, (e: unknown) =>
      setResult({ error: e instanceof ApiError ? e.code : 'NETWORK' }),
    );
  }, [session]);
  if (result === undefined) return <p class="muted">読み込み中… Loading…</p>;
  if ('error' in result)
    return (
      <p class="error" role="alert" data-error={result.error}>
        この結果はありません <small>no such result</small> (<code>{result.error}</code>) —{' '}
        <a href={bankUrl('jpki/')}>戻る / back</a>
      </p>
    );
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
          <Facts marker="data-basic-four">
            <Fact ja="氏名" en="name" field="name">
              {result.identity.name}
            </Fact>
            <Fact ja="住所" en="address" field="address">
              {result.identity.address}
            </Fact>
            <Fact ja="生年月日" en="birth date" field="birthDate">
              {result.identity.birthDate}
            </Fact>
            <Fact ja="性別" en="sex" field="sex">
              {sex === undefined ? result.identity.sex : `${sex[0]} ${sex[1]}`}
            </Fact>
          </Facts>
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
          <Facts marker="data-certificate">
            <Fact ja="シリアル番号" en="serial number">
              <code data-certificate-serial={cert.serialNumber}>{cert.serialNumber}</code>
            </Fact>
            <Fact ja="発行者" en="issuer">
              {cert.issuer}
            </Fact>
            <Fact ja="主体 CN" en="subject CN">
              <code>{cert.subjectCommonName ?? '—'}</code>
            </Fact>
            <Fact ja="有効期限" en="not after">
              {cert.notAfter}
            </Fact>
            <Fact ja="SHA-256" en="fingerprint">
              <code>{cert.fingerprint256}</code>
            </Fact>
          </Facts>
        </>
      ) : null}
      <h3>
        本人確認方法 <small>KYC method</small>
      </h3>
      <MethodLine result={result} />
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
      <h3>
        検証 <small>Checks</small>
      </h3>
      <ChecksTable answer={result} />
      <RecordLine result={result} />
      <h3>
        お客さまの申告 <small>What the customer declared</small>
      </h3>
      <DeclaredTable declared={result.declared} />
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
