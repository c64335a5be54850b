/**
 * The counter's result after the staff's face check: the match (or not), the verdict, the record, what the
 * customer declared and the method — no photo (the verifier kept only its hash; the bank records the face
 * comparison itself).
 */
import { Verdict } from '../../../shared/checks';
import { DeclaredTable } from '../../../shared/declaration-fields';
import { RecordLine } from '../../../shared/result-parts';
import type { CounterResult } from '../api';
import { MethodView, NextCustomer } from './parts';

export function ResultView({ result }: { result: CounterResult }) {
  return (
    <section class="card" data-result aria-live="polite">
      <h2>
        確認結果 <small>Counter result</small>
      </h2>
      {result.face === 'match' ? (
        <p data-face-match="match" class="passed">
          顔写真と一致(職員が確認) <small>the face matches the photo (checked by staff)</small>: {result.name}
        </p>
      ) : (
        <p data-face-match="mismatch" class="failed">
          顔写真と一致しません — 取引を進めないでください{' '}
          <small>the face does not match the photo — do not proceed</small>
        </p>
      )}
      <Verdict answer={result} />
      <RecordLine result={result} />
      <DeclaredTable declared={result.declared} />
      <h3>
        本人確認方法 <small>KYC method</small>
      </h3>
      <MethodView answer={result} />
      <p class="small muted">
        確認記録は検証サービスが読み取りと同時に書きました(顔写真そのものは残さず、そのハッシュだけ。マイナンバーは求めていません)。顔の照合は窓口の職員が行い、銀行が自ら記録します。
        <br />
        <small>
          The verifier wrote the verification record with the read (not the photo, only its hash; My Number
          was not asked). The face comparison is the staff's, and the bank records it itself.
        </small>
      </p>
      <NextCustomer />
    </section>
  );
}
