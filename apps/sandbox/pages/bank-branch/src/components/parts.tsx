/** What the counter's views share: the method or why none applies, the next customer. */
import { HANSHU_METHOD_PLACE, MethodLine } from '../../../shared/result-parts';
import type { Verification } from '../api';

/**
 * The method, or why none applies: for a read face to face @mynakit/kyc names none
 * (KYC_IN_PERSON_NOT_TABULATED), and the page says why rather than guess a letter.
 */
export function MethodView({ answer }: { answer: Verification }) {
  return (
    <MethodLine result={answer} law={HANSHU_METHOD_PLACE}>
      <p class="small muted">
        窓口で電話から対面で読み取った記録です。本人確認方法の表(@mynakit/kyc)にあるのは記録の「送信を受ける方法」(ル、2027年4月1日から新ト)だけで、対面の方法の号は載っていないため、号は示しません。
        <br />
        <small>
          The record was read face to face at the counter. The method table (@mynakit/kyc) holds only the
          methods of receiving the record over the network (ル, 新ト from 2027-04-01) and names no
          face-to-face letter, so none is shown rather than guessed.
        </small>
      </p>
    </MethodLine>
  );
}

export function NextCustomer() {
  return (
    <p>
      <a href="./">次の方 / next</a>
    </p>
  );
}
