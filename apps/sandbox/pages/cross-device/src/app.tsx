/**
 * The bank's account opening on another device (別の端末で): for a browser without the Digital Credentials
 * API, the page shows a QR code the holder scans with the phone (OpenID4VP 1.0 cross-device, request by
 * reference, `direct_post.jwt`); the phone sends the record to the bank, encrypted, and the result shows here.
 *
 * The start asks what the customer declares (取引時確認 under 犯収法); the session's address
 * `sessions/<id>` shows its QR code while the page polls, then the result — also when opened afresh, since
 * the server keeps what it read. Nothing read or declared is ever in an address.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  DeclarationFields,
  type DeclarationInput,
  type DeclarationLists,
  initialDeclaration,
} from '../../shared/declaration-fields';
import { LoadFailed, Loading, TopBar } from '../../shared/page-frame';
import {
  ApiError,
  type DoneSession,
  getSession,
  getSessionState,
  getStart,
  openSession,
  type PendingSession,
  type Problem,
  sessionAddress,
  sessionInAddress,
} from './api';
import { QrView } from './components/qr-view';
import { RefusalView } from './components/refusal';
import { ResultView } from './components/result-view';

/** How often the page asks whether the phone has answered (ms). */
const POLL_MS = 1500;

type Failure = { code: string; problem: Problem };
type SessionView = PendingSession | DoneSession | Failure | undefined;

const failureOf = (e: unknown): Failure =>
  e instanceof ApiError ? { code: e.code, problem: e.problem as Problem } : { code: 'NETWORK', problem: {} };

function Start() {
  const [loaded, setLoaded] = useState<({ available: boolean } & DeclarationLists) | { error: string }>();
  const [declared, setDeclared] = useState<DeclarationInput>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure>();

  useEffect(() => {
    getStart().then(
      (s) => {
        setLoaded(s);
        setDeclared(initialDeclaration(s, false));
      },
      (e: unknown) => setLoaded({ error: failureOf(e).code }),
    );
  }, []);

  return (
    <>
      <section class="card">
        <p>
          この画面に QR
          コードを表示します。スマートフォンで読み取ると、電話がカード代替電磁的記録(氏名・住所・生年月日・顔写真)を暗号化して銀行に送ります。結果はこの画面に表示されます。
          <br />
          <small>
            This page shows a QR code. Scan it with your phone: the phone sends the card-substitute record
            (name, address, birth date, photo) to the bank, encrypted, and the result shows here.
          </small>
        </p>
        <p class="bridge">
          OpenID4VP 1.0(request_uri、direct_post.jwt)。この環境では電話エミュレータが QR
          コードのリンクを受け取ります。
          <br />
          <small>
            OpenID4VP 1.0 by reference, answered with direct_post.jwt. Here the phone emulator takes the QR
            code's link.
          </small>
        </p>
      </section>
      {loaded === undefined ? <Loading /> : null}
      {loaded !== undefined && 'error' in loaded ? <LoadFailed code={loaded.error} /> : null}
      {loaded !== undefined && 'available' in loaded && !loaded.available ? (
        <p class="failed card" data-error="CROSS_DEVICE_UNAVAILABLE">
          このサンドボックスは IP アドレスで公開されているため、QR コードの要求を作れません(client_id の
          x509_san_dns は DNS 名を名指しします)。localhost かホスト名で起動してください。
          <br />
          <small>
            This sandbox is served on an IP address: an x509_san_dns client id names a DNS name, so no QR-code
            request can be made. Serve it on localhost or a host name.
          </small>
        </p>
      ) : null}
      {loaded !== undefined && 'available' in loaded && loaded.available && declared !== undefined ? (
        <form
          class="phone card"
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            setFailure(undefined);
            try {
              const { sessionId } = await openSession(declared);
              history.pushState(null, '', sessionAddress(sessionId));
              dispatchEvent(new PopStateEvent('popstate'));
            } catch (err) {
              setFailure(failureOf(err));
            } finally {
              setBusy(false);
            }
          }}
        >
          <DeclarationFields lists={loaded} value={declared} onChange={setDeclared} prompt />
          <button type="submit" disabled={busy}>
            QRコードを表示 / Show the QR code
          </button>
        </form>
      ) : null}
      {failure !== undefined ? (
        <RefusalView code={failure.code} problem={failure.problem} again="./" />
      ) : null}
      <p>
        <a href="../">この端末で(DC API / ブリッジ)/ on this device (DC API or the bridge)</a>
      </p>
    </>
  );
}

function Session({ id }: { id: string }) {
  const [view, setView] = useState<SessionView>();

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = () =>
      getSession(id).then(
        (s) => {
          if (stopped) return;
          setView(s);
          if (s.state === 'pending') timer = setTimeout(poll, POLL_MS);
        },
        (e: unknown) => {
          if (!stopped) setView(failureOf(e));
        },
      );
    // Until the phone answers; then the session's view once more (the result, or why there is none).
    const poll = async () => {
      try {
        if ((await getSessionState(id)).state === 'pending') {
          if (!stopped) timer = setTimeout(poll, POLL_MS);
          return;
        }
      } catch (e) {
        if (!(e instanceof ApiError)) {
          if (!stopped) timer = setTimeout(poll, POLL_MS);
          return;
        }
      }
      if (!stopped) void show();
    };
    void show();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);

  if (view === undefined) return <Loading />;
  if ('code' in view) return <RefusalView code={view.code} problem={view.problem} again="../" />;
  return view.state === 'pending' ? <QrView session={view} /> : <ResultView result={view} />;
}

export function App() {
  const [session, setSession] = useState(sessionInAddress());
  useEffect(() => {
    const moved = () => setSession(sessionInAddress());
    addEventListener('popstate', moved);
    return () => removeEventListener('popstate', moved);
  }, []);
  return (
    <>
      <TopBar relyingParties="/verifier/">
        {session === undefined ? '別の端末で本人確認' : 'スマートフォンで本人確認'}{' '}
        <small>{session === undefined ? 'Verify on another device' : 'Verify with your phone'}</small>
      </TopBar>
      <main class="layout">{session === undefined ? <Start /> : <Session key={session} id={session} />}</main>
    </>
  );
}
