/**
 * Story 3 — the bank's account opening with a JPKI signature: the application, the declaration written
 * into it and the phone that signs. The phone emulator signs through the labelled bridge (no OS signing app
 * here): the application waits on the phone's own consent screen, which names the bank and shows it, and
 * the holder types the signature password THERE — never on this page — or declines. Meanwhile the page says
 * which phone to look at, with the link to its screen (PhoneWaiting). A wrong password stays on the phone
 * (its screen keeps the tries left); the page hears only how it ended: the result, or the refusal in words —
 * declined, nobody answered in time or a busy phone (each with a button that asks the phone again), or the
 * password locked after five wrong tries (the certificate unusable until it is installed again: another
 * phone can still sign).
 */
import { useState } from 'preact/hooks';
import {
  DeclarationFields,
  type DeclarationInput,
  initialDeclaration,
} from '../../../shared/declaration-fields';
import { PhoneWaiting } from '../../../shared/phone-waiting';
import { PhoneRadios } from '../../../shared/phones';
import { ApiError, bankUrl, type Phone, type Problem, type Start, signApplication } from '../api';
import { SIGNATURE_REFUSALS } from '../words';
import { Refusal } from './refusal';

/** The phone's refusals the customer may simply try again (the holder's own answer or its absence). */
const RETRYABLE_ON_PHONE: ReadonlySet<string> = new Set([
  'WALLET_DECLINED',
  'WALLET_REQUEST_EXPIRED',
  'WALLET_PHONE_BUSY',
]);

export function JpkiStart({ start }: { start: Start }) {
  const [declaration, setDeclaration] = useState<DeclarationInput>(() =>
    initialDeclaration(start.lists, false),
  );
  const [phone, setPhone] = useState(start.phones[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ code: string; problem: Problem } | undefined>(undefined);
  /** The phone whose screen the signing request waits on. */
  const [waitingOn, setWaitingOn] = useState<Phone | undefined>(undefined);
  /** The phone last asked, for asking it again after a refusal. */
  const [lastPhone, setLastPhone] = useState<string | undefined>(undefined);

  /** Hands the application to phone `id` and waits for its holder's answer there. */
  const sign = async (id: string) => {
    setBusy(true);
    setRefusal(undefined);
    setLastPhone(id);
    setWaitingOn(start.phones.find((p) => p.id === id));
    try {
      const result = await signApplication(id, declaration);
      location.assign(bankUrl(result.resultUrl));
    } catch (err) {
      setWaitingOn(undefined);
      setRefusal(
        err instanceof ApiError ? { code: err.code, problem: err.problem } : { code: 'NETWORK', problem: {} },
      );
      setBusy(false);
    }
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void sign(phone);
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
          この環境には OS
          の署名アプリがないため、申込書は選んだ電話エミュレータの画面に届きます(明示的なブリッジ)。署名用パスワードはこのページではなく電話の画面で入力します。電話が確かめ、間違いを数えます(5回でロック)。銀行にはパスワードも間違いの回数も届かず、銀行の
          API キーはサーバーから出ません。{' '}
          <small>
            No OS signing app exists here: the application goes to the chosen phone emulator's screen (an
            explicit bridge). The signature password is typed on the phone's screen, not on this page; the
            phone checks it and counts wrong ones (locked after 5). Neither the password nor the wrong tries
            reach the bank, and the bank's API key never leaves its server.
          </small>
        </p>
      </section>
      <form class="phone card" data-form="jpki-sign" onSubmit={onSubmit}>
        <DeclarationFields lists={start.lists} value={declaration} onChange={setDeclaration} prompt />
        <p>
          どの電話で署名しますか <small>Which phone signs?</small>
        </p>
        <fieldset class="phones">
          <PhoneRadios phones={start.phones} chosen={phone} onChoose={setPhone} />
        </fieldset>
        <button type="submit" disabled={busy}>
          申込書を電話に送って署名 / Send the application to the phone to sign
        </button>
      </form>
      {waitingOn !== undefined ? <PhoneWaiting phone={waitingOn} ask="sign" /> : null}
      {refusal !== undefined ? (
        <Refusal
          code={refusal.code}
          problem={refusal.problem}
          words={SIGNATURE_REFUSALS}
          {...(lastPhone !== undefined && RETRYABLE_ON_PHONE.has(refusal.code)
            ? { onTryAgain: () => void sign(lastPhone) }
            : {})}
        >
          {refusal.code === 'WALLET_SECRET_LOCKED' ? (
            <p data-locked-next>
              別の電話を選んで、もう一度署名できます。この電話で署名するには、
              <a href="/wallet/">電話の画面</a>で署名用電子証明書を搭載し直してください。{' '}
              <small>
                Choose another phone to sign again; to sign with this phone, install the signature certificate
                again on <a href="/wallet/">the phone's screen</a>.
              </small>
            </p>
          ) : null}
        </Refusal>
      ) : null}
      <p>
        <small>
          カード代替電磁的記録での口座開設は <a href={bankUrl('')}>こちら</a>{' '}
          <small>— with the card-substitute record instead</small>
        </small>
      </p>
    </>
  );
}
