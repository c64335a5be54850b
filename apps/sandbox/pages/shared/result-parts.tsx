/**
 * What every relying party's result shows alike: facts as a definition list (the identity facts, the photo,
 * the certificate), the KYC method with its letter or why none applies, the letter a certified program would
 * satisfy, the verification record and what the customer declared.
 */
import type { ComponentChildren } from 'preact';
import type { ChecksData } from './checks';
import { type DeclaredPair, DeclaredTable } from './declaration-fields';

/** A KYC method as the verifier names it (DOMAIN.md §5). */
export interface MethodData {
  id: string;
  letter: string;
  name_ja: string | null;
  name_en: string | null;
}

/** The method the verifier named, or the codes of why none applies. */
export interface MethodAnswer {
  method: MethodData | null;
  methodReasons: readonly string[];
}

/** The verification record written, with its flags. */
export interface RecordAnswer {
  recordId: string | null;
  flags: readonly string[];
}

/** The verdict, the checks, the KYC method or why none applies, the record. */
export interface VerificationData extends ChecksData, MethodAnswer, RecordAnswer {}

/** The facts a record or a signature certificate gives about the holder. */
export interface IdentityData {
  name: string;
  address: string;
  birthDate: string;
  portrait?: string | null;
}

/** A certificate's facts (no personal data). */
export interface CertificateData {
  serialNumber: string;
  issuer: string;
  subjectCommonName: string | null;
  notAfter: string;
  fingerprint256: string;
}

/** The certificate's sex code in words (DOMAIN.md §3: 1 male, 2 female, 3 unknown). */
export const SEX: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['male', ['男性', 'male']],
  ['female', ['女性', 'female']],
  ['unknown', ['不明', 'unknown']],
]);

/** Where a 犯収法 method's letter stands (Ordinance Art. 6(1)(i), DOMAIN.md §5). */
export const HANSHU_METHOD_PLACE = '犯収法施行規則 第6条第1項第1号';

/** A row of a facts list. */
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

/** A facts list carrying a marker attribute (e.g. `data-certificate`) for the page's tests and styles. */
export function Facts({ marker, children }: { marker: string; children: ComponentChildren }) {
  return (
    <dl class="facts" {...{ [marker]: '' }}>
      {children}
    </dl>
  );
}

/** The holder's photo (JPEG, base64) as a row. */
export function PortraitFact({ portrait, marked = false }: { portrait: string; marked?: boolean }) {
  return (
    <Fact ja="顔写真" en="photo">
      <img
        class="portrait"
        {...(marked ? { 'data-portrait': true } : {})}
        alt="portrait"
        src={`data:image/jpeg;base64,${portrait}`}
      />
    </Fact>
  );
}

/**
 * Name, address and birth date, what the caller adds (e.g. the sex), then the photo when there is one.
 * `attrs` are the list's marker attributes.
 */
export function IdentityFacts({
  identity,
  attrs,
  children,
}: {
  identity: IdentityData;
  attrs: Readonly<Record<string, string | boolean>>;
  children?: ComponentChildren;
}) {
  return (
    <dl class="facts" {...attrs}>
      <Fact ja="氏名" en="name" field="name">
        {identity.name}
      </Fact>
      <Fact ja="住所" en="address" field="address">
        {identity.address}
      </Fact>
      <Fact ja="生年月日" en="birth date" field="birthDate">
        {identity.birthDate}
      </Fact>
      {children}
      {identity.portrait ? <PortraitFact portrait={identity.portrait} /> : null}
    </dl>
  );
}

/** A certificate's serial number, issuer, subject CN, expiry and fingerprint. */
export function CertificateFacts({
  cert,
  attrs = {},
}: {
  cert: CertificateData;
  attrs?: Readonly<Record<string, string>>;
}) {
  return (
    <dl class="facts" {...attrs}>
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
    </dl>
  );
}

/** What the none line says when the verifier gave no reason code: the verification is not valid. */
function NotValid() {
  return (
    <>
      検証が有効ではありません <small>the verification is not valid</small>
    </>
  );
}

/**
 * The method the verifier named, after the law's place for its letter (`law`), or the codes of why none
 * applies followed by the page's explanation (`children`). `whenNoReason` is what the none line says
 * without a reason code (by default that the verification is not valid).
 */
export function MethodLine({
  result,
  law,
  whenNoReason,
  children,
}: {
  result: MethodAnswer;
  law?: string;
  whenNoReason?: ComponentChildren;
  children?: ComponentChildren;
}) {
  const method = result.method;
  if (method !== null)
    return (
      <p data-method={method.id}>
        {law === undefined ? null : `${law} `}
        <strong>{method.letter}</strong> {method.name_ja ?? ''} <small>{method.name_en ?? ''}</small>
      </p>
    );
  return (
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
        ) : whenNoReason === undefined ? (
          <NotValid />
        ) : (
          whenNoReason
        )}
      </p>
      {children}
    </>
  );
}

/** The 犯収法 letter a certified verification program would satisfy with the same record. */
export function MethodIfCertified({
  method,
}: {
  method: { id: string; letter: string; name_ja: string; name_en: string } | null;
}) {
  if (!method) return null;
  return (
    <p data-method-if-certified={method.id}>
      認定を受けたプログラムなら {HANSHU_METHOD_PLACE} <strong>{method.letter}</strong> {method.name_ja}{' '}
      <small>
        — a certified program would satisfy {method.letter} ({method.name_en}) today
      </small>
    </p>
  );
}

/** The verification record written, with its flags. */
export function RecordLine({ result }: { result: RecordAnswer }) {
  if (!result.recordId) return null;
  return (
    <p data-record={result.recordId}>
      確認記録 <small>verification record</small>: <code>{result.recordId}</code>
      {result.flags.length > 0 ? <small> flags: {result.flags.join(', ')}</small> : null}
    </p>
  );
}

/** What the customer declared, under its heading. */
export function CustomerDeclared({ declared }: { declared: DeclaredPair }) {
  return (
    <>
      <h3>
        お客さまの申告 <small>What the customer declared</small>
      </h3>
      <DeclaredTable declared={declared} />
    </>
  );
}
