/** What both results show: facts as a definition list, the KYC method (or why none), the record. */
import type { ComponentChildren } from 'preact';
import type { Verification } from '../api';

export function Facts({ marker, children }: { marker: string; children: ComponentChildren }) {
  return (
    <dl class="facts" {...{ [marker]: '' }}>
      {children}
    </dl>
  );
}

export function Fact({
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

/** Where a 犯収法 method's letter stands (Ordinance Art. 6(1)(i), DOMAIN.md §5). */
const HANSHU_METHOD_PLACE = '犯収法施行規則 第6条第1項第1号';

/** The method the verifier named, or why none applies. */
export function MethodLine({ result }: { result: Verification }) {
  const method = result.method;
  if (method !== null)
    return (
      <p data-method={method.id}>
        {HANSHU_METHOD_PLACE} <strong>{method.letter}</strong> {method.name_ja ?? ''}{' '}
        <small>{method.name_en ?? ''}</small>
      </p>
    );
  return (
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
  );
}

/** The verification record written, with its flags. */
export function RecordLine({ result }: { result: Verification }) {
  if (result.recordId === null) return null;
  return (
    <p data-record={result.recordId}>
      確認記録 <small>verification record</small>: <code>{result.recordId}</code>
      {result.flags.length > 0 ? <small> flags: {result.flags.join(', ')}</small> : null}
    </p>
  );
}
