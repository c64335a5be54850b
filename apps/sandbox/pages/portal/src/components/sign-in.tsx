/**
 * The sign-in: one button per phone. The request waits on the phone's own screen, where the holder types
 * the auth PIN or uses the biometric (DOMAIN.md §3) — this page takes neither — and the page shows the
 * waiting line with the link to that screen until the holder answered there. A refusal shows its stable
 * code (the holder declined, the PIN locked on the phone, no answer in time …) or the verifier's checks (a
 * revoked certificate).
 */
import { useState } from 'preact/hooks';
import { PhoneWaiting } from '../../../shared/phone-waiting';
import { AnsweredBy } from '../../../shared/phones';
import { AnsweredByLine, RefusalHeading, RefusalWords, RefusedChecks } from '../../../shared/refusal';
import { PinLockNote } from '../../../shared/secret-fields';
import { ApiError, type Phone, type Problem, type SignedIn, signIn } from '../api';
import { BridgeNote } from './bridge-note';

/** What each refusal says, Japanese then English. */
const REFUSALS: ReadonlyMap<string, readonly [string, string]> = new Map([
  [
    'PORTAL_DECLINED',
    [
      'スマートフォンでログインが断られました。ログインしていません',
      'the sign-in was declined on the phone; nobody is signed in',
    ],
  ],
  [
    'PORTAL_PHONE_NO_ANSWER',
    ['スマートフォンで時間内に確認されませんでした', 'nobody answered on the phone in time'],
  ],
  [
    'PORTAL_PHONE_BUSY',
    [
      'スマートフォンに確認待ちの依頼が多すぎます。画面を片付けてからもう一度お試しください',
      'the phone has too many requests waiting; clear its screen and try again',
    ],
  ],
  [
    'PORTAL_UNLOCK_ON_PHONE',
    [
      '暗証番号と生体認証はスマートフォンの画面で使います。このページには送れません',
      'the auth PIN and the biometric are used on the phone, never sent to this page',
    ],
  ],
  [
    'PORTAL_PIN_LOCKED',
    [
      '利用者証明用暗証番号がロックされています。市区町村の窓口で解除が必要です',
      'the auth PIN is locked; the holder must have it reset',
    ],
  ],
  [
    'PORTAL_NO_CERTIFICATE',
    [
      'この電話には有効な利用者証明用電子証明書がありません',
      'this phone holds no user-authentication certificate in force',
    ],
  ],
  ['PORTAL_PHONE_REFUSED', ['この電話は応答できませんでした', 'the phone could not answer']],
  ['PORTAL_SESSION_UNAVAILABLE', ['セッションを開けません', 'the session could not be opened']],
  [
    'PORTAL_SIGN_IN_REFUSED',
    [
      '利用者証明用電子証明書を確かめられませんでした。失効した証明書(死亡・国外転出・カードの紛失などで失効します)ではログインできません',
      'the user-authentication certificate could not be verified; a revoked certificate (death, moving abroad, a lost card …) cannot sign in',
    ],
  ],
]);

interface Refused {
  readonly phoneId: string;
  readonly code: string;
  readonly problem: Problem;
}

function Refusal({ refused }: { refused: Refused }) {
  const p = refused.problem;
  return (
    <div class="refusal" role="alert" data-error={refused.code}>
      <RefusalHeading ja="ログインできません" en="Sign-in refused" />
      <RefusalWords
        code={refused.code}
        words={REFUSALS.get(refused.code) ?? ['ログインできません', 'sign-in refused']}
        walletCode={p.walletCode}
      />
      <AnsweredByLine phone={p.phone} />
      <RefusedChecks problem={p} />
    </div>
  );
}

function PhoneForm({
  phone,
  busy,
  waiting,
  onSubmit,
}: {
  phone: Phone;
  busy: boolean;
  /** The sign-in waits on this phone's screen. */
  waiting: boolean;
  onSubmit: (body: { phone: string }) => Promise<boolean>;
}) {
  return (
    <form
      class="phone card"
      data-phone-form={phone.id}
      onSubmit={async (e) => {
        e.preventDefault();
        await onSubmit({ phone: phone.id });
      }}
    >
      <p>
        <AnsweredBy phone={phone} />
      </p>
      <p class="small">
        スマートフォンの画面で利用者証明用暗証番号(数字4桁)または生体認証(Face ID など)で確認します{' '}
        <small>confirm on the phone's screen with the auth PIN (4 digits) or the biometric (Face ID …)</small>
      </p>
      <button type="submit" disabled={busy} data-sign-in={phone.id}>
        ログイン / Sign in
      </button>
      <PinLockNote />
      {waiting ? <PhoneWaiting phone={phone} ask="authenticate" /> : null}
    </form>
  );
}

export function SignInView({
  phones,
  onSignedIn,
}: {
  phones: readonly Phone[];
  onSignedIn: (s: SignedIn) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<Refused | undefined>(undefined);
  const [waitingOn, setWaitingOn] = useState<string>();
  const submit = async (body: { phone: string }) => {
    setBusy(true);
    setWaitingOn(body.phone);
    setRefused(undefined);
    try {
      onSignedIn(await signIn(body));
      return true;
    } catch (e) {
      setRefused({
        phoneId: body.phone,
        code: e instanceof ApiError ? e.code : 'NETWORK',
        problem: e instanceof ApiError ? e.problem : {},
      });
      return false;
    } finally {
      setBusy(false);
      setWaitingOn(undefined);
    }
  };
  return (
    <>
      <section class="card">
        <h2>
          ログイン <small>Sign in</small>
        </h2>
        <p>
          スマートフォンの利用者証明用電子証明書でログインします。アカウントは証明書の識別子(氏名などを含まない番号)に結び付きます。
          <br />
          <small>
            Sign in with the user-authentication certificate on your phone. The account is bound to the
            certificate's identifier, which holds no name or other personal data.
          </small>
        </p>
        <BridgeNote />
      </section>
      {refused ? <Refusal refused={refused} /> : null}
      {phones.map((p) => (
        <PhoneForm key={p.id} phone={p} busy={busy} waiting={waitingOn === p.id} onSubmit={submit} />
      ))}
      {phones.length === 0 ? (
        <p class="muted">
          電話がありません <small>no phone in this sandbox</small>
        </p>
      ) : null}
    </>
  );
}
