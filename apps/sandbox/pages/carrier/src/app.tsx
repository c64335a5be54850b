/**
 * A mobile carrier's contract under 携帯電話不正利用防止法 (the revised ordinance in force 2026-04-01): the
 * customer picks チ (the card-substitute record) or ト (a JPKI signature over the contract), the chosen
 * phone answers through the labelled bridge, and the page shows what the verifier found. My Number is never
 * asked. チ's request waits on the phone's own consent screen until the holder approves or declines there:
 * meanwhile the page says which phone to look at, with the link to its screen (PhoneWaiting); a decline is
 * shown as the customer's refusal, with a way to try again.
 */
import { useEffect, useState } from 'preact/hooks';
import { LoadFailed, Loading, TopBar } from '../../shared/page-frame';
import { PhoneWaiting } from '../../shared/phone-waiting';
import { PhoneRadios } from '../../shared/phones';
import { SignaturePasswordField } from '../../shared/secret-fields';
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

type Outcome = { result: Result } | { code: string; problem: Problem } | undefined;

/** The refusals of チ the customer may simply try again (the holder's own answer or its absence). */
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
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(undefined);
  /** The phone whose screen チ's request waits on. */
  const [waitingOn, setWaitingOn] = useState<Phone | undefined>(undefined);

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

  /** Runs `call`; `waitsOn`: the phone whose consent screen holds the request meanwhile. */
  const run = async (call: () => Promise<Result>, waitsOn?: Phone) => {
    setBusy(true);
    setOutcome(undefined);
    setWaitingOn(waitsOn);
    try {
      setOutcome({ result: await call() });
    } catch (e) {
      setOutcome(
        e instanceof ApiError ? { code: e.code, problem: e.problem } : { code: 'NETWORK', problem: {} },
      );
    } finally {
      setWaitingOn(undefined);
      setBusy(false);
    }
  };

  /** チ from the phone chosen for it. */
  const runChi = () => {
    const phones = loaded !== undefined && 'phones' in loaded ? loaded.phones : [];
    void run(
      () => verifyRecord(chiPhone),
      phones.find((p) => p.id === chiPhone),
    );
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
                <code>presentAnnexC</code>、<code>signWithJpki</code>)。携帯会社の API
                キーはサーバーから出ません。
                <br />
                <small>
                  No OS wallet or signing app exists here: the chosen phone emulator answers through an
                  explicit bridge (<code>presentAnnexC</code>, <code>signWithJpki</code>). The carrier's API
                  key never leaves its server.
                </small>
              </p>
            </section>
            <form
              class="phone card"
              data-method-form="chi"
              onSubmit={(e) => {
                e.preventDefault();
                runChi();
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
              onSubmit={async (e) => {
                e.preventDefault();
                const typed = password;
                setPassword('');
                await run(() => signContract(toPhone, typed));
              }}
            >
              <h2>
                ト — 電子署名 <small>ト — a JPKI signature</small>
              </h2>
              <p>
                次の申込書に署名用電子証明書で電子署名してください。基本4情報は証明書から読み取ります。{' '}
                <small>
                  Sign this application with the signature certificate; the basic four are read from it.
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
              <SignaturePasswordField password={password} onPassword={setPassword} />
              <button type="submit" disabled={busy}>
                申込書に署名して本人確認 / Sign the application and verify
              </button>
            </form>
            {waitingOn !== undefined ? <PhoneWaiting phone={waitingOn} /> : null}
            {outcome !== undefined && 'result' in outcome ? <ResultView result={outcome.result} /> : null}
            {outcome !== undefined && 'code' in outcome ? (
              <RefusalView
                code={outcome.code}
                problem={outcome.problem}
                {...(RETRYABLE_ON_PHONE.has(outcome.code) ? { onTryAgain: runChi } : {})}
              />
            ) : null}
          </>
        ) : null}
      </main>
    </>
  );
}
