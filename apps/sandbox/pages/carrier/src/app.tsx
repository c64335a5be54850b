/**
 * A mobile carrier's contract under 携帯電話不正利用防止法 (the revised ordinance in force 2026-04-01): the
 * customer picks チ (the card-substitute record) or ト (a JPKI signature over the contract), the chosen
 * phone answers through the labelled bridge, and the page shows what the verifier found. My Number is never
 * asked. Each request waits on the phone's own consent screen until the holder answers there — チ approved
 * with the biometric, ト signed with the signature password typed on the phone (never on this page), or
 * either declined: meanwhile the page says which phone to look at and what to do there, with the link to
 * its screen (PhoneWaiting); a decline or no answer in time is shown as such, with a way to try again, and
 * ト's password locked on the phone (five wrong tries) says the certificate is unusable until installed
 * again.
 */
import { useEffect, useState } from 'preact/hooks';
import { LoadFailed, Loading, TopBar } from '../../shared/page-frame';
import { PhoneWaiting } from '../../shared/phone-waiting';
import { PhoneRadios } from '../../shared/phones';
import {
  ApiError,
  getContract,
  type Phone,
  type Problem,
  type Result,
  signContract,
  verifyRecord,
} from './api';
import { RefusalView } from './components/refusal';
import { ResultView } from './components/result';

type Method = 'chi' | 'to';

/** A result, or a refusal with the method and the phone asked (to ask it again). */
type Outcome =
  | { result: Result }
  | { code: string; problem: Problem; method: Method; phoneId: string }
  | undefined;

/** The refusals the customer may simply try again (the holder's own answer or its absence). */
const RETRYABLE_ON_PHONE: ReadonlySet<string> = new Set([
  'CARRIER_DECLINED',
  'CARRIER_PHONE_NO_ANSWER',
  'CARRIER_PHONE_BUSY',
]);

export function App() {
  const [loaded, setLoaded] = useState<
    { contract: string; phones: Phone[] } | { error: string } | undefined
  >();
  const [chiPhone, setChiPhone] = useState('');
  const [toPhone, setToPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(undefined);
  /** The phone whose screen the request waits on, and what its holder does there. */
  const [waitingOn, setWaitingOn] = useState<{ phone: Phone; method: Method } | undefined>(undefined);

  useEffect(() => {
    getContract().then(
      (c) => {
        setLoaded(c);
        setChiPhone(c.phones[0]?.id ?? '');
        setToPhone(c.phones[0]?.id ?? '');
      },
      (e: unknown) => setLoaded({ error: e instanceof ApiError ? e.code : 'NETWORK' }),
    );
  }, []);

  /** Runs `method` from phone `id`, whose consent screen holds the request meanwhile. */
  const run = async (method: Method, id: string) => {
    const phones = loaded !== undefined && 'phones' in loaded ? loaded.phones : [];
    const phone = phones.find((p) => p.id === id);
    setBusy(true);
    setOutcome(undefined);
    setWaitingOn(phone === undefined ? undefined : { phone, method });
    try {
      setOutcome({ result: await (method === 'chi' ? verifyRecord(id) : signContract(id)) });
    } catch (e) {
      setOutcome(
        e instanceof ApiError
          ? { code: e.code, problem: e.problem, method, phoneId: id }
          : { code: 'NETWORK', problem: {}, method, phoneId: id },
      );
    } finally {
      setWaitingOn(undefined);
      setBusy(false);
    }
  };

  return (
    <>
      <TopBar relyingParties="../">
        サンドボックス携帯 携帯電話の契約 <small>Sandbox Mobile — a mobile phone contract</small>
      </TopBar>
      <main class="layout">
        {loaded === undefined ? <Loading /> : null}
        {loaded !== undefined && 'error' in loaded ? <LoadFailed code={loaded.error} /> : null}
        {loaded !== undefined && 'contract' in loaded ? (
          <>
            <section class="card">
              <p>
                携帯電話不正利用防止法により、契約の前に本人確認をします。2026年4月1日から、非対面の本人確認は
                IC チップによる方法に限られます。次のどちらかを選んでください(マイナンバーは求めません)。
                <br />
                <small>
                  The Mobile Phone Improper Use Prevention Act asks us to verify your identity before the
                  contract. From 2026-04-01 a remote check reads the chip; the image-upload methods are gone.
                  Pick one of these (never My Number).
                </small>
              </p>
              <p class="bridge">
                この環境には OS
                のウォレットも署名アプリもないため、選んだ電話エミュレータがブリッジ経由で応答します(
                <code>presentAnnexC</code>、<code>signWithJpki</code>
                )。署名用パスワードはこのページではなく電話の画面で入力します。携帯会社の API
                キーはサーバーから出ません。
                <br />
                <small>
                  No OS wallet or signing app exists here: the chosen phone emulator answers through an
                  explicit bridge (<code>presentAnnexC</code>, <code>signWithJpki</code>). The signature
                  password is typed on the phone's screen, not on this page. The carrier's API key never
                  leaves its server.
                </small>
              </p>
            </section>
            <form
              class="phone card"
              data-method-form="chi"
              onSubmit={(e) => {
                e.preventDefault();
                void run('chi', chiPhone);
              }}
            >
              <h2>
                チ — カード代替電磁的記録 <small>チ — the card-substitute record</small>
              </h2>
              <p>
                氏名・住所・生年月日・顔写真をスマートフォンの記録から受け取ります。{' '}
                <small>
                  We receive your name, address, birth date and photo from the record on your phone.
                </small>
              </p>
              <p>
                どの電話で応答しますか <small>Which phone answers?</small>
              </p>
              <fieldset>
                <PhoneRadios phones={loaded.phones} chosen={chiPhone} onChoose={setChiPhone} marked />
              </fieldset>
              <button type="submit" disabled={busy}>
                カード代替電磁的記録で本人確認 / Verify with the card-substitute record
              </button>
            </form>
            <form
              class="phone card"
              data-method-form="to"
              onSubmit={(e) => {
                e.preventDefault();
                void run('to', toPhone);
              }}
            >
              <h2>
                ト — 電子署名 <small>ト — a JPKI signature</small>
              </h2>
              <p>
                次の申込書に署名用電子証明書で電子署名してください。申込書は電話の画面に届き、そこで署名用パスワードを入力します。基本4情報は証明書から読み取ります。{' '}
                <small>
                  Sign this application with the signature certificate: it goes to the phone's screen, where
                  you type the signature password. The basic four are read from the certificate.
                </small>
              </p>
              <pre class="document" data-document>
                {loaded.contract}
              </pre>
              <p>
                どの電話で署名しますか <small>Which phone signs?</small>
              </p>
              <fieldset>
                <PhoneRadios phones={loaded.phones} chosen={toPhone} onChoose={setToPhone} marked />
              </fieldset>
              <button type="submit" disabled={busy}>
                申込書を電話に送って署名 / Send the application to the phone to sign
              </button>
            </form>
            {waitingOn !== undefined ? (
              <PhoneWaiting phone={waitingOn.phone} ask={waitingOn.method === 'to' ? 'sign' : 'approve'} />
            ) : null}
            {outcome !== undefined && 'result' in outcome ? <ResultView result={outcome.result} /> : null}
            {outcome !== undefined && 'code' in outcome ? (
              <RefusalView
                code={outcome.code}
                problem={outcome.problem}
                method={outcome.method}
                {...(RETRYABLE_ON_PHONE.has(outcome.code)
                  ? { onTryAgain: () => void run(outcome.method, outcome.phoneId) }
                  : {})}
              />
            ) : null}
          </>
        ) : null}
      </main>
    </>
  );
}
