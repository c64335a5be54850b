/**
 * An answered session: received from another device, the verdict, the facts the record disclosed, the KYC
 * method or why none applies (with the letter a certified program would satisfy), the checks, the record and
 * what the customer declared.
 */
import { ChecksSection, Verdict } from '../../../shared/checks';
import {
  CustomerDeclared,
  HANSHU_METHOD_PLACE,
  IdentityFacts,
  MethodIfCertified,
  MethodLine,
  RecordLine,
} from '../../../shared/result-parts';
import type { DoneSession } from '../api';

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
        <IdentityFacts identity={result.identity} attrs={{ 'data-record-identity': true }} />
      ) : null}
      <h3>
        本人確認方法 <small>KYC method</small>
      </h3>
      <MethodLine result={result} law={HANSHU_METHOD_PLACE}>
        <p class="small muted">
          サンドボックスの検証プログラムは認定を受けていません{' '}
          <small>the sandbox's verification program is not certified</small>
        </p>
      </MethodLine>
      <MethodIfCertified method={result.methodIfCertified} />
      <ChecksSection answer={result} />
      <RecordLine result={result} />
      <CustomerDeclared declared={result.declared} />
      <p>
        <a href="../">もう一度 / again</a>
      </p>
    </section>
  );
}
