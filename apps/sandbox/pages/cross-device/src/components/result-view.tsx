/**
 * An answered session: received from another device, the verdict, the facts the record disclosed, the KYC
 * method or why none applies (with the letter a certified program would satisfy), the checks, the record and
 * what the customer declared.
 */
import type { ComponentChildren } from 'preact';
import { ChecksTable, Verdict } from '../../../shared/checks';
import { DeclaredTable } from '../../../shared/declaration-fields';
import type { DoneSession } from '../api';

function Row({
  ja,
  en,
  field,
  children,
}: {
  ja: string;
  en: string;
  field?: string;
  children: ComponentChildren;
}) {
  return (
    <>
      <dt>
        {ja} <small>{en}</small>
      </dt>
      <dd data-field={field}>{children}</dd>
    </>
  );
}

export function ResultView({ result }: { result: DoneSession }) {
  return (
    <section class="card" data-result aria-live="polite">
      <h2>
        本人確認の結果 <small>Verification result</small>
      </h2>
      <p class="bridge" data-answered-by={result.answeredBy}>
        別の端末(QR コード)から受信 <small>received from another device by QR code</small> — OpenID4VP 1.0,
        direct_post.jwt
      </p>
      <Verdict answer={result} />
      {result.identity ? (
        <dl class="facts" data-record-identity>
          <Row ja="氏名" en="name" field="name">
            {result.identity.name}
          </Row>
          <Row ja="住所" en="address" field="address">
            {result.identity.address}
          </Row>
          <Row ja="生年月日" en="birth date" field="birthDate">
            {result.identity.birthDate}
          </Row>
          {result.identity.portrait ? (
            <Row ja="顔写真" en="photo">
              <img
                class="portrait"
                alt="portrait"
                src={`data:image/jpeg;base64,${result.identity.portrait}`}
              />
            </Row>
          ) : null}
        </dl>
      ) : null}
      <h3>
        本人確認方法 <small>KYC method</small>
      </h3>
      {result.method ? (
        <p data-method={result.method.id}>
          犯収法施行規則 第6条第1項第1号 <strong>{result.method.letter}</strong> {result.method.name_ja ?? ''}{' '}
          <small>{result.method.name_en ?? ''}</small>
        </p>
      ) : (
        <>
          <p data-method="none">
            該当なし <small>none</small>:{' '}
            {result.methodReasons.length > 0 ? (
              result.methodReasons.map((r, i) => (
                <span key={r}>
                  {i > 0 ? ', ' : ''}
                  <code>{r}</code>
                </span>
              ))
            ) : (
              <>
                検証が有効ではありません <small>the verification is not valid</small>
              </>
            )}
          </p>
          <p class="small muted">
            サンドボックスの検証プログラムは認定を受けていません{' '}
            <small>the sandbox's verification program is not certified</small>
          </p>
        </>
      )}
      {result.methodIfCertified ? (
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
      {result.recordId ? (
        <p data-record={result.recordId}>
          確認記録 <small>verification record</small>: <code>{result.recordId}</code>
          {result.flags.length > 0 ? <small> flags: {result.flags.join(', ')}</small> : null}
        </p>
      ) : null}
      <h3>
        お客さまの申告 <small>What the customer declared</small>
      </h3>
      <DeclaredTable declared={result.declared} />
      <p>
        <a href="../">もう一度 / again</a>
      </p>
    </section>
  );
}
