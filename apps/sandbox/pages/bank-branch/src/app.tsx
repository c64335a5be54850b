/**
 * The bank's branch counter (窓口): staff read the customer's phone in person over ISO/IEC 18013-5 proximity
 * (the verifier service is the reader, the radio simulated), compare the photo with the customer, and see the
 * record with its method. The page's address names the step — `read` after the read, `confirm` after the face
 * check — and never anything read or declared; a reload starts again at the counter (the photo is shown once).
 */
import { useEffect, useState } from 'preact/hooks';
import {
  type DeclarationInput,
  type DeclarationLists,
  initialDeclaration,
} from '../../shared/declaration-fields';
import { LoadFailed, Loading, TopBar } from '../../shared/page-frame';
import {
  ApiError,
  type CounterRead,
  type CounterResult,
  confirmFace,
  getCounter,
  type Phone,
  type Problem,
  readPhone,
} from './api';
import { PhoneForm } from './components/counter';
import { ReadView } from './components/read-view';
import { RefusalView } from './components/refusal';
import { ResultView } from './components/result-view';

/** The step shown, and the address it has beside the counter's (`` is the counter itself). */
type Step =
  | { at: '' }
  | { at: 'read'; read: CounterRead }
  | { at: 'confirm'; result: CounterResult }
  | { at: 'read' | 'confirm'; code: string; problem: Problem };

const STEPS = /\/(read|confirm)$/;

export function App() {
  const [loaded, setLoaded] = useState<({ phones: Phone[] } & DeclarationLists) | { error: string }>();
  const [declared, setDeclared] = useState<ReadonlyMap<string, DeclarationInput>>(new Map());
  const [step, setStep] = useState<Step>({ at: '' });
  const [busy, setBusy] = useState(false);
  /** The phone whose read waits for the customer's answer on its screen. */
  const [reading, setReading] = useState<string>();

  useEffect(() => {
    // A step's address opened afresh: what it showed is gone, so the counter starts again.
    if (STEPS.test(location.pathname)) history.replaceState(null, '', './');
    // Back from a step: the counter again, at its own address.
    const back = () => {
      history.replaceState(null, '', './');
      setStep({ at: '' });
    };
    addEventListener('popstate', back);
    getCounter().then(
      (c) => {
        setLoaded(c);
        setDeclared(new Map(c.phones.map((p) => [p.id, initialDeclaration(c, true)])));
      },
      (e: unknown) => setLoaded({ error: e instanceof ApiError ? e.code : 'NETWORK' }),
    );
    return () => removeEventListener('popstate', back);
  }, []);

  // The address follows the step once it is on the screen.
  useEffect(() => {
    const at = STEPS.exec(location.pathname)?.[1] ?? '';
    if (at !== step.at) history.pushState(null, '', step.at === '' ? './' : step.at);
  }, [step]);

  const run = async <T,>(
    at: 'read' | 'confirm',
    call: () => Promise<T>,
    shown: (v: T) => Step,
    phone?: string,
  ) => {
    setBusy(true);
    setReading(phone);
    try {
      setStep(shown(await call()));
    } catch (e) {
      setStep(
        e instanceof ApiError
          ? { at, code: e.code, problem: e.problem }
          : { at, code: 'NETWORK', problem: {} },
      );
    } finally {
      setBusy(false);
      setReading(undefined);
    }
  };

  return (
    <>
      <TopBar relyingParties="../../">
        サンドボックス銀行 窓口 <small>Sandbox Bank — branch counter</small>
      </TopBar>
      <main class="layout">
        {loaded === undefined ? <Loading /> : null}
        {loaded !== undefined && 'error' in loaded ? <LoadFailed code={loaded.error} /> : null}
        {loaded !== undefined && 'phones' in loaded && step.at === '' ? (
          <>
            <section class="card">
              <p>
                口座開設の取引時確認を対面で行います。お客様の電話をリーダーで読み取り(ISO/IEC 18013-5
                近接)、顔写真とご本人を見比べてください。2027年4月1日からは、対面でも IC
                チップの読み取りが求められます。
                <br />
                <small>
                  Identity verification for opening an account, face to face: read the customer's phone at the
                  reader (ISO/IEC 18013-5 proximity) and compare the photo with the customer. From 2027-04-01
                  face-to-face checks under 犯収法 read the chip.
                </small>
              </p>
              <p class="bridge">
                この環境には無線も電話の OS もありません。電話エミュレータがデバイスエンゲージメント(
                <code>mdoc:</code> の QR
                の内容)を示し、検証サービスが窓口のリーダーとしてそこに書かれたループバックの
                WebSocket(無線の代わり)へ接続します。読み取りの要求はお客様の電話の画面に届き、お客様がそこで要求元と項目を確かめて生体認証で承認します(断ることもできます)。
                <br />
                <small>
                  No radio and no phone OS exist here: the phone emulator shows its device engagement (the{' '}
                  <code>mdoc:</code> QR content), and the verifier service, as the counter's reader, connects
                  to the loopback WebSocket it names (standing in for the radio). The request appears on the
                  customer's phone: the customer checks who asks and what, and approves there with the phone's
                  biometric — or declines.
                </small>
              </p>
            </section>
            {loaded.phones.map((p) => (
              <PhoneForm
                key={p.id}
                phone={p}
                lists={loaded}
                declared={declared.get(p.id) ?? initialDeclaration(loaded, true)}
                onDeclare={(v) => setDeclared(new Map([...declared, [p.id, v]]))}
                busy={busy}
                waiting={reading === p.id}
                onRead={() =>
                  void run(
                    'read',
                    () => readPhone(p.id, declared.get(p.id) ?? initialDeclaration(loaded, true)),
                    (read) => ({ at: 'read', read }),
                    p.id,
                  )
                }
              />
            ))}
            <p>
              <a href="../">オンラインの口座開設 / online account opening</a>
            </p>
          </>
        ) : null}
        {'read' in step ? (
          <ReadView
            read={step.read}
            busy={busy}
            onConfirm={(face) =>
              void run(
                'confirm',
                () => confirmFace(step.read.read, face),
                (result) => ({ at: 'confirm', result }),
              )
            }
          />
        ) : null}
        {'result' in step ? <ResultView result={step.result} /> : null}
        {'code' in step ? (
          <RefusalView code={step.code} problem={step.problem} onReadAgain={() => setStep({ at: '' })} />
        ) : null}
      </main>
    </>
  );
}
