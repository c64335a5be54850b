/**
 * A verification's result: the phone that answered, the verdict, the identity facts the method gives (チ:
 * name, address, birth date and photo from the record; ト: the basic four from the signature certificate),
 * the method or why no letter applies, the checks and the record written.
 */

import { ChecksSection, Verdict } from '../../../shared/checks';
import { AnsweredBy } from '../../../shared/phones';
import { Fact, IdentityFacts, MethodLine, RecordLine, SEX } from '../../../shared/result-parts';
import type { Result } from '../api';

const WHY_NO_LETTER: Record<Result['kind'], readonly [string, string]> = {
  chi: [
    'チ は「認定を受けた検証プログラム」でカード代替電磁的記録を受け取る方法です。サンドボックスのプログラムは認定を受けていないので、チ を名乗りません(KYC_PROGRAM_NOT_CERTIFIED)。記録の検証はすべて実際に行い、確認記録も残します。',
    "チ is receiving the card-substitute record through a certified verification program. The sandbox's program is not certified, so it claims no チ (KYC_PROGRAM_NOT_CERTIFIED). Every check of the record runs for real and the record is written.",
  ],
  to: [
    'サンドボックス携帯は署名検証者(公的個人認証法 第17条)の認定を受けていない架空の事業者なので、電子署名による方法 ト を名乗りません(KYC_NOT_A_SIGNATURE_VERIFIER)。検証はすべて実際に行い、確認記録も残します。',
    'Sandbox Mobile is a fictional carrier without the authorization of a signature verifier (公的個人認証法 §17), so it claims no signature method ト (KYC_NOT_A_SIGNATURE_VERIFIER). Every check runs for real and the record is written.',
  ],
};

export function ResultView({ result }: { result: Result }) {
  const [whyJa, whyEn] = WHY_NO_LETTER[result.kind];
  return (
    <section class="card" data-result={result.kind} aria-live="polite">
      <h2>
        本人確認の結果 — {result.kind === 'chi' ? 'カード代替電磁的記録(チ)' : '電子署名(ト)'}{' '}
        <small>
          Verification result — {result.kind === 'chi' ? 'the card-substitute record' : 'JPKI signature'}
        </small>
      </h2>
      <p class="bridge">
        {result.kind === 'chi' ? '応答した電話' : '署名した電話'}{' '}
        <small>{result.kind === 'chi' ? 'answered by' : 'signed by'}</small>:{' '}
        <AnsweredBy phone={result.phone} />
      </p>
      <Verdict answer={result} />
      {result.identity ? (
        <>
          <h3>
            {result.kind === 'chi' ? '本人特定事項' : '基本4情報(署名用電子証明書から)'}{' '}
            <small>
              {result.kind === 'chi' ? 'Identity facts' : 'The basic four, from the signature certificate'}
            </small>
          </h3>
          <IdentityFacts identity={result.identity} attrs={{ 'data-identity': result.kind }}>
            {result.kind === 'to' && result.identity ? (
              <Fact ja="性別" en="sex" field="sex">
                {SEX.get(result.identity.sex)?.[0] ?? result.identity.sex}{' '}
                <small>{result.identity.sex}</small>
              </Fact>
            ) : null}
          </IdentityFacts>
        </>
      ) : null}
      {result.kind === 'to' ? (
        <dl class="facts">
          {result.signingTime ? (
            <Fact ja="署名日時" en="signing time">
              {result.signingTime}
            </Fact>
          ) : null}
          {result.certificate ? (
            <>
              <Fact ja="シリアル番号" en="serial number">
                <code data-certificate-serial={result.certificate.serialNumber}>
                  {result.certificate.serialNumber}
                </code>
              </Fact>
              <Fact ja="発行者" en="issuer">
                {result.certificate.issuer}
              </Fact>
              <Fact ja="有効期限" en="not after">
                {result.certificate.notAfter}
              </Fact>
            </>
          ) : null}
        </dl>
      ) : null}
      <h3>
        本人確認方法 <small>KYC method</small>
      </h3>
      <MethodLine result={result} law="携帯電話不正利用防止法施行規則" whenNoReason={null}>
        <p class="small muted">
          {whyJa}
          <br />
          <small>{whyEn}</small>
        </p>
      </MethodLine>
      <ChecksSection answer={result} />
      <RecordLine result={result} />
    </section>
  );
}
