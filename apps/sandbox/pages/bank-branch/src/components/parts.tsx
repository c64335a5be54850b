/** What the counter's views share: the phone that answered, the method or why none applies, the record line. */
import type { ComponentChildren } from 'preact';
import type { Phone, Verification } from '../api';

const familyName = (p: Phone) => (p.family === 'android' ? 'Android' : 'iPhone');

export function AnsweredBy({ phone }: { phone: Phone }) {
  return (
    <span data-phone={phone.id}>
      <strong>{phone.id}</strong> ({familyName(phone)}) — 電話エミュレータ、ブリッジ経由{' '}
      <small>phone emulator, through the bridge</small>
    </span>
  );
}

/** A row of a facts list. */
export function Row({
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

/**
 * The method, or why none applies: for a read face to face @mynakit/kyc names none
 * (KYC_IN_PERSON_NOT_TABULATED), and the page says why rather than guess a letter.
 */
export function MethodView({ answer }: { answer: Verification }) {
  if (answer.method)
    return (
      <p data-method={answer.method.id}>
        犯収法施行規則 第6条第1項第1号 <strong>{answer.method.letter}</strong> {answer.method.name_ja ?? ''}{' '}
        <small>{answer.method.name_en ?? ''}</small>
      </p>
    );
  return (
    <>
      <p data-method="none">
        該当なし <small>none</small>:{' '}
        {answer.methodReasons.length > 0 ? (
          answer.methodReasons.map((r, i) => (
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
        窓口で電話から対面で読み取った記録です。本人確認方法の表(@mynakit/kyc)にあるのは記録の「送信を受ける方法」(ル、2027年4月1日から新ト)だけで、対面の方法の号は載っていないため、号は示しません。
        <br />
        <small>
          The record was read face to face at the counter. The method table (@mynakit/kyc) holds only the
          methods of receiving the record over the network (ル, 新ト from 2027-04-01) and names no
          face-to-face letter, so none is shown rather than guessed.
        </small>
      </p>
    </>
  );
}

export function RecordLine({ answer }: { answer: Verification }) {
  return answer.recordId ? (
    <p data-record={answer.recordId}>
      確認記録 <small>verification record</small>: <code>{answer.recordId}</code>
      {answer.flags.length > 0 ? <small> flags: {answer.flags.join(', ')}</small> : null}
    </p>
  ) : null;
}

export function NextCustomer() {
  return (
    <p>
      <a href="./">次の方 / next</a>
    </p>
  );
}
