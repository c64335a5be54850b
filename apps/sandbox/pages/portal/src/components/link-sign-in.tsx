/**
 * The sign-in by link or QR code (スマートフォンで読み取る): the server opens a JPKI user-authentication
 * session and the page shows its `mynakit-jpki://` link as a QR code, the link itself, and the phone
 * emulators it can be handed to (no phone with a camera exists here); the phone shows who asks, unlocks the
 * auth key (PIN or Face ID) and answers the verifier itself. The page polls; once the phone answered, this
 * browser is signed in (or refused, with the code). The session id stays in the page's memory, never in an
 * address; the browser that opened it is bound by an HttpOnly cookie.
 */
import { useEffect, useState } from 'preact/hooks';
import { LinkHandoff } from '../../../shared/link-handoff';
import { ReasonLine, RefusalHeading, RefusalWords, RefusedChecks } from '../../../shared/refusal';
import {
  ApiError,
  getLink,
  getLinkAvailable,
  type LinkPending,
  openLink,
  type Problem,
  type SignedIn,
} from '../api';

/** How often the page asks whether the phone has answered (ms). */
const POLL_MS = 1500;

/** What each refusal of the link sign-in says, Japanese then English. */
const REFUSALS: ReadonlyMap<string, readonly [string, string]> = new Map([
  [
    'PORTAL_LINK_EXPIRED',
    ['電話から応答がないまま期限が切れました', 'the sign-in expired without an answer from the phone'],
  ],
  ['PORTAL_NO_SESSION', ['このログインはありません', 'no such sign-in']],
  ['PORTAL_NO_RESULT', ['ログインの結果を読めません', "the sign-in's result cannot be read"]],
  ['PORTAL_SESSION_UNAVAILABLE', ['セッションを開けません', 'the session could not be opened']],
  [
    'PORTAL_LINK_UNAVAILABLE',
    ['このサンドボックスでは QR コードを作れません', 'no QR code can be made in this sandbox'],
  ],
  [
    'PORTAL_SIGN_IN_REFUSED',
    [
      '利用者証明用電子証明書を確かめられませんでした。失効した証明書ではログインできません',
      'the user-authentication certificate could not be verified; a revoked certificate cannot sign in',
    ],
  ],
]);

type Failure = { code: string; problem: Problem };

const failureOf = (e: unknown): Failure =>
  e instanceof ApiError ? { code: e.code, problem: e.problem as Problem } : { code: 'NETWORK', problem: {} };

function QrView({ pending }: { pending: LinkPending }) {
  return (
    <LinkHandoff
      pending={pending}
      phoneScreen="jpki-request"
      heading="h3"
      stateAttribute="data-link-state"
      statusId="portal-link-status"
      phoneDoes={{
        ja: '電話が要求者(このポータル)を表示し、暗証番号または生体認証で応答します。',
        en: 'The phone names who asks (this portal) and answers after the auth PIN or its biometric.',
      }}
    />
  );
}

function LinkRefusal({ failure, onAgain }: { failure: Failure; onAgain: () => void }) {
  return (
    <div class="refusal" role="alert" data-error={failure.code} data-reason={failure.problem.reason}>
      <RefusalHeading ja="ログインできません" en="Sign-in refused" />
      <RefusalWords
        code={failure.code}
        words={REFUSALS.get(failure.code) ?? ['ログインできません', 'sign-in refused']}
      />
      <ReasonLine reason={failure.problem.reason} />
      <RefusedChecks problem={failure.problem} />
      <p>
        <button type="button" class="secondary" onClick={onAgain}>
          もう一度 / again
        </button>
      </p>
    </div>
  );
}

/** Polls the link session `id` until the phone answered; then signs in or shows the refusal. */
function LinkSession({
  id,
  onSignedIn,
  onAgain,
}: {
  id: string;
  onSignedIn: (s: SignedIn) => void;
  onAgain: () => void;
}) {
  const [view, setView] = useState<LinkPending | Failure>();
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const answer = await getLink(id);
        if (stopped) return;
        if (answer.state === 'pending') {
          setView(answer);
          timer = setTimeout(poll, POLL_MS);
          return;
        }
        const { state: _state, ...signedIn } = answer;
        onSignedIn(signedIn);
      } catch (e) {
        if (stopped) return;
        // A network hiccup: ask again; a problem: the refusal.
        if (!(e instanceof ApiError)) timer = setTimeout(poll, POLL_MS);
        else setView(failureOf(e));
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);
  if (view === undefined)
    return (
      <p class="muted">
        読み込み中… <small>loading…</small>
      </p>
    );
  return 'code' in view ? <LinkRefusal failure={view} onAgain={onAgain} /> : <QrView pending={view} />;
}

export function LinkSignIn({ onSignedIn }: { onSignedIn: (s: SignedIn) => void }) {
  const [available, setAvailable] = useState<boolean>();
  const [session, setSession] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure>();
  useEffect(() => {
    getLinkAvailable().then(
      (a) => setAvailable(a.available),
      () => setAvailable(false),
    );
  }, []);
  const again = () => {
    setSession(undefined);
    setFailure(undefined);
  };
  return (
    <section class="card" data-link-sign-in>
      <h2>
        スマートフォンで読み取る <small>Sign in with your phone (QR code)</small>
      </h2>
      <p>
        この画面に QR
        コードを表示します。スマートフォンで読み取ると、電話が利用者証明用電子証明書でこのポータルに直接応答し、この画面でログインします。
        <br />
        <small>
          This page shows a QR code. Scan it with your phone: the phone answers this portal directly with its
          user-authentication certificate, and this page signs in.
        </small>
      </p>
      {available === false ? (
        <p class="failed" data-error="PORTAL_LINK_UNAVAILABLE">
          このサンドボックスは IP アドレスで公開されているため、QR コードを作れません。localhost
          かホスト名で起動してください。
          <br />
          <small>
            This sandbox is served on an IP address: no QR code can be made. Serve it on localhost or a host
            name.
          </small>
        </p>
      ) : null}
      {available === true && session === undefined ? (
        <button
          type="button"
          data-show-qr
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setFailure(undefined);
            try {
              setSession((await openLink()).sessionId);
            } catch (e) {
              setFailure(failureOf(e));
            } finally {
              setBusy(false);
            }
          }}
        >
          QRコードを表示 / Show the QR code
        </button>
      ) : null}
      {failure !== undefined ? <LinkRefusal failure={failure} onAgain={again} /> : null}
      {session !== undefined ? (
        <LinkSession key={session} id={session} onSignedIn={onSignedIn} onAgain={again} />
      ) : null}
    </section>
  );
}
