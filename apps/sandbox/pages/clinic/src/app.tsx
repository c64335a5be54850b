/**
 * The clinic's front desk (DOMAIN.md §3 "Health insurance"): the holder holds the phone to the desk's
 * reader — the Android holder types the 4-digit auth PIN on this reader page, the iPhone holder confirms
 * with Face ID on the phone's own screen. The clinic's server checks the user authentication at the verifier, asks the
 * insurer registry for the qualification and reads the photo, name and birth date from the record over
 * ISO/IEC 18013-5 proximity for the face check; the page shows what came back. Nothing is kept in the
 * browser, and nothing personal goes in a URL.
 */
import { useEffect, useState } from 'preact/hooks';
import { LoadFailed, Loading, TopBar } from '../../shared/page-frame';
import { ApiError, checkAtDesk, type DeskResult, getPhones, type Phone, type Problem, resultIn } from './api';
import { BridgeNote } from './components/bridge-note';
import { type DeskRequest, PhoneForm } from './components/desk-forms';
import { Refusal } from './components/refusal';
import { ResultView } from './components/result';

type Loaded = { state: 'loading' } | { state: 'error'; code: string } | { state: 'ready'; phones: Phone[] };

type Outcome =
  | { kind: 'result'; result: DeskResult; refusedCode?: string }
  | { kind: 'refused'; code: string; problem: Problem }
  | undefined;

export function App() {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [busy, setBusy] = useState(false);
  /** The phone the desk is checking (its face check waits on the phone's screen). */
  const [checking, setChecking] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>(undefined);

  useEffect(() => {
    getPhones().then(
      ({ phones }) => setLoaded({ state: 'ready', phones }),
      (e: unknown) => setLoaded({ state: 'error', code: e instanceof ApiError ? e.code : 'NETWORK' }),
    );
  }, []);

  const submit = async (body: DeskRequest) => {
    setBusy(true);
    setChecking(body.phone);
    setOutcome(undefined);
    try {
      setOutcome({ kind: 'result', result: await checkAtDesk(body) });
      window.scrollTo(0, 0);
    } catch (e) {
      if (!(e instanceof ApiError)) setOutcome({ kind: 'refused', code: 'NETWORK', problem: {} });
      else {
        const problem = e.problem as Problem;
        const result = resultIn(problem);
        setOutcome(
          result
            ? { kind: 'result', result, refusedCode: e.code }
            : { kind: 'refused', code: e.code, problem },
        );
      }
    } finally {
      setBusy(false);
      setChecking(undefined);
    }
  };

  return (
    <>
      <TopBar relyingParties="../">
        サンドボックス診療所 受付 <small>Sandbox Clinic — front desk</small>
      </TopBar>
      <main class="layout" data-state={loaded.state}>
        {loaded.state === 'loading' ? <Loading /> : null}
        {loaded.state === 'error' ? <LoadFailed code={loaded.code} /> : null}
        {loaded.state === 'ready' && outcome?.kind === 'result' ? (
          <ResultView
            result={outcome.result}
            refusedCode={outcome.refusedCode}
            onNext={() => {
              setOutcome(undefined);
              window.scrollTo(0, 0);
            }}
          />
        ) : null}
        {loaded.state === 'ready' && outcome?.kind !== 'result' ? (
          <>
            <section class="card">
              <p>
                スマートフォンを受付のリーダーにかざしてください。利用者証明用電子証明書で本人を確かめ、オンライン資格確認で保険の資格を確認します。顔写真・氏名・生年月日はカード代替電磁的記録から表示し、受付の職員が目で確かめます。
                <br />
                <small>
                  Hold your phone to the desk's reader. The user-authentication certificate proves it is you,
                  the online qualification confirmation gives your insurance, and the photo, name and birth
                  date from the card-substitute record let the desk check your face.
                </small>
              </p>
              <BridgeNote />
            </section>
            {outcome?.kind === 'refused' ? <Refusal code={outcome.code} problem={outcome.problem} /> : null}
            {loaded.phones.map((p) => (
              <PhoneForm key={p.id} phone={p} busy={busy} checking={checking === p.id} onSubmit={submit} />
            ))}
            {loaded.phones.length === 0 ? (
              <p class="muted">
                電話がありません <small>no phone in this sandbox</small>
              </p>
            ) : null}
          </>
        ) : null}
      </main>
    </>
  );
}
