/**
 * The desk's result: the phone that answered and how it was unlocked, the user authentication's verdict,
 * the insurance qualification from the insurer registry, the face check from the record read over
 * ISO/IEC 18013-5 proximity (photo, name, birth date — no more), the user-authentication certificate (no
 * personal data), why no KYC method applies, every check and the verification record.
 */
import { ChecksSection, Verdict } from '../../../shared/checks';
import { AnsweredBy } from '../../../shared/phones';
import { CertificateFacts, Fact, MethodLine, PortraitFact, RecordLine } from '../../../shared/result-parts';
import type { DeskResult, FaceCheck, Qualification } from '../api';
import { Refusal } from './refusal';

function QualificationView({ q }: { q: Qualification }) {
  if (q.state === 'not-asked')
    return (
      <p data-qualification="not-asked">
        本人確認が有効でないため、資格は照会していません{' '}
        <small>not asked: the authentication is not valid</small>
      </p>
    );
  if (q.state === 'refused')
    return (
      <p data-qualification="refused" data-qualification-code={q.code}>
        資格を確認できません <small>no qualification confirmed</small>: <code>{q.code}</code>
      </p>
    );
  return (
    <>
      <dl class="facts" data-qualification="confirmed">
        <Fact ja="保険者番号" en="insurer number" field="insurerNumber">
          {q.insurerNumber}
        </Fact>
        <Fact ja="記号・番号・枝番" en="symbol, number, branch">
          {q.symbol} · {q.number} · {q.branch ?? '—'}
        </Fact>
        <Fact ja="一部負担金割合" en="copayment" field="copaymentPercent">
          {q.copaymentPercent} %
        </Fact>
        <Fact ja="資格の期間" en="valid">
          {q.validFrom} 〜 {q.validUntil ?? ''}
        </Fact>
        <Fact ja="確認日" en="confirmed for">
          {q.confirmedFor ?? ''}
        </Fact>
      </dl>
      <p class="small muted">
        サンドボックスの保険者番号は 99 で始まります <small>sandbox insurer numbers start with 99</small>
      </p>
    </>
  );
}

function FaceCheckView({ face }: { face: FaceCheck }) {
  if (face.state === 'not-asked')
    return (
      <p data-face-check="not-asked">
        本人確認が有効でないため、記録は求めていません{' '}
        <small>not asked: the authentication is not valid</small>
      </p>
    );
  if (face.state === 'not-shown' && face.reason === 'WALLET_DECLINED')
    return (
      <p data-face-check="not-shown" data-face-check-reason={face.reason} data-declined>
        <strong>顔写真を確認できませんでした(お客さまが断りました)</strong>{' '}
        <small>the face could not be checked: the holder declined on the phone</small> —
        受付で写真付きの本人確認書類を見てください <small>check a photo ID at the desk</small>
      </p>
    );
  // The reader's time ran out, or the request on the phone did at the same moment: the same end.
  if (
    face.state === 'not-shown' &&
    (face.reason === 'VERIFIER_PROXIMITY_TIMEOUT' || face.reason === 'WALLET_REQUEST_EXPIRED')
  )
    return (
      <p data-face-check="not-shown" data-face-check-reason={face.reason}>
        <strong>読み取り機の待ち時間内に電話で応答がなく、電話の要求も終了しました</strong>{' '}
        <small>
          nobody answered on the phone while the reader waited; the request on the phone ended with it
        </small>{' '}
        — 受付で写真付きの本人確認書類を見てください <small>check a photo ID at the desk</small>
      </p>
    );
  if (face.state === 'not-shown')
    return (
      <p data-face-check="not-shown" data-face-check-reason={face.reason}>
        顔写真は表示できません — 受付で写真付きの本人確認書類を見てください{' '}
        <small>no photo to show — check a photo ID at the desk</small>: <code>{face.reason}</code>
      </p>
    );
  return (
    <>
      <p class="small" data-face-channel={face.channel}>
        近接読み取り(無線は WebSocket で模擬)/ proximity read (radio simulated over WebSocket) — ISO/IEC
        18013-5: device engagement, SessionEstablishment, SessionData
      </p>
      <p data-face-check={face.verdict}>
        記録の検証(検証サービス)<small>record verification (the verifier service)</small>:{' '}
        <strong class={face.verdict === 'valid' ? 'passed' : 'failed'}>{face.verdict}</strong>
        {face.errorCode ? (
          <>
            {' '}
            — <code>{face.errorCode}</code>
          </>
        ) : null}
      </p>
      <p data-face-record={face.recordId}>
        確認記録 <small>verification record</small>: <code>{face.recordId}</code>
      </p>
      {face.facts ? (
        <>
          <dl class="facts">
            {face.facts.portrait ? <PortraitFact portrait={face.facts.portrait} /> : null}
            <Fact ja="氏名" en="name" field="faceName">
              {face.facts.name}
            </Fact>
            <Fact ja="生年月日" en="birth date" field="faceBirthDate">
              {face.facts.birthDate}
            </Fact>
          </dl>
          <p class="small muted">
            住所・性別・マイナンバーは求めていません <small>address, sex and My Number were not asked</small>
          </p>
        </>
      ) : null}
    </>
  );
}

export function ResultView({
  result,
  refusedCode,
  onNext,
}: {
  result: DeskResult;
  /** The problem's code when the user authentication was not valid. */
  refusedCode?: string | undefined;
  onNext: () => void;
}) {
  const cert = result.certificate;
  return (
    <>
      {refusedCode ? <Refusal code={refusedCode} problem={{}} /> : null}
      <section class="card" data-result={result.verdict} aria-live="polite">
        <h2>
          受付の結果 <small>Front desk result</small>
        </h2>
        <p class="bridge" data-how={result.phone.how}>
          応答した電話 <small>answered by</small>: <AnsweredBy phone={result.phone} /> —{' '}
          {result.phone.how === 'pin' ? (
            <>
              暗証番号(リーダーで入力) <small>auth PIN typed on the reader</small>
            </>
          ) : (
            <>
              生体認証(電話) <small>the phone's biometric</small>
            </>
          )}
        </p>
        <h3>
          本人確認(利用者証明) <small>User authentication</small>
        </h3>
        <Verdict answer={result} />
        <h3>
          保険の資格(オンライン資格確認) <small>Insurance qualification (online confirmation)</small>
        </h3>
        <QualificationView q={result.qualification} />
        <h3>
          顔の確認 <small>Face check</small>
        </h3>
        <FaceCheckView face={result.faceCheck} />
        <button type="button" data-next onClick={onNext}>
          次の方 / next
        </button>
      </section>
      {cert ? (
        <section class="card">
          <h2>
            利用者証明用電子証明書 <small>User-authentication certificate</small>
          </h2>
          <CertificateFacts cert={cert} />
        </section>
      ) : null}
      <section class="card">
        <h2>
          本人確認方法 <small>KYC method</small>
        </h2>
        <MethodLine result={result}>
          <p class="small muted">
            診療所は犯収法の特定事業者ではなく、利用者証明は本人確認の方法でもありません(利用者証明用電子証明書には氏名などが入っていません)。受付に要るのは、本人であることと保険の資格です。
            <br />
            <small>
              A clinic is under no KYC law, and user authentication is no identity-verification method (the
              user-authentication certificate holds no name or address): the desk needs to know it is the
              holder, and the insurance qualification.
            </small>
          </p>
        </MethodLine>
        <ChecksSection answer={result} />
        <RecordLine result={result} />
      </section>
    </>
  );
}
