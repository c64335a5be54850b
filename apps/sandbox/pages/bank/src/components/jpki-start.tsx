/**
 * Story 3 — the bank's account opening with a JPKI signature: the application, the declaration written
 * into it, the phone that signs and its signature password. The phone emulator signs through the labelled
 * bridge (no OS signing app here); a wrong password is counted by the phone and shown with the tries left.
 */
import { useState } from 'preact/hooks';
import {
  DeclarationFields,
  type DeclarationInput,
  initialDeclaration,
} from '../../../shared/declaration-fields';
import { PhoneRadios } from '../../../shared/phones';
import { SignaturePasswordField } from '../../../shared/secret-fields';
import { ApiError, bankUrl, type Problem, type Start, signApplication } from '../api';
import { Refusal } from './refusal';

export function JpkiStart({ start }: { start: Start }) {
  const [declaration, setDeclaration] = useState<DeclarationInput>(() =>
    initialDeclaration(start.lists, false),
  );
  const [phone, setPhone] = useState(start.phones[0]?.id ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ code: string; problem: Problem } | undefined>(undefined);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const typed = password;
    setPassword('');
    setBusy(true);
    setRefusal(undefined);
    try {
      const result = await signApplication(phone, typed, declaration);
      location.assign(bankUrl(result.resultUrl));
    } catch (err) {
      setRefusal(
        err instanceof ApiError ? { code: err.code, problem: err.problem } : { code: 'NETWORK', problem: {} },
      );
      setBusy(false);
    }
  };

  return (
    <>
      <section class="card">
        <h2>
          口座開設 — 電子署名で本人確認 <small>Open an account with a JPKI signature</small>
        </h2>
        <p>
          次の申込書に、スマートフォンの署名用電子証明書で電子署名してください。氏名・住所・生年月日・性別(基本4情報)は証明書から読み取ります。{' '}
          <small>
            Sign this application with the signature certificate on your phone. Your name, address, birth date
            and sex (the basic four) are read from the certificate.
          </small>
        </p>
        <h3>
          申込書 <small>The application</small>
        </h3>
        <pre class="document" data-document>
          {start.application}
        </pre>
        <p class="small">
          取引を行う目的と職業は、下でお選びいただいた内容が申込書に入ります。{' '}
          <small>
            The purpose of the transaction and the occupation you choose below are written into the
            application.
          </small>
        </p>
        <p class="bridge">
          この環境には OS の署名アプリがないため、選んだ電話エミュレータが署名します(明示的なブリッジ:{' '}
          <code>signWithJpki</code>
          )。署名用パスワードは電話が確かめ、間違いを数えます(5回でロック)。銀行の API
          キーはサーバーから出ません。{' '}
          <small>
            No OS signing app exists here: the chosen phone emulator signs (an explicit bridge:{' '}
            <code>signWithJpki</code>). The phone checks the signature password and counts wrong ones (locked
            after 5). The bank's API key never leaves its server.
          </small>
        </p>
      </section>
      <form class="phone card" data-form="jpki-sign" onSubmit={(e) => void onSubmit(e)}>
        <DeclarationFields lists={start.lists} value={declaration} onChange={setDeclaration} prompt />
        <p>
          どの電話で署名しますか <small>Which phone signs?</small>
        </p>
        <fieldset class="phones">
          <PhoneRadios phones={start.phones} chosen={phone} onChoose={setPhone} />
        </fieldset>
        <SignaturePasswordField password={password} onPassword={setPassword} />
        <button type="submit" disabled={busy}>
          申込書に署名して本人確認 / Sign the application and verify
        </button>
      </form>
      {refusal !== undefined ? <Refusal code={refusal.code} problem={refusal.problem} /> : null}
      <p>
        <small>
          カード代替電磁的記録での口座開設は <a href={bankUrl('')}>こちら</a>{' '}
          <small>— with the card-substitute record instead</small>
        </small>
      </p>
    </>
  );
}
